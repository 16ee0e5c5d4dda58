package server

import (
	"testing"
)

// TestUniqueLookupOfHotRows: over pgx, rows updated again and again (their
// versions piling up in the tail, one of them flushed by CHECKPOINT) are
// found by key at their last value, by prepared lookups and UPDATEs alike,
// as pgbench's branches are; a row deleted for good is not found, and a
// transaction that deleted or inserted rows sees its own changes.
func TestUniqueLookupOfHotRows(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	c := ctx(t)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(c, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	balance := func(id int) (int, bool) {
		t.Helper()
		var b int
		err := conn.QueryRow(c, `SELECT balance FROM branches WHERE id = $1`, id).Scan(&b)
		if err != nil && err.Error() == "no rows in result set" {
			return 0, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return b, true
	}
	mustExec(`CREATE TABLE branches (id int PRIMARY KEY, balance int NOT NULL, filler text)`)
	mustExec(`INSERT INTO branches SELECT g, 0, 'x' FROM generate_series(1, 10) g`)
	want := map[int]int{}
	for i := 1; i <= 10; i++ {
		want[i] = 0
	}
	for n := range 300 {
		id := 1 + n%10
		if n%7 == 0 {
			id = 1 // the hottest row
		}
		mustExec(`UPDATE branches SET balance = balance + $1 WHERE id = $2`, n, id)
		want[id] += n
		if n == 150 {
			mustExec(`CHECKPOINT`)
		}
	}
	mustExec(`DELETE FROM branches WHERE id = 10`)
	delete(want, 10)
	for id := 1; id <= 11; id++ {
		got, ok := balance(id)
		if w, wok := want[id]; ok != wok || got != w {
			t.Errorf("branch %d: balance %d (found %v), want %d (found %v)", id, got, ok, w, wok)
		}
	}
	tx, err := conn.Begin(c)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(c)
	if _, err := tx.Exec(c, `DELETE FROM branches WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(c, `SELECT count(*) FROM branches WHERE id = 1`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the transaction's deleted row: count %d, %v", n, err)
	}
	if _, err := tx.Exec(c, `INSERT INTO branches VALUES (10, 7, 'y')`); err != nil {
		t.Fatal(err)
	}
	var b int
	if err := tx.QueryRow(c, `SELECT balance FROM branches WHERE id = $1`, 10).Scan(&b); err != nil || b != 7 {
		t.Errorf("the transaction's inserted row: balance %d, %v", b, err)
	}
	if err := tx.QueryRow(c, `SELECT balance FROM branches WHERE id = $1`, 2).Scan(&b); err != nil || b != want[2] {
		t.Errorf("branch 2 inside the transaction: balance %d, %v; want %d", b, err, want[2])
	}
}
