package server

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestSegmentScansMatchTail runs one set of queries through pgx over rows
// still in the tail and again after CHECKPOINT wrote them to Parquet
// segments, and wants the same rows both times. The segments hold
// several row groups of small pages, so their scans take storage's own
// reader of DELTA_BINARY_PACKED pages (integers, dates, timestamps and
// numerics without NULLs; parquet-go's path for the nullable column), the
// dictionary code selection (the mode column), and the filters' loops:
// comparisons with constants, of two date columns, of numerics as
// int64s, and IN lists held as bitmaps.
func TestSegmentScansMatchTail(t *testing.T) {
	// Row groups of 4,096 rows: several per segment.
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 4096}})
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE items (id int8 NOT NULL, k int4 NOT NULL, small int2 NOT NULL, shipped date NOT NULL, received date NOT NULL,
			price numeric(15,2) NOT NULL, rate numeric(6,2) NOT NULL, at timestamp NOT NULL, mode text NOT NULL, maybe int4)`,
		`INSERT INTO items SELECT g, (g * 7919) % 100003, (g % 60000) - 30000, date '1994-01-01' + (g % 2000), date '1994-01-01' + (g % 2000) + (g % 31) - 15,
			((g::int8 * 104729) % 10000000) / 100.0 - 20000, (g % 11) / 100.0, timestamp '2000-01-01' + g * interval '37 seconds',
			(ARRAY['AIR','FOB','MAIL','RAIL','REG AIR','SHIP','TRUCK'])[1 + g % 7], CASE WHEN g % 9 = 0 THEN NULL ELSE g END
			FROM generate_series(1, 30000) g`)
	queries := []string{
		`SELECT count(*), sum(price), sum(k), min(at), max(at) FROM items`,
		`SELECT id FROM items WHERE shipped >= date '1995-01-01' AND shipped < date '1995-03-01' AND rate BETWEEN 0.04 AND 0.06 AND price < 1000`,
		`SELECT id, price FROM items WHERE price > 9000.50 OR price <= -19990`,
		`SELECT id FROM items WHERE shipped < received AND k % 5 = 0`,
		`SELECT id FROM items WHERE received <= shipped AND small > -20000`,
		`SELECT id, mode FROM items WHERE mode IN ('MAIL', 'SHIP') AND id % 13 = 0`,
		`SELECT id, mode FROM items WHERE mode = 'REG AIR' AND id BETWEEN 1000 AND 1300`,
		`SELECT count(*), sum(maybe) FROM items WHERE maybe > 100`,
		fmt.Sprintf(`SELECT id FROM items WHERE k IN (%s)`, inList(3, 97, 200)),
		`SELECT i.id FROM items i JOIN (SELECT k FROM items WHERE id % 1000 = 7) s ON i.k = s.k`,
	}
	run := func() [][]string {
		var out [][]string
		for _, q := range queries {
			rows := rowsText(t, conn, q)
			var flat []string
			for _, r := range rows {
				flat = append(flat, fmt.Sprint(r))
			}
			slices.Sort(flat)
			out = append(out, flat)
		}
		return out
	}
	tail := run()
	mustExec(t, conn, `CHECKPOINT`)
	segments := run()
	for i, q := range queries {
		if len(tail[i]) == 0 {
			t.Errorf("%s: no rows: the query tests nothing", q)
		}
		if !slices.Equal(tail[i], segments[i]) {
			t.Errorf("%s: %d rows from the tail, %d from segments", q, len(tail[i]), len(segments[i]))
		}
	}
}

// inList is n integers from step on, step apart, for an IN list.
func inList(step, n, from int) string {
	s := ""
	for i := range n {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(from + i*step)
	}
	return s
}
