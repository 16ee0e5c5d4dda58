package jsonb

import (
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// The casts from jsonb to SQL scalar types (PostgreSQL 15's jsonb_numeric,
// jsonb_int4, jsonb_bool, ...) accept only a top-level scalar of the
// matching kind; anything else, JSON null included, is 22023 "cannot cast
// jsonb <kind> to type <type>". (jsonb to text and to json is the text
// form, AppendText.)

func errCannotCast(v Value, sqlType string) error {
	what := [...]string{KindNull: "null", KindString: "string", KindNumber: "numeric", KindBool: "boolean",
		KindArray: "array", KindObject: "object"}[v.Kind()]
	return pgerr.New(pgerr.InvalidParameterValue, "cannot cast jsonb %s to type %s", what, sqlType)
}

// ToNumeric is jsonb::numeric: the number's numeric encoding, a sub-slice
// of v.
func ToNumeric(v Value) ([]byte, error) { return numberOf(v, "numeric") }

func numberOf(v Value, sqlType string) ([]byte, error) {
	if v[0] != tagNumber {
		return nil, errCannotCast(v, sqlType)
	}
	return v[1:], nil
}

// ToInt16 is jsonb::smallint (rounding half away from zero; 22003 when
// out of range).
func ToInt16(v Value) (int16, error) {
	n, err := numberOf(v, "smallint")
	if err != nil {
		return 0, err
	}
	return numeric.ToInt16(n)
}

// ToInt32 is jsonb::integer.
func ToInt32(v Value) (int32, error) {
	n, err := numberOf(v, "integer")
	if err != nil {
		return 0, err
	}
	return numeric.ToInt32(n)
}

// ToInt64 is jsonb::bigint.
func ToInt64(v Value) (int64, error) {
	n, err := numberOf(v, "bigint")
	if err != nil {
		return 0, err
	}
	return numeric.ToInt64(n)
}

// ToFloat32 is jsonb::real.
func ToFloat32(v Value) (float32, error) {
	n, err := numberOf(v, "real")
	if err != nil {
		return 0, err
	}
	return numeric.ToFloat32(n)
}

// ToFloat64 is jsonb::double precision.
func ToFloat64(v Value) (float64, error) {
	n, err := numberOf(v, "double precision")
	if err != nil {
		return 0, err
	}
	return numeric.ToFloat64(n)
}

// ToBool is jsonb::boolean.
func ToBool(v Value) (bool, error) {
	if v.Kind() != KindBool {
		return false, errCannotCast(v, "boolean")
	}
	return v.Bool(), nil
}
