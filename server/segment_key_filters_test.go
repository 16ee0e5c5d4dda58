package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestKeptKeyFiltersFindEveryKey gives a table of each key type that has
// bloom filters two segments with interleaved keys (neither's zone maps
// rule out the other's keys), then looks every key up twice: the first
// lookups keep the segments' filters in memory, the second test them
// before entering a segment. A filter asked with another hash than the
// one the writer stored would lose keys; every lookup must find its row,
// and EXPLAIN ANALYZE must show the other segment skipped.
func TestKeptKeyFiltersFindEveryKey(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	const keys = 120
	for _, c := range []struct{ typ, key string }{
		{"int2", "g::int2"},
		{"int4", "g * 7"},
		{"int8", "g::int8 * 1000000007"},
		{"date", "date '2001-01-01' + g"},
		{"time", "make_time(g / 60, g % 60, 0)"},
		{"timestamp", "timestamp '2001-01-01' + g * interval '1 hour'"},
		{"timestamptz", "timestamptz '2001-01-01 00:00+00' + g * interval '1 hour'"},
		{"numeric(9,2)", "g * 1.25"},
		{"numeric(18,4)", "g * 123456.0001"},
		{"numeric(30,5)", "g * 12345678901234567.00001"},
		{"text", "'key ' || g"},
		{"varchar(20)", "'v' || g"},
		{"char(8)", "'c' || g"},
		{"bytea", "('b' || g)::bytea"},
		{"uuid", "md5(g::text)::uuid"},
	} {
		t.Run(c.typ, func(t *testing.T) {
			name := "kf_" + strings.NewReplacer("(", "_", ")", "", ",", "_").Replace(c.typ)
			for _, q := range []string{
				fmt.Sprintf(`CREATE TABLE %s (k %s PRIMARY KEY, v int)`, name, c.typ),
				fmt.Sprintf(`INSERT INTO %s SELECT %s, g FROM generate_series(2, %d, 2) g`, name, c.key, keys),
				`CHECKPOINT`,
				fmt.Sprintf(`INSERT INTO %s SELECT %s, g FROM generate_series(1, %d, 2) g`, name, c.key, keys),
				`CHECKPOINT`,
			} {
				if _, err := conn.Exec(ctx(t), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// Each key's text, looked up as a literal of the column's type.
			literal := map[int]string{}
			for _, r := range rowsText(t, conn, fmt.Sprintf(`SELECT v, k::text FROM %s`, name)) {
				var g int
				fmt.Sscan(r[0], &g)
				literal[g] = fmt.Sprintf("'%s'::%s", r[1], c.typ)
			}
			if len(literal) != keys {
				t.Fatalf("%d keys loaded, want %d", len(literal), keys)
			}
			for round := range 2 {
				for g := 1; g <= keys; g++ {
					var v int
					q := fmt.Sprintf(`SELECT v FROM %s WHERE k = %s`, name, literal[g])
					if err := conn.QueryRow(ctx(t), q).Scan(&v); err != nil || v != g {
						t.Fatalf("round %d: %s: got %d (%v), want %d", round, q, v, err, g)
					}
				}
			}
			plan := explainArgs(t, conn, fmt.Sprintf(`SELECT v FROM %s WHERE k = %s`, name, literal[7]))
			if explainCount(t, plan, "Segments Skipped") != 1 || explainCount(t, plan, "Segments Read") != 1 {
				t.Errorf("the segment without the key was not skipped:\n%s", plan)
			}
		})
	}
}
