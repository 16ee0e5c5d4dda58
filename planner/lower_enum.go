package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Enums in lowered plans. An enum value is its label's text in exec, so
// equality, hashing and storage need nothing more; what depends on the
// enum's declared order or on its set of labels is lowered here, with the
// labels read from the statement's catalog (plans name enums by OID, and
// ALTER TYPE ... ADD VALUE changes the order between statements):
//
//   - <, <=, >, >= compare the positions of the labels (exec.EnumRank),
//     also against ANY or ALL of a subquery's values;
//   - sort keys (ORDER BY, window and aggregate orders, DISTINCT ON) sort
//     by the positions;
//   - min and max keep the label of the lowest or highest position, an
//     aggregate's DISTINCT orders by positions, and GREATEST and LEAST
//     pick among positions and map back to labels;
//   - a cast from text reads labels and rejects other text (enum_in).
//
// Ordering arrays of enums is not supported (0A000).

// enumLabels returns the labels, in sort order, of the enum t (an enum
// type or an array of one).
func (l *lowerer) enumLabels(t catalog.Type) ([]string, error) {
	u, err := enumTypeIn(l.cat, t)
	if err != nil {
		return nil, err
	}
	return u.LabelTexts(), nil
}

// enumOrdered returns e, or the positions of its labels when e is an
// enum, for comparing or sorting by.
func (l *lowerer) enumOrdered(e exec.Expr) (exec.Expr, error) {
	t := e.Type()
	switch {
	case t.Kind == catalog.Enum:
		labels, err := l.enumLabels(t)
		if err != nil {
			return nil, err
		}
		return exec.EnumRank(e, labels), nil
	case t.HasEnum():
		return nil, pgerr.Unsupported("ordering arrays of enum type %s is not supported", t.ElemType())
	}
	return e, nil
}

// isOrderingOp reports whether op compares by order rather than equality.
func isOrderingOp(op exec.BinaryOp) bool {
	return op == exec.OpLt || op == exec.OpLe || op == exec.OpGt || op == exec.OpGe
}

// enumComparison lowers a op b when they are enums compared by order.
func (l *lowerer) enumComparison(op exec.BinaryOp, a, b exec.Expr) (exec.Expr, bool, error) {
	if !isOrderingOp(op) || a.Type().Kind != catalog.Enum {
		return nil, false, nil
	}
	ra, err := l.enumOrdered(a)
	if err != nil {
		return nil, true, err
	}
	rb, err := l.enumOrdered(b)
	if err != nil {
		return nil, true, err
	}
	e, err := exec.Binary(op, ra, rb)
	return e, true, err
}

// enumQuantified lowers x op ANY/ALL (subquery) when op orders enums:
// both sides compare as positions.
func (l *lowerer) enumQuantified(op exec.BinaryOp, plan exec.Operator, probe exec.Expr) (exec.Operator, exec.Expr, error) {
	if !isOrderingOp(op) || !probe.Type().HasEnum() {
		return plan, probe, nil
	}
	ranked, err := l.enumOrdered(probe)
	if err != nil {
		return nil, nil, err
	}
	col, err := l.enumOrdered(exec.ColumnRef(0, plan.Types()[0]))
	if err != nil {
		return nil, nil, err
	}
	return exec.NewProject(plan, []exec.Expr{col}), ranked, nil
}

// enumInput lowers a cast of a string to t, an enum or an array of one.
func (l *lowerer) enumInput(arg exec.Expr, t catalog.Type) (exec.Expr, error) {
	labels, err := l.enumLabels(t)
	if err != nil {
		return nil, err
	}
	return exec.EnumInput(arg, t, labels)
}

// enumExtremum lowers GREATEST or LEAST over enums: the extremum of the
// positions, mapped back to its label.
func (l *lowerer) enumExtremum(name string, args []exec.Expr, t catalog.Type) (exec.Expr, error) {
	labels, err := l.enumLabels(t)
	if err != nil {
		return nil, err
	}
	ranks := make([]exec.Expr, len(args))
	for i, a := range args {
		ranks[i] = exec.EnumRank(a, labels)
	}
	e, err := exec.Func(name, ranks)
	if err != nil {
		return nil, err
	}
	return exec.EnumLabel(e, t, labels), nil
}

// enumRange lowers enum_range(lo, hi) (enum_funcs.go).
func (l *lowerer) enumRange(args []exec.Expr, t catalog.Type) (exec.Expr, error) {
	labels, err := l.enumLabels(t)
	if err != nil {
		return nil, err
	}
	return exec.EnumRange(args[0], args[1], t, labels), nil
}

// enumAggregateLabels gives an aggregate over an enum the labels that
// min and max, and DISTINCT, order by (exec.Aggregate.EnumLabels).
func (l *lowerer) enumAggregateLabels(arg exec.Expr) ([]string, error) {
	if arg == nil || arg.Type().Kind != catalog.Enum {
		return nil, nil
	}
	return l.enumLabels(arg.Type())
}
