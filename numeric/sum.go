package numeric

import "encoding/binary"

// accum is PostgreSQL's NumericSumAccum: positive and negative inputs are
// added digit by digit into separate int32 arrays, with carries propagated
// only every NBASE-1 additions.
type accum struct {
	ndigits        int
	weight         int
	dscale         int
	uncarried      int
	haveCarrySpace bool
	pos, neg       []int32
}

func (s *accum) reset() {
	clear(s.pos[:s.ndigits])
	clear(s.neg[:s.ndigits])
	s.dscale = 0
	s.uncarried = 0
}

// rescale makes room for a value of the given weight and digit count.
func (s *accum) rescale(weight, ndigits, dscale int) {
	oldWeight, oldN := s.weight, s.ndigits
	aw, an := oldWeight, oldN
	if weight >= aw {
		aw = weight + 1
		an += aw - oldWeight
	} else if !s.haveCarrySpace {
		aw++
		an++
	}
	ar := an - aw - 1
	vr := ndigits - weight - 1
	if vr > ar {
		an += vr - ar
	}
	if an != oldN || aw != oldWeight {
		shift := aw - oldWeight
		s.pos = growShift(s.pos, oldN, an, shift)
		s.neg = growShift(s.neg, oldN, an, shift)
		s.weight = aw
		s.ndigits = an
		s.haveCarrySpace = true
	}
	if dscale > s.dscale {
		s.dscale = dscale
	}
}

// growShift returns a with its first n elements moved right by shift and
// zeros around them, length m.
func growShift(a []int32, n, m, shift int) []int32 {
	if cap(a) < m {
		b := make([]int32, m, m+m/2+4)
		copy(b[shift:], a[:n])
		return b
	}
	a = a[:m]
	copy(a[shift:shift+n], a[:n])
	clear(a[:shift])
	clear(a[shift+n:])
	return a
}

func (s *accum) carry() {
	if s.uncarried == 0 {
		return
	}
	for _, dig := range [2][]int32{s.pos[:s.ndigits], s.neg[:s.ndigits]} {
		carryDigits(dig, dig)
		if len(dig) > 0 && dig[0] > 0 {
			s.haveCarrySpace = false
		}
	}
	s.uncarried = 0
}

// addEnc adds a finite encoded value.
func (s *accum) addEnc(b []byte) {
	if s.uncarried == nbase-1 {
		s.carry()
	}
	n := ndigitsOf(b)
	w := weightOf(b)
	s.rescale(w, n, dscaleOf(b))
	dig := s.pos
	if signOf(b) == SignNeg {
		dig = s.neg
	}
	i := s.weight - w
	p := b[HeaderSize : HeaderSize+2*n]
	dd := dig[i : i+n]
	for k := range dd {
		dd[k] += int32(binary.BigEndian.Uint16(p[2*k:]))
	}
	s.uncarried++
}

// addVar adds a finite var.
func (s *accum) addVar(v *nvar) {
	if s.uncarried == nbase-1 {
		s.carry()
	}
	s.rescale(v.weight, v.ndigits, v.dscale)
	dig := s.pos
	if v.sign == SignNeg {
		dig = s.neg
	}
	i := s.weight - v.weight
	for k, x := range v.d() {
		dig[i+k] += int32(x)
	}
	s.uncarried++
}

// merge adds o's value into s (accum_sum_combine).
func (s *accum) merge(o *accum) {
	if o.ndigits == 0 {
		return
	}
	o.carry()
	s.carry()
	s.rescale(o.weight, o.ndigits, o.dscale)
	i := s.weight - o.weight
	for k := 0; k < o.ndigits; k++ {
		s.pos[i+k] += o.pos[k]
		s.neg[i+k] += o.neg[k]
	}
	s.uncarried++
}

// final sets v to the accumulated value (accum_sum_final); p and n are
// scratch vars.
func (s *accum) final(v, p, n *nvar) {
	if s.ndigits == 0 {
		v.set(constZero)
		return
	}
	s.carry()
	for _, x := range [2]*nvar{p, n} {
		buf := x.newDigits(s.ndigits)
		x.install(buf, s.ndigits)
		x.weight = s.weight
		x.dscale = s.dscale
	}
	p.sign = SignPos
	n.sign = SignNeg
	pd, nd := p.d(), n.d()
	for i := 0; i < s.ndigits; i++ {
		pd[i] = int16(s.pos[i])
		nd[i] = int16(s.neg[i])
	}
	addVar(p, n, v)
	v.strip()
}

// Sum accumulates sum(), avg() and optionally var_pop(), var_samp(),
// stddev_pop() and stddev_samp() over numeric inputs, as PostgreSQL's
// NumericAggState does: finite inputs are added exactly into a wide
// accumulator without re-encoding, NaN and infinities are counted apart.
// Partial sums from parallel workers combine with Merge. The zero value
// accumulates sum and avg; call TrackSquares before the first Add for the
// variance family. A Sum is not safe for concurrent use.
type Sum struct {
	n, nanCount, pInfCount, nInfCount int64

	x, x2   accum
	squares bool

	calc    *Calc
	v, p, q nvar
	tmp     []byte
}

// TrackSquares makes s also accumulate the squares of its inputs, which
// Variance needs.
func (s *Sum) TrackSquares() {
	s.squares = true
	if s.calc == nil {
		s.calc = new(Calc)
	}
}

// Reset empties s, keeping its buffers.
func (s *Sum) Reset() {
	s.n, s.nanCount, s.pInfCount, s.nInfCount = 0, 0, 0, 0
	s.x.reset()
	s.x2.reset()
}

// Add accumulates one encoded value.
func (s *Sum) Add(a []byte) {
	switch signOf(a) {
	case SignNaN:
		s.nanCount++
		return
	case SignPInf:
		s.pInfCount++
		return
	case SignNInf:
		s.nInfCount++
		return
	}
	s.n++
	s.x.addEnc(a)
	if s.squares {
		load(&s.v, a)
		s.calc.mulVar(&s.v, &s.v, &s.v, s.v.dscale*2)
		s.x2.addVar(&s.v)
	}
}

// Merge adds the inputs accumulated in o into s (the combine step of a
// parallel aggregate). o's digits are carried but its value is unchanged.
func (s *Sum) Merge(o *Sum) {
	s.n += o.n
	s.nanCount += o.nanCount
	s.pInfCount += o.pInfCount
	s.nInfCount += o.nInfCount
	s.x.merge(&o.x)
	if s.squares || o.squares {
		s.TrackSquares()
		s.x2.merge(&o.x2)
	}
}

// Count returns the number of inputs, NaN and infinities included. When
// it is 0 sum(), avg() and the variances are NULL.
func (s *Sum) Count() int64 { return s.n + s.nanCount + s.pInfCount + s.nInfCount }

// special returns the encoding of a NaN/infinite aggregate result, or nil.
func (s *Sum) special() []byte {
	switch {
	case s.nanCount > 0:
		return encNaN
	case s.pInfCount > 0 && s.nInfCount > 0:
		return encNaN
	case s.pInfCount > 0:
		return encPInf
	case s.nInfCount > 0:
		return encNInf
	}
	return nil
}

// Append appends the sum (numeric_sum): NaN if any input was NaN or there
// were both infinities, else an infinity if there was one, else the exact
// sum with the largest input display scale. With no inputs it appends 0;
// the caller should return NULL when Count() is 0.
func (s *Sum) Append(dst []byte) ([]byte, error) {
	if r := s.special(); r != nil {
		return append(dst, r...), nil
	}
	s.x.final(&s.v, &s.p, &s.q)
	return appendVar(dst, &s.v)
}

// AppendAvg appends the average (numeric_avg): the sum divided by the
// number of finite inputs with Div's scale rule, and the same NaN and
// infinity rules as Append. The caller should return NULL when Count()
// is 0.
func (s *Sum) AppendAvg(c *Calc, dst []byte) ([]byte, error) {
	if r := s.special(); r != nil {
		return append(dst, r...), nil
	}
	var err error
	s.tmp, err = s.Append(s.tmp[:0])
	if err != nil {
		return dst, err
	}
	n := len(s.tmp)
	s.tmp = FromInt64(s.tmp, s.n)
	return c.Div(dst, s.tmp[:n], s.tmp[n:])
}

// Variance appends var_samp (sample) or var_pop, or with stddev the
// corresponding standard deviation, as numeric_stddev_internal computes
// them; TrackSquares must have been called before the first Add. ok is
// false where PostgreSQL returns NULL (no inputs; one input for the
// sample statistics). Any NaN or infinite input gives NaN.
func (s *Sum) Variance(c *Calc, dst []byte, sample, stddev bool) (out []byte, ok bool, err error) {
	tot := s.Count()
	if tot == 0 || (sample && tot <= 1) {
		return dst, false, nil
	}
	if s.nanCount > 0 || s.pInfCount > 0 || s.nInfCount > 0 {
		return append(dst, encNaN...), true, nil
	}
	vN, vsumX, vsumX2, vNminus1 := new(nvar), new(nvar), new(nvar), new(nvar)
	s.tmp = FromInt64(s.tmp[:0], s.n)
	load(vN, s.tmp)
	s.x.final(vsumX, &s.p, &s.q)
	s.x2.final(vsumX2, &s.p, &s.q)
	subVar(vN, constOne, vNminus1)
	rscale := vsumX.dscale * 2
	c.mulVar(vsumX, vsumX, vsumX, rscale)
	c.mulVar(vN, vsumX2, vsumX2, rscale)
	subVar(vsumX2, vsumX, vsumX2)
	if cmpVar(vsumX2, constZero) <= 0 {
		return append(dst, encZero...), true, nil
	}
	if sample {
		c.mulVar(vN, vNminus1, vNminus1, 0)
	} else {
		c.mulVar(vN, vN, vNminus1, 0)
	}
	rscale = selectDivScale(vsumX2, vNminus1)
	if err := c.divVar(vsumX2, vNminus1, vsumX, rscale, true); err != nil {
		return dst, true, err
	}
	if stddev {
		if err := c.sqrtVar(vsumX, vsumX, rscale); err != nil {
			return dst, true, err
		}
	}
	out, err = appendVar(dst, vsumX)
	return out, true, err
}
