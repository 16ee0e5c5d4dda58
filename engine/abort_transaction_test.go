package engine

import (
	"context"
	"testing"
)

// TestAbortTransactionRollsBackTheImplicitOne: the protocol layer calls
// AbortTransaction after a panic unwound a statement, whatever the
// transaction status: the statements run since the last Sync, in the
// implicit transaction, roll back, and a transaction block fails until
// ROLLBACK, as after an error in the statement.
func TestAbortTransactionRollsBackTheImplicitOne(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE ab (x int)`)
	stmts, err := s.ParseQuery(`INSERT INTO ab VALUES (1)`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(context.Background(), stmts[0], nil, nil, nil, nil, &rowsWriter{}); err != nil {
		t.Fatal(err)
	}
	s.AbortTransaction() // the implicit transaction holds the row
	if err := s.EndImplicitTransaction(); err != nil {
		t.Fatal(err)
	}
	if got := simple(t, s, `SELECT count(*) FROM ab`); got != "0" {
		t.Fatalf("after the abort the table has %s rows, want 0", got)
	}

	simple(t, s, `BEGIN; INSERT INTO ab VALUES (2)`)
	s.AbortTransaction()
	if s.TxStatus() != 'E' {
		t.Fatalf("status %c after an abort in a block, want E", s.TxStatus())
	}
	simple(t, s, `ROLLBACK`)
	if got := simple(t, s, `SELECT count(*) FROM ab`); got != "0" {
		t.Fatalf("after ROLLBACK the table has %s rows, want 0", got)
	}
}
