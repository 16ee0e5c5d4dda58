package numeric

import (
	"math"
	"math/big"
	"strconv"

	"github.com/pqdb/pqdb/pgerr"
)

// This file holds sqrt, exp, ln, log and power. Except for the square
// root, which is exact (the integer square root, then rounded), these
// follow PostgreSQL's algorithms step by step, with the same working
// scales and the same approximate division, because their last digits
// depend on them. They allocate; they are not on hot paths.

func errNegSqrt() error {
	return pgerr.New(pgerr.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
}

func errLogZero() error {
	return pgerr.New(pgerr.InvalidArgumentForLog, "cannot take logarithm of zero")
}

func errLogNeg() error {
	return pgerr.New(pgerr.InvalidArgumentForLog, "cannot take logarithm of a negative number")
}

// varToDouble is numericvar_to_double_no_overflow.
func varToDouble(v *nvar) float64 {
	var buf [64]byte
	s := appendVarText(buf[:0], v)
	f, _ := strconv.ParseFloat(string(s), 64)
	return f
}

// varToInt64 is numericvar_to_int64: round to an integer, false if it
// does not fit.
func varToInt64(v *nvar) (int64, bool) {
	var r nvar
	r.set(v)
	roundVar(&r, 0)
	r.strip()
	if r.ndigits == 0 {
		return 0, true
	}
	d := r.d()
	neg := r.sign == SignNeg
	val := -int64(d[0])
	for i := 1; i <= r.weight; i++ {
		if val < math.MinInt64/nbase {
			return 0, false
		}
		val *= nbase
		if i < len(d) {
			x := int64(d[i])
			if val < math.MinInt64+x {
				return 0, false
			}
			val -= x
		}
	}
	if !neg {
		if val == math.MinInt64 {
			return 0, false
		}
		val = -val
	}
	return val, true
}

// sqrtVar sets result to the square root of arg rounded to rscale digits
// (rscale may be negative). It computes the exact integer square root of
// the digits sqrt_var would read, which gives sqrt_var's result: that
// function's Karatsuba square root is exact, and rounding its truncated
// extra digit is rounding the true root.
func (c *Calc) sqrtVar(arg, result *nvar, rscale int) error {
	stat := cmpVar(arg, constZero)
	if stat == 0 {
		result.zero()
		result.dscale = rscale
		return nil
	}
	if stat < 0 {
		return errNegSqrt()
	}
	var resWeight int
	if arg.weight >= 0 {
		resWeight = arg.weight / 2
	} else {
		resWeight = -((-arg.weight-1)/2 + 1)
	}
	var resNdigits int
	if rscale+1 >= 0 {
		resNdigits = resWeight + 1 + (rscale+decDigits)/decDigits
	} else {
		resNdigits = resWeight + 1 - (-rscale-1)/decDigits
	}
	resNdigits = maxInt(resNdigits, 1)
	srcNdigits := arg.weight + 1 + (resNdigits-resWeight-1)*2
	srcNdigits = maxInt(srcNdigits, 1)

	ad := arg.d()
	n := new(big.Int)
	t := new(big.Int)
	base := big.NewInt(nbase)
	for i := 0; i < srcNdigits; i++ {
		n.Mul(n, base)
		if i < len(ad) {
			n.Add(n, t.SetInt64(int64(ad[i])))
		}
	}
	s := n.Sqrt(n)
	// s has resNdigits base-NBASE digits.
	buf := result.newDigits(resNdigits)
	res := buf[1:]
	q := new(big.Int)
	m := new(big.Int)
	for i := resNdigits - 1; i >= 0 && s.Sign() > 0; i-- {
		q.QuoRem(s, base, m)
		res[i] = int16(m.Int64())
		s, q = q, s
	}
	result.installResult(buf, resNdigits, resWeight, SignPos, rscale, true)
	return nil
}

// expVar sets result to e^arg to rscale digits (exp_var).
func (c *Calc) expVar(arg, result *nvar, rscale int) error {
	x := new(nvar)
	elem := new(nvar)
	x.set(arg)
	val := varToDouble(x)
	if math.Abs(val) >= MaxResultScale*3 {
		if val > 0 {
			return errOverflow()
		}
		result.zero()
		result.dscale = rscale
		return nil
	}
	dweight := int(val * 0.434294481903252)
	var ndiv2 int
	if math.Abs(val) > 0.01 {
		ndiv2 = 1
		val /= 2
		for math.Abs(val) > 0.01 {
			ndiv2++
			val /= 2
		}
		localRscale := x.dscale + ndiv2
		if err := divVarInt(x, 1<<ndiv2, 0, x, localRscale, true); err != nil {
			return err
		}
	}
	sigDigits := 1 + dweight + rscale + int(float64(ndiv2)*0.301029995663981)
	sigDigits = maxInt(sigDigits, 0) + 8
	localRscale := sigDigits - 1

	addVar(constOne, x, result)
	c.mulVar(x, x, elem, localRscale)
	ni := 2
	if err := divVarInt(elem, ni, 0, elem, localRscale, true); err != nil {
		return err
	}
	for elem.ndigits != 0 {
		addVar(result, elem, result)
		c.mulVar(elem, x, elem, localRscale)
		ni++
		if err := divVarInt(elem, ni, 0, elem, localRscale, true); err != nil {
			return err
		}
	}
	for ; ndiv2 > 0; ndiv2-- {
		localRscale = sigDigits - result.weight*2*decDigits
		localRscale = maxInt(localRscale, minDisplayScale)
		c.mulVar(result, result, result, localRscale)
	}
	roundVar(result, rscale)
	return nil
}

// estimateLnDweight approximates log10(abs(ln(v))) (estimate_ln_dweight).
func (c *Calc) estimateLnDweight(v *nvar) int {
	if v.sign != SignPos {
		return 0
	}
	if cmpVar(v, constZeroPointNine) >= 0 && cmpVar(v, constOnePointOne) <= 0 {
		x := new(nvar)
		subVar(v, constOne, x)
		if x.ndigits > 0 {
			return x.weight*decDigits + int(math.Log10(float64(x.d()[0])))
		}
		return 0
	}
	if v.ndigits == 0 {
		return 0
	}
	d := v.d()
	digits := int(d[0])
	dweight := v.weight * decDigits
	if v.ndigits > 1 {
		digits = digits*nbase + int(d[1])
		dweight -= decDigits
	}
	lnVar := math.Log(float64(digits)) + float64(dweight)*2.302585092994046
	return int(math.Log10(math.Abs(lnVar)))
}

// lnVar sets result to ln(arg) to rscale digits (ln_var).
func (c *Calc) lnVar(arg, result *nvar, rscale int) error {
	cmp := cmpVar(arg, constZero)
	if cmp == 0 {
		return errLogZero()
	} else if cmp < 0 {
		return errLogNeg()
	}
	x, xx, elem, fact := new(nvar), new(nvar), new(nvar), new(nvar)
	x.set(arg)
	fact.set(constTwo)
	nsqrt := 0
	for cmpVar(x, constZeroPointNine) <= 0 {
		localRscale := rscale - x.weight*decDigits/2 + 8
		if err := c.sqrtVar(x, x, localRscale); err != nil {
			return err
		}
		c.mulVar(fact, constTwo, fact, 0)
		nsqrt++
	}
	for cmpVar(x, constOnePointOne) >= 0 {
		localRscale := rscale - x.weight*decDigits/2 + 8
		if err := c.sqrtVar(x, x, localRscale); err != nil {
			return err
		}
		c.mulVar(fact, constTwo, fact, 0)
		nsqrt++
	}
	localRscale := rscale + int(float64(nsqrt+1)*0.301029995663981) + 8

	subVar(x, constOne, result)
	addVar(x, constOne, elem)
	if err := c.divVarFast(result, elem, result, localRscale, true); err != nil {
		return err
	}
	xx.set(result)
	c.mulVar(result, result, x, localRscale)
	ni := 1
	for {
		ni += 2
		c.mulVar(xx, x, xx, localRscale)
		if err := divVarInt(xx, ni, 0, elem, localRscale, true); err != nil {
			return err
		}
		if elem.ndigits == 0 {
			break
		}
		addVar(result, elem, result)
		if elem.weight < (result.weight - localRscale*2/decDigits) {
			break
		}
	}
	c.mulVar(result, fact, result, rscale)
	return nil
}

// logVar sets result to log_base(num), choosing the scale (log_var).
func (c *Calc) logVar(base, num, result *nvar) error {
	lnBase, lnNum := new(nvar), new(nvar)
	lnBaseDweight := c.estimateLnDweight(base)
	lnNumDweight := c.estimateLnDweight(num)
	resultDweight := lnNumDweight - lnBaseDweight
	rscale := minSigDigits - resultDweight
	rscale = maxInt(rscale, base.dscale)
	rscale = maxInt(rscale, num.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	lnBaseRscale := rscale + resultDweight - lnBaseDweight + 8
	lnBaseRscale = maxInt(lnBaseRscale, minDisplayScale)
	lnNumRscale := rscale + resultDweight - lnNumDweight + 8
	lnNumRscale = maxInt(lnNumRscale, minDisplayScale)
	if err := c.lnVar(base, lnBase, lnBaseRscale); err != nil {
		return err
	}
	if err := c.lnVar(num, lnNum, lnNumRscale); err != nil {
		return err
	}
	return c.divVarFast(lnNum, lnBase, result, rscale, true)
}

// powerVar sets result = base ^ exp, choosing the scale (power_var).
func (c *Calc) powerVar(base, exp, result *nvar) error {
	if exp.ndigits == 0 || exp.ndigits <= exp.weight+1 {
		if e64, ok := varToInt64(exp); ok && e64 >= math.MinInt32 && e64 <= math.MaxInt32 {
			rscale := minSigDigits
			rscale = maxInt(rscale, base.dscale)
			rscale = maxInt(rscale, minDisplayScale)
			rscale = minInt(rscale, MaxDisplayScale)
			return c.powerVarInt(base, int(e64), result, rscale)
		}
	}
	if cmpVar(base, constZero) == 0 {
		result.zero()
		result.dscale = minSigDigits
		return nil
	}
	resSign := SignPos
	if base.sign == SignNeg {
		if exp.ndigits > 0 && exp.ndigits > exp.weight+1 {
			return errNegFrac()
		}
		if exp.ndigits > 0 && exp.ndigits == exp.weight+1 && exp.d()[exp.ndigits-1]&1 != 0 {
			resSign = SignNeg
		}
		ab := new(nvar)
		ab.set(base)
		ab.sign = SignPos
		base = ab
	}
	lnBase, lnNum := new(nvar), new(nvar)
	lnDweight := c.estimateLnDweight(base)
	localRscale := 8 - lnDweight
	localRscale = maxInt(localRscale, minDisplayScale)
	if err := c.lnVar(base, lnBase, localRscale); err != nil {
		return err
	}
	c.mulVar(lnBase, exp, lnNum, localRscale)
	val := varToDouble(lnNum)
	if math.Abs(val) > MaxResultScale*3.01 {
		if val > 0 {
			return errOverflow()
		}
		result.zero()
		result.dscale = MaxDisplayScale
		return nil
	}
	val *= 0.434294481903252
	rscale := minSigDigits - int(val)
	rscale = maxInt(rscale, base.dscale)
	rscale = maxInt(rscale, exp.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	sigDigits := rscale + int(val)
	sigDigits = maxInt(sigDigits, 0)
	localRscale = sigDigits - lnDweight + 8
	localRscale = maxInt(localRscale, minDisplayScale)
	if err := c.lnVar(base, lnBase, localRscale); err != nil {
		return err
	}
	c.mulVar(lnBase, exp, lnNum, localRscale)
	if err := c.expVar(lnNum, result, rscale); err != nil {
		return err
	}
	if resSign == SignNeg && result.ndigits > 0 {
		result.sign = SignNeg
	}
	return nil
}

func errNegFrac() error {
	return pgerr.New(pgerr.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
}

func errZeroNeg() error {
	return pgerr.New(pgerr.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
}

// powerVarInt sets result = base ^ exp for an integer exp (power_var_int).
func (c *Calc) powerVarInt(base *nvar, exp int, result *nvar, rscale int) error {
	switch exp {
	case 0:
		result.set(constOne)
		result.dscale = rscale
		return nil
	case 1:
		result.set(base)
		roundVar(result, rscale)
		return nil
	case -1:
		return c.divVar(constOne, base, result, rscale, true)
	case 2:
		c.mulVar(base, base, result, rscale)
		return nil
	}
	if base.ndigits == 0 {
		if exp < 0 {
			return errDivByZero()
		}
		result.zero()
		result.dscale = rscale
		return nil
	}
	bd := base.d()
	f := float64(bd[0])
	p := base.weight * decDigits
	for i := 1; i < len(bd) && i*decDigits < 16; i++ {
		f = f*nbase + float64(bd[i])
		p -= decDigits
	}
	f = float64(exp) * (math.Log10(f) + float64(p))
	if f > 3*32767*decDigits {
		return errOverflow()
	}
	if f+1 < float64(-rscale) || f+1 < -MaxDisplayScale {
		result.zero()
		result.dscale = rscale
		return nil
	}
	sigDigits := 1 + rscale + int(f)
	sigDigits += int(math.Log(math.Abs(float64(exp)))) + 8

	neg := exp < 0
	mask := uint32(absInt(exp))
	baseProd := new(nvar)
	baseProd.set(base)
	if mask&1 != 0 {
		result.set(base)
	} else {
		result.set(constOne)
	}
	for mask >>= 1; mask > 0; mask >>= 1 {
		localRscale := sigDigits - 2*baseProd.weight*decDigits
		localRscale = minInt(localRscale, 2*baseProd.dscale)
		localRscale = maxInt(localRscale, minDisplayScale)
		c.mulVar(baseProd, baseProd, baseProd, localRscale)
		if mask&1 != 0 {
			localRscale = sigDigits - (baseProd.weight+result.weight)*decDigits
			localRscale = minInt(localRscale, baseProd.dscale+result.dscale)
			localRscale = maxInt(localRscale, minDisplayScale)
			c.mulVar(baseProd, result, result, localRscale)
		}
		if baseProd.weight > 32767 || result.weight > 32767 {
			if !neg {
				return errOverflow()
			}
			result.zero()
			neg = false
			break
		}
	}
	if neg {
		return c.divVarFast(constOne, result, result, rscale, true)
	}
	roundVar(result, rscale)
	return nil
}

// Sqrt appends the square root of a. The scale gives at least 16
// significant digits and is at least a's display scale.
func (c *Calc) Sqrt(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		if signOf(a) == SignNInf {
			return dst, errNegSqrt()
		}
		return append(dst, a[:HeaderSize]...), nil
	}
	arg, res := &c.v[0], &c.v[1]
	load(arg, a)
	sweight := (arg.weight+1)*decDigits/2 - 1
	rscale := minSigDigits - sweight
	rscale = maxInt(rscale, arg.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	if err := c.sqrtVar(arg, res, rscale); err != nil {
		return dst, err
	}
	return appendVar(dst, res)
}

// Exp appends e raised to a.
func (c *Calc) Exp(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		if signOf(a) == SignNInf {
			return append(dst, encZero...), nil
		}
		return append(dst, a[:HeaderSize]...), nil
	}
	arg, res := &c.v[0], &c.v[1]
	load(arg, a)
	val := varToDouble(arg)
	val *= 0.434294481903252
	val = math.Max(val, -MaxResultScale)
	val = math.Min(val, MaxResultScale)
	rscale := minSigDigits - int(val)
	rscale = maxInt(rscale, arg.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	if err := c.expVar(arg, res, rscale); err != nil {
		return dst, err
	}
	return appendVar(dst, res)
}

// Ln appends the natural logarithm of a.
func (c *Calc) Ln(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		if signOf(a) == SignNInf {
			return dst, errLogNeg()
		}
		return append(dst, a[:HeaderSize]...), nil
	}
	arg, res := &c.v[0], &c.v[1]
	load(arg, a)
	lnDweight := c.estimateLnDweight(arg)
	rscale := minSigDigits - lnDweight
	rscale = maxInt(rscale, arg.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	if err := c.lnVar(arg, res, rscale); err != nil {
		return dst, err
	}
	return appendVar(dst, res)
}

// Log appends the logarithm of x to base b (log(b, x)).
func (c *Calc) Log(dst, b, x []byte) ([]byte, error) {
	if isSpecial(b) || isSpecial(x) {
		if IsNaN(b) || IsNaN(x) {
			return append(dst, encNaN...), nil
		}
		s1, s2 := signum(b), signum(x)
		if s1 < 0 || s2 < 0 {
			return dst, errLogNeg()
		}
		if s1 == 0 || s2 == 0 {
			return dst, errLogZero()
		}
		if signOf(b) == SignPInf {
			if signOf(x) == SignPInf {
				return append(dst, encNaN...), nil
			}
			return append(dst, encZero...), nil
		}
		return append(dst, encPInf...), nil
	}
	v1, v2, res := &c.v[0], &c.v[1], &c.v[2]
	load(v1, b)
	load(v2, x)
	if err := c.logVar(v1, v2, res); err != nil {
		return dst, err
	}
	return appendVar(dst, res)
}

var encTen = []byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 10}

// Log10 appends the base-10 logarithm of a (log(numeric), which
// PostgreSQL defines as log(10, a)).
func (c *Calc) Log10(dst, a []byte) ([]byte, error) {
	return c.Log(dst, encTen, a)
}

// isIntegral is numeric_is_integral: infinities count as integral.
func isIntegral(a []byte) bool {
	if isSpecial(a) {
		return !IsNaN(a)
	}
	n := ndigitsOf(a)
	return n == 0 || n <= weightOf(a)+1
}

// Power appends x raised to y (power(), the ^ operator), following POSIX
// pow() for NaN and infinities; 0 ^ negative and negative ^ non-integer
// are 2201F errors.
func (c *Calc) Power(dst, x, y []byte) ([]byte, error) {
	if isSpecial(x) || isSpecial(y) {
		r, err := powerSpecial(x, y)
		if err != nil {
			return dst, err
		}
		return append(dst, r...), nil
	}
	s1, s2 := signum(x), signum(y)
	if s1 == 0 && s2 < 0 {
		return dst, errZeroNeg()
	}
	v1, v2, res := &c.v[0], &c.v[1], &c.v[2]
	load(v1, x)
	load(v2, y)
	if err := c.powerVar(v1, v2, res); err != nil {
		return dst, err
	}
	return appendVar(dst, res)
}

func isOne(a []byte) bool {
	return signOf(a) == SignPos && ndigitsOf(a) == 1 && weightOf(a) == 0 && digitOf(a, 0) == 1
}

func isMinusOne(a []byte) bool {
	return signOf(a) == SignNeg && ndigitsOf(a) == 1 && weightOf(a) == 0 && digitOf(a, 0) == 1
}

func powerSpecial(x, y []byte) ([]byte, error) {
	if IsNaN(x) {
		if !isSpecial(y) && ndigitsOf(y) == 0 {
			return encOne, nil
		}
		return encNaN, nil
	}
	if IsNaN(y) {
		if !isSpecial(x) && isOne(x) {
			return encOne, nil
		}
		return encNaN, nil
	}
	s1, s2 := signum(x), signum(y)
	if s1 == 0 && s2 < 0 {
		return nil, errZeroNeg()
	}
	if s1 < 0 && !isIntegral(y) {
		return nil, errNegFrac()
	}
	if !isSpecial(x) && isOne(x) {
		return encOne, nil
	}
	if s2 == 0 {
		return encOne, nil
	}
	if s1 == 0 && s2 > 0 {
		return encZero, nil
	}
	if IsInf(y, 0) {
		var absGtOne bool
		if isSpecial(x) {
			absGtOne = true
		} else {
			if isMinusOne(x) {
				return encOne, nil
			}
			absGtOne = cmpAbsEnc(x, encOne) > 0
		}
		if absGtOne == (s2 > 0) {
			return encPInf, nil
		}
		return encZero, nil
	}
	if signOf(x) == SignPInf {
		if s2 > 0 {
			return encPInf, nil
		}
		return encZero, nil
	}
	// x is -Infinity, y finite and nonzero
	if s2 < 0 {
		return encZero, nil
	}
	n := ndigitsOf(y)
	if n > 0 && n == weightOf(y)+1 && digitOf(y, n-1)&1 != 0 {
		return encNInf, nil
	}
	return encPInf, nil
}
