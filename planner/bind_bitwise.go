package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// bitwiseOps are the integer bitwise operators, by the suffix of the
// pg_proc functions pg_operator binds them to (int4and, int8shl, ...).
var bitwiseOps = map[string]string{"&": "and", "|": "or", "#": "xor", "<<": "shl", ">>": "shr"}

// bitwise binds l op r for a bitwise operator as PostgreSQL resolves it
// among the int2, int4 and int8 operators: & | # take the wider of the two
// integer types (an unknown literal takes the other operand's), a shift
// the type of its left operand with an int4 (or int2) count. Other types
// have no such operator.
func (b *binder) bitwise(op string, l, r Expr, loc int32) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	suffix := bitwiseOps[op]
	if lt.Kind == catalog.Unknown && rt.Kind == catalog.Unknown {
		e := b.errAt(pgerr.AmbiguousFunction, loc, "operator is not unique: unknown %s unknown", op)
		e.Hint = "Could not choose a best candidate operator. You might need to add explicit type casts."
		return nil, e
	}
	t := lt
	switch {
	case suffix == "shl" || suffix == "shr":
		if lt.Kind == catalog.Unknown {
			t = catalog.TypeInt4
		}
		if !isIntKind(rt.Kind) && rt.Kind != catalog.Unknown || rt.Kind == catalog.Int8 {
			return nil, b.noOperator(op, lt, rt, loc)
		}
	case lt.Kind == catalog.Unknown || isIntKind(rt.Kind) && intWidth(rt.Kind) > intWidth(lt.Kind):
		t = rt
	}
	if !isIntKind(t.Kind) || !isIntKind(lt.Kind) && lt.Kind != catalog.Unknown || !isIntKind(rt.Kind) && rt.Kind != catalog.Unknown {
		return nil, b.noOperator(op, lt, rt, loc)
	}
	return b.scalarFunc(intTypeName(t.Kind)+suffix, []Expr{l, r}, loc)
}

// bitwiseNot binds prefix ~ of an integer.
func (b *binder) bitwiseNot(e Expr, loc int32) (Expr, error) {
	switch t := e.Type(); {
	case t.Kind == catalog.Unknown:
		err := b.errAt(pgerr.AmbiguousFunction, loc, "operator is not unique: ~ unknown")
		err.Hint = "Could not choose a best candidate operator. You might need to add an explicit type cast."
		return nil, err
	case !isIntKind(t.Kind):
		err := b.errAt(pgerr.UndefinedFunction, loc, "operator does not exist: ~ %s", t)
		err.Hint = "No operator matches the given name and argument type. You might need to add an explicit type cast."
		return nil, err
	}
	return b.scalarFunc(intTypeName(e.Type().Kind)+"not", []Expr{e}, loc)
}

func isIntKind(k catalog.Kind) bool {
	return k == catalog.Int2 || k == catalog.Int4 || k == catalog.Int8
}

func intWidth(k catalog.Kind) int {
	return map[catalog.Kind]int{catalog.Int2: 2, catalog.Int4: 4, catalog.Int8: 8}[k]
}

// intTypeName is an integer type's name in pg_proc's function names.
func intTypeName(k catalog.Kind) string {
	return map[catalog.Kind]string{catalog.Int2: "int2", catalog.Int4: "int4", catalog.Int8: "int8"}[k]
}
