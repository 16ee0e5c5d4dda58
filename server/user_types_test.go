package server

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/catalog"
)

// Enums and domains over the wire: an enum column is described with the
// enum's own OID (its array with the next one), its values travel as
// their labels in text and binary format (enum_out/enum_send), enum
// parameters are read as labels whether typed with the enum's OID, left
// unknown or cast from text, and checked against the labels; a domain
// column is described with its base type's OID. Types, their OIDs and
// their constraints survive a restart and kill -9.

// oidOf returns the type OID RowDescription gives the one column of sql.
func oidOf(t *testing.T, conn *pgx.Conn, sql string) uint32 {
	t.Helper()
	rr := conn.PgConn().ExecParams(ctx(t), sql, nil, nil, nil, nil)
	var oid uint32
	if fds := rr.FieldDescriptions(); len(fds) > 0 {
		oid = fds[0].DataTypeOID
	}
	if _, err := rr.Close(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return oid
}

func TestUserTypesOverTheWire(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
		"CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
		"CREATE TABLE wt (id int PRIMARY KEY, m mood, ms mood[], p posint)",
		"INSERT INTO wt VALUES (1, 'happy', '{sad,ok}', 7)",
		"CREATE TABLE ws (m mood)",
		"INSERT INTO ws VALUES ('happy'), ('happy')")

	moodOID := oidOf(t, conn, "SELECT m FROM wt")
	if _, builtin := catalog.TypeByOID(moodOID); builtin || moodOID < 16384 {
		t.Fatalf("enum column described with OID %d", moodOID)
	}
	if got := oidOf(t, conn, "SELECT 'ok'::mood"); got != moodOID {
		t.Fatalf("enum literal has OID %d, column %d", got, moodOID)
	}
	if got := oidOf(t, conn, "SELECT ms FROM wt"); got != moodOID+1 {
		t.Fatalf("mood[] column has OID %d, mood %d", got, moodOID)
	}
	if got := oidOf(t, conn, "SELECT p FROM wt"); got != catalog.OIDInt4 {
		t.Fatalf("domain column has OID %d, want int4's", got)
	}

	// Text and binary results are the label.
	for _, format := range []int16{0, 1} {
		res := conn.PgConn().ExecParams(ctx(t), "SELECT m FROM wt WHERE id = 1", nil, nil, nil, []int16{format}).Read()
		if res.Err != nil || string(res.Rows[0][0]) != "happy" {
			t.Fatalf("format %d: %q %v", format, res.Rows, res.Err)
		}
	}

	// Parameters: typed with the enum's OID (text and binary, both the
	// label), left unknown, cast from text.
	params := []struct {
		oid    uint32
		format int16
		sql    string
	}{
		{moodOID, 0, "INSERT INTO wt (id, m) VALUES ($1, $2)"},
		{moodOID, 1, "INSERT INTO wt (id, m) VALUES ($1, $2)"},
		{0, 0, "INSERT INTO wt (id, m) VALUES ($1, $2)"},
		{catalog.OIDText, 0, "INSERT INTO wt (id, m) VALUES ($1, $2::mood)"},
	}
	for i, p := range params {
		id := fmt.Sprint(10 + i)
		res := conn.PgConn().ExecParams(ctx(t), p.sql, [][]byte{[]byte(id), []byte("ok")},
			[]uint32{catalog.OIDInt4, p.oid}, []int16{0, p.format}, nil).Read()
		if res.Err != nil {
			t.Fatalf("parameter %d: %v", i, res.Err)
		}
		bad := conn.PgConn().ExecParams(ctx(t), p.sql, [][]byte{[]byte("99"), []byte("grumpy")},
			[]uint32{catalog.OIDInt4, p.oid}, []int16{0, p.format}, nil).Read()
		if sqlstate(bad.Err) != "22P02" || !strings.Contains(bad.Err.Error(), `invalid input value for enum mood: "grumpy"`) {
			t.Fatalf("parameter %d with a bad label: %v", i, bad.Err)
		}
	}
	// The parameter beside an enum column is described as the enum.
	sd, err := conn.PgConn().Prepare(ctx(t), "", "SELECT id FROM wt WHERE m = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.ParamOIDs) != 1 || sd.ParamOIDs[0] != moodOID {
		t.Fatalf("parameter described as %v, want [%d]", sd.ParamOIDs, moodOID)
	}

	// pgx's own path: it prepares, learns the enum OID and sends text.
	if _, err := conn.Exec(ctx(t), "INSERT INTO wt (id, m, p) VALUES ($1, $2, $3)", 20, "sad", 3); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx(t), "INSERT INTO wt (id, p) VALUES ($1, $2)", 21, -3)
	if sqlstate(err) != "23514" {
		t.Fatalf("domain parameter: %v", err)
	}

	// COPY reads labels and checks them.
	_, err = conn.PgConn().CopyFrom(ctx(t), strings.NewReader("30\tbogus\n"), "COPY wt (id, m) FROM STDIN")
	if sqlstate(err) != "22P02" {
		t.Fatalf("COPY of a bad label: %v", err)
	}
	_, err = conn.PgConn().CopyFrom(ctx(t), strings.NewReader("31\t0\n"), "COPY wt (id, p) FROM STDIN")
	if sqlstate(err) != "23514" {
		t.Fatalf("COPY of a bad domain value: %v", err)
	}
	if _, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("32\tok\t{happy}\t5\n"), "COPY wt FROM STDIN"); err != nil {
		t.Fatal(err)
	}

	check := func(conn *pgx.Conn) {
		t.Helper()
		got := rowsText(t, conn, "SELECT id, m FROM wt WHERE m IS NOT NULL ORDER BY m, id")
		if fmt.Sprint(got) != "[[20 sad] [10 ok] [11 ok] [12 ok] [13 ok] [32 ok] [1 happy]]" {
			t.Fatalf("rows: %v", got)
		}
		if got := oidOf(t, conn, "SELECT m FROM wt"); got != moodOID {
			t.Fatalf("enum OID %d became %d", moodOID, got)
		}
		_, err := conn.Exec(ctx(t), "INSERT INTO wt (id, p) VALUES (40, 0)")
		if sqlstate(err) != "23514" {
			t.Fatalf("domain check: %v", err)
		}
		_, err = conn.Exec(ctx(t), "SELECT 'meh'::mood")
		if sqlstate(err) != "22P02" {
			t.Fatalf("enum input: %v", err)
		}
		// Segment statistics hold the labels' bytes ('happy' < 'ok'):
		// they must not prune by the enum's order.
		if got := rowsText(t, conn, "SELECT count(*) FROM ws WHERE m > 'ok'"); fmt.Sprint(got) != "[[2]]" {
			t.Fatalf("m > 'ok': %v", got)
		}
	}
	check(conn)
	mustExec(t, conn, "CHECKPOINT")
	check(conn)
	conn.Close(context.Background())
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	srv, connect = startServerAt(t, dir)
	conn = connect(t)
	check(conn)
	// The type's definition goes on changing after the restart.
	mustExec(t, conn, "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'", "INSERT INTO wt (id, m) VALUES (50, 'meh')")
	if got := rowsText(t, conn, "SELECT id FROM wt WHERE m < 'ok' ORDER BY id"); fmt.Sprint(got) != "[[20] [50]]" {
		t.Fatalf("after ADD VALUE: %v", got)
	}
	mustExec(t, conn, "ALTER TYPE mood RENAME VALUE 'happy' TO 'glad'")
	conn.Close(context.Background())
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	got := rowsText(t, conn, "SELECT id, m, ms FROM wt WHERE id IN (1, 32, 50) ORDER BY m")
	if fmt.Sprint(got) != "[[50 meh NULL] [32 ok {glad}] [1 glad {sad,ok}]]" {
		t.Fatalf("after RENAME VALUE and a restart: %v", got)
	}
}

// TestUserTypesSurviveKill9 creates types and rows of them in a server
// process, kills it with SIGKILL and finds them all in a new server.
func TestUserTypesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child server process")
	}
	dir := t.TempDir()
	child, addr := startChildServer(t, dir)
	conn, err := pgx.Connect(ctx(t), "postgres://tester@"+addr+"/pqdb")
	if err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
		"CREATE DOMAIN posint AS int CHECK (VALUE > 0) DEFAULT 1",
		"CREATE TABLE kt (m mood, p posint)",
		"INSERT INTO kt VALUES ('happy', 5), ('sad', 2)",
		"ALTER TYPE mood ADD VALUE 'meh' AFTER 'sad'",
		"INSERT INTO kt (m) VALUES ('meh')",
	} {
		if _, err := conn.Exec(ctx(t), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	moodOID := oidOf(t, conn, "SELECT m FROM kt")
	conn.Close(context.Background())
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()

	_, connect := startServerAt(t, dir)
	conn = connect(t)
	if got := rowsText(t, conn, "SELECT m, p FROM kt ORDER BY m"); fmt.Sprint(got) != "[[sad 2] [meh 1] [happy 5]]" {
		t.Fatalf("after kill -9: %v", got)
	}
	if got := oidOf(t, conn, "SELECT m FROM kt"); got != moodOID {
		t.Fatalf("enum OID %d became %d", moodOID, got)
	}
	if _, err := conn.Exec(ctx(t), "INSERT INTO kt (p) VALUES (-1)"); sqlstate(err) != "23514" {
		t.Fatalf("domain check after kill -9: %v", err)
	}
	// Fresh OIDs do not collide with the recovered type's or labels'.
	mustExec(t, conn, "CREATE TYPE color AS ENUM ('red')", "CREATE TABLE kc (c color)")
	if got := oidOf(t, conn, "SELECT c FROM kc"); got <= moodOID+4 {
		t.Fatalf("new enum got OID %d, the recovered one has %d and labels after it", got, moodOID)
	}
}
