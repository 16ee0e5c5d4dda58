package exec

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Enums (catalog/enum.go): a column of an enum type holds the labels'
// text, so storage, hashing, equality and output treat it as a string.
// What depends on the enum's labels takes them from the planner, which
// reads them from the catalog of the statement:
//
//   - EnumRank maps values to their position in the declared order; the
//     planner orders enums (comparisons, ORDER BY, window and aggregate
//     orders) by it.
//   - EnumInput reads text as enum values, rejecting what is no label
//     (enum_in).
//   - min and max keep the value of the lowest or highest rank
//     (Aggregate.EnumLabels).
//
// Without the labels, exec refuses rather than order enums by their text:
// their comparison kernels other than = and <> do not exist, and a cast
// to an enum type from text fails.

// enumLabelRanks maps each label to its position in sort order.
func enumLabelRanks(labels []string) map[string]int32 {
	m := make(map[string]int32, len(labels))
	for i, l := range labels {
		m[l] = int32(i)
	}
	return m
}

// EnumRank returns the int4 position of each value of arg (an enum, or a
// string that must be one of labels) among labels, the enum's labels in
// sort order; NULL stays NULL.
func EnumRank(arg Expr, labels []string) Expr {
	ranks := enumLabelRanks(labels)
	name := arg.Type().Enum.Name
	return &unaryExpr{arg: arg, t: catalog.TypeInt4, kernel: func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			r, ok := ranks[bytesAsString(x.bytes(int(i)))]
			if !ok {
				out.finish(catalog.TypeInt4).Release()
				return nil, catalog.ErrInvalidEnumLabel(name, x.str(int(i)))
			}
			out.vals[i] = r
		}
		return out.finish(catalog.TypeInt4), nil
	}}
}

// EnumLabel is the inverse of EnumRank: the label at each int4 position
// of arg, as a value of the enum type t.
func EnumLabel(arg Expr, t catalog.Type, labels []string) Expr {
	return &unaryExpr{arg: arg, t: t, kernel: func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[int32](xa)
		return mapToVarlen(mem, t, xa, b, func(dst []byte, i int) ([]byte, error) {
			return append(dst, labels[x[i]]...), nil
		})
	}}
}

// EnumInput converts arg, of a string type, to t, an enum type or an
// array of one whose labels are labels, as the enum's input function
// reads text: 22P02 for text that is no label.
func EnumInput(arg Expr, t catalog.Type, labels []string) (Expr, error) {
	from := arg.Type()
	if !from.IsString() && from.Kind != catalog.Unknown {
		return nil, errCannotCast(from, t)
	}
	var parse unaryKernel
	if t.Kind == catalog.Array {
		// The array's text form, read element by element.
		k, err := fromTextKernel(from, t, time.UTC)
		if err != nil {
			return nil, err
		}
		parse = k
	} else {
		parse = stringToString(from, catalog.TypeText)
	}
	valid := make(map[string]bool, len(labels))
	for _, l := range labels {
		valid[l] = true
	}
	name := t.Enum.Name
	return &unaryExpr{arg: arg, t: t, kernel: func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		out, err := parse(mem, xa, b)
		if err != nil {
			return nil, err
		}
		if err := checkEnumLabels(out, t, b, valid, name); err != nil {
			out.Release()
			return nil, err
		}
		return out, nil
	}}, nil
}

// checkEnumLabels fails with enum_in's error when a selected value of a
// (of type t, an enum or an array of one) is not in valid.
func checkEnumLabels(a arrow.Array, t catalog.Type, b *Batch, valid map[string]bool, name string) error {
	check := func(x varlenView, i int) error {
		if x.valid(i) && !valid[bytesAsString(x.bytes(i))] {
			return catalog.ErrInvalidEnumLabel(name, x.str(i))
		}
		return nil
	}
	if t.Kind != catalog.Array {
		x := varlenViewOf(a)
		for _, i := range rowsOf(b) {
			if err := check(x, int(i)); err != nil {
				return err
			}
		}
		return nil
	}
	l := listViewOf(a)
	x := varlenViewOf(l.values)
	for _, i := range rowsOf(b) {
		if !l.valid(int(i)) {
			continue
		}
		lo, hi := l.bounds(int(i))
		for j := lo; j < hi; j++ {
			if err := check(x, j); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckEnumColumn fails with enum_in's error when a value of a column of
// type t (an enum or an array of one) is no label of the enum, whose
// labels are labels: rows that reach a table by COPY were read without
// them.
func CheckEnumColumn(a arrow.Array, t catalog.Type, labels []string) error {
	valid := make(map[string]bool, len(labels))
	for _, l := range labels {
		valid[l] = true
	}
	return checkEnumLabels(a, t, &Batch{Len: a.Len()}, valid, t.Enum.Name)
}

// enumCastKernel is the cast between from and to when either is an enum
// or an array of enums: to a string type they print their labels; into an
// enum type only EnumInput, which has the labels, reads text.
func enumCastKernel(from, to catalog.Type) (unaryKernel, error) {
	switch {
	case from.Kind == catalog.Enum && to.IsString():
		return stringToString(from, to), nil
	case from.Kind == catalog.Array && to.IsString():
		return toTextKernel(from, to, time.UTC)
	case to.HasEnum() && (from.IsString() || from.Kind == catalog.Unknown):
		return nil, pgerr.New(pgerr.InternalError, "a cast from %s to the enum type %s was planned without its labels", from, to)
	}
	return nil, errCannotCast(from, to)
}

// errEnumOrder refuses an order comparison of enum values planned
// without the enum's labels.
func errEnumOrder(op BinaryOp, t catalog.Type) error {
	return pgerr.New(pgerr.InternalError, "operator %s on enum type %s was planned without its labels", op, t)
}

// enumEqualityKernel compares two enum values (or arrays of them) of one
// type for equality by their labels; other operators need the order.
func enumEqualityKernel(op BinaryOp, lt, rt catalog.Type) (binaryKernel, error) {
	if lt != rt {
		return nil, errOperatorDoesNotExist(op.String(), lt, rt)
	}
	if op != OpEq && op != OpNe {
		return nil, errEnumOrder(op, lt)
	}
	if lt.Kind == catalog.Array {
		return arrayCompare(op, lt), nil
	}
	return varlenCompare(op, false, false), nil
}

// minMaxEnum is min or max of an enum: the value of the lowest or highest
// rank among the enum's labels.
type minMaxEnum struct {
	t     catalog.Type
	max   bool
	ranks map[string]int32
	valueAndSeen[string]
}

func newMinMaxEnum(t catalog.Type, isMax bool, labels []string) (aggState, error) {
	if labels == nil {
		return nil, pgerr.New(pgerr.InternalError, "min or max of enum type %s was planned without its labels", t)
	}
	return &minMaxEnum{t: t, max: isMax, ranks: enumLabelRanks(labels)}, nil
}

// better reports whether label a goes before (min) or after (max) b.
func (s *minMaxEnum) better(a, b string) bool {
	ra, rb := s.ranks[a], s.ranks[b]
	if s.max {
		return ra > rb
	}
	return ra < rb
}

func (s *minMaxEnum) update(args []arrow.Array, rows, groups []int32) error {
	v := varlenViewOf(args[0])
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		x := bytesAsString(v.bytes(int(i)))
		if _, ok := s.ranks[x]; !ok {
			return catalog.ErrInvalidEnumLabel(s.t.Enum.Name, strings.Clone(x))
		}
		if s.seen[g] && !s.better(x, s.val[g]) {
			continue
		}
		// Copy: the batch's memory goes away after this call.
		s.val[g], s.seen[g] = strings.Clone(x), true
	}
	return nil
}

func (s *minMaxEnum) merge(from aggState, groups []int32) error {
	s.mergeValues(&from.(*minMaxEnum).valueAndSeen, groups, func(cur, other string) string {
		if s.better(other, cur) {
			return other
		}
		return cur
	})
	return nil
}

func (s *minMaxEnum) finish(mem memory.Allocator) (arrow.Array, error) {
	return finishVarlenValues(mem, s.t, &s.valueAndSeen), nil
}

// EnumRange is enum_range(lo, hi) over the enum whose labels are labels:
// the labels from lo's through hi's in sort order, as a value of the
// array type t; a NULL bound leaves its end open.
func EnumRange(lo, hi Expr, t catalog.Type, labels []string) Expr {
	ranks := enumLabelRanks(labels)
	name := t.Enum.Name
	return &funcExpr{args: []Expr{lo, hi}, t: t, kernel: func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error) {
		lb := newVarlenBuilder(mem, len(labels), 0)
		for _, l := range labels {
			lb.appendString(l)
		}
		all := lb.finish(t.ElemType())
		out := newListBuilder(mem, t, b.Len)
		src := out.source(all)
		all.Release()
		bound := func(v varlenView, i int, open int32) (int32, error) {
			if !v.valid(i) {
				return open, nil
			}
			r, ok := ranks[v.str(i)]
			if !ok {
				return 0, catalog.ErrInvalidEnumLabel(name, strings.Clone(v.str(i)))
			}
			return r, nil
		}
		lv, hv := varlenViewOf(args[0]), varlenViewOf(args[1])
		rows := selectionCursor{sel: b.Sel}
		for i := 0; i < b.Len; i++ {
			if rows.selected(i) {
				first, err := bound(lv, i, 0)
				if err == nil {
					var last int32
					last, err = bound(hv, i, int32(len(labels))-1)
					for r := first; r <= last; r++ {
						out.appendElem(src, r)
					}
				}
				if err != nil {
					out.finish().Release()
					return nil, err
				}
			}
			out.endRow()
		}
		return out.finish(), nil
	}}
}
