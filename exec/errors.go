package exec

import (
	"fmt"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Errors shared by several kernels, worded as PostgreSQL words them.

func errDivisionByZero() error { return pgerr.New(pgerr.DivisionByZero, "division by zero") }

func errIntegerOutOfRange(k catalog.Kind) error {
	switch k {
	case catalog.Int2:
		return pgerr.New(pgerr.NumericValueOutOfRange, "smallint out of range")
	case catalog.Int8:
		return pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
	}
	return pgerr.New(pgerr.NumericValueOutOfRange, "integer out of range")
}

func errNumericOverflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
}

func errFloatOutOfRange(k catalog.Kind) error {
	if k == catalog.Float4 {
		return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
}

func errOperatorDoesNotExist(op string, l, r catalog.Type) error {
	return pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", l, op, r)
}

// datumMismatch is a planner bug: a Datum whose Go type does not match
// its declared SQL type.
func datumMismatch(t catalog.Type, d catalog.Datum) error {
	return pgerr.New(pgerr.InternalError, "value %v (%T) does not represent type %s", d, d, t)
}

func internalf(format string, args ...any) error {
	return pgerr.New(pgerr.InternalError, "%s", fmt.Sprintf(format, args...))
}
