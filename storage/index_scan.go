package storage

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// An index scan reads the same rows as a scan with the same predicates,
// finding the rows of each segment through the segment's index file of
// one secondary index (index_files.go) instead of the segment's own
// statistics and page index:
//
//  1. the predicates on the index's key columns, renumbered over the
//     index file's columns (and their values encoded as order keys for
//     the key columns the file holds so, index_order_keys.go), select
//     the index file's pages by its page index (its leading key is
//     sorted, so its page bounds are tight),
//     and an equality on a key column narrows those to the rows holding
//     its values (page_narrow.go);
//  2. their positions, sorted, become row ranges of the segment's row
//     groups: a row group without any is skipped, the others decode only
//     the pages of their ranges (page_read.go), and the scan's equality
//     narrowing and deletion handling apply to them as to any ranges.
//
// Like every pruning, the lookup only leaves out rows that cannot match
// (the caller still filters): a segment without the index's file, or
// whose file cannot be read, is scanned as usual, and a row group where
// most rows match is read whole. The tail and the transaction's own rows
// are scanned as always.

// indexScan is the index a scan looks segment rows up through.
type indexScan struct {
	ix    *catalog.Index
	ixt   *catalog.Table     // the index files' table (indexTable)
	preds []boundedPredicate // over ixt's columns

	// groupsOf is the segment groups describes: per row group, the rows
	// the index found (nil: all of them; empty: none), or nil when the
	// segment has no index file.
	groupsOf *Segment
	groups   [][]rowRange
}

// ScanIndex is Scan(t, cols, preds) finding segment rows through the
// index files of ix, an index of t, when the predicates constrain its
// leading key column (Eq, In or a comparison); otherwise it is Scan.
func (s *Snapshot) ScanIndex(t *catalog.Table, ix *catalog.Index, cols []int, preds []Predicate) (RecordReader, error) {
	return s.scan(t, cols, preds, func(r *scanReader) { r.index = newIndexScan(t, ix, preds) })
}

// newIndexScan returns the lookup of preds through ix, or nil when ix
// has no files or no predicate bounds its leading key.
func newIndexScan(t *catalog.Table, ix *catalog.Index, preds []Predicate) *indexScan {
	ixt, ok := indexTable(t, ix)
	if !ok {
		return nil
	}
	var keyPreds []Predicate
	for _, p := range preds {
		if p.Column < 0 || p.Column >= len(t.Columns) {
			continue
		}
		if k := slices.Index(ix.Columns, t.Columns[p.Column].Name); k >= 0 {
			p.Column = k
			if src, encoded := indexKeySource(t, ixt, k); encoded {
				var ok bool
				if p, ok = orderKeyPredicate(src, p); !ok {
					continue
				}
			}
			keyPreds = append(keyPreds, p)
		}
	}
	bounded := preparePredicates(ixt, keyPreds)
	if !slices.ContainsFunc(bounded, func(p boundedPredicate) bool { return p.column == 0 && p.op != IsNotNull }) {
		return nil
	}
	return &indexScan{ix: ix, ixt: ixt, preds: bounded}
}

// indexRanges returns the rows of row group g of seg that the index
// lookup leaves, as selectRows does; ok is false when seg has no index
// file or most of the group's rows match, and the scan prunes as usual.
func (r *scanReader) indexRanges(seg *Segment, g int) (ranges []rowRange, skip, ok bool, err error) {
	x := r.index
	if x.groupsOf != seg {
		x.groupsOf, x.groups = seg, nil
		file := seg.indexFileOf(x.ix.ID)
		if file == "" {
			return nil, false, false, nil
		}
		pos, err := r.store.indexPositions(tableFile(r.ts.prefix, file), x.ixt, x.preds, r.counts)
		if err != nil {
			return nil, false, false, pgerr.New(pgerr.DataCorrupted, "could not read index %q of table %q: %v", x.ix.Name, r.ts.table.Name, err)
		}
		x.groups = r.positionRanges(pos)
	}
	if x.groups == nil || g >= len(x.groups) {
		return nil, false, false, nil
	}
	ranges = x.groups[g]
	switch {
	case ranges == nil: // most rows match: prune as usual
		return nil, false, false, nil
	case len(ranges) == 0:
		r.counts.rowGroup(true)
		return nil, true, true, nil
	}
	return ranges, false, true, nil
}

// positionRanges splits sorted positions of the current segment file into
// row ranges per row group: nil for a group where more than a quarter of
// the rows match (decoding it whole is cheaper than cutting it up),
// empty for one where none does.
func (r *scanReader) positionRanges(pos []int64) [][]rowRange {
	groups := r.file.pf.RowGroups()
	out := make([][]rowRange, len(groups))
	i := 0
	for g, rg := range groups {
		start, rows := r.groupStart(g), rg.NumRows()
		ranges := []rowRange{}
		n := 0
		for ; i < len(pos) && pos[i] < start+rows; i++ {
			row := pos[i] - start
			n++
			if k := len(ranges); k > 0 && ranges[k-1].hi >= row {
				ranges[k-1].hi = max(ranges[k-1].hi, row+1)
				continue
			}
			ranges = append(ranges, rowRange{row, row + 1})
		}
		if int64(n) > rows/4 {
			ranges = nil
		}
		out[g] = ranges
	}
	return out
}

// indexPositions returns, sorted, the segment positions that the index
// file at path (of index table ixt) holds under keys that may satisfy
// preds (over ixt's columns). What it reads is counted in counts as
// index files and pages, its bytes as bytes read.
func (s *Store) indexPositions(path string, ixt *catalog.Table, preds []boundedPredicate, counts *ScanCounts) ([]int64, error) {
	var ic ScanCounts
	sf, err := s.files.openCounting(path, nil)
	if err != nil {
		return nil, err
	}
	defer sf.release()
	posLeaf, ok := sf.leaves[rowIDColumn]
	if !ok {
		return nil, fmt.Errorf("index file %s has no %s column", path, rowIDColumn)
	}
	// The index file's columns are the key columns in key order, so key
	// column k is leaf k (keys are never lists).
	cols := make([]pruneColumn, len(preds))
	for i, p := range preds {
		cols[i] = pruneColumn{leaf: p.column, pageBound: segmentPageBound(ixt.Columns[p.column].Type)}
		if p.dom == domFloat {
			cols[i].pageBound = nil // pages may hide NaN
		}
	}
	var pos []int64
	for g, rg := range sf.pf.RowGroups() {
		rows := rg.NumRows()
		ranges := matchingRows(sf.pf, g, rows, preds, cols, []rowRange{{0, rows}})
		if len(ranges) == 0 {
			continue
		}
		rr := rowGroupReader{pf: sf.pf, file: sf.reader(&ic), g: g, rg: rg, ranges: ranges, counts: &ic, sf: sf}
		for i := range preds {
			p := &preds[i]
			t := ixt.Columns[p.column].Type
			if p.equalities() == nil || !narrowable(t) {
				continue
			}
			narrowed, ok, err := rr.narrowRanges(p.column, t, p)
			if err != nil {
				rr.release()
				return nil, err
			}
			rr.release()
			if ok {
				if narrowed == nil {
					narrowed = []rowRange{} // no row holds the values
				}
				rr.ranges = narrowed
			}
			break
		}
		if len(rr.ranges) == 0 {
			continue
		}
		arr, err := rr.readColumn(posLeaf, catalog.TypeInt8)
		rr.release()
		if err != nil {
			return nil, err
		}
		pos = append(pos, arr.(*array.Int64).Int64Values()...)
		arr.Release()
	}
	slices.Sort(pos)
	if counts != nil {
		counts.IndexFiles.Add(1)
		counts.IndexPages.Add(ic.Pages.Load())
		counts.BytesRead.Add(ic.BytesRead.Load())
	}
	return pos, nil
}

// orderKeyPredicate is p, a predicate on a key column of type t, over
// the column's order keys (index_order_keys.go): its values encoded, so
// that a key satisfies it exactly when the value does; false when p
// cannot be (a comparison of keys that do not sort, a value not of t).
// A NULL in an In list is dropped as preparePredicates drops it.
func orderKeyPredicate(t catalog.Type, p Predicate) (Predicate, bool) {
	switch p.Op {
	case IsNull, IsNotNull:
		return p, true
	case In:
		vals := make([]catalog.Datum, 0, len(p.Values))
		for _, v := range p.Values {
			if v == nil {
				continue
			}
			key, ok := orderKeyOf(t, v)
			if !ok {
				return p, false
			}
			vals = append(vals, key)
		}
		p.Values = vals
		return p, len(vals) > 0
	case Eq:
	default:
		if !orderKeysSort(t) {
			return p, false
		}
	}
	key, ok := orderKeyOf(t, p.Value)
	p.Value = key
	return p, ok
}
