package server

import (
	"strings"
	"testing"
)

// TestReturning covers RETURNING on INSERT (VALUES and SELECT), UPDATE
// (the new rows) and DELETE (the old rows): *, table.*, the target's alias,
// expressions and a subquery, no row at all, and the errors PostgreSQL
// raises (an aggregate, an unknown column). Rows go out over the extended
// protocol (described before they run, as pgx does) and the simple one,
// and a prepared INSERT ... RETURNING id runs as applications run it. The
// expected rows come from PostgreSQL 15.
func TestReturning(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE r (id int PRIMARY KEY, name text, qty numeric(8,2))`)
	for _, c := range []struct{ sql, want string }{
		{`INSERT INTO r VALUES (1, 'a', 1.5), (2, 'b', 2) RETURNING *`, "1|a|1.50;2|b|2.00"},
		{`INSERT INTO r AS x VALUES (3, 'c', 3) RETURNING x.id, name || '!' AS shout, qty * 2`, "3|c!|6.00"},
		{`INSERT INTO r SELECT id + 10, name, qty FROM r RETURNING id`, "11;12;13"},
		{`UPDATE r SET qty = qty + 1 WHERE id < 3 RETURNING id, qty, r.*`, "1|2.50|1|a|2.50;2|3.00|2|b|3.00"},
		{`DELETE FROM r WHERE id > 10 RETURNING *`, "11|a|1.50;12|b|2.00;13|c|3.00"},
		{`DELETE FROM r WHERE id = 99 RETURNING id`, ""},
		{`UPDATE r SET name = 'z' WHERE id = 3 RETURNING (SELECT count(*) FROM r)`, "3"},
		{`SELECT * FROM r ORDER BY id`, "1|a|2.50;2|b|3.00;3|z|3.00"},
	} {
		var rows []string
		for _, r := range rowsText(t, conn, c.sql) {
			rows = append(rows, strings.Join(r, "|"))
		}
		if got := strings.Join(rows, ";"); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}

	if got := columnNames(t, conn, `UPDATE r SET qty = 0 WHERE id = 1 RETURNING id AS key, qty`); got != "key,qty" {
		t.Errorf("RETURNING columns: got %s, want key,qty", got)
	}
	if tag, err := conn.Exec(ctx(t), `DELETE FROM r WHERE id = 2 RETURNING id`); err != nil || tag.String() != "DELETE 1" {
		t.Errorf("tag: got %q, %v, want DELETE 1", tag.String(), err)
	}

	var id int32
	for i := int32(20); i < 23; i++ {
		if err := conn.QueryRow(ctx(t), `INSERT INTO r (id, name) VALUES ($1, $2) RETURNING id`, i, "p").Scan(&id); err != nil || id != i {
			t.Fatalf("INSERT ... RETURNING id with $1 = %d: got %d, %v", i, id, err)
		}
	}

	for _, c := range []struct{ sql, code string }{
		{`INSERT INTO r VALUES (5, 'e', 5) RETURNING count(*)`, "42803"},
		{`INSERT INTO r VALUES (6, 'f', 6) RETURNING nope`, "42703"},
	} {
		if _, err := conn.Exec(ctx(t), c.sql); sqlstate(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.sql, err, c.code)
		}
	}
	if got := rowsText(t, conn, `SELECT count(*) FROM r WHERE id IN (5, 6)`); got[0][0] != "0" {
		t.Errorf("a failed INSERT ... RETURNING wrote rows: %v", got)
	}
}
