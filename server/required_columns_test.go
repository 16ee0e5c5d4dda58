package server

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestColumnsWithoutNullsWrittenRequired: a segment whose rows hold no
// NULL in a nullable column writes it as a required Parquet column, one
// with a NULL as an optional one. Table nn gets a segment of each kind;
// its twin nx holds the same rows plus one all-NULL row (k = -1) in each
// segment, so that every nx segment is optional throughout. Every query
// (filters on each column, NULL tests, aggregates, point reads) must
// answer alike on both, before and after VACUUM FULL merges each table's
// segments into one.
func TestColumnsWithoutNullsWrittenRequired(t *testing.T) {
	dir := t.TempDir()
	_, connect := startServerAt(t, dir)
	conn := connect(t)
	const noNulls = "SELECT g, g %% 7, 's' || (g %% 5), g * 0.5, 'c' || (g %% 3), date '2020-01-01' + g %% 40 FROM generate_series(%d, %d) g"
	const nulls = `SELECT g, CASE WHEN g %% 3 = 0 THEN NULL ELSE g %% 7 END, CASE WHEN g %% 4 = 0 THEN NULL ELSE 's' || (g %% 5) END,
		CASE WHEN g %% 5 = 0 THEN NULL ELSE g * 0.5 END, CASE WHEN g %% 2 = 0 THEN NULL ELSE 'c' || (g %% 3) END,
		CASE WHEN g %% 6 = 0 THEN NULL ELSE date '2020-01-01' + g %% 40 END FROM generate_series(%d, %d) g`
	for _, tbl := range []string{"nn", "nx"} {
		mustExec(t, conn, "CREATE TABLE "+tbl+" (k int, n int, s text, d numeric(12,2), c char(3), dt date)")
		for _, part := range []string{fmt.Sprintf(noNulls, 1, 3000), fmt.Sprintf(nulls, 3001, 6000)} {
			mustExec(t, conn, "INSERT INTO "+tbl+" "+part)
			if tbl == "nx" {
				mustExec(t, conn, "INSERT INTO nx VALUES (-1, NULL, NULL, NULL, NULL, NULL)")
			}
			mustExec(t, conn, "CHECKPOINT")
		}
	}
	// required counts the required and optional columns of tbl's newest
	// segments, the last files of its data directory (numbered in order).
	required := func(tbl string, newest int) (req, opt int) {
		t.Helper()
		oid := rowsText(t, conn, "SELECT oid FROM pg_class WHERE relname = '"+tbl+"'")[0][0]
		files, _ := filepath.Glob(filepath.Join(dir, "public", oid, "data", "*.parquet"))
		if len(files) < newest {
			t.Fatalf("%d segments of %s under %s, want at least %d", len(files), tbl, dir, newest)
		}
		slices.Sort(files)
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
			for _, col := range []string{"n", "s", "d", "c", "dt"} {
				if leaf, ok := pf.Schema().Lookup(col); !ok {
					t.Fatalf("%s lacks column %s", path, col)
				} else if leaf.Node.Required() {
					req++
				} else {
					opt++
				}
			}
			f.Close()
		}
		return req, opt
	}
	if req, opt := required("nn", 2); req != 5 || opt != 5 {
		t.Errorf("nn's two segments have %d required and %d optional columns, want 5 and 5", req, opt)
	}
	if req, _ := required("nx", 2); req != 0 {
		t.Errorf("nx's segments have %d required columns, want none", req)
	}
	queries := []string{
		"SELECT count(*), count(n), count(s), count(d), count(c), count(dt), sum(n), sum(d), min(s), max(c), min(dt) FROM %s WHERE k >= 0",
		"SELECT count(*) FROM %s WHERE k >= 0 AND n IS NULL",
		"SELECT count(*) FROM %s WHERE k >= 0 AND s IS NOT NULL AND c IS NULL",
		"SELECT n, count(*) FROM %s WHERE k >= 0 GROUP BY n ORDER BY n",
		"SELECT count(*) FROM %s WHERE s = 's3'",
		"SELECT count(*) FROM %s WHERE c = 'c1' AND n = 5",
		"SELECT count(*), sum(k) FROM %s WHERE d BETWEEN 100 AND 200",
		"SELECT count(*) FROM %s WHERE dt = date '2020-01-07'",
		"SELECT k, n, s, d, c, dt FROM %s WHERE k IN (17, 2999, 3000, 3001, 4000, 4003, 5999) ORDER BY k",
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
	if got := rowsText(t, conn, "SELECT count(*) FROM nn WHERE n IS NULL")[0][0]; got != "1000" {
		t.Errorf("nn has %s NULLs in n, want 1000", got)
	}
	mustExec(t, conn, "VACUUM FULL nn", "VACUUM FULL nx")
	if req, opt := required("nn", 1); req != 0 || opt != 5 {
		t.Errorf("nn merged has %d required and %d optional columns, want 0 and 5", req, opt)
	}
	compare("merged")
}
