package pgregex

import (
	"unicode/utf8"
)

// Regexp is a compiled regular expression. It is immutable; a Matcher
// holds the scratch space of matching and belongs to one goroutine.
type Regexp struct {
	root    *subre
	prog    *prog
	looks   []*node
	lprogs  []*prog
	nsub    int
	flags   Flags
	shorter bool
	count   int
}

// NumSubexp is the number of capturing parentheses.
func (re *Regexp) NumSubexp() int { return re.nsub }

// Compile parses pattern with flags (PostgreSQL's cflags for an ARE).
func Compile(pattern string, flags Flags) (*Regexp, error) {
	rs := []rune(pattern)
	// director prefixes
	if len(rs) >= 4 && rs[0] == '*' && rs[1] == '*' && rs[2] == '*' {
		switch rs[3] {
		case '=':
			flags |= Quote
			rs = rs[4:]
		case ':':
			rs = rs[4:]
		}
	}
	if flags&Quote == 0 && flags&(Basic|Extended) == 0 && len(rs) >= 3 && rs[0] == '(' && rs[1] == '?' && isAlpha(rs[2]) {
		// embedded options
		i := 2
		for ; i < len(rs) && isAlpha(rs[i]); i++ {
			switch rs[i] {
			case 'b':
				flags = flags&^Extended | Basic
			case 'c':
				flags &^= ICase
			case 'e':
				flags = flags&^Basic | Extended
			case 'i':
				flags |= ICase
			case 'm', 'n':
				flags |= Newline
			case 'p':
				flags = flags&^NLAnch | NLStop
			case 'q':
				flags |= Quote
			case 's':
				flags &^= Newline
			case 't':
				flags &^= Expanded
			case 'w':
				flags = flags&^NLStop | NLAnch
			case 'x':
				flags |= Expanded
			default:
				return nil, errBadOpt
			}
		}
		if i >= len(rs) || rs[i] != ')' {
			return nil, errBadOpt
		}
		rs = rs[i+1:]
		if flags&Quote != 0 {
			flags &^= Expanded | Newline
		}
	}
	if flags&(Basic|Extended) != 0 && flags&Quote == 0 {
		return nil, &UnsupportedError{"basic and extended (non-advanced) regular expressions"}
	}
	re := &Regexp{flags: flags}
	var ast *node
	if flags&Quote != 0 {
		cat := &node{kind: nCat}
		for _, c := range rs {
			cat.subs = append(cat.subs, &node{kind: nSet, set: runeSet(c, flags&ICase != 0)})
		}
		ast = cat
	} else {
		p := &parser{re: rs, flags: flags}
		var err error
		ast, err = p.parseAlt(0)
		if err != nil {
			return nil, err
		}
		if !p.eos() {
			// a ')' with no '('
			return nil, errEParen
		}
		re.nsub = p.nsub
		re.looks = p.looks
	}
	var b treeBuilder
	re.root = b.parse(ast)
	re.shorter = re.root.flags&fShorter != 0
	var err error
	if re.prog, err = compileProg(ast, &re.count); err != nil {
		return nil, err
	}
	for _, l := range re.looks {
		lp, err := compileProg(l.subs[0], &re.count)
		if err != nil {
			return nil, err
		}
		re.lprogs = append(re.lprogs, lp)
	}
	// compile each tree node's program now: Regexp stays immutable
	var walk func(t *subre) error
	walk = func(t *subre) error {
		for ; t != nil; t = t.sibling {
			if t.frag == re.root.frag && t.prog == nil {
				t.prog = re.prog
			}
			if t.prog == nil {
				if t.prog, err = compileProg(t.frag, &re.count); err != nil {
					return err
				}
			}
			if err := walk(t.child); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(re.root); err != nil {
		return nil, err
	}
	return re, nil
}

func isAlpha(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

const (
	lookAheadPos = iota
	lookAheadNeg
	lookBehindPos
	lookBehindNeg
)

// Matcher matches one Regexp against strings.
type Matcher struct {
	re   *Regexp
	text []byte
	sim  sim
	// lookaround scratch: simulations nest (a lookaround inside the
	// expression being simulated), so each depth has its own.
	lsims  []*sim
	ldepth int
	// lookbehind results per lookaround, per position (0 unknown, 1 no,
	// 2 yes), for the current text
	behind [][]uint8
	caps   []int
}

// NewMatcher returns a Matcher for re.
func (re *Regexp) NewMatcher() *Matcher {
	return &Matcher{re: re, behind: make([][]uint8, len(re.looks))}
}

func (m *Matcher) reset(text []byte) {
	m.text = text
	for i := range m.behind {
		m.behind[i] = m.behind[i][:0]
	}
}

func prevRune(text []byte, pos int) rune {
	if pos <= 0 {
		return -1
	}
	c := text[pos-1]
	if c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRune(text[:pos])
	return r
}

func nextRune(text []byte, pos int) rune {
	if pos >= len(text) {
		return -1
	}
	r, _ := decode(text, pos)
	return r
}

func (m *Matcher) assert(k assertKind, pos int) bool {
	t := m.text
	nlanch := m.re.flags&NLAnch != 0
	switch k {
	case aBOL:
		return pos == 0 || nlanch && t[pos-1] == '\n'
	case aEOL:
		return pos == len(t) || nlanch && t[pos] == '\n'
	case aBOS:
		return pos == 0
	case aEOS:
		return pos == len(t)
	}
	before, after := prevRune(t, pos), nextRune(t, pos)
	wb := before >= 0 && isWordChar(before)
	wa := after >= 0 && isWordChar(after)
	switch k {
	case aWordB:
		return !wb && wa
	case aWordE:
		return wb && !wa
	case aBound:
		return wb != wa
	case aNBound:
		return wb == wa
	}
	return false
}

func (m *Matcher) subSim() *sim {
	if m.ldepth >= len(m.lsims) {
		m.lsims = append(m.lsims, &sim{})
	}
	s := m.lsims[m.ldepth]
	m.ldepth++
	return s
}

func (m *Matcher) look(i int, pos int) bool {
	l := m.re.looks[i]
	p := m.re.lprogs[i]
	switch l.min {
	case lookAheadPos, lookAheadNeg:
		s := m.subSim()
		found := s.shortest(p, m.text, pos, pos, len(m.text), m) >= 0
		m.ldepth--
		return found == (l.min == lookAheadPos)
	}
	// lookbehind: some match of the constraint ends exactly at pos
	b := m.behind[i]
	if len(b) == 0 {
		b = append(b[:0], make([]uint8, len(m.text)+1)...)
		m.behind[i] = b
		s := m.subSim()
		m.behindScan(s, p, b)
		m.ldepth--
	}
	return (b[pos] == 2) == (l.min == lookBehindPos)
}

// behindScan marks every position where some match of p ends (a search
// with a start at every position).
func (m *Matcher) behindScan(s *sim, p *prog, out []uint8) {
	s.reset(p, false)
	pos := 0
	s.closure(p, &s.cur, p.start, 0, m, nil, 0)
	for {
		if s.cur.has(p.accept) {
			out[pos] = 2
		} else {
			out[pos] = 1
		}
		if pos >= len(m.text) {
			return
		}
		r, w := decode(m.text, pos)
		pos += w
		for k := pos - w + 1; k < pos; k++ {
			out[k] = 1 // inside a character
		}
		s.step(p, r, pos, m, false)
		s.closure(p, &s.cur, p.start, pos, m, nil, 0)
	}
}

// MatchString reports whether re matches somewhere in text at or after
// byte offset from.
func (m *Matcher) Match(text []byte, from int) bool {
	m.reset(text)
	return m.sim.leftmost(m.re.prog, text, from, m, true) >= 0
}

// Find finds the first match at or after byte offset from and returns
// the byte offsets of the match and of each capture (2*(NumSubexp+1)
// values, -1 for captures that did not participate); nil for no match.
// The slice is reused by the next call.
func (m *Matcher) Find(text []byte, from int) []int {
	m.reset(text)
	p := m.re.prog
	begin := m.sim.leftmost(p, text, from, m, false)
	if begin < 0 {
		return nil
	}
	var end int
	if m.re.shorter {
		end = m.sim.shortest(p, text, begin, begin, len(text), m)
	} else {
		end = m.sim.longest(p, text, begin, len(text), m)
	}
	if cap(m.caps) < 2*(m.re.nsub+1) {
		m.caps = make([]int, 2*(m.re.nsub+1))
	}
	caps := m.caps[:2*(m.re.nsub+1)]
	for i := range caps {
		caps[i] = -1
	}
	caps[0], caps[1] = begin, end
	if m.re.nsub > 0 {
		m.dissect(m.re.root, begin, end, caps)
	}
	return caps
}

func (m *Matcher) longest(t *subre, begin, limit int) int {
	return m.sim.longest(t.prog, m.text, begin, limit, m)
}

func (m *Matcher) shortest(t *subre, begin, min, max int) int {
	return m.sim.shortest(t.prog, m.text, begin, min, max, m)
}

func (m *Matcher) prev(pos int) int {
	_, w := utf8.DecodeLastRune(m.text[:pos])
	return pos - w
}

func (m *Matcher) next(pos int) int {
	_, w := decode(m.text, pos)
	return pos + w
}

func zap(t *subre, caps []int) {
	if t.capno > 0 {
		caps[2*t.capno], caps[2*t.capno+1] = -1, -1
	}
	for c := t.child; c != nil; c = c.sibling {
		zap(c, caps)
	}
}

// dissect is regexec.c's cdissect for a match of t over [begin, end)
// that t's NFA accepts. Without back-references every step succeeds once
// the NFAs agree; the retry loops are kept as in PostgreSQL.
func (m *Matcher) dissect(t *subre, begin, end int, caps []int) bool {
	ok := true
	switch t.op {
	case '.':
		left, right := t.child, t.child.sibling
		if left.flags&fShorter != 0 {
			ok = m.crevcon(left, right, begin, end, caps)
		} else {
			ok = m.ccon(left, right, begin, end, caps)
		}
	case '|':
		ok = false
		for c := t.child; c != nil; c = c.sibling {
			if m.longest(c, begin, end) == end && m.dissect(c, begin, end, caps) {
				ok = true
				break
			}
		}
	case '*':
		if t.child.flags&fShorter != 0 {
			ok = m.creviter(t, begin, end, caps)
		} else {
			ok = m.citer(t, begin, end, caps)
		}
	case '(':
		ok = m.dissect(t.child, begin, end, caps)
	}
	if ok && t.capno > 0 {
		caps[2*t.capno], caps[2*t.capno+1] = begin, end
	}
	return ok
}

func (m *Matcher) ccon(left, right *subre, begin, end int, caps []int) bool {
	mid := m.longest(left, begin, end)
	if mid < 0 {
		return false
	}
	for {
		if m.longest(right, mid, end) == end {
			if m.dissect(left, begin, mid, caps) {
				if m.dissect(right, mid, end, caps) {
					return true
				}
				zap(left, caps)
			}
		}
		if mid == begin {
			return false
		}
		if mid = m.longest(left, begin, m.prev(mid)); mid < 0 {
			return false
		}
	}
}

func (m *Matcher) crevcon(left, right *subre, begin, end int, caps []int) bool {
	mid := m.shortest(left, begin, begin, end)
	if mid < 0 {
		return false
	}
	for {
		if m.longest(right, mid, end) == end {
			if m.dissect(left, begin, mid, caps) {
				if m.dissect(right, mid, end, caps) {
					return true
				}
				zap(left, caps)
			}
		}
		if mid == end {
			return false
		}
		if mid = m.shortest(left, begin, m.next(mid), end); mid < 0 {
			return false
		}
	}
}

// citer is citerdissect: split [begin, end) into repetitions of the
// child, longest first, and dissect each (the last one's captures stay).
func (m *Matcher) citer(t *subre, begin, end int, caps []int) bool {
	child := t.child
	minMatches := max(t.min, 1)
	maxMatches := utf8.RuneCount(m.text[begin:end])
	if t.max != dupInf && maxMatches > t.max {
		maxMatches = t.max
	}
	maxMatches = max(maxMatches, minMatches)
	endpts := make([]int, maxMatches+1)
	endpts[0] = begin
	nverified := 0
	k := 1
	limit := end
	chars := func(a, b int) int { return utf8.RuneCount(m.text[a:b]) }
	for k > 0 {
		ep := m.longest(child, endpts[k-1], limit)
		backtrack := false
		if ep < 0 {
			k--
			backtrack = true
		} else {
			endpts[k] = ep
			if nverified >= k {
				nverified = k - 1
			}
			switch {
			case ep != end:
				if k >= maxMatches {
					k--
					backtrack = true
				} else if ep == endpts[k-1] && (k >= minMatches || minMatches-k < chars(ep, end)) {
					backtrack = true
				} else {
					k++
					limit = end
					continue
				}
			case k < minMatches:
				backtrack = true
			default:
				i := nverified + 1
				for ; i <= k; i++ {
					zap(child, caps)
					if !m.dissect(child, endpts[i-1], endpts[i], caps) {
						break
					}
					nverified = i
				}
				if i > k {
					return true
				}
				k = i
				backtrack = true
			}
		}
		if backtrack {
			for k > 0 {
				prevEnd := endpts[k-1]
				if endpts[k] > prevEnd {
					limit = m.prev(endpts[k])
					if limit > prevEnd || k < minMatches && minMatches-k >= chars(prevEnd, end) {
						break
					}
				}
				k--
			}
		}
	}
	return t.min == 0 && begin == end
}

// creviter is creviterdissect: repetitions shortest first.
func (m *Matcher) creviter(t *subre, begin, end int, caps []int) bool {
	child := t.child
	minMatches := t.min
	if minMatches <= 0 {
		if begin == end {
			return true
		}
		minMatches = 1
	}
	maxMatches := utf8.RuneCount(m.text[begin:end])
	if t.max != dupInf && maxMatches > t.max {
		maxMatches = t.max
	}
	maxMatches = max(maxMatches, minMatches)
	endpts := make([]int, maxMatches+1)
	endpts[0] = begin
	nverified := 0
	k := 1
	limit := begin
	chars := func(a, b int) int { return utf8.RuneCount(m.text[a:b]) }
	for k > 0 {
		if limit == endpts[k-1] && limit != end && (k >= minMatches || minMatches-k < chars(limit, end)) {
			limit = m.next(limit)
		}
		if k >= maxMatches {
			limit = end
		}
		ep := m.shortest(child, endpts[k-1], limit, end)
		backtrack := false
		if ep < 0 {
			k--
			backtrack = true
		} else {
			endpts[k] = ep
			if nverified >= k {
				nverified = k - 1
			}
			switch {
			case ep != end:
				if k >= maxMatches {
					k--
					backtrack = true
				} else {
					k++
					limit = endpts[k-1]
					continue
				}
			case k < minMatches:
				backtrack = true
			default:
				i := nverified + 1
				for ; i <= k; i++ {
					zap(child, caps)
					if !m.dissect(child, endpts[i-1], endpts[i], caps) {
						break
					}
					nverified = i
				}
				if i > k {
					return true
				}
				k = i
				backtrack = true
			}
		}
		if backtrack {
			for k > 0 {
				if endpts[k] < end {
					limit = m.next(endpts[k])
					break
				}
				k--
			}
		}
	}
	return false
}

// ParseFlags reads the flags argument of PostgreSQL's regexp functions
// (parse_re_flags), starting from the default flags def: g (global) is
// reported separately; bad is the first character that is not an option.
func ParseFlags(s string, def Flags) (f Flags, global bool, bad string) {
	f = def
	for _, c := range s {
		switch c {
		case 'g':
			global = true
		case 'b':
			f = f&^Extended | Basic
		case 'c':
			f &^= ICase
		case 'e':
			f = f&^Basic | Extended
		case 'i':
			f |= ICase
		case 'm', 'n':
			f |= Newline
		case 'p':
			f = f&^NLAnch | NLStop
		case 'q':
			f |= Quote
		case 's':
			f &^= Newline
		case 't':
			f &^= Expanded
		case 'w':
			f = f&^NLStop | NLAnch
		case 'x':
			f |= Expanded
		default:
			return f, global, string(c)
		}
	}
	return f, global, ""
}
