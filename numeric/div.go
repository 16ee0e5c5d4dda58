package numeric

import (
	"math"
)

// divVar sets result = var1 / var2 to exactly rscale fractional digits,
// rounded half away from zero if round, else truncated (div_var: Knuth's
// long division). result may alias either operand.
func (c *Calc) divVar(var1, var2, result *nvar, rscale int, round bool) error {
	if done, err := divShort(var1, var2, result, rscale, round); done {
		return err
	}
	n1, n2 := var1.ndigits, var2.ndigits
	resSign := productSign(var1, var2)
	resWeight := var1.weight - var2.weight
	resNdigits := resWeight + 1 + (rscale+decDigits-1)/decDigits
	resNdigits = maxInt(resNdigits, 1)
	if round {
		resNdigits++
	}
	divNdigits := resNdigits + n2
	divNdigits = maxInt(divNdigits, n1)

	need := divNdigits + n2 + 2
	if cap(c.dividend) < need {
		c.dividend = make([]int32, need, need*2)
	}
	dividend := c.dividend[:need]
	clear(dividend)
	divisor := dividend[divNdigits+1:]
	for i, x := range var1.d() {
		dividend[1+i] = int32(x)
	}
	for i, x := range var2.d() {
		divisor[1+i] = int32(x)
	}

	buf := result.newDigits(resNdigits)
	res := buf[1:]

	if divisor[1] < halfNbase {
		d := int32(nbase / (divisor[1] + 1))
		carry := int32(0)
		for i := n2; i > 0; i-- {
			carry += divisor[i] * d
			divisor[i] = carry % nbase
			carry = carry / nbase
		}
		carry = 0
		for i := n1; i >= 0; i-- {
			carry += dividend[i] * d
			dividend[i] = carry % nbase
			carry = carry / nbase
		}
	}
	divisor1 := int(divisor[1])
	divisor2 := int(divisor[2])

	for j := 0; j < resNdigits; j++ {
		next2digits := int(dividend[j])*nbase + int(dividend[j+1])
		if next2digits == 0 {
			res[j] = 0
			continue
		}
		var qhat int
		if int(dividend[j]) == divisor1 {
			qhat = nbase - 1
		} else {
			qhat = next2digits / divisor1
		}
		for divisor2*qhat > (next2digits-qhat*divisor1)*nbase+int(dividend[j+2]) {
			qhat--
		}
		if qhat > 0 {
			dj := dividend[j:]
			q := int32(qhat)
			borrow := int32(0)
			for i := n2; i >= 0; i-- {
				t := dj[i] - borrow - divisor[i]*q
				borrow = (nbase - 1 - t) / nbase
				dj[i] = t + borrow*nbase
			}
			if borrow != 0 {
				qhat--
				carry := int32(0)
				for i := n2; i >= 0; i-- {
					carry += dj[i] + divisor[i]
					if carry >= nbase {
						dj[i] = carry - nbase
						carry = 1
					} else {
						dj[i] = carry
						carry = 0
					}
				}
			}
		}
		res[j] = int16(qhat)
	}
	result.installResult(buf, resNdigits, resWeight, resSign, rscale, round)
	return nil
}

// divVarFast is div_var_fast: the "FM" library's division, faster but
// not always exact in the last place. PostgreSQL uses it only inside the
// transcendental functions; it is reproduced here operation for operation
// (including its int32 wraparound) so that those give the same digits.
func (c *Calc) divVarFast(var1, var2, result *nvar, rscale int, round bool) error {
	if done, err := divShort(var1, var2, result, rscale, round); done {
		return err
	}
	n1, n2 := var1.ndigits, var2.ndigits
	d1, d2 := var1.d(), var2.d()
	resSign := productSign(var1, var2)
	resWeight := var1.weight - var2.weight + 1
	divNdigits := resWeight + 1 + (rscale+decDigits-1)/decDigits
	divNdigits += divGuardDigits
	if divNdigits < divGuardDigits {
		divNdigits = divGuardDigits
	}
	if cap(c.div) < divNdigits+1 {
		c.div = make([]int32, divNdigits+1, (divNdigits+1)*2)
	}
	div := c.div[:divNdigits+1]
	clear(div)
	loadN := minInt(divNdigits, n1)
	for i := 0; i < loadN; i++ {
		div[i+1] = int32(d1[i])
	}
	fdivisorinverse := 1.0 / leadingDigits(d2)

	const limit = (math.MaxInt32 - math.MaxInt32/nbase - 1) / (nbase - 1)
	maxdiv := int32(1)
	qi := 0
	for ; qi < divNdigits; qi++ {
		qdigit := truncToInt32(leadingDigits(div[qi:]) * fdivisorinverse)
		if qdigit != 0 {
			maxdiv += abs32(qdigit)
			if maxdiv > limit {
				if top := minInt(qi+n2-2, divNdigits); top > qi {
					sub := div[qi+1 : top+1]
					div[qi] += carryDigits(sub, sub)
				}
				maxdiv = 1
				qdigit = truncToInt32(leadingDigits(div[qi:]) * fdivisorinverse)
				maxdiv += abs32(qdigit)
			}
			if qdigit != 0 {
				istop := minInt(n2, divNdigits-qi+1)
				dq := div[qi : qi+istop]
				q16 := int32(int16(qdigit))
				for i := range dq {
					dq[i] -= q16 * int32(d2[i])
				}
			}
		}
		div[qi+1] += div[qi] * nbase
		div[qi] = qdigit
	}
	div[qi] = truncToInt32(leadingDigits(div[qi:]) * fdivisorinverse)

	buf := result.newDigits(divNdigits + 1)
	carryDigits(buf[1:], div)
	result.installResult(buf, divNdigits+1, resWeight, resSign, rscale, round)
	return nil
}

// divShort does what div_var and div_var_fast do before dividing at
// length: a zero divisor is an error, a divisor of one or two digits goes
// to div_var_int, and a zero dividend gives zero. done reports whether it
// set result (or failed).
func divShort(var1, var2, result *nvar, rscale int, round bool) (done bool, err error) {
	n2 := var2.ndigits
	if n2 == 0 || var2.d()[0] == 0 {
		return true, errDivByZero()
	}
	if n2 <= 2 {
		d2 := var2.d()
		idivisor := int(d2[0])
		iweight := var2.weight
		if n2 == 2 {
			idivisor = idivisor*nbase + int(d2[1])
			iweight--
		}
		if var2.sign == SignNeg {
			idivisor = -idivisor
		}
		return true, divVarInt(var1, idivisor, iweight, result, rscale, round)
	}
	if var1.ndigits == 0 {
		result.zero()
		result.dscale = rscale
		return true, nil
	}
	return false, nil
}

// leadingDigits is the value of the first four digits of d (zeros past
// its end) as div_var_fast forms its trial divisor and dividends.
func leadingDigits[T int16 | int32](d []T) float64 {
	f := float64(d[0])
	for i := 1; i < 4; i++ {
		f *= nbase
		if i < len(d) {
			f += float64(d[i])
		}
	}
	return f
}

// truncToInt32 converts like PostgreSQL's "(fquotient >= 0.0) ? (int) f :
// ((int) f) - 1" (truncation toward minus infinity, off by one for exact
// negative integers, as in the original).
func truncToInt32(f float64) int32 {
	if f >= 0 {
		return int32(f)
	}
	return int32(f) - 1
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// divVarInt sets result = v / (ival * NBASE^ivalWeight) (div_var_int).
func divVarInt(v *nvar, ival, ivalWeight int, result *nvar, rscale int, round bool) error {
	if ival == 0 {
		return errDivByZero()
	}
	if v.ndigits == 0 {
		result.zero()
		result.dscale = rscale
		return nil
	}
	var resSign int
	if v.sign == SignPos {
		resSign = SignNeg
		if ival > 0 {
			resSign = SignPos
		}
	} else {
		resSign = SignPos
		if ival > 0 {
			resSign = SignNeg
		}
	}
	resWeight := v.weight - ivalWeight
	resNdigits := resWeight + 1 + (rscale+decDigits-1)/decDigits
	resNdigits = maxInt(resNdigits, 1)
	if round {
		resNdigits++
	}
	vd := v.d()
	buf := result.newDigits(resNdigits)
	res := buf[1:]
	divisor := uint64(absInt(ival))
	carry := uint64(0)
	for i := 0; i < resNdigits; i++ {
		carry = carry * nbase
		if i < len(vd) {
			carry += uint64(vd[i])
		}
		res[i] = int16(carry / divisor)
		carry = carry % divisor
	}
	result.installResult(buf, resNdigits, resWeight, resSign, rscale, round)
	return nil
}

// selectDivScale picks the result scale of a division (select_div_scale):
// at least 16 significant digits, at least either input's display scale,
// at most MaxDisplayScale.
func selectDivScale(var1, var2 *nvar) int {
	weight1, first1 := 0, 0
	for i, x := range var1.d() {
		if x != 0 {
			first1 = int(x)
			weight1 = var1.weight - i
			break
		}
	}
	weight2, first2 := 0, 0
	for i, x := range var2.d() {
		if x != 0 {
			first2 = int(x)
			weight2 = var2.weight - i
			break
		}
	}
	qweight := weight1 - weight2
	if first1 <= first2 {
		qweight--
	}
	rscale := minSigDigits - qweight*decDigits
	rscale = maxInt(rscale, var1.dscale)
	rscale = maxInt(rscale, var2.dscale)
	rscale = maxInt(rscale, minDisplayScale)
	rscale = minInt(rscale, MaxDisplayScale)
	return rscale
}

// modVar sets result = var1 - trunc(var1/var2)*var2 (mod_var).
func (c *Calc) modVar(var1, var2, result *nvar) error {
	tmp := &c.v[4]
	if err := c.divVar(var1, var2, tmp, 0, false); err != nil {
		return err
	}
	c.mulVar(var2, tmp, tmp, var2.dscale)
	subVar(var1, tmp, result)
	return nil
}

// divSpecial handles a / b and div(a, b) when a or b is NaN or infinite.
func divSpecial(a, b []byte) ([]byte, error) {
	if IsNaN(a) || IsNaN(b) {
		return encNaN, nil
	}
	if isSpecial(a) {
		if isSpecial(b) {
			return encNaN, nil
		}
		switch signum(a) * signum(b) {
		case 0:
			return nil, errDivByZero()
		case 1:
			return encPInf, nil
		}
		return encNInf, nil
	}
	// finite / infinity
	return encZero, nil
}

// Div appends a / b (the / operator). The result scale is
// select_div_scale's: at least 16 significant digits and at least either
// input's display scale, at most 1000; the last digit is rounded half
// away from zero.
func (c *Calc) Div(dst, a, b []byte) ([]byte, error) { return c.divide(dst, a, b, false) }

// DivTrunc appends the integer quotient of a and b, truncated toward zero
// (div(numeric, numeric)).
func (c *Calc) DivTrunc(dst, a, b []byte) ([]byte, error) { return c.divide(dst, a, b, true) }

// divide is Div, or with trunc DivTrunc.
func (c *Calc) divide(dst, a, b []byte, trunc bool) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		r, err := divSpecial(a, b)
		if err != nil {
			return dst, err
		}
		return append(dst, r...), nil
	}
	v1, v2 := &c.v[0], &c.v[1]
	load(v1, a)
	load(v2, b)
	rscale, round := 0, false
	if !trunc {
		rscale, round = selectDivScale(v1, v2), true
	}
	if err := c.divVar(v1, v2, v1, rscale, round); err != nil {
		return dst, err
	}
	return appendVar(dst, v1)
}

// Mod appends a mod b (the % operator and mod()): a - trunc(a/b)*b, with
// the sign of a.
func (c *Calc) Mod(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		if IsNaN(a) || IsNaN(b) {
			return append(dst, encNaN...), nil
		}
		if isSpecial(a) {
			if signum(b) == 0 {
				return dst, errDivByZero()
			}
			return append(dst, encNaN...), nil
		}
		return append(dst, a...), nil
	}
	v1, v2, r := &c.v[0], &c.v[1], &c.v[2]
	load(v1, a)
	load(v2, b)
	if err := c.modVar(v1, v2, r); err != nil {
		return dst, err
	}
	return appendVar(dst, r)
}
