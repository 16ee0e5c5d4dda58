package exec

import (
	"github.com/pqdb/pqdb/catalog"
)

// Runtime filters.
//
// Once a hash join has built its right side it knows every key a left
// row can match. When the build is small, the join hands those keys to
// the scan under its left side before opening it, and the scan asks
// storage only for what may hold them: segments, row groups and pages are
// skipped by their statistics, bloom filters and page indexes, so a join
// on a table's key reads a page or two per key instead of the table. The
// join still matches every row it gets, so a filter only saves reading;
// the planner gives one only to joins whose unmatched left rows are
// dropped (inner and semi joins, and the right kinds, which emit a left
// row only with a right row it matches).

// RuntimeFilterMaxKeys is the most distinct keys a build hands on: a
// longer list costs more to hand over (a value each) than it saves.
// Hundreds of thousands still pay: few pages are skipped, but the scan
// decodes its other columns only for the rows whose key is in the list
// (storage's narrowing, by a bitmap or hash set made once per scan), as
// TPC-H Q5's lineitem scan does for the 46 k orders of a region's
// customers in a year, and Q4's at SF10 for 570 k orders of a quarter.
const RuntimeFilterMaxKeys = 1 << 20

// RuntimeFilter carries the build keys of one join key of a hash join to
// the scan of its left side.
type RuntimeFilter struct {
	// Key is the position of the join key among the join's keys.
	Key    int
	values []catalog.Datum
	ok     bool
}

// Values returns the build's values of the key (NULLs left out), or false
// when there is no filter: the build is too large, or it outgrew memory.
func (f *RuntimeFilter) Values() ([]catalog.Datum, bool) { return f.values, f.ok }

// WithRuntimeFilters makes join, made by NewHashJoin, fill filters from
// its build before it opens its left side.
func WithRuntimeFilters(join Operator, filters []*RuntimeFilter) Operator {
	if h, ok := join.(*hashJoinOp); ok && len(filters) > 0 {
		h.filters = filters
	}
	return join
}

// publishFilters fills h's runtime filters from build b (nil when the
// build was partitioned instead, which leaves them empty).
func (h *hashJoinOp) publishFilters(b *joinBuild) error {
	for _, f := range h.filters {
		f.values, f.ok = nil, false
		if b == nil || b.table.len() > RuntimeFilterMaxKeys || b.n > 16*RuntimeFilterMaxKeys {
			continue
		}
		keys, err := evalAll(h.ctx, h.rightKeys[f.Key:f.Key+1], &Batch{Cols: b.cols, Len: b.n})
		if err != nil {
			return err
		}
		// One value per distinct key of the table (the first row of each
		// group), not one per build row: a build of a million rows holds
		// at most RuntimeFilterMaxKeys groups. Rows with a NULL in any key
		// are in no group, and match nothing.
		k, t := keys[0], h.rightKeys[f.Key].Type()
		vals := make([]catalog.Datum, 0, len(b.first))
		for _, r := range b.first {
			vals = append(vals, datumAt(k, t, int(r)))
		}
		releaseAll(keys)
		f.values, f.ok = vals, true
	}
	return nil
}
