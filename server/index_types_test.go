package server

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pqdb/pqdb/storage"
)

// indexTypeStep is one step of testdata/index_types_pg15.json (see
// record_index_types.py, which records it from PostgreSQL 15).
type indexTypeStep struct {
	Exec    string    `json:"exec"`
	Restart bool      `json:"restart"`
	Query   string    `json:"query"`
	Params  []*string `json:"params"`
	Index   bool      `json:"index"`
	Want    string    `json:"want"`
}

// execText runs q over the extended protocol with params as untyped text
// ($1, $2, ...: the server infers their types, as for psql's and most
// drivers' text parameters; nil is NULL) and returns the first column of
// its rows as text, joined by spaces.
func execText(t *testing.T, conn *pgx.Conn, q string, params []*string) string {
	t.Helper()
	vals := make([][]byte, len(params))
	for i, p := range params {
		if p != nil {
			vals[i] = []byte(*p)
		}
	}
	res := conn.PgConn().ExecParams(ctx(t), q, vals, make([]uint32, len(params)), nil, nil).Read()
	if res.Err != nil {
		t.Fatalf("%s %v: %v", q, deref(params), res.Err)
	}
	var out []string
	for _, row := range res.Rows {
		if row[0] == nil {
			out = append(out, "<NULL>")
		} else {
			out = append(out, string(row[0]))
		}
	}
	return strings.Join(out, " ")
}

func deref(ps []*string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "NULL"
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

// TestIndexTypesPG15 replays lookups PostgreSQL 15 answered through
// btree and hash indexes on keys of every type index files hold as order
// keys (floats with NaN, -0 and ±Infinity, bool, char(n) with its blanks,
// numeric of any scale, jsonb, arrays, interval) and of uuid: =, IN,
// ranges and IS NULL with untyped text parameters and with literals,
// over tables of several segments of small row groups and an unflushed
// tail; then after an UPDATE of the key and deletions, after CHECKPOINT
// and VACUUM, and after a restart. Every answer must be PostgreSQL's,
// and the lookups the recorder marks must read through the index.
func TestIndexTypesPG15(t *testing.T) {
	data, err := os.ReadFile("testdata/index_types_pg15.json")
	if err != nil {
		t.Fatal(err)
	}
	var steps []indexTypeStep
	if err := json.Unmarshal(data, &steps); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{RowGroupRows: 50}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	queries, indexed := 0, 0
	for _, s := range steps {
		switch {
		case s.Exec != "":
			mustExec(t, conn, s.Exec)
		case s.Restart:
			conn.Close(ctx(t))
			srv.Close()
			srv, connect = startServerWith(t, cfg)
			conn = connect(t)
		default:
			queries++
			if got := execText(t, conn, s.Query, s.Params); got != s.Want {
				t.Errorf("%s %v:\n got %s\nwant %s", s.Query, deref(s.Params), got, s.Want)
			}
			plan := execText(t, conn, "EXPLAIN "+s.Query, s.Params)
			if used := strings.Contains(plan, "Index Scan using"); used != s.Index {
				t.Errorf("%s %v: index scan %v, want %v:\n%s", s.Query, deref(s.Params), used, s.Index, plan)
			}
			if s.Index {
				indexed++
			}
		}
	}
	if queries < 500 || indexed < queries/2 {
		t.Fatalf("%d queries, %d through an index", queries, indexed)
	}
}

// TestCreateIndexOnJSON: json has no btree or hash operator class, and
// CREATE INDEX says so as PostgreSQL 15 does (42704, its message and
// hint); jsonb has both.
func TestCreateIndexOnJSON(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE ixj (j json, jb jsonb)`)
	for _, method := range []string{"btree", "hash"} {
		_, err := conn.Exec(ctx(t), "CREATE INDEX ON ixj USING "+method+" (j)")
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42704" ||
			pgErr.Message != `data type json has no default operator class for access method "`+method+`"` ||
			pgErr.Hint != "You must specify an operator class for the index or define a default operator class for the data type." {
			t.Errorf("%s on json: %v", method, err)
		}
		mustExec(t, conn, "CREATE INDEX ON ixj USING "+method+" (jb)")
	}
}
