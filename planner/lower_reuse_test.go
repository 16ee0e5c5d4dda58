package planner

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// Only plans whose lowering binds nothing of a run (no parameter value,
// no snapshot, no subquery, no enum labels read from the catalog) may
// have their operators re-opened by the next run.
func TestLoweringReusable(t *testing.T) {
	i4 := func(v int32) Expr { return &Const{Value: v, T: catalog.TypeInt4} }
	one := &Values{Rows: [][]Expr{{}}}
	project := func(in Node, es ...Expr) Node { return &Project{Input: in, Exprs: es} }
	enum := catalog.Type{Kind: catalog.Enum}
	for _, c := range []struct {
		name string
		n    Node
		want bool
	}{
		{"SELECT 1", project(one, i4(1)), true},
		{"SELECT random()", project(one, &FuncExpr{Name: "random", T: catalog.TypeFloat8}), true},
		{"VALUES (1), (2) WHERE", &Filter{Input: &Values{Rows: [][]Expr{{i4(1)}, {i4(2)}}, Typs: []catalog.Type{catalog.TypeInt4}},
			Pred: &BinExpr{Op: exec.OpNe, L: &ColRef{Index: 0, T: catalog.TypeInt4}, R: i4(2), T: catalog.TypeBool}}, true},
		{"SELECT $1", project(one, &Param{Index: 0, T: catalog.TypeInt4}), false},
		{"SELECT 1 + $1", project(one, &BinExpr{Op: exec.OpAdd, L: i4(1), R: &Param{Index: 0, T: catalog.TypeInt4}, T: catalog.TypeInt4}), false},
		{"VALUES ($1)", &Values{Rows: [][]Expr{{&Param{Index: 0, T: catalog.TypeInt4}}}, Typs: []catalog.Type{catalog.TypeInt4}}, false},
		{"SELECT (SELECT 1)", project(one, &SubqueryExpr{Plan: project(one, i4(1)), T: catalog.TypeInt4}), false},
		{"an outer row", project(one, &OuterRef{Index: 0, T: catalog.TypeInt4}), false},
		{"an enum", project(one, &Const{Value: "a", T: enum}), false},
		{"a scan", project(&Scan{}, i4(1)), false},
		{"a sort", &Sort{Input: project(one, i4(1))}, false},
	} {
		if got := LoweringReusable(c.n); got != c.want {
			t.Errorf("%s: reusable %v, want %v", c.name, got, c.want)
		}
	}
}
