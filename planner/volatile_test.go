package planner

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// Volatility comes from exec's function registry: volatile and stable
// calls are never folded at plan time, immutable ones are.
func TestFoldRespectsVolatility(t *testing.T) {
	f8 := func(v float64) Expr { return &Const{Value: v, T: catalog.TypeFloat8} }
	for _, c := range []struct {
		e    Expr
		fold bool
	}{
		{&FuncExpr{Name: "sin", Args: []Expr{f8(0)}, T: catalog.TypeFloat8}, true},
		{&FuncExpr{Name: "random", T: catalog.TypeFloat8}, false},
		{&FuncExpr{Name: "clock_timestamp", T: catalog.TypeTimestampTZ}, false},
		{&FuncExpr{Name: "now", T: catalog.TypeTimestampTZ}, false},
		{&FuncExpr{Name: "pg_sleep", Args: []Expr{f8(0)}, T: catalog.TypeVoid}, false},
		{&FuncExpr{Name: "setseed", Args: []Expr{f8(0.5)}, T: catalog.TypeVoid}, false},
	} {
		got, err := foldConstants(c.e, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, folded := got.(*Const)
		if folded != c.fold {
			t.Errorf("%s: folded %v, want %v", c.e, folded, c.fold)
		}
	}
	// format is not strict: a NULL argument does not make it NULL
	format := &FuncExpr{Name: "format", Args: []Expr{&Const{Value: "x%s", T: catalog.TypeText}, &Const{T: catalog.TypeText}}, T: catalog.TypeText}
	if got, err := foldConstants(format, nil); err != nil {
		t.Fatal(err)
	} else if c, ok := got.(*Const); !ok || c.Value != "x" {
		t.Errorf("format folded to %v", got)
	}
	if isStrict(format) || !isStrict(&FuncExpr{Name: "md5"}) {
		t.Error("strictness")
	}
	if !hasVolatile(&FuncExpr{Name: "gen_random_uuid"}) || hasVolatile(&FuncExpr{Name: "now"}) {
		t.Error("hasVolatile")
	}
}
