package server

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/internal/parquettest"
)

// TestReadParquet queries Parquet files in FROM: globs and arrays of
// paths, projections, filters, joins with tables, and the plan EXPLAIN
// shows.
func TestReadParquet(t *testing.T) {
	dir := t.TempDir()
	conn := startFileServer(t, dir)
	os.Mkdir(filepath.Join(dir, "parts"), 0o755)
	mustExec(t, conn, "CREATE TABLE ev (id int8, kind text, amount numeric(10,2), at timestamptz)",
		"INSERT INTO ev SELECT i, 'k' || (i % 3), i * 0.5, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, 30000) i",
		"CREATE TABLE kinds (kind text, label text)",
		"INSERT INTO kinds VALUES ('k0', 'zero'), ('k1', 'one')")
	for p := 0; p < 3; p++ {
		mustExec(t, conn, fmt.Sprintf("COPY (SELECT * FROM ev WHERE id %% 3 = %d ORDER BY id) TO '%s/parts/p%d.parquet' (FORMAT parquet)", p, dir, p))
	}
	glob := dir + "/parts/*.parquet"
	cases := []struct {
		sql  string
		want [][]string
	}{
		{"SELECT count(*), sum(amount), min(at), max(id) FROM read_parquet('" + glob + "')",
			[][]string{{"30000", "225007500.00", "2024-01-01 00:01:00+00", "30000"}}},
		{"SELECT count(*) FROM read_parquet('" + glob + "') WHERE id > 29990 AND kind = 'k1'",
			[][]string{{"3"}}},
		{"SELECT kind, count(*) FROM read_parquet(ARRAY['" + dir + "/parts/p0.parquet', 'parts/p1.parquet']) GROUP BY kind ORDER BY kind",
			[][]string{{"k0", "10000"}, {"k1", "10000"}}},
		{"SELECT k.label, count(*) FROM read_parquet('parts/p*.parquet') AS e JOIN kinds k USING (kind) GROUP BY 1 ORDER BY 1",
			[][]string{{"one", "10000"}, {"zero", "10000"}}},
		{"SELECT x, y FROM read_parquet('parts/p2.parquet') AS r(x, y) ORDER BY x LIMIT 2",
			[][]string{{"2", "k2"}, {"5", "k2"}}},
		{"SELECT count(*) FROM (SELECT * FROM read_parquet('" + glob + "') EXCEPT SELECT * FROM ev) d",
			[][]string{{"0"}}},
	}
	for _, c := range cases {
		if got := rowsText(t, conn, c.sql); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.sql, got, c.want)
		}
	}
	var plan []string
	for _, r := range rowsText(t, conn, "EXPLAIN (COSTS OFF) SELECT id FROM read_parquet('"+glob+"') WHERE id > 5") {
		plan = append(plan, strings.TrimSpace(r[0]))
	}
	if want := []string{"Project", "Output: id", "->  Parquet Scan on read_parquet", "Columns: id", "Filter: (id > 5)"}; !reflect.DeepEqual(plan, want) {
		t.Errorf("EXPLAIN: %q", plan)
	}

	// Each part holds one kind: its row group's statistics rule the two
	// others out.
	var analyzed []string
	for _, r := range rowsText(t, conn, "EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM read_parquet('"+glob+"') WHERE kind = 'k1'") {
		analyzed = append(analyzed, strings.TrimSpace(r[0]))
	}
	text := strings.Join(analyzed, "\n")
	if !strings.Contains(text, "Row Groups Read: 1\nRow Groups Skipped: 2") || !strings.Contains(text, "Parquet Scan on read_parquet") {
		t.Errorf("EXPLAIN ANALYZE:\n%s", text)
	}

	// Files that do not agree, and files that are not there.
	mustExec(t, conn, "COPY (SELECT id, kind AS other FROM ev LIMIT 1) TO '"+dir+"/parts/q.parquet' (FORMAT parquet)",
		"COPY (SELECT id::int4 AS id, kind, amount, at FROM ev LIMIT 1) TO '"+dir+"/parts/r.parquet' (FORMAT parquet)")
	checkErrors(t, conn, []errorCase{
		{"SELECT * FROM read_parquet('" + dir + "/parts/*')", "42804", "does not have the columns of"},
		{"SELECT * FROM read_parquet(ARRAY['parts/p0.parquet', 'parts/r.parquet'])", "42804", "does not have the columns of"},
		{"SELECT * FROM read_parquet('parts/none*.parquet')", "58P01", `no files match "parts/none*.parquet"`},
		{"SELECT * FROM read_parquet('parts/none.parquet')", "58P01", "No such file or directory"},
		{"SELECT * FROM read_parquet('parts')", "42809", "is a directory"},
		{"SELECT * FROM read_parquet(1)", "0A000", "read_parquet needs a constant path"},
	})
}

// TestReadParquetForeign reads a file another writer made, with types
// pqdb does not write (INT32 DATE, TIMESTAMP in milliseconds and
// nanoseconds, INT(8), UINT(32), TIME in milliseconds, dictionary
// strings, required and optional columns), and loads it into a table
// with COPY, which converts as INSERT does.
func TestReadParquetForeign(t *testing.T) {
	dir := t.TempDir()
	if err := parquettest.WriteForeign(filepath.Join(dir, "foreign.parquet"), 1000, 300); err != nil {
		t.Fatal(err)
	}
	conn := startFileServer(t, dir)
	mustExec(t, conn, "SET TimeZone = 'UTC'")
	got := rowsText(t, conn, "SELECT id, day, ts_ms, ts_ns, name, small, u32, price, t_ms, f, ok, uid, doc FROM read_parquet('foreign.parquet') WHERE id IN (3, 4) ORDER BY id")
	want := [][]string{
		{"3", "2024-01-04", "2024-01-01 00:00:03.123+00", "2024-01-01 00:03:00.000001", "n3", "-47", "4000000003", "3.003", "12:00:00.253", "0.75", "f", "00000000-0000-0000-0000-000000000003", `{"i": 3}`},
		{"4", "2024-01-05", "NULL", "2024-01-01 00:04:00.000001", "n0", "-46", "NULL", "NULL", "12:00:00.254", "1", "t", "00000000-0000-0000-0000-000000000004", "NULL"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	types := rowsText(t, conn, "SELECT pg_typeof(day), pg_typeof(ts_ms), pg_typeof(ts_ns), pg_typeof(small), pg_typeof(u32), pg_typeof(price), pg_typeof(t_ms), pg_typeof(doc) FROM read_parquet('foreign.parquet') LIMIT 1")
	if want := [][]string{{"date", "timestamp with time zone", "timestamp without time zone", "smallint", "bigint", "numeric", "time without time zone", "json"}}; !reflect.DeepEqual(types, want) {
		t.Fatalf("types %v", types)
	}
	if got := rowsText(t, conn, "SELECT count(*), count(name), count(ts_ms) FROM read_parquet('foreign.parquet') WHERE ts_ms >= '2024-01-01 00:10:00+00'"); !reflect.DeepEqual(got, [][]string{{"320", "213", "320"}}) {
		t.Fatalf("filter on converted timestamps: %v", got)
	}
	mustExec(t, conn, "CREATE TABLE loaded (id int4, small int8, price numeric(14,4), day timestamp, name varchar(5), doc jsonb, extra text DEFAULT 'x')",
		"COPY loaded (id, small, price, day, name, doc) FROM '"+filepath.Join(dir, "foreign.parquet")+"' (FORMAT parquet)")
	if got := rowsText(t, conn, "SELECT id, small, price, day, name, doc, extra FROM loaded WHERE id = 3"); !reflect.DeepEqual(got, [][]string{{"3", "-47", "3.0030", "2024-01-04 00:00:00", "n3", `{"i": 3}`, "x"}}) {
		t.Fatalf("loaded: %v", got)
	}
}
