package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// array_agg(x) → x[], as PostgreSQL's array_agg_transfn builds it: every
// value in the order the rows come (NULLs too); a group without rows is
// NULL. The values of all groups are copied into one column as they
// arrive, and each group keeps the positions of its own, so merging two
// states appends the other's values after this one's.

type arrayAggState struct {
	t    catalog.Type
	vals *columnAppender
	n    int32
	idx  [][]int32
	seen []bool
}

func newArrayAggState(a Aggregate) (aggState, error) {
	if a.Arg == nil {
		return nil, internalf("array_agg needs an argument")
	}
	at := a.Arg.Type()
	if at.Kind == catalog.Array {
		return nil, pgerr.Unsupported("array_agg of arrays (multidimensional arrays) is not supported")
	}
	return &arrayAggState{t: a.Type, vals: newColumnAppender(memory.DefaultAllocator, at, 0)}, nil
}

func (s *arrayAggState) grow(g int) {
	s.idx = growTo(s.idx, g)
	s.seen = growTo(s.seen, g)
}

func (s *arrayAggState) update(args []arrow.Array, rows, groups []int32) error {
	for k, i := range rows {
		g := groups[k]
		s.vals.appendFrom(args[0], int(i))
		s.idx[g] = append(s.idx[g], s.n)
		s.n++
		s.seen[g] = true
	}
	return nil
}

func (s *arrayAggState) merge(from aggState, groups []int32) error {
	f := from.(*arrayAggState)
	// Reading f's values finishes its appender: f gets a new one holding
	// them, to finish the groups not merged.
	vals := f.vals.finish()
	defer vals.Release()
	f.vals = newColumnAppender(memory.DefaultAllocator, s.vals.t, vals.Len())
	for i := range vals.Len() {
		f.vals.appendFrom(vals, i)
	}
	for g, seen := range f.seen {
		t := groups[g]
		if !seen || t < 0 {
			continue
		}
		for _, i := range f.idx[g] {
			s.vals.appendFrom(vals, int(i))
			s.idx[t] = append(s.idx[t], s.n)
			s.n++
		}
		s.seen[t] = true
	}
	return nil
}

func (s *arrayAggState) copyGroup(from, to int32) {
	s.idx[to] = append(s.idx[to][:0], s.idx[from]...)
	s.seen[to] = s.seen[from]
}

func (s *arrayAggState) finish(mem memory.Allocator) (arrow.Array, error) {
	vals := s.vals.finish()
	defer vals.Release()
	s.vals = newColumnAppender(memory.DefaultAllocator, s.vals.t, 0)
	out := newListBuilder(mem, s.t, len(s.idx))
	src := out.source(vals)
	for g, idx := range s.idx {
		if !s.seen[g] {
			out.appendNull()
			continue
		}
		for _, i := range idx {
			out.appendElem(src, i)
		}
		out.endRow()
	}
	return out.finish(), nil
}

// minMaxArray is min and max of arrays, in the array order (array_larger,
// array_smaller): each group keeps its best value with its key.
type minMaxArray struct {
	t    catalog.Type
	max  bool
	keys [][]byte
	vals []catalog.Datum
	seen []bool
}

func (s *minMaxArray) grow(g int) {
	s.keys = growTo(s.keys, g)
	s.vals = growTo(s.vals, g)
	s.seen = growTo(s.seen, g)
}

func (s *minMaxArray) better(k []byte, g int32) bool {
	if !s.seen[g] {
		return true
	}
	c := bytes.Compare(k, s.keys[g])
	return s.max && c > 0 || !s.max && c < 0
}

func (s *minMaxArray) update(args []arrow.Array, rows, groups []int32) error {
	keys := arrayKeysOf(s.t, args[0])
	for k, i := range rows {
		if args[0].IsNull(int(i)) {
			continue
		}
		g := groups[k]
		if key := keys.key(int(i)); s.better(key, g) {
			s.keys[g] = append(s.keys[g][:0], key...)
			s.vals[g] = listDatumAt(args[0], s.t, int(i))
			s.seen[g] = true
		}
	}
	return nil
}

func (s *minMaxArray) merge(from aggState, groups []int32) error {
	f := from.(*minMaxArray)
	for g, seen := range f.seen {
		if t := groups[g]; seen && t >= 0 && s.better(f.keys[g], t) {
			s.keys[t] = append(s.keys[t][:0], f.keys[g]...)
			s.vals[t], s.seen[t] = f.vals[g], true
		}
	}
	return nil
}

func (s *minMaxArray) copyGroup(from, to int32) {
	s.keys[to] = append(s.keys[to][:0], s.keys[from]...)
	s.vals[to], s.seen[to] = s.vals[from], s.seen[from]
}

func (s *minMaxArray) finish(mem memory.Allocator) (arrow.Array, error) {
	return arrayDatumsToList(mem, s.t, s.vals)
}
