package exec

import (
	"bytes"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/prefixword"
)

// ORDER BY inside an aggregate call (string_agg(x, ',' ORDER BY y DESC),
// sum(x ORDER BY y)): sortedAggState keeps a copy of every row's
// arguments and sort keys with its group, and when the input has ended
// sorts them by (group, keys), stably, and feeds them to the
// aggregate's own state in that order, in one update. The ordered-set
// aggregates (agg_ordered_set.go) buffer and sort their values the same
// way.
//
// The buffered rows live on the Go heap (bufferMem), not in the
// statement's allocator: the state has no close step where an error in
// the middle of the input could release them.

var bufferMem = memory.NewGoAllocator()

// rowBuffer keeps copies of rows of some columns, and each row's group.
type rowBuffer struct {
	types  []catalog.Type
	chunks [][]arrow.Array
	groups []int32
}

// add copies rows of cols; with skipNull, only those where cols[0] is
// not NULL.
func (r *rowBuffer) add(cols []arrow.Array, rows, groups []int32, skipNull bool) {
	if skipNull && cols[0].NullN() > 0 {
		v := validityOf(cols[0])
		var kr, kg []int32
		for k, i := range rows {
			if v.valid(int(i)) {
				kr, kg = append(kr, i), append(kg, groups[k])
			}
		}
		rows, groups = kr, kg
	}
	if len(rows) == 0 {
		return
	}
	chunk := make([]arrow.Array, len(cols))
	for c, a := range cols {
		chunk[c] = take(bufferMem, r.types[c], a, rows)
	}
	r.chunks = append(r.chunks, chunk)
	r.groups = append(r.groups, groups...)
}

// columns returns the buffered rows as one array per column.
func (r *rowBuffer) columns() ([]arrow.Array, error) {
	out := make([]arrow.Array, len(r.types))
	for c, t := range r.types {
		if len(r.chunks) == 0 {
			out[c] = nullArray(bufferMem, t, 0)
			continue
		}
		if len(r.chunks) == 1 {
			out[c] = r.chunks[0][c]
			continue
		}
		parts := make([]arrow.Array, len(r.chunks))
		for i, ch := range r.chunks {
			parts[i] = ch[c]
		}
		a, err := array.Concatenate(parts, bufferMem)
		if err != nil {
			return nil, internalf("aggregate ORDER BY: %v", err)
		}
		out[c] = a
	}
	r.chunks = nil
	return out, nil
}

// sortGroupRows orders rows 0..len(groups)-1 of the key columns by
// (group, keys), equal keys in input order, and returns the row order,
// the group of each ordered row and the encoded keys.
func sortGroupRows(keys []SortKey, keyCols []arrow.Array, groups []int32) (order, orderGroups []int32, sk *sortKeys) {
	n := len(groups)
	sk = encodeSortKeys(keys, keyCols, n)
	type entry struct {
		group  int32
		row    int32
		prefix uint64
	}
	entries := make([]entry, n)
	for i := range entries {
		entries[i] = entry{group: groups[i], row: int32(i), prefix: prefixword.Of(sk.key(i))}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.group != b.group:
			return int(a.group - b.group)
		case a.prefix < b.prefix:
			return -1
		case a.prefix > b.prefix:
			return 1
		}
		if c := bytes.Compare(sk.key(int(a.row)), sk.key(int(b.row))); c != 0 {
			return c
		}
		return int(a.row - b.row)
	})
	order, orderGroups = make([]int32, n), make([]int32, n)
	for i, e := range entries {
		order[i], orderGroups[i] = e.row, e.group
	}
	return order, orderGroups, sk
}

// sortedAggState is an aggregate with ORDER BY: inner folds the rows
// in key order once all have arrived.
type sortedAggState struct {
	inner aggState
	nargs int
	keys  []SortKey
	buf   rowBuffer
}

func newSortedAggState(inner aggState, a Aggregate) aggState {
	return &sortedAggState{inner: inner, nargs: aggArgCount(a), keys: a.OrderBy, buf: rowBuffer{types: typesOf(aggInputs(a))}}
}

func (s *sortedAggState) grow(g int) { s.inner.grow(g) }

func (s *sortedAggState) update(args []arrow.Array, rows, groups []int32) error {
	s.buf.add(args, rows, groups, false)
	return nil
}

func (s *sortedAggState) merge(aggState, []int32) error {
	return internalf("merge of an aggregate with ORDER BY")
}

// copyGroup is never called: window functions have no aggregate ORDER
// BY.
func (s *sortedAggState) copyGroup(from, to int32) {}

func (s *sortedAggState) finish(mem memory.Allocator) (arrow.Array, error) {
	cols, err := s.buf.columns()
	if err != nil {
		return nil, err
	}
	if n := len(s.buf.groups); n > 0 {
		order, groups, _ := sortGroupRows(s.keys, cols[s.nargs:], s.buf.groups)
		if err := s.inner.update(cols[:s.nargs], order, groups); err != nil {
			return nil, err
		}
	}
	s.buf.groups = nil
	return s.inner.finish(mem)
}
