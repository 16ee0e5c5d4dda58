package storage

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// scanPart is one reader's share of a partitioned scan. Every reader of
// the partition walks the same segments and prunes the same row groups
// (pruning is deterministic), numbering the surviving row groups 0, 1,
// 2, ...; reader p of n reads the groups numbered p mod n. Reader 0 also
// reads the unflushed tail and the transaction's own rows. The zero
// value reads everything.
type scanPart struct {
	index, count int
	seen         int // surviving row groups numbered so far
}

// takes numbers the next surviving row group and reports whether it is
// this reader's.
func (p *scanPart) takes() bool {
	if p.count <= 1 {
		return true
	}
	n := p.seen
	p.seen++
	return n%p.count == p.index
}

// tail reports whether this reader reads the rows not yet in segments.
func (p *scanPart) tail() bool { return p.index == 0 }

// ScanPartitions splits a scan of t into n readers that together return
// exactly the rows Scan(t, cols, preds) would, each row once, so n
// goroutines can read and process a table in parallel. Segment row
// groups are dealt out round robin; the first reader also returns the
// unflushed tail and the transaction's own rows. The readers are
// independent: each may be used and closed on its own goroutine.
func (s *Snapshot) ScanPartitions(t *catalog.Table, cols []int, preds []Predicate, n int) ([]RecordReader, error) {
	if n < 1 {
		return nil, pgerr.New(pgerr.InternalError, "scan of %s in %d partitions", t.Name, n)
	}
	st := s.spaces[t.Schema]
	if st == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", t.Name)
	}
	ts := st.byID[t.ID]
	if ts == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", t.Name)
	}
	out := make([]RecordReader, 0, n)
	for i := range n {
		r, err := newScan(s.store, ts, s.pending[t.ID], cols, preds)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			return nil, err
		}
		r.part = scanPart{index: i, count: n}
		out = append(out, r)
	}
	return out, nil
}
