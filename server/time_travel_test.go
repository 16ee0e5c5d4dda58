package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pqdb/pqdb/storage"
)

// TestTimeTravelAndHistory drives SET pqdb.as_of and pqdb_history over
// pgx: reads as of a time or a commit see the rows committed then (before
// and after flushes, and after a restart), writes are refused while
// as_of is set, and the history lists every change with its images.
func TestTimeTravelAndHistory(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{FlushRows: 3, RowGroupRows: 2}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE acct (id int PRIMARY KEY, owner text, balance numeric(10,2))`)
	mustExec(t, conn, `INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20)`)
	var t1 time.Time
	if err := conn.QueryRow(ctx(t), `SELECT clock_timestamp()`).Scan(&t1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	mustExec(t, conn,
		`UPDATE acct SET balance = balance + 5 WHERE id = 1`,
		`CHECKPOINT`,
		`DELETE FROM acct WHERE id = 2`,
		`INSERT INTO acct VALUES (3, 'cy', 30)`)
	var seqAfterDelete int64
	if err := conn.QueryRow(ctx(t), `SELECT max(seq) FROM pqdb_history('acct') WHERE operation = 'DELETE'`).Scan(&seqAfterDelete); err != nil {
		t.Fatal(err)
	}

	read := func(asOf string) string {
		t.Helper()
		c := connect(t)
		mustExec(t, c, fmt.Sprintf(`SET pqdb.as_of = '%s'`, asOf))
		var rows []string
		for _, r := range rowsText(t, c, `SELECT id, owner, balance FROM acct ORDER BY id`) {
			rows = append(rows, strings.Join(r, ","))
		}
		return strings.Join(rows, ";")
	}
	check := func() {
		t.Helper()
		if got, want := read(t1.Format(time.RFC3339Nano)), "1,ann,10.00;2,bob,20.00"; got != want {
			t.Errorf("as of %s: got %q, want %q", t1, got, want)
		}
		if got, want := read(fmt.Sprint(seqAfterDelete)), "1,ann,15.00"; got != want {
			t.Errorf("as of commit %d: got %q, want %q", seqAfterDelete, got, want)
		}
		if got, want := read(""), "1,ann,15.00;3,cy,30.00"; got != want {
			t.Errorf("now: got %q, want %q", got, want)
		}
		hist := rowsText(t, conn, `SELECT operation, row_id IS NOT NULL, txid > 0, before->>'owner', after->>'balance'
			FROM pqdb_history('public.acct') ORDER BY seq, row_id`)
		var got []string
		for _, r := range hist {
			got = append(got, strings.Join(r, ","))
		}
		want := "INSERT,t,t,NULL,10.00;INSERT,t,t,NULL,20.00;UPDATE,t,t,ann,15.00;DELETE,t,t,bob,NULL;INSERT,t,t,NULL,30.00"
		if strings.Join(got, ";") != want {
			t.Errorf("history:\n got %s\nwant %s", strings.Join(got, ";"), want)
		}
	}
	check()
	srv.Close()
	srv, connect = startServerWith(t, cfg)
	conn = connect(t)
	check()

	c := connect(t)
	mustExec(t, c, fmt.Sprintf(`SET pqdb.as_of = '%d'`, seqAfterDelete))
	_, err := c.Exec(ctx(t), `INSERT INTO acct VALUES (9, 'x', 1)`)
	if sqlstate(err) != "25006" {
		t.Errorf("INSERT under pqdb.as_of: got %v, want 25006", err)
	}
	_, err = c.Exec(ctx(t), `SET pqdb.as_of = 'yesterday-ish'`)
	if sqlstate(err) != "22023" {
		t.Errorf("SET pqdb.as_of to garbage: got %v, want 22023", err)
	}
	_, err = c.Exec(ctx(t), `SELECT * FROM pqdb_history('nope')`)
	if sqlstate(err) != "42P01" {
		t.Errorf("history of a missing table: got %v, want 42P01", err)
	}
	mustExec(t, c, `SET pqdb.as_of = '1970-01-02 00:00:00+00'`)
	_, err = c.Exec(ctx(t), `SELECT * FROM acct`)
	if sqlstate(err) != "42P01" {
		t.Errorf("read before the table existed: got %v, want 42P01", err)
	}
}

// TestTimeTravelExpired: with no history retained, reads of an old
// commit fail with 72000 (snapshot too old), and the present reads right.
func TestTimeTravelExpired(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{FlushRows: 2, HistoryRetention: time.Nanosecond}})
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE h (k int)`)
	for i := 0; i < 10; i++ {
		mustExec(t, conn, fmt.Sprintf(`INSERT INTO h VALUES (%d)`, i), `CHECKPOINT`)
	}
	mustExec(t, conn, `SET pqdb.as_of = '3'`)
	_, err := conn.Exec(ctx(t), `SELECT * FROM h`)
	if sqlstate(err) != "72000" {
		t.Errorf("read of an expired commit: got %v, want 72000", err)
	}
	mustExec(t, conn, `RESET pqdb.as_of`)
	if got := rowsText(t, conn, `SELECT count(*) FROM h`); got[0][0] != "10" {
		t.Errorf("count = %v, want 10", got)
	}
}

// TestAsOfFunction: pqdb_as_of reads one table as of a time or commit
// within a query that reads others as of now, and EXPLAIN says so.
func TestAsOfFunction(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{FlushRows: 2, RowGroupRows: 2}})
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE p (id int PRIMARY KEY, price int)`,
		`INSERT INTO p VALUES (1, 100), (2, 200), (3, 300)`)
	var seq int64
	if err := conn.QueryRow(ctx(t), `SELECT max(seq) FROM pqdb_history('p')`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, `UPDATE p SET price = price + 1`, `CHECKPOINT`, `DELETE FROM p WHERE id = 2`)
	got := rowsText(t, conn, fmt.Sprintf(`SELECT o.id, o.price, n.price FROM pqdb_as_of('public.p', '%d') o
		LEFT JOIN p n USING (id) WHERE o.price > 100 ORDER BY o.id`, seq))
	var rows []string
	for _, r := range got {
		rows = append(rows, strings.Join(r, ","))
	}
	if want := "2,200,NULL;3,300,301"; strings.Join(rows, ";") != want {
		t.Errorf("got %s, want %s", strings.Join(rows, ";"), want)
	}
	plan := explainText(t, conn, fmt.Sprintf(`SELECT * FROM pqdb_as_of('p', '%d')`, seq))
	if !strings.Contains(plan, fmt.Sprintf("Seq Scan on p as of commit %d", seq)) {
		t.Errorf("EXPLAIN does not show the as-of scan:\n%s", plan)
	}
	_, err := conn.Exec(ctx(t), `SELECT * FROM pqdb_as_of('p', 'not a time')`)
	if sqlstate(err) != "22023" {
		t.Errorf("pqdb_as_of with a bad time: got %v, want 22023", err)
	}
}
