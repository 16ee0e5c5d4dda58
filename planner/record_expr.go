package planner

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// RowExpr builds a record (T of Kind Record) from one expression per
// field: ROW(a, b) and (a, b) in value position, whose fields are f1,
// f2, ..., and a whole-row reference t (or t.* as a value), whose fields
// are t's columns by name (Table is then t). Present, when set, reads the
// FROM item's presence column (bind_record.go): the record is NULL where
// it is NULL, which makes an outer join's NULL-extended row a NULL record
// rather than a record of NULLs.
type RowExpr struct {
	Args    []Expr
	T       catalog.Type
	Table   string
	Present Expr
}

// FieldSelect reads the Index-th field of the record Arg: (t).a,
// (ROW(1, 2)).f1. It is NULL where the record is.
type FieldSelect struct {
	Arg   Expr
	Index int
	T     catalog.Type
}

func (e *RowExpr) Type() catalog.Type     { return e.T }
func (e *FieldSelect) Type() catalog.Type { return e.T }

// String prints a whole-row reference as EXPLAIN VERBOSE does (t.*), a
// row constructor as ROW(...). Two row expressions over the same values
// with different field names differ (exprKey tells them apart by this
// text), so fields named otherwise than f1, f2, ... are listed.
func (e *RowExpr) String() string {
	if e.Table != "" {
		return e.Table + ".*"
	}
	s := "ROW(" + joinExprs(e.Args, ", ") + ")"
	fields := e.T.Fields()
	for i, f := range fields {
		if f.Name != catalog.RowFieldName(i) {
			names := make([]string, len(fields))
			for j, g := range fields {
				names[j] = g.Name
			}
			return s + " AS (" + strings.Join(names, ", ") + ")"
		}
	}
	return s
}

func (e *FieldSelect) String() string {
	return "(" + e.Arg.String() + ")." + e.Arg.Type().Fields()[e.Index].Name
}

// rowChildren lists a RowExpr's subexpressions: its fields, then its
// presence column.
func (e *RowExpr) children() []Expr {
	if e.Present == nil {
		return e.Args
	}
	return append(append([]Expr(nil), e.Args...), e.Present)
}

// withChildren is a copy of e with the expressions children lists
// replaced.
func (e *RowExpr) withChildren(es []Expr) *RowExpr {
	c := *e
	c.Args = append([]Expr(nil), es[:len(e.Args)]...)
	if e.Present != nil {
		c.Present = es[len(e.Args)]
	}
	return &c
}

// row lowers a RowExpr.
func (l *lowerer) row(x *RowExpr) (exec.Expr, error) {
	args, err := l.exprs(x.Args)
	if err != nil {
		return nil, err
	}
	var present exec.Expr
	if x.Present != nil {
		if present, err = l.expr(x.Present); err != nil {
			return nil, err
		}
	}
	return exec.Row(args, x.T, present), nil
}
