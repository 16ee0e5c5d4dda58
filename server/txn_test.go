package server

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
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

func TestCursorsPreparedAndSettings(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE nums (n int)", "INSERT INTO nums VALUES (1), (2), (3), (4), (5)")

	// DECLARE / FETCH / MOVE / CLOSE.
	if _, err := conn.Exec(ctx(t), "DECLARE c CURSOR FOR SELECT n FROM nums"); sqlstate(err) != "25P01" {
		t.Fatalf("DECLARE outside a block: %v", err)
	}
	mustExec(t, conn, "BEGIN", "DECLARE c CURSOR FOR SELECT n FROM nums ORDER BY n")
	if got := rowsText(t, conn, "FETCH 2 FROM c"); !reflect.DeepEqual(got, [][]string{{"1"}, {"2"}}) {
		t.Fatalf("FETCH 2: %v", got)
	}
	if tag, err := conn.Exec(ctx(t), "MOVE 1 IN c"); err != nil || tag.String() != "MOVE 1" {
		t.Fatalf("MOVE: %q %v", tag, err)
	}
	if got := rowsText(t, conn, "FETCH ALL FROM c"); !reflect.DeepEqual(got, [][]string{{"4"}, {"5"}}) {
		t.Fatalf("FETCH ALL: %v", got)
	}
	if tag, err := conn.Exec(ctx(t), "FETCH NEXT FROM c"); err != nil || tag.String() != "FETCH 0" {
		t.Fatalf("FETCH past the end: %q %v", tag, err)
	}
	mustExec(t, conn, "CLOSE c", "DECLARE h CURSOR WITH HOLD FOR SELECT n FROM nums WHERE n > 3 ORDER BY n", "COMMIT")
	if got := rowsText(t, conn, "FETCH 10 FROM h"); !reflect.DeepEqual(got, [][]string{{"4"}, {"5"}}) {
		t.Fatalf("held cursor after COMMIT: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "FETCH 1 FROM c"); sqlstate(err) != "34000" {
		t.Fatalf("closed cursor: %v", err)
	}

	// PREPARE / EXECUTE / DEALLOCATE.
	mustExec(t, conn, "PREPARE big (int) AS SELECT n FROM nums WHERE n > $1 ORDER BY n")
	if got := rowsText(t, conn, "EXECUTE big (3)"); !reflect.DeepEqual(got, [][]string{{"4"}, {"5"}}) {
		t.Fatalf("EXECUTE: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "PREPARE big AS SELECT 1"); sqlstate(err) != "42P05" {
		t.Fatalf("duplicate PREPARE: %v", err)
	}
	mustExec(t, conn, "PREPARE ins AS INSERT INTO nums VALUES ($1)")
	if tag, err := conn.Exec(ctx(t), "EXECUTE ins (6)"); err != nil || tag.String() != "INSERT 0 1" {
		t.Fatalf("EXECUTE insert: %q %v", tag, err)
	}
	mustExec(t, conn, "DEALLOCATE big")
	if _, err := conn.Exec(ctx(t), "EXECUTE big (1)"); sqlstate(err) != "26000" {
		t.Fatalf("after DEALLOCATE: %v", err)
	}

	// SET in a block is undone by ROLLBACK; SET LOCAL ends with the block.
	mustExec(t, conn, "SET application_name = 'outer'", "BEGIN", "SET application_name = 'inner'", "ROLLBACK")
	if got := rowsText(t, conn, "SHOW application_name"); !reflect.DeepEqual(got, [][]string{{"outer"}}) {
		t.Fatalf("after ROLLBACK: %v", got)
	}
	mustExec(t, conn, "BEGIN", "SET LOCAL application_name = 'local'")
	if got := rowsText(t, conn, "SHOW application_name"); !reflect.DeepEqual(got, [][]string{{"local"}}) {
		t.Fatalf("SET LOCAL: %v", got)
	}
	mustExec(t, conn, "COMMIT")
	if got := rowsText(t, conn, "SHOW application_name"); !reflect.DeepEqual(got, [][]string{{"outer"}}) {
		t.Fatalf("after COMMIT of SET LOCAL: %v", got)
	}
	if got := rowsText(t, conn, "SHOW TRANSACTION ISOLATION LEVEL"); !reflect.DeepEqual(got, [][]string{{"read committed"}}) {
		t.Fatalf("isolation level: %v", got)
	}
	mustExec(t, conn, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
		"BEGIN ISOLATION LEVEL READ COMMITTED", "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "COMMIT")
	mustExec(t, conn, "BEGIN ISOLATION LEVEL SERIALIZABLE")
	if got := rowsText(t, conn, "SHOW transaction_isolation"); !reflect.DeepEqual(got, [][]string{{"serializable"}}) {
		t.Fatalf("in a SERIALIZABLE block: %v", got)
	}
	mustExec(t, conn, "COMMIT")
	if got := rowsText(t, conn, "SHOW transaction_isolation"); !reflect.DeepEqual(got, [][]string{{"read committed"}}) {
		t.Fatalf("after a SERIALIZABLE block: %v", got)
	}
	mustExec(t, conn, "DISCARD ALL")
	if got := rowsText(t, conn, "SHOW application_name"); !reflect.DeepEqual(got, [][]string{{""}}) {
		t.Fatalf("after DISCARD ALL: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "EXECUTE ins (7)"); sqlstate(err) != "26000" {
		t.Fatalf("DISCARD ALL kept prepared statements: %v", err)
	}
}

// Statements outside a block that arrive together (one simple Query, or
// one pipeline up to Sync) form one implicit transaction, as in Postgres.
func TestImplicitTransactions(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE imp (a int)")
	count := func() string { return rowsText(t, conn, "SELECT count(*) FROM imp")[0][0] }

	// A failing statement rolls back the earlier ones of its query string.
	res := conn.PgConn().Exec(ctx(t), "INSERT INTO imp VALUES (1); INSERT INTO imp VALUES (2); SELECT 1/0")
	if _, err := res.ReadAll(); sqlstate(err) != "22012" {
		t.Fatalf("multi-statement: %v", err)
	}
	if got := count(); got != "0" {
		t.Fatalf("failed query string left %s rows", got)
	}
	// COMMIT in the middle commits what came before (with a warning).
	res = conn.PgConn().Exec(ctx(t), "INSERT INTO imp VALUES (1); COMMIT; INSERT INTO imp VALUES (2); SELECT 1/0")
	if _, err := res.ReadAll(); sqlstate(err) != "22012" {
		t.Fatalf("multi-statement with COMMIT: %v", err)
	}
	if got := count(); got != "1" {
		t.Fatalf("after COMMIT mid-string: %s rows, want 1", got)
	}
	// A pgx batch is one pipeline: all or nothing.
	batch := &pgx.Batch{}
	batch.Queue("INSERT INTO imp VALUES (10)")
	batch.Queue("INSERT INTO imp VALUES (11)")
	batch.Queue("SELECT 1/0")
	if err := conn.SendBatch(ctx(t), batch).Close(); sqlstate(err) != "22012" {
		t.Fatalf("batch: %v", err)
	}
	if got := count(); got != "1" {
		t.Fatalf("failed batch left rows: %s, want 1", got)
	}
	batch = &pgx.Batch{}
	batch.Queue("INSERT INTO imp VALUES (20)")
	batch.Queue("INSERT INTO imp VALUES (21)")
	if err := conn.SendBatch(ctx(t), batch).Close(); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != "3" {
		t.Fatalf("batch: %s rows, want 3", got)
	}
	if conn.PgConn().TxStatus() != 'I' {
		t.Fatalf("status %c after the batch", conn.PgConn().TxStatus())
	}
}

func TestSavepoints(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE sp (a int PRIMARY KEY)")
	if _, err := conn.Exec(ctx(t), "SAVEPOINT x"); sqlstate(err) != "25P01" {
		t.Fatalf("SAVEPOINT outside a block: %v", err)
	}
	mustExec(t, conn, "BEGIN", "INSERT INTO sp VALUES (1)", "SAVEPOINT s1", "INSERT INTO sp VALUES (2)",
		"SAVEPOINT s2", "INSERT INTO sp VALUES (3)", "ROLLBACK TO SAVEPOINT s2")
	if got := rowsText(t, conn, "SELECT a FROM sp ORDER BY a"); !reflect.DeepEqual(got, [][]string{{"1"}, {"2"}}) {
		t.Fatalf("after ROLLBACK TO s2: %v", got)
	}
	// An error fails the block; ROLLBACK TO recovers it.
	if _, err := conn.Exec(ctx(t), "INSERT INTO sp VALUES (1)"); sqlstate(err) != "23505" {
		t.Fatalf("duplicate: %v", err)
	}
	if conn.PgConn().TxStatus() != 'E' {
		t.Fatalf("status %c, want E", conn.PgConn().TxStatus())
	}
	mustExec(t, conn, "ROLLBACK TO s1", "INSERT INTO sp VALUES (3)", "RELEASE s1")
	if _, err := conn.Exec(ctx(t), "ROLLBACK TO s2"); sqlstate(err) != "3B001" {
		t.Fatalf("released savepoint: %v", err)
	}
	mustExec(t, conn, "ROLLBACK")
	// A cursor opened after a savepoint closes when the block rolls back to it.
	mustExec(t, conn, "BEGIN", "DECLARE early CURSOR FOR SELECT 1", "SAVEPOINT c", "DECLARE late CURSOR FOR SELECT 2", "ROLLBACK TO c")
	if _, err := conn.Exec(ctx(t), "FETCH 1 FROM late"); sqlstate(err) != "34000" {
		t.Fatalf("cursor after the savepoint: %v", err)
	}
	mustExec(t, conn, "ROLLBACK TO c", "FETCH 1 FROM early", "ROLLBACK")
	mustExec(t, conn, "BEGIN", "INSERT INTO sp VALUES (5)", "SAVEPOINT a", "INSERT INTO sp VALUES (6)", "RELEASE a", "COMMIT")
	if got := rowsText(t, conn, "SELECT a FROM sp ORDER BY a"); !reflect.DeepEqual(got, [][]string{{"5"}, {"6"}}) {
		t.Fatalf("after commit: %v", got)
	}
}

// SCROLL cursors move both ways; the sequence and its answers are
// Postgres 15's.
func TestScrollCursor(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE cn (n int)", "INSERT INTO cn VALUES (1), (2), (3), (4), (5)",
		"BEGIN", "DECLARE s SCROLL CURSOR FOR SELECT n FROM cn ORDER BY n", "DECLARE f CURSOR FOR SELECT n FROM cn ORDER BY n")
	steps := []struct{ sql, want string }{
		{"FETCH 2 FROM s", "[[1] [2]]"},
		{"FETCH PRIOR FROM s", "[[1]]"},
		{"FETCH ABSOLUTE 4 FROM s", "[[4]]"},
		{"FETCH RELATIVE -2 FROM s", "[[2]]"},
		{"FETCH LAST FROM s", "[[5]]"},
		{"FETCH NEXT FROM s", "[]"},
		{"FETCH BACKWARD 2 FROM s", "[[5] [4]]"},
		{"FETCH FIRST FROM s", "[[1]]"},
		{"MOVE ABSOLUTE 0 IN s", "[]"},
		{"FETCH FORWARD ALL FROM s", "[[1] [2] [3] [4] [5]]"},
		{"FETCH ABSOLUTE -1 FROM s", "[[5]]"},
		{"FETCH RELATIVE 0 FROM s", "[[5]]"},
		{"FETCH RELATIVE 2 FROM f", "[[2]]"},
		{"FETCH ABSOLUTE 4 FROM f", "[[4]]"},
		{"FETCH NEXT FROM f", "[[5]]"},
	}
	for _, s := range steps {
		if got := fmt.Sprint(rowsText(t, conn, s.sql)); got != s.want && !(s.want == "[]" && got == "[]") {
			t.Fatalf("%s: got %s, want %s", s.sql, got, s.want)
		}
	}
	// A cursor without SCROLL streams its rows and cannot go back.
	if _, err := conn.Exec(ctx(t), "FETCH PRIOR FROM f"); sqlstate(err) != "55000" {
		t.Fatalf("backward on a forward-only cursor: %v", err)
	}
	mustExec(t, conn, "ROLLBACK")
}
