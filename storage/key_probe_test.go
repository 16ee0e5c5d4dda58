package storage

import (
	"testing"
	"time"
)

// TestHalfAppliedUpdateKeepsItsKey: a lookup by key that runs while a
// commit replacing the key's flushed row is being prepared (its deletion
// noted, its new version's key not yet indexed) does not answer that the
// key is free: it looks again once the commit settled. ON CONFLICT once
// inserted beside such a row and failed with 23505 at commit.
func TestHalfAppliedUpdateKeepsItsKey(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 10})
	tbl := kvTable("t")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(20, 0, "a"))
	ns := s.namespace("public")
	for deadline := time.Now().Add(10 * time.Second); len(ns.state.Load().byID[tbl.ID].inserts) > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the rows were not flushed")
		}
	}
	holderOf := func() int64 {
		t.Helper()
		tx := s.Begin()
		defer tx.Rollback()
		c, err := tx.Conflicts(tbl, kvRows(1, 5, "x"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return c[0].Holder
	}
	row := holderOf()
	if row < 0 {
		t.Fatal("key 5 has no holder")
	}

	// The writer's prepare, half done: the row's deletion is noted, the
	// key of its new version (same id) not yet indexed. It runs on the
	// writer, as a prepare does: the writer reads lastDelete unlocked
	// (when a flush it finishes prunes deletion seqs).
	p := &preparedCommit{req: &commitRequest{c: &nsCommit{}}}
	must(t, ns.do(func() error {
		ns.unsettleKeys()
		p.seq = ns.state.Load().seq + 1
		ns.noteDeletes(p, tbl.ID, []int64{row}, []bool{false}, p.seq)
		return nil
	}))

	c := newKeyConstraint(tbl, "t_pkey", tbl.ID, tbl.PrimaryKey)
	var kb keyBatch
	rec := kvRows(1, 5, "x")
	keys, err := c.encodeKeys(&kb, rec)
	if err != nil {
		t.Fatal(err)
	}
	out, inFlight, err := ns.holdersOnce(tbl.ID, &c, &kb, keys, 1, func(int64) bool { return false }, nil)
	keys.release()
	if err != nil {
		t.Fatal(err)
	}
	if out[0] >= 0 || !inFlight {
		t.Fatalf("one lookup: holder %d, in flight %v; want none, released by the deletion in flight", out[0], inFlight)
	}

	got := make(chan int64)
	go func() { got <- holderOf() }()
	time.Sleep(20 * time.Millisecond) // the lookup runs while the commit is in flight
	must(t, ns.do(func() error {
		ns.undo([]*preparedCommit{p}) // the commit fails: the row stays
		ns.settleKeys()
		return nil
	}))
	if h := <-got; h != row {
		t.Fatalf("holder %d during the commit, want row %d", h, row)
	}
}
