package server

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// TestBpcharEqualityPruning: equality and IN on a char(n) column prune by
// statistics, bloom filters and dictionaries on padded values. Rows
// written by every path (INSERT of literals and of expressions, COPY in
// text, CSV and binary, UPDATE, values shorter, equal and longer than n
// with trailing spaces, multibyte) must be found exactly as with pruning
// off, in segments and in the tail.
func TestBpcharEqualityPruning(t *testing.T) {
	for _, prune := range []bool{true, false} {
		opts := storage.Options{RowGroupRows: 256}
		if !prune {
			opts.NoPruning, opts.NoDictionaryFilter = true, true
		}
		_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: opts})
		conn := connect(t)
		mustExec(t, conn,
			`CREATE TABLE cp (id int, c char(6), tag text)`,
			`INSERT INTO cp SELECT g, (ARRAY['MAIL', 'SHIP', 'AIR', 'RAIL', 'TRUCK'])[1 + g % 5], 'lit' FROM generate_series(1, 3000) g`,
			`INSERT INTO cp VALUES (4001, 'MAIL  ', 'pad'), (4002, 'é', 'mb'), (4003, 'ééé   ', 'mb'), (4004, NULL, 'null'), (4005, '', 'empty')`,
			`INSERT INTO cp SELECT 5000 + g, lower('SHIP') || repeat('x', g % 3), 'expr' FROM generate_series(1, 50) g`)
		for _, format := range []string{"text", "csv"} {
			sql := fmt.Sprintf("COPY cp FROM STDIN (FORMAT %s)", format)
			data := "6001\tMAIL\tcopy\n6002\tAIR   \tcopy\n"
			if format == "csv" {
				data = "6003,MAIL,copy\n6004,\"é \",copy\n"
			}
			if _, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(data), sql); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := conn.CopyFrom(ctx(t), pgx.Identifier{"cp"}, []string{"id", "c", "tag"}, pgx.CopyFromRows([][]any{{int32(6005), "SHIP", "binary"}, {int32(6006), "é", "binary"}})); err != nil {
			t.Fatal(err)
		}
		mustExec(t, conn, `UPDATE cp SET c = 'AIR' WHERE id % 97 = 0`, `CHECKPOINT`,
			`INSERT INTO cp VALUES (7001, 'MAIL', 'tail'), (7002, 'TRUCK ', 'tail')`, `UPDATE cp SET c = 'é' WHERE id = 7002`)
		queries := []string{
			`SELECT count(*), sum(id) FROM cp WHERE c = 'MAIL'`,
			`SELECT count(*), sum(id) FROM cp WHERE c = 'MAIL    '`,
			`SELECT count(*), sum(id) FROM cp WHERE c IN ('SHIP', 'AIR', 'NOPE', 'TOOLONGVALUE')`,
			`SELECT count(*), sum(id) FROM cp WHERE c = 'é'`,
			`SELECT count(*), sum(id) FROM cp WHERE c IN ('ééé', 'é  ')`,
			`SELECT count(*), sum(id) FROM cp WHERE c = ''`,
			`SELECT count(*), sum(id) FROM cp WHERE c = 'TOOLONGVALUE'`,
			`SELECT count(*), sum(id) FROM cp WHERE c = 'shipx'`,
			`SELECT count(*), sum(id) FROM cp WHERE c = 'MAIL'::text`,
		}
		// Recorded from PostgreSQL 15 after the same statements.
		want := []string{"598 914321", "598 914321", "1221 1844078", "4 23014", "5 27017", "1 4005", "0 NULL", "17 85425", "598 914321"}
		for i, q := range queries {
			r := rowsText(t, conn, q)[0]
			if got := r[0] + " " + r[1]; got != want[i] {
				t.Errorf("pruning %v: %s: %s, want %s", prune, q, got, want[i])
			}
		}
		if prune {
			var lines []string
			for _, r := range rowsText(t, conn, `EXPLAIN ANALYZE SELECT count(*) FROM cp WHERE c IN ('AIR', 'SHIP')`) {
				lines = append(lines, r[0])
			}
			plan := strings.Join(lines, "\n")
			if m := regexp.MustCompile(`Rows Removed by Dictionary: (\d+)`).FindStringSubmatch(plan); m == nil || m[1] == "0" {
				t.Fatalf("no rows removed by the dictionary:\n%s", plan)
			}
		}
	}
}
