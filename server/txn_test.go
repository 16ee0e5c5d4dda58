package server

import (
	"reflect"
	"testing"
)

func TestTransactions(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	other := connect(t)
	status := func() byte { return conn.PgConn().TxStatus() }

	mustExec(t, conn, "CREATE TABLE acct (id int PRIMARY KEY, bal int)", "INSERT INTO acct VALUES (1, 100)")
	if status() != 'I' {
		t.Fatalf("status %c, want I", status())
	}

	// A rolled-back transaction leaves nothing behind, DDL included.
	mustExec(t, conn, "BEGIN")
	if status() != 'T' {
		t.Fatalf("status %c, want T", status())
	}
	mustExec(t, conn, "INSERT INTO acct VALUES (2, 50)", "UPDATE acct SET bal = 0 WHERE id = 1", "CREATE TABLE scratch (x int)")
	if got := rowsText(t, conn, "SELECT id, bal FROM acct ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"1", "0"}, {"2", "50"}}) {
		t.Fatalf("own writes: %v", got)
	}
	if got := rowsText(t, other, "SELECT id, bal FROM acct ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"1", "100"}}) {
		t.Fatalf("other session sees uncommitted writes: %v", got)
	}
	mustExec(t, conn, "ROLLBACK")
	if got := rowsText(t, conn, "SELECT id, bal FROM acct ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"1", "100"}}) {
		t.Fatalf("after rollback: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "SELECT * FROM scratch"); sqlstate(err) != "42P01" {
		t.Fatalf("rolled-back table still exists: %v", err)
	}

	// A failed statement fails the block until it ends.
	mustExec(t, conn, "BEGIN", "INSERT INTO acct VALUES (3, 1)")
	if _, err := conn.Exec(ctx(t), "INSERT INTO acct VALUES (1, 1)"); sqlstate(err) != "23505" {
		t.Fatalf("duplicate key: %v", err)
	}
	if status() != 'E' {
		t.Fatalf("status %c, want E", status())
	}
	if _, err := conn.Exec(ctx(t), "SELECT 1"); sqlstate(err) != "25P02" {
		t.Fatalf("in failed block: %v", err)
	}
	tag, err := conn.Exec(ctx(t), "COMMIT")
	if err != nil || tag.String() != "ROLLBACK" {
		t.Fatalf("COMMIT of failed block: %q %v", tag, err)
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM acct"); !reflect.DeepEqual(got, [][]string{{"1"}}) {
		t.Fatalf("failed block left rows: %v", got)
	}

	// COMMIT makes the block visible to everyone.
	mustExec(t, conn, "BEGIN", "UPDATE acct SET bal = bal - 30 WHERE id = 1", "INSERT INTO acct VALUES (4, 30)", "COMMIT")
	if got := rowsText(t, other, "SELECT id, bal FROM acct ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"1", "70"}, {"4", "30"}}) {
		t.Fatalf("after commit: %v", got)
	}
}
