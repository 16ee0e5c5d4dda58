package storage

import (
	"sync/atomic"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// scanPart is one reader's share of a partitioned scan. Every reader of
// the partition walks the same segments and prunes the same row groups
// (pruning is deterministic), numbering the surviving row groups 0, 1,
// 2, ...; each group goes to the first reader to claim it. Claims are
// taken in order through one shared counter, the lowest unclaimed
// number, so a reader slowed down (by a busy CPU, a slow page) simply
// claims fewer groups instead of holding the others up. Reader 0 also
// reads the unflushed tail and the transaction's own rows. The zero
// value reads everything.
type scanPart struct {
	index int
	next  *atomic.Int64 // shared by the readers; nil when not partitioned
	seen  int64         // surviving row groups this reader has walked past
}

// takes numbers the next surviving row group and reports whether this
// reader claimed it. A reader at group o has seen every group before o
// claimed, so the counter is never below o.
func (p *scanPart) takes() bool {
	if p.next == nil {
		return true
	}
	o := p.seen
	p.seen++
	for {
		c := p.next.Load()
		if c > o {
			return false
		}
		if p.next.CompareAndSwap(o, o+1) {
			return true
		}
	}
}

// tail reports whether this reader reads the rows not yet in segments.
func (p *scanPart) tail() bool { return p.index == 0 }

// ScanPartitions splits a scan of t into n readers that together return
// exactly the rows Scan(t, cols, preds) would, each row once, so n
// goroutines can read and process a table in parallel. Each segment row
// group goes to whichever reader reaches it first; the first reader also
// returns the unflushed tail and the transaction's own rows. Each reader
// may be used and closed on its own goroutine.
func (s *Snapshot) ScanPartitions(t *catalog.Table, cols []int, preds []Predicate, n int) ([]RecordReader, error) {
	if n < 1 {
		return nil, pgerr.New(pgerr.InternalError, "scan of %s in %d partitions", t.Name, n)
	}
	ts, err := s.readState(t)
	if err != nil {
		return nil, err
	}
	out := make([]RecordReader, 0, n)
	next := new(atomic.Int64)
	bounded := preparePredicates(ts.table, preds) // once: a runtime filter's In list is long
	for i := range n {
		r, err := newBoundedScan(s.store, ts, s.pending[t.ID], cols, bounded)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, err
		}
		r.part = scanPart{index: i, next: next}
		out = append(out, s.sx.noteRead(t, cols, preds, r))
	}
	return out, nil
}
