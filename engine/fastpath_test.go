package engine

import (
	"context"
	"testing"
)

// A kept plan of constants lends its operators and its row encoder to
// the next run, which gives them back: runs after the first lower
// nothing and make no encoder, and still answer right.
func TestKeptConstantPlanReopensOperators(t *testing.T) {
	s := testSession(t)
	const sql = `SELECT 1 AS a, 'x' AS b`
	if got := simple(t, s, sql); got != "1,x" {
		t.Fatalf("first run: %q", got)
	}
	stmts, err := s.ParseQuery(sql)
	if err != nil {
		t.Fatal(err)
	}
	kept := stmts[0].(*statement).plan
	if kept == nil || !kept.reusable || kept.op == nil || kept.encoder == nil {
		t.Fatalf("kept plan after one run: %+v", kept)
	}
	op, enc := kept.op, kept.encoder
	for run := range 3 {
		if got := simple(t, s, sql); got != "1,x" {
			t.Fatalf("run %d: %q", run, got)
		}
		if kept.op != op || kept.encoder != enc {
			t.Fatalf("run %d made new operators or a new encoder", run)
		}
	}
	// A plan over a table is lowered for every run (its scan reads the
	// run's snapshot), though its encoder is lent all the same.
	simple(t, s, `CREATE TABLE kc (x int); INSERT INTO kc VALUES (7)`)
	for range 2 {
		if got := simple(t, s, `SELECT x FROM kc`); got != "7" {
			t.Fatalf("SELECT x FROM kc: %q", got)
		}
	}
	stmts, _ = s.ParseQuery(`SELECT x FROM kc`)
	if c := stmts[0].(*statement).plan; c == nil || c.reusable || c.op != nil || c.encoder == nil {
		t.Fatalf("kept plan over a table: %+v", c)
	}
	simple(t, s, `INSERT INTO kc VALUES (8)`)
	if got := simple(t, s, `SELECT x FROM kc`); got != "7 8" {
		t.Fatalf("SELECT x FROM kc after an insert: %q", got)
	}
}

// Statements share one context until something cancels it
// (startRunning); a new parent context gets a new one and unhooks the
// old.
func TestStartRunningReusesContext(t *testing.T) {
	s := testSession(t)
	parent, cancelParent := context.WithCancel(context.Background())
	defer cancelParent()
	first := s.startRunning(parent)
	s.stopRunning()
	if again := s.startRunning(parent); again != first {
		t.Fatal("a second statement got a new context")
	}
	s.runMu.Lock()
	s.running() // pg_cancel_backend
	s.runMu.Unlock()
	s.stopRunning()
	if first.Err() == nil {
		t.Fatal("cancel did not reach the running statement's context")
	}
	next := s.startRunning(parent)
	s.stopRunning()
	if next == first || next.Err() != nil {
		t.Fatal("the statement after a cancelled one did not get a fresh context")
	}
	other := s.startRunning(context.Background())
	s.stopRunning()
	if other == next || next.Err() == nil || other.Err() != nil {
		t.Fatal("a new parent context did not replace the old one")
	}
	if s.running != nil {
		t.Fatal("stopRunning left a cancel function behind")
	}
}

func TestRowsTag(t *testing.T) {
	s := testSession(t)
	for _, c := range []struct {
		cmd  string
		n    int64
		want string
	}{{"SELECT", 1, "SELECT 1"}, {"SELECT", 1, "SELECT 1"}, {"SELECT", 0, "SELECT 0"}, {"FETCH", 0, "FETCH 0"}, {"SELECT", 12345, "SELECT 12345"}} {
		if got := s.rowsTag(c.cmd, c.n); got != c.want {
			t.Errorf("rowsTag(%q, %d) = %q", c.cmd, c.n, got)
		}
	}
}
