package exec

import (
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Most numeric values in practice (prices, quantities, rates) are far
// below 2^62 as scaled integers. The kernels below compute such rows in
// plain int64 arithmetic and hand only the others to the exact 128-bit
// functions, which give the same results, only slower.

// int64Limit bounds the int64 fast path: the sum or difference of two
// values below it cannot overflow int64.
const int64Limit = 1 << 62

// decSmall returns v as an int64 when |v| < int64Limit.
func decSmall(v decimal128.Num) (int64, bool) {
	a := int64(v.LowBits())
	return a, v.HighBits() == a>>63 && a < int64Limit && a > -int64Limit
}

// fitsInt32 reports whether v is in [-2^31, 2^31): the product of two
// such values is an int64.
func fitsInt32(v int64) bool { return uint64(v+1<<31) < 1<<32 }

// mulSmall returns a*b when |a*b| < int64Limit.
func mulSmall(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(absU64(a), absU64(b))
	if hi != 0 || lo >= int64Limit {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

// numericMulRows sets z[i] = x[i] * y[i] (scales add up; nothing is
// dropped) for every row not NULL in out.
func numericMulRows(x, y, z []decimal128.Num, rows []int32, out *fixedBuilder[decimal128.Num]) bool {
	nulls := out.bm.buf != nil
	for _, i := range rows {
		if nulls && out.isNull(int(i)) {
			continue
		}
		// Factors below 2^31 (prices, rates) multiply without a check.
		if a, b := int64(x[i].LowBits()), int64(y[i].LowBits()); x[i].HighBits() == a>>63 && y[i].HighBits() == b>>63 && fitsInt32(a) && fitsInt32(b) {
			z[i] = decimal128.FromI64(a * b)
			continue
		}
		if a, ok := decSmall(x[i]); ok {
			if b, ok := decSmall(y[i]); ok {
				if v, ok := mulSmall(a, b); ok {
					z[i] = decimal128.FromI64(v)
					continue
				}
			}
		}
		v, ok := decMul(x[i], y[i])
		if !ok {
			return false
		}
		z[i] = v
	}
	return true
}

// numericAddRows sets z[i] = x[i]*10^kx ± y[i]*10^ky (sub negates y) for
// every row not NULL in out, where kx, ky bring both operands to the
// result's scale.
func numericAddRows(x, y, z []decimal128.Num, rows []int32, out *fixedBuilder[decimal128.Num], kx, ky int32, sub bool) bool {
	nulls := out.bm.buf != nil
	// Operands below limx and limy stay below int64Limit once scaled.
	fx, fy, limx, limy := int64(1), int64(1), int64(0), int64(0)
	if kx <= 18 && ky <= 18 {
		fx, fy = int64(pow10[kx].LowBits()), int64(pow10[ky].LowBits())
		limx, limy = int64Limit/fx, int64Limit/fy
	}
	sign := int64(1)
	if sub {
		sign = -1
	}
	for _, i := range rows {
		if nulls && out.isNull(int(i)) {
			continue
		}
		a, b := int64(x[i].LowBits()), int64(y[i].LowBits())
		if x[i].HighBits() == a>>63 && y[i].HighBits() == b>>63 && a < limx && a > -limx && b < limy && b > -limy {
			z[i] = decimal128.FromI64(a*fx + sign*b*fy)
			continue
		}
		xs, ok1 := decScaleUp(x[i], kx)
		ys, ok2 := decScaleUp(y[i], ky)
		if !ok1 || !ok2 {
			return false
		}
		var v decimal128.Num
		var ok bool
		if sub {
			v, ok = decSub(xs, ys)
		} else {
			v, ok = decAdd(xs, ys)
		}
		if !ok {
			return false
		}
		z[i] = v
	}
	return true
}

// A constant operand (TPC-H's 1 - l_discount, 1 + l_tax, price * 1.1)
// is scaled and checked once per kernel, not once per row: the loops
// below read only the column's values.

// numericAddConstRows sets z[i] = c ± y[i]*10^ky, or y[i]*10^ky ± c when
// constRight, for every row not NULL in out, where cs is the constant
// already at the result's scale and below int64Limit. It reports false if
// a row falls off the int64 path; the caller then runs the general one.
func numericAddConstRows(cs int64, y, z []decimal128.Num, rows []int32, out *fixedBuilder[decimal128.Num], ky int32, sub, constRight bool) bool {
	if ky > 18 {
		return false
	}
	fy := int64(pow10[ky].LowBits())
	limy := int64Limit / fy
	// z = cs + sy*b: the signs fold the four cases into one loop.
	sy := int64(1)
	if sub && !constRight {
		sy = -1
	}
	if sub && constRight {
		cs = -cs
	}
	nulls := out.bm.buf != nil
	for _, i := range rows {
		if nulls && out.isNull(int(i)) {
			continue
		}
		b := int64(y[i].LowBits())
		if y[i].HighBits() != b>>63 || b >= limy || b <= -limy {
			return false
		}
		z[i] = decimal128.FromI64(cs + sy*b*fy)
	}
	return true
}

// numericMulConstRows sets z[i] = c * y[i] for every row not NULL in out,
// c below int64Limit; false as numericAddConstRows.
func numericMulConstRows(c int64, y, z []decimal128.Num, rows []int32, out *fixedBuilder[decimal128.Num]) bool {
	nulls := out.bm.buf != nil
	for _, i := range rows {
		if nulls && out.isNull(int(i)) {
			continue
		}
		if b := int64(y[i].LowBits()); y[i].HighBits() == b>>63 && fitsInt32(c) && fitsInt32(b) {
			z[i] = decimal128.FromI64(c * b)
			continue
		}
		b, ok := decSmall(y[i])
		if !ok {
			return false
		}
		v, ok := mulSmall(c, b)
		if !ok {
			return false
		}
		z[i] = decimal128.FromI64(v)
	}
	return true
}
