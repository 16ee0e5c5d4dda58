package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// any_value: a group's value of a column that has one value per group.
//
// A query grouped by a table's primary key may read the table's other
// columns (functional dependency), and the planner groups by those
// columns then too. Hashing and comparing them as keys (long strings,
// often) costs more than anything else the aggregate does, and they
// keep the key from the direct map of one integer column; so the planner
// groups by the key alone and reads the others through AggAnyValue,
// which keeps the value of each group's first row.
//
// A state gathers, batch by batch, the values of the groups that showed
// up in it (the batch's memory goes away after update), and keeps each
// group's position among them. Groups show up in the order they are
// numbered, so the values are usually in group order already and finish
// returns them as they are.

// anyValueState keeps the first value of each group.
type anyValueState struct {
	t catalog.Type
	// parts are the values gathered so far, in the order the groups
	// showed up; n counts them.
	parts []arrow.Array
	n     int32
	bytes int64 // the parts' size
	// pos is each group's value's position, -1 before it has one.
	pos []int32
	idx []int32 // scratch
}

func newAnyValueState(t catalog.Type) *anyValueState { return &anyValueState{t: t} }

func (s *anyValueState) grow(groups int) {
	for len(s.pos) < groups {
		s.pos = append(s.pos, -1)
	}
}

func (s *anyValueState) update(args []arrow.Array, rows, groups []int32) error {
	s.idx = s.idx[:0]
	for k, g := range groups {
		if s.pos[g] < 0 {
			s.pos[g] = s.n + int32(len(s.idx))
			s.idx = append(s.idx, rows[k])
		}
	}
	s.gather(args[0], s.idx)
	return nil
}

// gather appends rows idx of a to the values.
func (s *anyValueState) gather(a arrow.Array, idx []int32) {
	if len(idx) > 0 {
		part := take(memory.DefaultAllocator, s.t, a, idx)
		s.parts = append(s.parts, part)
		s.n += int32(len(idx))
		s.bytes += arraysSize(s.parts[len(s.parts)-1:])
	}
}

// values returns every value gathered, as one array (nil: none).
func (s *anyValueState) values() (arrow.Array, error) {
	switch len(s.parts) {
	case 0:
		return nil, nil
	case 1:
		return s.parts[0], nil
	}
	all, err := array.Concatenate(s.parts, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	for _, p := range s.parts {
		p.Release()
	}
	s.parts = append(s.parts[:0], all)
	return all, nil
}

func (s *anyValueState) merge(from aggState, groups []int32) error {
	f := from.(*anyValueState)
	vals, err := f.values()
	if err != nil {
		return err
	}
	s.idx = s.idx[:0]
	for g, p := range f.pos {
		if t := groups[g]; t >= 0 && p >= 0 && s.pos[t] < 0 {
			s.pos[t] = s.n + int32(len(s.idx))
			s.idx = append(s.idx, p)
		}
	}
	s.gather(vals, s.idx)
	return nil
}

func (s *anyValueState) copyGroup(from, to int32) { s.pos[to] = s.pos[from] }

func (s *anyValueState) heldBytes() int64 { return s.bytes + 4*int64(len(s.pos)) }

func (s *anyValueState) finish(mem memory.Allocator) (arrow.Array, error) {
	vals, err := s.values()
	if err != nil {
		return nil, err
	}
	inOrder := vals != nil && vals.Len() == len(s.pos)
	for g, p := range s.pos {
		inOrder = inOrder && p == int32(g)
	}
	if inOrder {
		vals.Retain()
		return vals, nil
	}
	return takeNullable(mem, s.t, vals, s.pos), nil
}
