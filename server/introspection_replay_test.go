package server

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The introspection replay runs the catalog queries real client tools send
// (psql's tab completion, pgcli, DBeaver, pgAdmin, Metabase, Grafana,
// SQLAlchemy, Npgsql, pgjdbc, Prisma, Django, Rails), as captured from the
// tools on the wire or copied from their sources, over the fixture schema
// in testdata/introspection/fixture.sql, in the extended protocol with
// text results, and compares what pqdb answers (column names, column type
// OIDs, rows) with what PostgreSQL 15 answered, recorded in the .out file
// beside each .sql file. Record with testdata/introspection/
// record-expected.sh, which runs
//
//	PQDB_INTROSPECTION_POSTGRES=host:port go test ./server -run TestIntrospectionReplay -update-introspection
//
// against a private PostgreSQL 15, so that no role or database of another
// cluster shows in the answers.
//
// Each record of a .sql file is a block of "-- key: value" lines followed
// by the query:
//
//	-- name: unique name within the file (required, first)
//	-- source: where the text comes from
//	-- oids: col=regclass, col2=regtype  values of oid columns that name
//	   objects created by initdb or later (OID >= 12000, which differ
//	   between servers) are compared as the object's name, read through
//	   the cast on the server that answered; so are result columns' type
//	   OIDs
//	-- volatile: col  values PostgreSQL itself changes from run to run
//	   (transaction ids, timestamps) are compared as present or NULL only
//	-- order: sorted | returned  how rows are compared; the default is
//	   returned when the query has ORDER BY and sorted otherwise (use
//	   sorted when its ORDER BY leaves ties)
//	-- known: why pqdb still answers differently; the test logs the
//	   difference, and fails once pqdb answers like PostgreSQL so that the
//	   mark is removed
var updateIntrospection = flag.Bool("update-introspection", false,
	"record testdata/introspection/*.out from the PostgreSQL 15 at $PQDB_INTROSPECTION_POSTGRES")

// introspectionDatabase is the database the queries run in, on both
// servers, so that current_database() agrees.
const introspectionDatabase = "introspection_replay"

// firstUnpinnedObjectID is PostgreSQL's FirstUnpinnedObjectId: OIDs from
// here on are assigned as objects are created, during initdb (the
// information_schema, the system views) or after it (user objects), so
// they differ between builds and between servers, unlike the OIDs of
// postgres.bki.
const firstUnpinnedObjectID = 12000

type replayQuery struct {
	name, source, known, order string
	oids                       map[string]string
	volatile                   map[string]bool
	sql                        string
}

func TestIntrospectionReplay(t *testing.T) {
	dir := filepath.Join("testdata", "introspection")
	fixture, err := os.ReadFile(filepath.Join(dir, "fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var conn *pgx.Conn
	if *updateIntrospection {
		conn = freshPostgresForReplay(t)
	} else {
		srv, _ := startServer(t)
		conn = connectReplay(t, "postgres://postgres@"+srv.Addr()+"/"+introspectionDatabase+"?sslmode=disable&timezone=UTC")
	}
	if err := conn.PgConn().Exec(ctx(t), string(fixture)).Close(); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	for _, file := range files {
		if filepath.Base(file) == "fixture.sql" {
			continue
		}
		tool := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(tool, func(t *testing.T) {
			queries := readReplayQueries(t, file)
			outPath := strings.TrimSuffix(file, ".sql") + ".out"
			if *updateIntrospection {
				var b strings.Builder
				for _, q := range queries {
					b.WriteString(runReplayQuery(t, conn, q))
				}
				if err := os.WriteFile(outPath, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := readReplayExpected(t, outPath)
			for _, q := range queries {
				got := runReplayQuery(t, conn, q)
				exp, ok := want[q.name]
				switch {
				case !ok:
					t.Errorf("%s: no recorded result in %s (record with -update-introspection)", q.name, outPath)
				case got == exp && q.known != "":
					t.Errorf("%s now answers like PostgreSQL: remove its known line (%s)", q.name, q.known)
				case got != exp && q.known != "":
					t.Logf("%s: known difference: %s\n%s", q.name, q.known, blockDiff(exp, got))
				case got != exp:
					t.Errorf("%s (%s) differs from PostgreSQL 15:\n%s", q.name, q.source, blockDiff(exp, got))
				}
			}
		})
	}
}

// freshPostgresForReplay connects to an empty introspectionDatabase on the
// PostgreSQL that records expectations.
func freshPostgresForReplay(t *testing.T) *pgx.Conn {
	addr := os.Getenv("PQDB_INTROSPECTION_POSTGRES")
	if addr == "" {
		t.Fatal("-update-introspection needs PQDB_INTROSPECTION_POSTGRES=host:port of a PostgreSQL 15")
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		t.Fatal(err)
	}
	admin := connectReplay(t, "postgres://postgres@"+addr+"/postgres?sslmode=disable")
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + introspectionDatabase, "CREATE DATABASE " + introspectionDatabase} {
		if _, err := admin.Exec(ctx(t), sql); err != nil {
			t.Fatal(err)
		}
	}
	return connectReplay(t, "postgres://postgres@"+addr+"/"+introspectionDatabase+"?sslmode=disable&timezone=UTC")
}

func connectReplay(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(c, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// readReplayQueries parses a .sql file of records (see the flag's comment).
func readReplayQueries(t *testing.T, path string) []replayQuery {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []replayQuery
	var cur *replayQuery
	var body []string
	inHeader := false
	flush := func() {
		if cur == nil {
			return
		}
		cur.sql = strings.TrimSuffix(strings.TrimSpace(strings.Join(body, "\n")), ";")
		if cur.order == "" {
			cur.order = "sorted"
			if strings.Contains(strings.ToUpper(cur.sql), "ORDER BY") {
				cur.order = "returned"
			}
		}
		out = append(out, *cur)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "-- name: "); ok {
			flush()
			name = strings.TrimSpace(name)
			if seen[name] {
				t.Fatalf("%s: two records named %s", path, name)
			}
			seen[name] = true
			cur = &replayQuery{name: name, oids: map[string]string{}, volatile: map[string]bool{}}
			body = nil
			inHeader = true
			continue
		}
		if cur == nil {
			continue // the file's own comments
		}
		if inHeader {
			if key, value, ok := replayHeader(line); ok {
				switch key {
				case "source":
					cur.source = value
				case "known":
					cur.known = value
				case "order":
					if value != "sorted" && value != "returned" {
						t.Fatalf("%s: %s: order is sorted or returned, not %q", path, cur.name, value)
					}
					cur.order = value
				case "oids":
					for _, rule := range strings.Split(value, ",") {
						col, cast, ok := strings.Cut(strings.TrimSpace(rule), "=")
						if !ok {
							t.Fatalf("%s: %s: oids rule %q is not col=regtype", path, cur.name, rule)
						}
						cur.oids[strings.ToLower(col)] = cast
					}
				case "volatile":
					for _, col := range strings.Split(value, ",") {
						cur.volatile[strings.ToLower(strings.TrimSpace(col))] = true
					}
				default:
					t.Fatalf("%s: %s: unknown key %q", path, cur.name, key)
				}
				continue
			}
			inHeader = false
		}
		body = append(body, line)
	}
	flush()
	return out
}

// replayHeader splits a "-- key: value" line of a record's header.
func replayHeader(line string) (key, value string, ok bool) {
	rest, ok := strings.CutPrefix(line, "-- ")
	if !ok {
		return "", "", false
	}
	key, value, ok = strings.Cut(rest, ": ")
	if !ok || strings.ContainsAny(key, " \t") {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

// readReplayExpected splits a .out file into its records' blocks by name.
func readReplayExpected(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (record with -update-introspection)", err)
	}
	defer f.Close()
	out := map[string]string{}
	var name string
	var b strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "== "); ok {
			if name != "" {
				out[name] = b.String()
			}
			name = n
			b.Reset()
		}
		b.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if name != "" {
		out[name] = b.String()
	}
	return out
}

// runReplayQuery runs q over the extended protocol with text results and
// returns its block of the .out format: its name, its columns with their
// type OIDs, and its rows (or the error's SQLSTATE).
func runReplayQuery(t *testing.T, conn *pgx.Conn, q replayQuery) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n", q.name)
	res := conn.PgConn().ExecParams(ctx(t), q.sql, nil, nil, nil, nil)
	var rows [][]string
	for res.NextRow() {
		vals := res.Values()
		row := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				row[i] = `\N`
			} else {
				row[i] = string(v)
			}
		}
		rows = append(rows, row)
	}
	// Copied: the descriptions live in the connection's buffer, which the
	// next query (nameOfUserOID's) overwrites.
	fields := append([]pgconn.FieldDescription(nil), res.FieldDescriptions()...)
	for i := range fields {
		fields[i].Name = strings.Clone(fields[i].Name)
	}
	if _, err := res.Close(); err != nil {
		if pe, ok := err.(*pgconn.PgError); ok {
			fmt.Fprintf(&b, "error: %s\n", pe.Code)
			return b.String()
		}
		t.Fatalf("%s: %v", q.name, err)
	}
	var cols []string
	for _, f := range fields {
		cols = append(cols, f.Name+" "+nameOfUserOID(t, conn, f.DataTypeOID, "regtype"))
	}
	fmt.Fprintf(&b, "columns: %s\n", strings.Join(cols, ", "))
	lines := make([]string, len(rows))
	for r, row := range rows {
		for i, v := range row {
			name := strings.ToLower(fields[i].Name)
			switch {
			case v == `\N`:
				continue // NULL, the one value written unescaped
			case q.volatile[name]:
				row[i] = "<volatile>"
			case q.oids[name] != "":
				if oid, err := strconv.ParseUint(v, 10, 32); err == nil {
					row[i] = nameOfUserOID(t, conn, uint32(oid), q.oids[name])
				}
			}
			row[i] = escapeReplayValue(row[i])
		}
		lines[r] = strings.Join(row, "|")
	}
	if q.order == "sorted" {
		sort.Strings(lines)
	}
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "(%d rows)\n", len(rows))
	return b.String()
}

// nameOfUserOID is oid itself for an object of postgres.bki and cast(oid)
// in angle brackets for a later one, whose OID differs between servers.
func nameOfUserOID(t *testing.T, conn *pgx.Conn, oid uint32, cast string) string {
	t.Helper()
	if oid < firstUnpinnedObjectID {
		return strconv.FormatUint(uint64(oid), 10)
	}
	var name string
	if err := conn.QueryRow(ctx(t), fmt.Sprintf("SELECT $1::oid::%s::text", cast), oid).Scan(&name); err != nil {
		return fmt.Sprintf("<%s %d: %v>", cast, oid, err)
	}
	return "<" + name + ">"
}

func escapeReplayValue(v string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "\n", `\n`, "\r", `\r`).Replace(v)
}

// blockDiff lists the lines of two blocks that only one of them has,
// PostgreSQL's with "-" and pqdb's with "+", at most 40 of each.
func blockDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var b strings.Builder
	for _, side := range []struct {
		sign  string
		block string
		extra func(int) bool
	}{{"-", want, func(n int) bool { return n > 0 }}, {"+", got, func(n int) bool { return n < 0 }}} {
		shown := 0
		for _, l := range strings.Split(side.block, "\n") {
			if !side.extra(count[l]) {
				continue
			}
			if shown++; shown > 40 {
				b.WriteString(side.sign + " ...\n")
				break
			}
			b.WriteString(side.sign + " " + l + "\n")
		}
	}
	if b.Len() == 0 {
		return "  the same rows in another order\n"
	}
	return b.String()
}
