package exec

import (
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
)

// Numeric values are decimal128 integers scaled by their type's Scale.
// pqdb stores at most 38 significant digits; every operation that could
// leave that range reports 22003 instead of wrapping. The functions below
// keep the common cases (operands that fit in 64 bits) free of big.Int
// allocation.

var (
	pow10    [39]decimal128.Num
	maxDec38 decimal128.Num // 10^38 - 1
	minDec38 decimal128.Num
)

func init() {
	p := decimal128.FromI64(1)
	for i := range pow10 {
		pow10[i] = p
		if i < 38 {
			p = p.Mul(decimal128.FromI64(10))
		}
	}
	maxDec38 = pow10[38].Sub(decimal128.FromI64(1))
	minDec38 = maxDec38.Negate()
}

func decInRange(v decimal128.Num) bool {
	return !v.Greater(maxDec38) && !v.Less(minDec38)
}

// decFits64 reports whether v is a sign-extended int64.
func decFits64(v decimal128.Num) bool {
	lo := v.LowBits()
	return v.HighBits() == int64(lo)>>63
}

func decAdd(x, y decimal128.Num) (decimal128.Num, bool) {
	z := x.Add(y)
	// Both operands are within ±10^38, so the 128-bit sum cannot wrap.
	// |z| < 2^125 < 10^38 needs only a look at the high word.
	if h := z.HighBits(); h < 1<<60 && h > -(1<<60) {
		return z, true
	}
	return z, decInRange(z)
}

func decSub(x, y decimal128.Num) (decimal128.Num, bool) {
	z := x.Sub(y)
	if h := z.HighBits(); h < 1<<60 && h > -(1<<60) {
		return z, true
	}
	return z, decInRange(z)
}

// decMul multiplies two scaled integers exactly (the caller adjusts scale).
func decMul(x, y decimal128.Num) (decimal128.Num, bool) {
	if decFits64(x) && decFits64(y) {
		a, b := int64(x.LowBits()), int64(y.LowBits())
		// Both below 2^31 in magnitude: the product fits in int64.
		if uint64(a+(1<<31)) < 1<<32 && uint64(b+(1<<31)) < 1<<32 {
			return decimal128.FromI64(a * b), true
		}
		neg := (a < 0) != (b < 0)
		hi, lo := bits.Mul64(absU64(a), absU64(b))
		if hi >= 1<<63 {
			return decimal128.Num{}, false
		}
		z := decimal128.New(int64(hi), lo)
		if neg {
			z = z.Negate()
		}
		return z, decInRange(z)
	}
	z := new(big.Int).Mul(x.BigInt(), y.BigInt())
	return decFromBig(z)
}

func decFromBig(z *big.Int) (decimal128.Num, bool) {
	if z.BitLen() > 127 {
		return decimal128.Num{}, false
	}
	v := decimal128.FromBigInt(z)
	return v, decInRange(v)
}

func absU64(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

// decScaleUp multiplies x by 10^k (k >= 0).
func decScaleUp(x decimal128.Num, k int32) (decimal128.Num, bool) {
	if k == 0 {
		return x, true
	}
	if k > 38 {
		if x == (decimal128.Num{}) {
			return x, true
		}
		return decimal128.Num{}, false
	}
	return decMul(x, pow10[k])
}

// decRescale changes the scale of x from `from` to `to`, rounding half
// away from zero when digits are dropped (PostgreSQL's numeric rounding).
func decRescale(x decimal128.Num, from, to int32) (decimal128.Num, bool) {
	if to >= from {
		return decScaleUp(x, to-from)
	}
	return decDivRound(x, pow10[min(from-to, 38)]), true
}

// decDivRound divides x by a positive y, rounding half away from zero.
func decDivRound(x, y decimal128.Num) decimal128.Num {
	neg := x.Sign() < 0
	if neg {
		x = x.Negate()
	}
	var q decimal128.Num
	if decFits64(y) && y.HighBits() == 0 {
		// 128-by-64 long division.
		d := y.LowBits()
		hi, lo := uint64(x.HighBits()), x.LowBits()
		q1 := hi / d
		r1 := hi % d
		q0, r := bits.Div64(r1, lo, d)
		q = decimal128.New(int64(q1), q0)
		if r >= d-r { // 2r >= d without overflow
			q = q.Add(decimal128.FromI64(1))
		}
	} else {
		bq, br := new(big.Int).QuoRem(x.BigInt(), y.BigInt(), new(big.Int))
		br.Lsh(br, 1)
		if br.Cmp(y.BigInt()) >= 0 {
			bq.Add(bq, big.NewInt(1))
		}
		q = decimal128.FromBigInt(bq)
	}
	if neg {
		q = q.Negate()
	}
	return q
}

// decDiv computes x/y for scaled integers x (scale sx) and y (scale sy)
// with result scale rs, rounding half away from zero. y must be non-zero.
func decDiv(x decimal128.Num, sx int32, y decimal128.Num, sy int32, rs int32) (decimal128.Num, bool) {
	// x/10^sx / (y/10^sy) * 10^rs = x * 10^(rs - sx + sy) / y
	k := rs - sx + sy
	neg := (x.Sign() < 0) != (y.Sign() < 0)
	if x.Sign() < 0 {
		x = x.Negate()
	}
	if y.Sign() < 0 {
		y = y.Negate()
	}
	if k >= 0 {
		if n, ok := decScaleUp(x, k); ok && decFits64(y) {
			q := decDivRound(n, y)
			if neg {
				q = q.Negate()
			}
			return q, decInRange(q)
		}
		num := new(big.Int).Mul(x.BigInt(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
		return bigDivRound(num, y.BigInt(), neg)
	}
	den := new(big.Int).Mul(y.BigInt(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-k)), nil))
	return bigDivRound(x.BigInt(), den, neg)
}

func bigDivRound(num, den *big.Int, neg bool) (decimal128.Num, bool) {
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	r.Lsh(r, 1)
	if r.Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return decFromBig(q)
}

// decMod is x mod y with both at the same scale; the sign follows x.
func decMod(x, y decimal128.Num) decimal128.Num {
	if decFits64(x) && decFits64(y) {
		return decimal128.FromI64(int64(x.LowBits()) % int64(y.LowBits()))
	}
	return decimal128.FromBigInt(new(big.Int).Rem(x.BigInt(), y.BigInt()))
}

// decTrunc drops the fractional digits beyond keep (of scale digits),
// toward zero, keeping the scale.
func decTrunc(x decimal128.Num, scale, keep int32) decimal128.Num {
	if keep >= scale {
		return x
	}
	p := pow10[min(scale-keep, 38)]
	q, _ := decQuoRemTrunc(x, p)
	z, _ := decMul(q, p)
	return z
}

// decQuoRemTrunc is truncating division.
func decQuoRemTrunc(x, y decimal128.Num) (decimal128.Num, decimal128.Num) {
	if decFits64(x) && decFits64(y) {
		a, b := int64(x.LowBits()), int64(y.LowBits())
		return decimal128.FromI64(a / b), decimal128.FromI64(a % b)
	}
	q, r := new(big.Int).QuoRem(x.BigInt(), y.BigInt(), new(big.Int))
	return decimal128.FromBigInt(q), decimal128.FromBigInt(r)
}

// decDigits counts the decimal digits of |x| (0 has 1 digit).
func decDigits(x decimal128.Num) int32 {
	if x.Sign() < 0 {
		x = x.Negate()
	}
	for d := int32(1); d < 39; d++ {
		if x.Less(pow10[d]) {
			return d
		}
	}
	return 39
}

// errNumericFieldOverflow is the error of a value beyond numeric t's
// precision.
func errNumericFieldOverflow(t catalog.Type) error { return catalog.NumericOverflow(t) }

// checkNumericPrecision enforces numeric(p,s): at most p-s integer digits.
func checkNumericPrecision(v decimal128.Num, t catalog.Type) error {
	p := t.Precision()
	if p < 0 || p >= catalog.MaxNumericPrecision {
		return nil
	}
	if v.Sign() < 0 {
		v = v.Negate()
	}
	if !v.Less(pow10[p]) {
		return errNumericFieldOverflow(t)
	}
	return nil
}
