package numeric

var roundPowers = [4]int{0, 1000, 100, 10}

// roundVar rounds v to rscale digits after the decimal point, half away
// from zero, and sets its dscale to rscale (round_var). rscale may be
// negative, rounding before the decimal point.
func roundVar(v *nvar, rscale int) {
	v.dscale = rscale
	di := (v.weight+1)*decDigits + rscale
	if di < 0 {
		v.ndigits = 0
		v.weight = 0
		v.sign = SignPos
		return
	}
	ndigits := (di + decDigits - 1) / decDigits
	di %= decDigits
	if !(ndigits < v.ndigits || (ndigits == v.ndigits && di > 0)) {
		return
	}
	if v.off == 0 {
		// No spare digit left in front (a previous rounding used it).
		nb := v.newDigits(v.ndigits)
		copy(nb[1:], v.d())
		v.install(nb, v.ndigits)
	}
	digits := v.buf[v.off-1:] // digits[1+i] is digit i; digits[0] is the spare
	v.ndigits = ndigits
	carry := 0
	if di == 0 {
		if digits[1+ndigits] >= halfNbase {
			carry = 1
		}
	} else {
		pow10 := roundPowers[di]
		ndigits--
		extra := int(digits[1+ndigits]) % pow10
		digits[1+ndigits] -= int16(extra)
		if extra >= pow10/2 {
			pow10 += int(digits[1+ndigits])
			if pow10 >= nbase {
				pow10 -= nbase
				carry = 1
			}
			digits[1+ndigits] = int16(pow10)
		}
	}
	for carry != 0 {
		ndigits--
		carry += int(digits[1+ndigits])
		if carry >= nbase {
			digits[1+ndigits] = int16(carry - nbase)
			carry = 1
		} else {
			digits[1+ndigits] = int16(carry)
			carry = 0
		}
	}
	if ndigits < 0 {
		v.off--
		v.ndigits++
		v.weight++
	}
}

// truncVar truncates v toward zero at rscale digits after the decimal
// point and sets its dscale to rscale (trunc_var).
func truncVar(v *nvar, rscale int) {
	v.dscale = rscale
	di := (v.weight+1)*decDigits + rscale
	if di <= 0 {
		v.ndigits = 0
		v.weight = 0
		v.sign = SignPos
		return
	}
	ndigits := (di + decDigits - 1) / decDigits
	if ndigits <= v.ndigits {
		v.ndigits = ndigits
		di %= decDigits
		if di > 0 {
			d := v.d()
			pow10 := int16(roundPowers[di])
			d[ndigits-1] -= d[ndigits-1] % pow10
		}
	}
}

// clampScale limits the scale argument of Round and Trunc as PostgreSQL
// 15.x does: to the largest display scale, and below to one digit past the
// most a value can have before the point (so a value may still round up
// into an overflow error).
func clampScale(scale int32) int {
	s := int(scale)
	if lo := -(32767+1)*decDigits - 1; s < lo {
		s = lo
	}
	if s > MaxDscale {
		s = MaxDscale
	}
	return s
}

// Round appends a rounded to scale digits after the decimal point, half
// away from zero (round(numeric, int)). A negative scale rounds before the
// point and gives display scale 0. NaN and infinities are returned as is.
func (c *Calc) Round(dst, a []byte, scale int32) ([]byte, error) {
	if isSpecial(a) {
		return append(dst, a[:HeaderSize]...), nil
	}
	s := clampScale(scale)
	v := &c.v[0]
	load(v, a)
	roundVar(v, s)
	if s < 0 {
		v.dscale = 0
	}
	return appendVar(dst, v)
}

// Trunc appends a truncated toward zero at scale digits after the decimal
// point (trunc(numeric, int)); negative scale truncates before the point.
func (c *Calc) Trunc(dst, a []byte, scale int32) ([]byte, error) {
	if isSpecial(a) {
		return append(dst, a[:HeaderSize]...), nil
	}
	s := clampScale(scale)
	v := &c.v[0]
	load(v, a)
	truncVar(v, s)
	if s < 0 {
		v.dscale = 0
	}
	return appendVar(dst, v)
}

// ceilVar sets result to the smallest integer >= v (ceil_var).
func (c *Calc) ceilVar(v, result *nvar) {
	tmp := &c.v[5]
	tmp.set(v)
	truncVar(tmp, 0)
	if v.sign == SignPos && cmpVar(v, tmp) != 0 {
		addVar(tmp, constOne, tmp)
	}
	result.set(tmp)
}

// floorVar sets result to the largest integer <= v (floor_var).
func (c *Calc) floorVar(v, result *nvar) {
	tmp := &c.v[5]
	tmp.set(v)
	truncVar(tmp, 0)
	if v.sign == SignNeg && cmpVar(v, tmp) != 0 {
		subVar(tmp, constOne, tmp)
	}
	result.set(tmp)
}

// Ceil appends the smallest integer not less than a (ceil, ceiling).
func (c *Calc) Ceil(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		return append(dst, a[:HeaderSize]...), nil
	}
	v := &c.v[0]
	load(v, a)
	c.ceilVar(v, v)
	return appendVar(dst, v)
}

// Floor appends the largest integer not greater than a.
func (c *Calc) Floor(dst, a []byte) ([]byte, error) {
	if isSpecial(a) {
		return append(dst, a[:HeaderSize]...), nil
	}
	v := &c.v[0]
	load(v, a)
	c.floorVar(v, v)
	return appendVar(dst, v)
}

// Abs appends the absolute value of a (-Infinity becomes Infinity).
func (c *Calc) Abs(dst, a []byte) ([]byte, error) {
	n := len(dst)
	dst = append(dst, a...)
	switch signOf(a) {
	case SignNeg:
		dst[n+4], dst[n+5] = 0, 0
	case SignNInf:
		dst[n+4] = byte(SignPInf >> 8)
	}
	return dst, nil
}

// Neg appends -a (unary minus). Zero and NaN are unchanged.
func (c *Calc) Neg(dst, a []byte) ([]byte, error) {
	n := len(dst)
	dst = append(dst, a...)
	var s int
	switch signOf(a) {
	case SignPInf:
		s = SignNInf
	case SignNInf:
		s = SignPInf
	case SignPos:
		if ndigitsOf(a) == 0 {
			return dst, nil
		}
		s = SignNeg
	case SignNeg:
		s = SignPos
	default:
		return dst, nil
	}
	dst[n+4], dst[n+5] = byte(s>>8), byte(s)
	return dst, nil
}

// Sign appends -1, 0 or 1 (sign(numeric)); NaN gives NaN.
func (c *Calc) Sign(dst, a []byte) ([]byte, error) {
	if IsNaN(a) {
		return append(dst, encNaN...), nil
	}
	switch signum(a) {
	case 1:
		return append(dst, encOne...), nil
	case -1:
		return append(dst, encMOne...), nil
	}
	return append(dst, encZero...), nil
}
