package storage

import "testing"

// TestCommitCountersOutOfTheLog: commits store no seq in meta, and
// store the row id mark only when the ids in use pass it; after a crash
// the namespace goes on from its newest commit's seq, and from a seq a
// database stored in meta when that is higher (older databases).
func TestCommitCountersOutOfTheLog(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for i := range 20 {
		mustInsert(t, s, tbl, kvRecord([]int64{int64(i)}, []string{"v"}))
	}
	ns := s.namespace("public")
	seq := ns.state.Load().seq
	var n, mark int64
	if err := ns.db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'seq'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("meta holds a seq")
	}
	if err := ns.db.QueryRow(`SELECT value FROM meta WHERE key = 'next_row_id'`).Scan(&mark); err != nil {
		t.Fatal(err)
	}
	if next := ns.nextRowID.Load(); mark < next || mark > next+rowIDReserve {
		t.Errorf("stored row id mark %d, ids in use up to %d", mark, next)
	}
	if ns.counters.rowIDs != mark {
		t.Errorf("writer's row id mark %d, stored %d", ns.counters.rowIDs, mark)
	}
	s.crash()

	s = openTest(t, dir, Options{})
	ns = s.namespace("public")
	if got := ns.state.Load().seq; got != seq {
		t.Fatalf("seq after reopening %d, want %d", got, seq)
	}
	if next := ns.nextRowID.Load(); next != mark {
		t.Errorf("next row id after reopening %d, want the stored mark %d", next, mark)
	}
	mustInsert(t, s, s.Snapshot().Table("public", "kv"), kvRecord([]int64{100}, []string{"w"}))
	if got := ns.state.Load().seq; got != seq+1 {
		t.Errorf("seq of the next commit %d, want %d", got, seq+1)
	}
	if _, err := ns.db.Exec(`INSERT INTO meta(key, value) VALUES('seq', ?)`, seq+10); err != nil {
		t.Fatal(err)
	}
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := s.namespace("public").state.Load().seq; got != seq+10 {
		t.Errorf("seq after reopening with a higher stored seq %d, want %d", got, seq+10)
	}
	if got, _ := scanAll(t, s.Snapshot(), s.Snapshot().Table("public", "kv")); len(got) != 21 {
		t.Errorf("after reopening: %d rows, want 21", len(got))
	}
}
