package numeric

import "math"

// cmpAbsDigits compares |a| and |b| given their digits and weights
// (cmp_abs_common).
func cmpAbsDigits(d1 []int16, w1 int, d2 []int16, w2 int) int {
	i1, i2 := 0, 0
	for w1 > w2 && i1 < len(d1) {
		if d1[i1] != 0 {
			return 1
		}
		i1++
		w1--
	}
	for w2 > w1 && i2 < len(d2) {
		if d2[i2] != 0 {
			return -1
		}
		i2++
		w2--
	}
	if w1 == w2 {
		for i1 < len(d1) && i2 < len(d2) {
			s := int(d1[i1]) - int(d2[i2])
			i1++
			i2++
			if s != 0 {
				if s > 0 {
					return 1
				}
				return -1
			}
		}
	}
	for i1 < len(d1) {
		if d1[i1] != 0 {
			return 1
		}
		i1++
	}
	for i2 < len(d2) {
		if d2[i2] != 0 {
			return -1
		}
		i2++
	}
	return 0
}

func cmpAbs(a, b *nvar) int { return cmpAbsDigits(a.d(), a.weight, b.d(), b.weight) }

// cmpVar compares two finite vars (cmp_var).
func cmpVar(a, b *nvar) int {
	if a.ndigits == 0 {
		if b.ndigits == 0 {
			return 0
		}
		if b.sign == SignNeg {
			return 1
		}
		return -1
	}
	if b.ndigits == 0 {
		if a.sign == SignPos {
			return 1
		}
		return -1
	}
	if a.sign == SignPos {
		if b.sign == SignNeg {
			return 1
		}
		return cmpAbs(a, b)
	}
	if b.sign == SignPos {
		return -1
	}
	return cmpAbs(b, a)
}

// absLayout places the digits of add_abs and sub_abs: the result, of
// weight resWeight, has n digits, enough for the fractional digits of
// both operands; the result's digit k lines up with var1's digit
// k-n+i1 and var2's digit k-n+i2.
func absLayout(var1, var2 *nvar, resWeight int) (n, i1, i2 int) {
	rscale1 := var1.ndigits - var1.weight - 1
	rscale2 := var2.ndigits - var2.weight - 1
	resRscale := maxInt(rscale1, rscale2)
	n = resRscale + resWeight + 1
	if n <= 0 {
		n = 1
	}
	return n, resRscale + var1.weight + 1, resRscale + var2.weight + 1
}

// installAbs makes buf (n digits after the spare) the digits of the
// result of add_abs or sub_abs, stripped, leaving its sign to the caller.
func (v *nvar) installAbs(buf []int16, n, weight, dscale int) {
	v.install(buf, n)
	v.weight = weight
	v.dscale = dscale
	v.strip()
}

// addAbs sets result = |var1| + |var2| (add_abs).
func addAbs(var1, var2, result *nvar) {
	d1, d2 := var1.d(), var2.d()
	resWeight := maxInt(var1.weight, var2.weight) + 1
	resDscale := maxInt(var1.dscale, var2.dscale)
	resNdigits, i1, i2 := absLayout(var1, var2, resWeight)
	buf := result.newDigits(resNdigits)
	res := buf[1:]
	carry := 0
	for i := resNdigits - 1; i >= 0; i-- {
		i1--
		i2--
		if i1 >= 0 && i1 < len(d1) {
			carry += int(d1[i1])
		}
		if i2 >= 0 && i2 < len(d2) {
			carry += int(d2[i2])
		}
		if carry >= nbase {
			res[i] = int16(carry - nbase)
			carry = 1
		} else {
			res[i] = int16(carry)
			carry = 0
		}
	}
	result.installAbs(buf, resNdigits, resWeight, resDscale)
}

// subAbs sets result = |var1| - |var2|; |var1| must be >= |var2| (sub_abs).
func subAbs(var1, var2, result *nvar) {
	d1, d2 := var1.d(), var2.d()
	resWeight := var1.weight
	resDscale := maxInt(var1.dscale, var2.dscale)
	resNdigits, i1, i2 := absLayout(var1, var2, resWeight)
	buf := result.newDigits(resNdigits)
	res := buf[1:]
	borrow := 0
	for i := resNdigits - 1; i >= 0; i-- {
		i1--
		i2--
		if i1 >= 0 && i1 < len(d1) {
			borrow += int(d1[i1])
		}
		if i2 >= 0 && i2 < len(d2) {
			borrow -= int(d2[i2])
		}
		if borrow < 0 {
			res[i] = int16(borrow + nbase)
			borrow = -1
		} else {
			res[i] = int16(borrow)
			borrow = 0
		}
	}
	result.installAbs(buf, resNdigits, resWeight, resDscale)
}

// addVar sets result = var1 + var2 (add_var); result may alias either.
func addVar(var1, var2, result *nvar) {
	if var1.sign == var2.sign {
		s := var1.sign
		addAbs(var1, var2, result)
		result.sign = s
		return
	}
	addOpposite(var1, var2, result)
}

// addOpposite adds vars of opposite signs.
func addOpposite(var1, var2, result *nvar) {
	s1, s2 := var1.sign, var2.sign
	switch cmpAbs(var1, var2) {
	case 0:
		ds := maxInt(var1.dscale, var2.dscale)
		result.zero()
		result.dscale = ds
	case 1:
		subAbs(var1, var2, result)
		result.sign = s1
	default:
		subAbs(var2, var1, result)
		result.sign = s2
	}
}

// subVar sets result = var1 - var2 (sub_var); result may alias either.
func subVar(var1, var2, result *nvar) {
	if var1.sign != var2.sign {
		s := var1.sign
		addAbs(var1, var2, result)
		result.sign = s
		return
	}
	s1 := var1.sign
	neg := SignNeg
	if s1 == SignNeg {
		neg = SignPos
	}
	switch cmpAbs(var1, var2) {
	case 0:
		ds := maxInt(var1.dscale, var2.dscale)
		result.zero()
		result.dscale = ds
	case 1:
		subAbs(var1, var2, result)
		result.sign = s1
	default:
		subAbs(var2, var1, result)
		result.sign = neg
	}
}

// mulVar sets result = var1 * var2 rounded to rscale fractional digits
// (mul_var); result may alias either operand.
func (c *Calc) mulVar(var1, var2, result *nvar, rscale int) {
	if var1.ndigits > var2.ndigits {
		var1, var2 = var2, var1
	}
	n1, n2 := var1.ndigits, var2.ndigits
	if n1 == 0 || n2 == 0 {
		result.zero()
		result.dscale = rscale
		return
	}
	resSign := productSign(var1, var2)
	resWeight := var1.weight + var2.weight + 2
	resNdigits := n1 + n2 + 1
	maxdigits := resWeight + 1 + (rscale+decDigits-1)/decDigits + mulGuardDigits
	resNdigits = minInt(resNdigits, maxdigits)
	if resNdigits < 3 {
		result.zero()
		result.dscale = rscale
		return
	}
	if cap(c.dig) < resNdigits {
		c.dig = make([]int32, resNdigits, resNdigits*2)
	}
	dig := c.dig[:resNdigits]
	clear(dig)
	d1, d2 := var1.d(), var2.d()
	const limit = (math.MaxInt32 - math.MaxInt32/nbase) / (nbase - 1)
	maxdig := int32(0)
	for i1 := minInt(n1-1, resNdigits-3); i1 >= 0; i1-- {
		v1 := int32(d1[i1])
		if v1 == 0 {
			continue
		}
		maxdig += v1
		if maxdig > limit {
			carryDigits(dig, dig)
			maxdig = 1 + v1
		}
		i2limit := minInt(n2, resNdigits-i1-2)
		dd := dig[i1+2 : i1+2+i2limit]
		for i2, x := range d2[:i2limit] {
			dd[i2] += v1 * int32(x)
		}
	}
	buf := result.newDigits(resNdigits)
	carryDigits(buf[1:], dig)
	result.installResult(buf, resNdigits, resWeight, resSign, rscale, true)
}

// Add appends a + b. The display scale is the larger of the two.
func (c *Calc) Add(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		return append(dst, specialAdd(signOf(a), signOf(b), false)...), nil
	}
	v1, v2 := &c.v[0], &c.v[1]
	load(v1, a)
	load(v2, b)
	addVar(v1, v2, v1)
	return appendVar(dst, v1)
}

// Sub appends a - b. The display scale is the larger of the two.
func (c *Calc) Sub(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		return append(dst, specialAdd(signOf(a), signOf(b), true)...), nil
	}
	v1, v2 := &c.v[0], &c.v[1]
	load(v1, a)
	load(v2, b)
	subVar(v1, v2, v1)
	return appendVar(dst, v1)
}

// specialAdd is the result of a +/- b when one of them is NaN or infinite.
func specialAdd(s1, s2 int, sub bool) []byte {
	if s1 == SignNaN || s2 == SignNaN {
		return encNaN
	}
	if sub {
		// a - b = a + (-b)
		switch s2 {
		case SignPInf:
			s2 = SignNInf
		case SignNInf:
			s2 = SignPInf
		}
	}
	switch s1 {
	case SignPInf:
		if s2 == SignNInf {
			return encNaN
		}
		return encPInf
	case SignNInf:
		if s2 == SignPInf {
			return encNaN
		}
		return encNInf
	}
	if s2 == SignPInf {
		return encPInf
	}
	return encNInf
}

// Mul appends a * b, exactly: the display scale is the sum of the two,
// rounded to MaxDscale if it would exceed it.
func (c *Calc) Mul(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		if IsNaN(a) || IsNaN(b) {
			return append(dst, encNaN...), nil
		}
		p := signum(a) * signum(b)
		switch p {
		case 1:
			return append(dst, encPInf...), nil
		case -1:
			return append(dst, encNInf...), nil
		}
		return append(dst, encNaN...), nil
	}
	v1, v2 := &c.v[0], &c.v[1]
	load(v1, a)
	load(v2, b)
	c.mulVar(v1, v2, v1, v1.dscale+v2.dscale)
	if v1.dscale > MaxDscale {
		roundVar(v1, MaxDscale)
	}
	return appendVar(dst, v1)
}

// Inc appends a + 1 (numeric_inc); NaN and infinities are unchanged.
func (c *Calc) Inc(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		return append(dst, a[:HeaderSize]...), nil
	}
	return c.Add(dst, a, encOne)
}
