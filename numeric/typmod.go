package numeric

import (
	"fmt"

	"github.com/pqdb/pqdb/pgerr"
)

// ApplyTypmod appends a coerced to numeric(precision, scale), as
// PostgreSQL's apply_typmod and numeric() do when a value is stored in or
// cast to a constrained column: the value is rounded half away from zero
// to scale digits after the point (scale may be negative, down to -1000,
// rounding before the point; the display scale is then 0), and it must
// then be less than 10^(precision-scale) in absolute value, or the result
// is 22003 "numeric field overflow" with PostgreSQL's detail. NaN passes;
// an infinity is an error. precision must be 1..1000 and scale -1000..1000
// (else 22023, as numerictypmodin reports).
func (c *Calc) ApplyTypmod(dst, a []byte, precision, scale int32) ([]byte, error) {
	if err := CheckTypmod(precision, scale); err != nil {
		return dst, err
	}
	if isSpecial(a) {
		if IsNaN(a) {
			return append(dst, a[:HeaderSize]...), nil
		}
		return dst, errInfTypmod(precision, scale)
	}
	v := &c.v[0]
	load(v, a)
	if err := applyTypmod(v, int(precision), int(scale)); err != nil {
		return dst, err
	}
	return appendVar(dst, v)
}

// CheckTypmod validates the modifiers of numeric(precision, scale) as
// numerictypmodin does (22023).
func CheckTypmod(precision, scale int32) error {
	if precision < 1 || precision > MaxPrecision {
		return pgerr.New(pgerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and %d", precision, MaxPrecision)
	}
	if scale < MinTypmodScale || scale > MaxTypmodScale {
		return pgerr.New(pgerr.InvalidParameterValue, "NUMERIC scale %d must be between %d and %d", scale, MinTypmodScale, MaxTypmodScale)
	}
	return nil
}

// errInfTypmod is apply_typmod_special's error for an infinity.
func errInfTypmod(precision, scale int32) error {
	e := pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow")
	e.Detail = fmt.Sprintf("A field with precision %d, scale %d cannot hold an infinite value.", precision, scale)
	return e
}

// applyTypmod is apply_typmod for a finite var.
func applyTypmod(v *nvar, precision, scale int) error {
	maxdigits := precision - scale
	roundVar(v, scale)
	if v.dscale < 0 {
		v.dscale = 0
	}
	ddigits := (v.weight + 1) * decDigits
	if ddigits > maxdigits {
		for _, dig := range v.d() {
			if dig != 0 {
				switch {
				case dig < 10:
					ddigits -= 3
				case dig < 100:
					ddigits -= 2
				case dig < 1000:
					ddigits -= 1
				}
				if ddigits > maxdigits {
					return FieldOverflow(int32(precision), int32(scale))
				}
				break
			}
			ddigits -= decDigits
		}
	}
	return nil
}

// FieldOverflow is apply_typmod's error for a value too large for
// numeric(precision, scale): 22003 "numeric field overflow", whose detail
// names the bound 10^(precision-scale) (which is below 1 when the scale
// exceeds the precision).
func FieldOverflow(precision, scale int32) *pgerr.Error {
	e := pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow")
	if maxdigits := precision - scale; maxdigits != 0 {
		e.Detail = fmt.Sprintf("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", precision, scale, maxdigits)
	} else {
		e.Detail = fmt.Sprintf("A field with precision %d, scale %d must round to an absolute value less than 1.", precision, scale)
	}
	return e
}
