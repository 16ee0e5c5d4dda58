package numeric

// minScaleOf is get_min_scale: the fewest digits after the point that
// represent v exactly.
func minScaleOf(a []byte) int {
	n := ndigitsOf(a)
	if n == 0 {
		return 0
	}
	ms := (n - 1 - weightOf(a)) * decDigits
	if ms <= 0 {
		return 0
	}
	for d := digitOf(a, n-1); d%10 == 0; d /= 10 {
		ms--
	}
	return ms
}

// MinScale returns the minimum scale that represents a exactly
// (min_scale(numeric)); ok is false for NaN and infinities (NULL).
func MinScale(a []byte) (scale int, ok bool) {
	if isSpecial(a) {
		return 0, false
	}
	return minScaleOf(a), true
}

// TrimScale appends a with its display scale reduced to MinScale
// (trim_scale(numeric)): trailing fractional zeros are dropped.
func (c *Calc) TrimScale(dst, a []byte) ([]byte, error) {
	n := len(dst)
	dst = append(dst, a...)
	if !isSpecial(a) {
		ms := minScaleOf(a)
		dst[n+6], dst[n+7] = byte(ms>>8), byte(ms)
	}
	return dst, nil
}

// Scale returns the display scale of a (scale(numeric)); ok is false for
// NaN and infinities, where PostgreSQL returns NULL.
func Scale(a []byte) (scale int, ok bool) {
	if isSpecial(a) {
		return 0, false
	}
	return dscaleOf(a), true
}
