package numeric

import (
	"encoding/binary"

	"github.com/pqdb/pqdb/pgerr"
)

func errBinary(msg string) error {
	return pgerr.New(pgerr.InvalidBinaryRepresentation, "%s", msg)
}

// Validate checks binary input from a client (a numeric parameter or COPY
// BINARY field) as numeric_recv does: the length must match the digit
// count (08P01 "insufficient data left in message" when short, 22P03
// "incorrect binary data format" when bytes are left over, as the
// protocol layer reports them), the sign must be one of
// the five valid words ("invalid sign in external \"numeric\" value"), the
// scale must fit 14 bits ("invalid scale ...") and each digit must be in
// 0..9999 ("invalid digit ..."). A value that passes may still be
// unnormalized (leading or trailing zero digits, digits beyond its display
// scale); Recv turns it into the canonical encoding the rest of this
// package expects.
func Validate(b []byte) error {
	if len(b) < HeaderSize {
		return errShort()
	}
	n := ndigitsOf(b)
	switch signOf(b) {
	case SignPos, SignNeg, SignNaN, SignPInf, SignNInf:
	default:
		return errBinary("invalid sign in external \"numeric\" value")
	}
	if dscaleOf(b)&MaxDscale != dscaleOf(b) {
		return errBinary("invalid scale in external \"numeric\" value")
	}
	for i := 0; i < n; i++ {
		if len(b) < HeaderSize+2*i+2 {
			return errShort()
		}
		d := int16(binary.BigEndian.Uint16(b[HeaderSize+2*i:]))
		if d < 0 || d >= nbase {
			return errBinary("invalid digit in external \"numeric\" value")
		}
	}
	if len(b) != HeaderSize+2*n {
		return errBinary("incorrect binary data format")
	}
	return nil
}

func errShort() error {
	return pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
}

// Recv validates client binary input and appends its canonical encoding
// (numeric_recv): digits hidden by the display scale are truncated away,
// zero digits at either end are dropped, and special values lose any
// digits, weight and scale they were sent with.
func (c *Calc) Recv(dst, b []byte) ([]byte, error) {
	if err := Validate(b); err != nil {
		return dst, err
	}
	if isSpecial(b) {
		return appendSpecial(dst, signOf(b)), nil
	}
	v := &c.v[0]
	load(v, b)
	truncVar(v, v.dscale)
	return appendVar(dst, v)
}

// IsCanonical reports whether b is a well-formed encoding in the
// normalized form this package produces and expects.
func IsCanonical(b []byte) bool {
	if Validate(b) != nil {
		return false
	}
	n := ndigitsOf(b)
	if isSpecial(b) {
		return n == 0 && weightOf(b) == 0 && dscaleOf(b) == 0
	}
	if n == 0 {
		return weightOf(b) == 0 && signOf(b) == SignPos
	}
	if digitOf(b, 0) == 0 || digitOf(b, n-1) == 0 {
		return false
	}
	// No digits beyond the display scale.
	lastWeight := weightOf(b) - (n - 1) // weight of the last digit
	if lastWeight < 0 {
		frac := -lastWeight * decDigits // decimal places the digits cover
		d := digitOf(b, n-1)
		for d%10 == 0 {
			frac--
			d /= 10
		}
		if frac > dscaleOf(b) {
			return false
		}
	}
	return true
}
