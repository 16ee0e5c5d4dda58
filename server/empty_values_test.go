package server

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestEmptyStringsAreNotNull: a row whose only non-NULL values are empty
// strings must reach the client as empty strings, in the simple and the
// extended protocol (text and binary results), first row of a result
// included. PostgreSQL 15 answers two empty strings, then an empty
// string and NULL, here.
func TestEmptyStringsAreNotNull(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE e (s text, u varchar(3), b bytea)",
		"INSERT INTO e VALUES ('', '', ''::bytea), ('', NULL, NULL)")
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec, pgx.QueryExecModeCacheStatement} {
		rows, err := conn.Query(ctx(t), "SELECT s, u, b FROM e ORDER BY u NULLS LAST", mode)
		if err != nil {
			t.Fatal(err)
		}
		var got [][3]string
		for rows.Next() {
			var s, u *string
			var b []byte
			if err := rows.Scan(&s, &u, &b); err != nil {
				t.Fatal(err)
			}
			show := func(p *string) string {
				if p == nil {
					return "NULL"
				}
				return "'" + *p + "'"
			}
			bs := "NULL"
			if b != nil {
				bs = "'" + string(b) + "'"
			}
			got = append(got, [3]string{show(s), show(u), bs})
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := [][3]string{{"''", "''", "''"}, {"''", "NULL", "NULL"}}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("mode %v: got %v, want %v", mode, got, want)
		}
		var lit *string
		if err := conn.QueryRow(ctx(t), "SELECT ''", mode).Scan(&lit); err != nil || lit == nil || *lit != "" {
			t.Errorf("mode %v: SELECT '' gave %v, %v", mode, lit, err)
		}
	}
}
