package numeric

import "github.com/pqdb/pqdb/pgerr"

// gcdVar is gcd_var.
func (c *Calc) gcdVar(var1, var2, result *nvar) error {
	resDscale := maxInt(var1.dscale, var2.dscale)
	cmp := cmpAbs(var1, var2)
	if cmp < 0 {
		var1, var2 = var2, var1
	}
	if cmp == 0 || var2.ndigits == 0 {
		result.set(var1)
		result.sign = SignPos
		result.dscale = resDscale
		return nil
	}
	tmpArg, mod := new(nvar), new(nvar)
	tmpArg.set(var1)
	result.set(var2)
	for {
		if err := c.modVar(tmpArg, result, mod); err != nil {
			return err
		}
		if mod.ndigits == 0 {
			break
		}
		tmpArg.set(result)
		result.set(mod)
	}
	result.sign = SignPos
	result.dscale = resDscale
	return nil
}

// GCD appends the greatest common divisor of a and b (gcd(numeric,
// numeric)); NaN if either is NaN or infinite.
func (c *Calc) GCD(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		return append(dst, encNaN...), nil
	}
	v1, v2, r := &c.v[0], &c.v[1], &c.v[2]
	load(v1, a)
	load(v2, b)
	if err := c.gcdVar(v1, v2, r); err != nil {
		return dst, err
	}
	return appendVar(dst, r)
}

// LCM appends the least common multiple of a and b (lcm(numeric,
// numeric)); NaN if either is NaN or infinite.
func (c *Calc) LCM(dst, a, b []byte) ([]byte, error) {
	if isSpecial(a) || isSpecial(b) {
		return append(dst, encNaN...), nil
	}
	v1, v2, r := &c.v[0], &c.v[1], &c.v[2]
	load(v1, a)
	load(v2, b)
	if v1.ndigits == 0 || v2.ndigits == 0 {
		r.zero()
	} else {
		if err := c.gcdVar(v1, v2, r); err != nil {
			return dst, err
		}
		if err := c.divVar(v1, r, r, 0, false); err != nil {
			return dst, err
		}
		c.mulVar(v2, r, r, v2.dscale)
		r.sign = SignPos
	}
	r.dscale = maxInt(v1.dscale, v2.dscale)
	return appendVar(dst, r)
}

// Factorial appends n! (factorial(bigint)). Negative n is 22003
// "factorial of a negative number is undefined"; n above 32177 overflows.
func (c *Calc) Factorial(dst []byte, n int64) ([]byte, error) {
	if n < 0 {
		return dst, pgerr.New(pgerr.NumericValueOutOfRange, "factorial of a negative number is undefined")
	}
	if n <= 1 {
		return append(dst, encOne...), nil
	}
	if n > 32177 {
		return dst, errOverflow()
	}
	r, f := &c.v[0], &c.v[1]
	var buf [16]byte
	load(r, FromInt64(buf[:0], n))
	for n--; n > 1; n-- {
		load(f, FromInt64(buf[:0], n))
		c.mulVar(r, f, r, 0)
	}
	return appendVar(dst, r)
}
