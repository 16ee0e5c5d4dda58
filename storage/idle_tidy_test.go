package storage

import (
	"fmt"
	"testing"
	"time"
)

// TestIdleTidyFlushesAndMerges: a writer left idle flushes a tail of
// single-row batches, then merges its table's small segments into one,
// and every row stays; without Options.IdleTidy nothing changes.
func TestIdleTidyFlushesAndMerges(t *testing.T) {
	for _, idle := range []time.Duration{0, 20 * time.Millisecond} {
		s := openTest(t, t.TempDir(), Options{RowGroupRows: 64, IdleTidy: idle})
		tbl := kvTable("kv")
		mustCreate(t, s, tbl)
		for i := range 3 {
			mustInsert(t, s, tbl, kvRows(5, int64(i*5), "seg"))
			mustCheckpoint(t, s)
		}
		for k := range int64(30) {
			mustInsert(t, s, tbl, kvRecord([]int64{100 + k}, []string{"tail"}))
		}
		want, _ := scanAll(t, s.Snapshot(), tbl)
		tidied := func() bool {
			ts := s.Snapshot().tableState(tbl)
			return len(ts.inserts) == 0 && len(ts.manifest.Segments) == 1
		}
		deadline := time.Now().Add(10 * time.Second)
		for !tidied() && time.Now().Before(deadline) && idle > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		if idle == 0 {
			time.Sleep(100 * time.Millisecond)
		}
		ts := s.Snapshot().tableState(tbl)
		if got := tidied(); got != (idle > 0) {
			t.Fatalf("IdleTidy %v: %d tail batches and %d segments", idle, len(ts.inserts), len(ts.manifest.Segments))
		}
		if len(want) != 45 {
			t.Fatalf("IdleTidy %v: the model has %d rows, want 45", idle, len(want))
		}
		wantScanned(t, s.Snapshot(), tbl, want, fmt.Sprintf("IdleTidy %v", idle))
		s.Close()
	}
}
