package exec

import (
	"context"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

func TestHostFuncCalledPerSelectedRow(t *testing.T) {
	var calls []int32
	fn := func(_ *Context, args []catalog.Datum) (catalog.Datum, error) {
		calls = append(calls, args[0].(int32))
		return args[0].(int32) * 2, nil
	}
	vals := NewValues([][]Expr{{Literal(int32(1), catalog.TypeInt4)}, {Literal(int32(2), catalog.TypeInt4)}, {Literal(int32(3), catalog.TypeInt4)}}, []catalog.Type{catalog.TypeInt4})
	filtered := NewFilter(vals, mustBinary(t, OpNe, ColumnRef(0, catalog.TypeInt4), Literal(int32(2), catalog.TypeInt4)))
	rows, err := Collect(NewContext(context.Background()), NewProject(filtered, []Expr{NewHostFunc(fn, []Expr{ColumnRef(0, catalog.TypeInt4)}, catalog.TypeInt4)}))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != int32(2) || rows[1][0] != int32(6) || len(calls) != 2 {
		t.Fatalf("rows %v, calls %v", rows, calls)
	}
}

func mustBinary(t *testing.T, op BinaryOp, l, r Expr) Expr {
	e, err := Binary(op, l, r)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
