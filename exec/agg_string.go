package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// string_agg(text, text) → text and string_agg(bytea, bytea) → bytea, as
// PostgreSQL's string_agg_transfn builds them: a NULL value is skipped; a
// value is appended after its own row's delimiter, where a NULL
// delimiter counts as empty; the result drops the first value's
// delimiter. A group without values is NULL.
//
// Each group keeps PostgreSQL's state: every value with its delimiter in
// front, and the length of the first delimiter, so that two partial
// states concatenate into the state of both (merge).

type stringAggState struct {
	t    catalog.Type
	buf  [][]byte
	skip []int32 // the length of the group's first delimiter
	seen []bool
}

func newStringAggState(a Aggregate) (aggState, error) {
	if a.Arg == nil || a.Arg2 == nil {
		return nil, internalf("string_agg needs two arguments")
	}
	vt, dt := a.Arg.Type(), a.Arg2.Type()
	if physicalOf(vt) != physVarlen || physicalOf(dt) != physVarlen || (vt.Kind == catalog.Bytea) != (dt.Kind == catalog.Bytea) {
		return nil, errNoAggregate(AggStringAgg, vt, dt)
	}
	return &stringAggState{t: a.Type}, nil
}

func (s *stringAggState) grow(g int) {
	s.buf = growTo(s.buf, g)
	s.skip = growTo(s.skip, g)
	s.seen = growTo(s.seen, g)
}

func (s *stringAggState) update(args []arrow.Array, rows, groups []int32) error {
	vals, delims := varlenViewOf(args[0]), varlenViewOf(args[1])
	for k, i := range rows {
		if !vals.valid(int(i)) {
			continue
		}
		g := groups[k]
		if delims.valid(int(i)) {
			d := delims.bytes(int(i))
			if !s.seen[g] {
				s.skip[g] = int32(len(d))
			}
			s.buf[g] = append(s.buf[g], d...)
		}
		s.buf[g] = append(s.buf[g], vals.bytes(int(i))...)
		s.seen[g] = true
	}
	return nil
}

func (s *stringAggState) merge(from aggState, groups []int32) error {
	f := from.(*stringAggState)
	for g, seen := range f.seen {
		t := groups[g]
		if !seen || t < 0 {
			continue
		}
		if !s.seen[t] {
			s.buf[t], s.skip[t], s.seen[t] = append(s.buf[t][:0], f.buf[g]...), f.skip[g], true
			continue
		}
		s.buf[t] = append(s.buf[t], f.buf[g]...)
	}
	return nil
}

func (s *stringAggState) copyGroup(from, to int32) {
	s.buf[to] = append(s.buf[to][:0], s.buf[from]...)
	s.skip[to], s.seen[to] = s.skip[from], s.seen[from]
}

func (s *stringAggState) finish(mem memory.Allocator) (arrow.Array, error) {
	size := 0
	for _, b := range s.buf {
		size += len(b)
	}
	out := newVarlenBuilder(mem, len(s.buf), size)
	for g, b := range s.buf {
		if !s.seen[g] {
			out.appendNull()
			continue
		}
		out.appendBytes(b[s.skip[g]:])
	}
	return out.finish(s.t), nil
}
