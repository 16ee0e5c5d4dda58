package exec

import "github.com/pqdb/pqdb/catalog"

// SetOpKind is INTERSECT or EXCEPT.
type SetOpKind uint8

const (
	SetIntersect SetOpKind = iota
	SetExcept
)

// NewSetOp is left INTERSECT/EXCEPT [ALL] right, with rows compared on
// all columns and NULLs equal. The right input is hashed with a count per
// distinct row; the left input then streams through, each row passing by
// selection (no copy) when the multiset rule admits it:
//
//	INTERSECT      first copy of a row that the right has
//	INTERSECT ALL  up to min(left, right) copies
//	EXCEPT         first copy of a row that the right lacks
//	EXCEPT ALL     the copies beyond the right's count
func NewSetOp(kind SetOpKind, left, right Operator, all bool) Operator {
	return &setOp{kind: kind, left: left, right: right, all: all}
}

type setOp struct {
	kind        SetOpKind
	left, right Operator
	all         bool

	ctx     *Context
	built   bool
	table   *hashTable
	budget  []int64 // per group: right copies not yet matched
	emitted []bool  // per group: distinct variants already output a copy
	groups  []int32
	out     Batch
}

func (s *setOp) Types() []catalog.Type { return s.left.Types() }

func (s *setOp) Open(ctx *Context) error {
	s.ctx, s.built = ctx, false
	s.table = newHashTable(s.left.Types())
	s.budget, s.emitted = s.budget[:0], s.emitted[:0]
	if err := s.left.Open(ctx); err != nil {
		return err
	}
	return s.right.Open(ctx)
}

func (s *setOp) grow() {
	n := s.table.len()
	s.budget = growTo(s.budget, n)
	s.emitted = growTo(s.emitted, n)
}

func (s *setOp) build() error {
	for {
		b, err := s.right.Next()
		if err != nil || b == nil {
			return err
		}
		if err := s.ctx.Ctx.Err(); err != nil {
			return err
		}
		rows := rowsOf(b)
		s.groups = growTo(s.groups[:0], len(rows))
		s.table.find(b.Cols, rows, s.groups, true)
		s.grow()
		for _, g := range s.groups {
			s.budget[g]++
		}
	}
}

func (s *setOp) Next() (*Batch, error) {
	if !s.built {
		s.built = true
		if err := s.build(); err != nil {
			return nil, err
		}
	}
	for {
		b, err := s.left.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if err := s.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		rows := rowsOf(b)
		s.groups = growTo(s.groups[:0], len(rows))
		s.table.find(b.Cols, rows, s.groups, true)
		s.grow()
		var keep []int32
		for k, g := range s.groups {
			if s.admit(g) {
				keep = append(keep, rows[k])
			}
		}
		if len(keep) == 0 {
			continue
		}
		s.out = Batch{Cols: b.Cols, Len: b.Len, Sel: keep}
		return &s.out, nil
	}
}

// admit decides one left row of group g.
func (s *setOp) admit(g int32) bool {
	switch {
	case s.kind == SetIntersect && s.all:
		if s.budget[g] > 0 {
			s.budget[g]--
			return true
		}
	case s.kind == SetIntersect:
		if s.budget[g] > 0 && !s.emitted[g] {
			s.emitted[g] = true
			return true
		}
	case s.all:
		if s.budget[g] > 0 {
			s.budget[g]--
			return false
		}
		return true
	default:
		if s.budget[g] == 0 && !s.emitted[g] {
			s.emitted[g] = true
			return true
		}
	}
	return false
}

func (s *setOp) Close() {
	s.table = nil
	s.left.Close()
	s.right.Close()
}
