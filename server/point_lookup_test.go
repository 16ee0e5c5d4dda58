package server

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPointLookupDifferential looks rows up by primary key and by
// equality on other key-like columns (sorted, descending, text) over a
// table with flushed, updated, deleted and unflushed rows, through the
// storage's decoded-page path (cached after the first lookups) and
// compares each answer with the rows of a full scan that hold the value.
func TestPointLookupDifferential(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE pl (id int PRIMARY KEY, k bigint, d int, t text, v text)`,
		`INSERT INTO pl SELECT g, g / 3, -g, 'k' || lpad((g / 2)::text, 7, '0'), CASE WHEN g % 11 = 0 THEN NULL ELSE 'v' || g END FROM generate_series(1, 150000) g`,
		`CHECKPOINT`,
		`UPDATE pl SET v = v || 'u', k = k + 1000000 WHERE id % 997 = 0`,
		`DELETE FROM pl WHERE id % 1009 = 0`,
		`CHECKPOINT`,
		`UPDATE pl SET v = 'tail' WHERE id % 1013 = 0`,
		`DELETE FROM pl WHERE id % 1019 = 0`,
		`INSERT INTO pl SELECT g, g / 3, -g, 'k' || lpad((g / 2)::text, 7, '0'), 'new' FROM generate_series(150001, 150100) g`,
	)
	rng := rand.New(rand.NewPCG(10, 1))
	id := func() int32 {
		switch rng.IntN(4) {
		case 0: // around a page or row group boundary of the int key
			b := []int32{1, 32768, 65536, 131072, 150000, 150100}[rng.IntN(6)]
			return b + int32(rng.IntN(5)) - 2
		case 1: // a changed row
			return int32([]int{997, 1009, 1013, 1019}[rng.IntN(4)] * (1 + rng.IntN(140)))
		}
		return int32(rng.IntN(150200))
	}
	// Every row, read once in full (no condition for storage to use).
	all := queryText(t, conn, "SELECT id, k, d, t, v FROM pl ORDER BY id")
	where := func(col int, val string) [][]string {
		var out [][]string
		for _, r := range all {
			if r[col] == val {
				out = append(out, r)
			}
		}
		return out
	}
	for q := range 400 {
		if q%50 == 0 {
			mustExec(t, conn, fmt.Sprintf("SET pqdb.batch_rows = %d", 1+rng.IntN(1000)))
		}
		x := id()
		var query string
		var arg any
		var want [][]string
		switch q % 4 {
		case 0:
			query, arg, want = "SELECT id, k, d, t, v FROM pl WHERE id = $1", x, where(0, fmt.Sprint(x))
		case 1:
			query, arg, want = "SELECT id, k, d, t, v FROM pl WHERE k = $1 ORDER BY id", int64(x/3), where(1, fmt.Sprint(x/3))
		case 2:
			query, arg, want = "SELECT id, k, d, t, v FROM pl WHERE d = $1", -x, where(2, fmt.Sprint(-x))
		default:
			key := fmt.Sprintf("k%07d", x/2)
			query, arg, want = "SELECT id, k, d, t, v FROM pl WHERE t = $1 ORDER BY id", key, where(3, key)
		}
		for range 2 { // the second time from cached pages
			if got := queryText(t, conn, query, arg); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s (%v): lookup returned %v, a full scan %v", query, arg, got, want)
			}
		}
	}
}
