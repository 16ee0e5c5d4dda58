package server

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/storage"
)

// TestColumnsWithoutNullsWrittenRequired: a segment whose rows hold no
// NULL in a nullable column writes it as a required Parquet column, one
// with a NULL as an optional one, whichever of its row groups (100 rows
// each here) holds the NULL; an array column stays optional. Table nn
// gets two segments: the first has NULLs only in late, in its very last
// row; the second in every column but late. Its twin nx holds the same
// rows plus one all-NULL row (k = -1) in each segment, so that every nx
// segment is optional throughout. Every query (filters on each column,
// NULL tests, aggregates, point reads) must answer alike on both, before
// and after VACUUM FULL rewrites their segments (compaction's writer).
func TestColumnsWithoutNullsWrittenRequired(t *testing.T) {
	dir := t.TempDir()
	_, connect := startServerWith(t, Config{DataDir: dir, Storage: storage.Options{RowGroupRows: 100}})
	conn := connect(t)
	const noNulls = `SELECT g, g %% 7, 's' || (g %% 5), g * 0.5, 'c' || (g %% 3), date '2020-01-01' + g %% 40,
		CASE WHEN g = %d THEN NULL ELSE g END, ARRAY[g, g + 1] FROM generate_series(%d, %d) g`
	const nulls = `SELECT g, CASE WHEN g %% 3 = 0 THEN NULL ELSE g %% 7 END, CASE WHEN g %% 4 = 0 THEN NULL ELSE 's' || (g %% 5) END,
		CASE WHEN g %% 5 = 0 THEN NULL ELSE g * 0.5 END, CASE WHEN g %% 2 = 0 THEN NULL ELSE 'c' || (g %% 3) END,
		CASE WHEN g %% 6 = 0 THEN NULL ELSE date '2020-01-01' + g %% 40 END, g, ARRAY[g] FROM generate_series(%d, %d) g`
	for _, tbl := range []string{"nn", "nx"} {
		mustExec(t, conn, "CREATE TABLE "+tbl+" (k int, n int, s text, d numeric(12,2), c char(3), dt date, late int, a int[])")
		for _, part := range []string{fmt.Sprintf(noNulls, 3000, 1, 3000), fmt.Sprintf(nulls, 3001, 6000)} {
			mustExec(t, conn, "INSERT INTO "+tbl+" "+part)
			if tbl == "nx" {
				mustExec(t, conn, "INSERT INTO nx VALUES (-1, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
			}
			mustExec(t, conn, "CHECKPOINT")
		}
	}
	// required lists, for each of tbl's newest segments (the last files
	// of its data directory, numbered in order), its required columns.
	required := func(tbl string, newest int) []string {
		t.Helper()
		oid := rowsText(t, conn, "SELECT oid FROM pg_class WHERE relname = '"+tbl+"'")[0][0]
		files, _ := filepath.Glob(filepath.Join(dir, "public", oid, "data", "*.parquet"))
		if len(files) < newest {
			t.Fatalf("%d segments of %s under %s, want at least %d", len(files), tbl, dir, newest)
		}
		slices.Sort(files)
		var out []string
		for _, path := range files[len(files)-newest:] {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := f.Stat()
			pf, err := parquet.OpenFile(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			var req []string
			for _, col := range []string{"k", "n", "s", "d", "c", "dt", "late", "a"} {
				for _, field := range pf.Schema().Fields() {
					if field.Name() == col && field.Required() {
						req = append(req, col)
					}
				}
			}
			out = append(out, strings.Join(req, ","))
			f.Close()
		}
		return out
	}
	if got, want := required("nn", 2), []string{"k,n,s,d,c,dt", "k,late"}; !slices.Equal(got, want) {
		t.Errorf("nn's segments have required columns %q, want %q", got, want)
	}
	if got, want := required("nx", 2), []string{"k", "k"}; !slices.Equal(got, want) {
		t.Errorf("nx's segments have required columns %q, want %q", got, want)
	}
	queries := []string{
		"SELECT count(*), count(n), count(s), count(d), count(c), count(dt), count(late), count(a), sum(n), sum(d), min(s), max(c), min(dt), sum(late) FROM %s WHERE k >= 0",
		"SELECT count(*) FROM %s WHERE k >= 0 AND n IS NULL",
		"SELECT count(*) FROM %s WHERE k >= 0 AND s IS NOT NULL AND c IS NULL",
		"SELECT count(*) FROM %s WHERE late IS NULL AND k >= 0",
		"SELECT n, count(*) FROM %s WHERE k >= 0 GROUP BY n ORDER BY n",
		"SELECT count(*) FROM %s WHERE s = 's3'",
		"SELECT count(*) FROM %s WHERE c = 'c1' AND n = 5",
		"SELECT count(*), sum(k) FROM %s WHERE d BETWEEN 100 AND 200",
		"SELECT count(*) FROM %s WHERE dt = date '2020-01-07'",
		"SELECT sum(a[1]), count(*) FROM %s WHERE a[2] > 2990",
		"SELECT k, n, s, d, c, dt, late, a FROM %s WHERE k IN (17, 100, 101, 2999, 3000, 3001, 4000, 4003, 5999) ORDER BY k",
	}
	compare := func(when string) {
		t.Helper()
		for _, q := range queries {
			got, want := rowsText(t, conn, fmt.Sprintf(q, "nn")), rowsText(t, conn, fmt.Sprintf(q, "nx"))
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: %s\nnn: %v\nnx: %v", when, fmt.Sprintf(q, "nn"), got, want)
			}
		}
	}
	compare("two segments")
	if got := rowsText(t, conn, "SELECT count(*) FILTER (WHERE n IS NULL), count(*) FILTER (WHERE late IS NULL) FROM nn")[0]; strings.Join(got, ",") != "1000,1" {
		t.Errorf("nn has %v NULLs in n and late, want 1000 and 1", got)
	}
	mustExec(t, conn, "VACUUM FULL nn", "VACUUM FULL nx")
	if got, want := required("nn", 2), []string{"k,n,s,d,c,dt", "k,late"}; !slices.Equal(got, want) {
		t.Errorf("nn rewritten has required columns %q, want %q", got, want)
	}
	compare("rewritten")
}
