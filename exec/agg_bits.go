package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// bit_and, bit_or and bit_xor over int2, int4 and int8, of the
// argument's type: NULLs are skipped and a group without values is NULL.
// (PostgreSQL also has them over bit strings, which pqdb does not have.)

type bitAggState[T int16 | int32 | int64] struct {
	fn AggFunc
	t  catalog.Type
	valueAndSeen[T]
}

func newBitAggState(fn AggFunc, t catalog.Type) (aggState, error) {
	switch t.Kind {
	case catalog.Int2:
		return &bitAggState[int16]{fn: fn, t: t}, nil
	case catalog.Int4:
		return &bitAggState[int32]{fn: fn, t: t}, nil
	case catalog.Int8:
		return &bitAggState[int64]{fn: fn, t: t}, nil
	}
	return nil, errNoAggregate(fn, t)
}

func (s *bitAggState[T]) update(args []arrow.Array, rows, groups []int32) error {
	vals := fixedValues[T](args[0])
	v := validityOf(args[0])
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g, x := groups[k], vals[i]
		if !s.seen[g] {
			s.val[g], s.seen[g] = x, true
			continue
		}
		switch s.fn {
		case AggBitAnd:
			s.val[g] &= x
		case AggBitOr:
			s.val[g] |= x
		default:
			s.val[g] ^= x
		}
	}
	return nil
}

func (s *bitAggState[T]) merge(from aggState, groups []int32) error {
	s.mergeValues(&from.(*bitAggState[T]).valueAndSeen, groups, func(cur, other T) T {
		switch s.fn {
		case AggBitAnd:
			return cur & other
		case AggBitOr:
			return cur | other
		}
		return cur ^ other
	})
	return nil
}

func (s *bitAggState[T]) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newFixedBuilder[T](mem, len(s.val))
	for g, x := range s.val {
		if !s.seen[g] {
			b.setNull(g)
			continue
		}
		b.vals[g] = x
	}
	return b.finish(s.t), nil
}
