package server

import (
	"strings"
	"testing"
)

// TestModifyingWithParameters runs data-modifying WITH queries through
// pgx's extended protocol with parameters, as applications do (the
// statement is described before it runs, so its columns come from the
// main query): an archive move, and an upsert-like insert reading the
// rows another WITH query returned. The expected rows come from
// PostgreSQL 15.
func TestModifyingWithParameters(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE wq (id int PRIMARY KEY, v text)`)
	mustExec(t, conn, `CREATE TABLE wq_archive (id int, v text, moved boolean)`)
	mustExec(t, conn, `INSERT INTO wq SELECT g, 'v' || g FROM generate_series(1, 6) g`)

	rows, err := conn.Query(ctx(t), `WITH moved AS (DELETE FROM wq WHERE id > $1 RETURNING id, v)
		INSERT INTO wq_archive SELECT id, v, $2 FROM moved RETURNING id, v`, 4, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int32
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "v5,v6" {
		t.Errorf("moved rows: got %v, want v5,v6", got)
	}

	var n, m int64
	if err := conn.QueryRow(ctx(t), `WITH u AS (UPDATE wq SET v = $1 WHERE id <= $2 RETURNING id)
		SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM wq WHERE v = $1)`, "x", 2).Scan(&n, &m); err != nil {
		t.Fatal(err)
	}
	if n != 2 || m != 0 {
		t.Errorf("UPDATE in WITH: got %d updated and %d seen by the main query, want 2 and 0", n, m)
	}
	for _, c := range []struct{ sql, want string }{
		{`SELECT id, v FROM wq ORDER BY id`, "1|x;2|x;3|v3;4|v4"},
		{`SELECT id, v, moved FROM wq_archive ORDER BY id`, "5|v5|t;6|v6|t"},
	} {
		var rs []string
		for _, r := range rowsText(t, conn, c.sql) {
			rs = append(rs, strings.Join(r, "|"))
		}
		if g := strings.Join(rs, ";"); g != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, g, c.want)
		}
	}
}
