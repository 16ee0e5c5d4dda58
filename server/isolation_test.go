package server

import (
	"testing"
)

// TestIsolationLevels covers BEGIN and SET TRANSACTION's modes over two
// sessions: READ COMMITTED reads each statement's latest commit,
// REPEATABLE READ keeps its first statement's, SERIALIZABLE blocks run
// side by side (isolation_conflicts_test.go has their conflicts), READ
// ONLY refuses writes
// with 25006, and SET TRANSACTION after a query fails with 25001, as in
// PostgreSQL.
func TestIsolationLevels(t *testing.T) {
	_, connect := startServer(t)
	a, b := connect(t), connect(t)
	mustExec(t, a, `CREATE TABLE iso (id int PRIMARY KEY, v int)`, `INSERT INTO iso VALUES (1, 10)`, `CREATE SEQUENCE iso_seq`)
	read := func() string { return rowsText(t, a, `SELECT v FROM iso WHERE id = 1`)[0][0] }

	mustExec(t, a, `BEGIN ISOLATION LEVEL REPEATABLE READ`)
	if got := rowsText(t, a, `SHOW transaction_isolation`)[0][0]; got != "repeatable read" {
		t.Errorf("SHOW transaction_isolation: %s", got)
	}
	if got := read(); got != "10" {
		t.Fatalf("repeatable read, first read: %s", got)
	}
	mustExec(t, b, `UPDATE iso SET v = 20 WHERE id = 1`)
	if got := read(); got != "10" {
		t.Errorf("repeatable read sees a later commit: %s, want 10", got)
	}
	mustExec(t, a, `COMMIT`)

	mustExec(t, a, `BEGIN`)
	if got := read(); got != "20" {
		t.Fatalf("read committed, first read: %s", got)
	}
	mustExec(t, b, `UPDATE iso SET v = 30 WHERE id = 1`)
	if got := read(); got != "30" {
		t.Errorf("read committed misses a commit: %s, want 30", got)
	}
	if _, err := a.Exec(ctx(t), `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`); sqlstate(err) != "25001" {
		t.Errorf("SET TRANSACTION after a query: %v, want 25001", err)
	}
	mustExec(t, a, `ROLLBACK`)

	// A row changed since a repeatable-read snapshot cannot be updated.
	mustExec(t, a, `BEGIN ISOLATION LEVEL REPEATABLE READ`)
	read()
	mustExec(t, b, `UPDATE iso SET v = 40 WHERE id = 1`)
	_, err := a.Exec(ctx(t), `UPDATE iso SET v = v + 1 WHERE id = 1`)
	if err == nil {
		_, err = a.Exec(ctx(t), `COMMIT`)
	}
	if sqlstate(err) != "40001" {
		t.Errorf("repeatable-read update of a changed row: %v, want 40001", err)
	}
	a.Exec(ctx(t), `ROLLBACK`)
	if got := read(); got != "40" {
		t.Errorf("after the failed update: %s, want 40", got)
	}

	// Serializable blocks run side by side: an update by key and an
	// insert of another key do not conflict.
	mustExec(t, a, `BEGIN ISOLATION LEVEL SERIALIZABLE`, `UPDATE iso SET v = 50 WHERE id = 1`)
	mustExec(t, b, `BEGIN ISOLATION LEVEL SERIALIZABLE`, `INSERT INTO iso VALUES (9, 90)`)
	mustExec(t, a, `COMMIT`)
	mustExec(t, b, `COMMIT`, `DELETE FROM iso WHERE id = 9`)
	if got := read(); got != "50" {
		t.Errorf("after two serializable blocks: %s, want 50", got)
	}

	// Read-only transactions and sessions.
	mustExec(t, a, `BEGIN READ ONLY`)
	for _, q := range []string{`INSERT INTO iso VALUES (2, 1)`, `CREATE TABLE nope (x int)`, `SELECT nextval('iso_seq')`} {
		if _, err := a.Exec(ctx(t), q); sqlstate(err) != "25006" {
			t.Errorf("%s in a read-only block: %v, want 25006", q, err)
		}
		mustExec(t, a, `ROLLBACK`, `BEGIN READ ONLY`)
	}
	mustExec(t, a, `ROLLBACK`, `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`)
	if _, err := a.Exec(ctx(t), `DELETE FROM iso`); sqlstate(err) != "25006" {
		t.Errorf("DELETE with default_transaction_read_only: %v, want 25006", err)
	}
	mustExec(t, a, `SET default_transaction_read_only = off`, `INSERT INTO iso VALUES (2, 1)`)
}
