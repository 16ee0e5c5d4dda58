// Package pgregex implements PostgreSQL's regular expressions (Henry
// Spencer's ARE flavour as PostgreSQL 15 ships it) with PostgreSQL's match
// semantics, which Go's regexp does not have:
//
//   - The match found is the one that starts earliest; among those, the
//     longest or the shortest, depending on whether the RE as a whole is
//     greedy (PostgreSQL's rules: a branch takes the greediness of its
//     first quantified atom, an alternation is greedy).
//   - Submatches are assigned as PostgreSQL's regexec.c dissects a match:
//     a concatenation gives its left part the longest (or, when that part
//     is non-greedy, the shortest) span that still lets the rest match, an
//     alternation takes the first branch that matches the span, and an
//     iteration reports its last repetition.
//   - Syntax is the ARE syntax: bracket expressions with [:class:], [.c.]
//     and [=c=], escapes (\d \w \s, \m \M \y \Y \A \Z, \uXXXX, ...),
//     lookahead and lookbehind constraints, embedded options (?i) and the
//     ***= and ***: directors, flags i c n m p w s x t q.
//
// The parser builds, like regcomp.c, a tree of sub-expressions ("subre"
// nodes) bundling everything that needs no dissection into plain nodes;
// each node's possible match ends are computed by simulating its NFA over
// the string (where a DFA would be used in PostgreSQL), with constraints
// evaluated against the whole string.
//
// Back-references and the BRE and ERE flavours are not supported: Compile
// reports them as ErrUnsupported.
package pgregex

import (
	"errors"
	"unicode/utf8"
)

// Error is a syntax error, with the message PostgreSQL's regerror gives.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// ErrUnsupported wraps the features this package does not implement.
var ErrUnsupported = errors.New("unsupported regular expression feature")

// UnsupportedError names an unsupported feature.
type UnsupportedError struct{ Feature string }

func (e *UnsupportedError) Error() string { return e.Feature + " are not supported" }
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// PostgreSQL's regex error messages (regerrs.h).
var (
	errEParen   = &Error{"parentheses () not balanced"}
	errEBrack   = &Error{"brackets [] not balanced"}
	errBadRpt   = &Error{"quantifier operand invalid"}
	errBadBr    = &Error{"invalid repetition count(s)"}
	errERange   = &Error{"invalid character range"}
	errEEscape  = &Error{"invalid escape \\ sequence"}
	errECType   = &Error{"invalid character class"}
	errECollate = &Error{"invalid collating element"}
	errBadOpt   = &Error{"invalid embedded option"}
	errTooBig   = &Error{"regular expression is too big"}
	errESubReg  = &Error{"invalid backreference number"}
)

// Flags are compile options (PostgreSQL's cflags).
type Flags uint16

const (
	ICase    Flags = 1 << iota // case-insensitive
	NLStop                     // . and [^...] do not match newline
	NLAnch                     // ^ and $ also match at newlines
	Expanded                   // whitespace and # comments are ignored
	Quote                      // the whole pattern is a literal string
	Basic                      // BRE (unsupported)
	Extended                   // ERE (unsupported)
)

// Newline is the n (and m) flag: newline-sensitive matching.
const Newline = NLStop | NLAnch

const dupMax = 255 // DUPMAX
const dupInf = -1

// subre flags, as in regguts.h.
const (
	fLonger  = 01
	fShorter = 02
	fMixed   = 04
	fCap     = 010
)

func up(f int) int {
	return f&(fMixed|fCap) | ((f << 2) & (f << 1) & fMixed)
}
func messy(f int) bool { return f&(fMixed|fCap) != 0 }
func pref(f int) int   { return f & (fLonger | fShorter) }
func pref2(f1, f2 int) int {
	if pref(f1) != 0 {
		return pref(f1)
	}
	return pref(f2)
}
func combine(f1, f2 int) int { return up(f1|f2) | pref2(f1, f2) }

// ---- AST ----

type nodeKind uint8

const (
	nSet    nodeKind = iota // one character of a set
	nEmpty                  // the empty string
	nAssert                 // a zero-width constraint
	nLook                   // lookaround constraint
	nGroup                  // parenthesized alternation (capturing if cap > 0)
	nAlt                    // alternation of branches
	nCat                    // concatenation
	nRep                    // quantified node
)

type assertKind uint8

const (
	aBOL    assertKind = iota // ^
	aEOL                      // $
	aBOS                      // \A
	aEOS                      // \Z
	aWordB                    // \m, [[:<:]]
	aWordE                    // \M, [[:>:]]
	aBound                    // \y
	aNBound                   // \Y
)

type node struct {
	kind     nodeKind
	set      *charSet
	assert   assertKind
	look     int // index in Regexp.looks
	cap      int // nGroup: capture number (0: none)
	subs     []*node
	min, max int  // nRep
	greedy   bool // nRep
	hasQuant bool // nRep from an explicit {m,n}, *, + or ? (not {m})
}

// ---- lexer ----

type parser struct {
	re     []rune
	pos    int
	flags  Flags
	nsub   int
	looks  []*node
	inLook bool
	states int // rough NFA size, to refuse enormous expressions
}

func (p *parser) eos() bool { return p.pos >= len(p.re) }
func (p *parser) peek() rune {
	if p.eos() {
		return -1
	}
	return p.re[p.pos]
}
func (p *parser) peekAt(k int) rune {
	if p.pos+k >= len(p.re) {
		return -1
	}
	return p.re[p.pos+k]
}

// skip passes (?#...) comments and, in expanded mode, whitespace and
// #-comments: the lexer never shows them to the parser.
func (p *parser) skip() {
	for !p.eos() {
		c := p.re[p.pos]
		switch {
		case p.flags&Expanded != 0 && isSpace(c):
			p.pos++
		case p.flags&Expanded != 0 && c == '#':
			for !p.eos() && p.re[p.pos] != '\n' {
				p.pos++
			}
		case c == '(' && p.peekAt(1) == '?' && p.peekAt(2) == '#':
			for !p.eos() && p.re[p.pos] != ')' {
				p.pos++
			}
			if !p.eos() {
				p.pos++
			}
		default:
			return
		}
	}
}

// ---- parser ----

// parseAlt parses branches separated by | up to ')' or the end.
func (p *parser) parseAlt(depth int) (*node, error) {
	if depth > 400 {
		return nil, errTooBig
	}
	var branches []*node
	for {
		b, err := p.parseBranch(depth)
		if err != nil {
			return nil, err
		}
		branches = append(branches, b)
		p.skip()
		if p.peek() != '|' {
			break
		}
		p.pos++
	}
	if len(branches) == 1 {
		return branches[0], nil
	}
	return &node{kind: nAlt, subs: branches}, nil
}

func (p *parser) parseBranch(depth int) (*node, error) {
	cat := &node{kind: nCat}
	for {
		p.skip()
		if p.eos() || p.peek() == '|' || p.peek() == ')' {
			break
		}
		item, err := p.parseQAtom(depth)
		if err != nil {
			return nil, err
		}
		if item != nil {
			cat.subs = append(cat.subs, item)
		}
	}
	return cat, nil
}

// parseQAtom parses one atom or constraint and its quantifier.
func (p *parser) parseQAtom(depth int) (*node, error) {
	c := p.re[p.pos]
	p.pos++
	var atom *node
	switch c {
	case '^':
		return p.constraint(&node{kind: nAssert, assert: aBOL})
	case '$':
		return p.constraint(&node{kind: nAssert, assert: aEOL})
	case '*', '+', '?':
		return nil, errBadRpt
	case '{':
		if !p.eos() && isDigit(p.peek()) {
			return nil, errBadRpt
		}
		atom = p.literal('{')
	case '.':
		atom = &node{kind: nSet, set: anySet(p.flags&NLStop != 0)}
	case '[':
		if p.pos+5 < len(p.re) && p.re[p.pos] == '[' && p.re[p.pos+1] == ':' && (p.re[p.pos+2] == '<' || p.re[p.pos+2] == '>') && p.re[p.pos+3] == ':' && p.re[p.pos+4] == ']' && p.re[p.pos+5] == ']' {
			// [[:<:]] and [[:>:]]: word start and end
			k := aWordB
			if p.re[p.pos+2] == '>' {
				k = aWordE
			}
			p.pos += 6
			return p.constraint(&node{kind: nAssert, assert: k})
		}
		set, err := p.parseBracket()
		if err != nil {
			return nil, err
		}
		atom = &node{kind: nSet, set: set}
	case '(':
		capture := !p.inLook
		lookKind := -1
		if p.peek() == '?' {
			p.pos++
			if p.eos() {
				return nil, errBadRpt
			}
			k := p.re[p.pos]
			p.pos++
			switch k {
			case ':':
				capture = false
			case '=':
				lookKind = lookAheadPos
			case '!':
				lookKind = lookAheadNeg
			case '<':
				if p.eos() {
					return nil, errBadRpt
				}
				k2 := p.re[p.pos]
				p.pos++
				switch k2 {
				case '=':
					lookKind = lookBehindPos
				case '!':
					lookKind = lookBehindNeg
				default:
					return nil, errBadRpt
				}
			default:
				return nil, errBadRpt
			}
		}
		if lookKind >= 0 {
			saved := p.inLook
			p.inLook = true
			sub, err := p.parseAlt(depth + 1)
			p.inLook = saved
			if err != nil {
				return nil, err
			}
			if p.peek() != ')' {
				return nil, errEParen
			}
			p.pos++
			look := &node{kind: nLook, subs: []*node{sub}, min: lookKind}
			look.look = len(p.looks)
			p.looks = append(p.looks, look)
			return p.constraint(look)
		}
		g := &node{kind: nGroup}
		if capture {
			p.nsub++
			g.cap = p.nsub
		}
		sub, err := p.parseAlt(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, errEParen
		}
		p.pos++
		g.subs = []*node{sub}
		atom = g
	case ')':
		return nil, errEParen
	case '\\':
		if p.eos() {
			return nil, errEEscape
		}
		a, err := p.escape(false)
		if err != nil {
			return nil, err
		}
		if a.kind == nAssert {
			return p.constraint(a)
		}
		atom = a
	default:
		atom = p.literal(c)
	}
	return p.quantify(atom)
}

// constraint returns a constraint, which may not be quantified.
func (p *parser) constraint(n *node) (*node, error) {
	p.skip()
	switch p.peek() {
	case '*', '+', '?':
		return nil, errBadRpt
	case '{':
		if isDigit(p.peekAt(1)) {
			return nil, errBadRpt
		}
	}
	return n, nil
}

func (p *parser) literal(c rune) *node {
	return &node{kind: nSet, set: runeSet(c, p.flags&ICase != 0)}
}

// quantify reads an optional quantifier after atom.
func (p *parser) quantify(atom *node) (*node, error) {
	p.skip()
	if p.eos() {
		return atom, nil
	}
	min, max := 1, 1
	explicit := true
	switch p.peek() {
	case '*':
		min, max = 0, dupInf
		p.pos++
	case '+':
		min, max = 1, dupInf
		p.pos++
	case '?':
		min, max = 0, 1
		p.pos++
	case '{':
		if !isDigit(p.peekAt(1)) {
			return atom, nil
		}
		p.pos++
		m, err := p.scanNum()
		if err != nil {
			return nil, err
		}
		min, max = m, m
		explicit = false
		if p.peek() == ',' {
			p.pos++
			explicit = true
			if isDigit(p.peek()) {
				if max, err = p.scanNum(); err != nil {
					return nil, err
				}
			} else {
				max = dupInf
			}
			if max != dupInf && min > max {
				return nil, errBadBr
			}
		}
		if p.peek() != '}' {
			return nil, errBadBr
		}
		p.pos++
	default:
		return atom, nil
	}
	greedy := true
	if p.peek() == '?' {
		p.pos++
		greedy = false
	}
	p.skip()
	switch p.peek() {
	case '*', '+', '?':
		return nil, errBadRpt
	case '{':
		if isDigit(p.peekAt(1)) {
			return nil, errBadRpt
		}
	}
	rep := &node{kind: nRep, subs: []*node{atom}, min: min, max: max, greedy: greedy, hasQuant: explicit}
	if !explicit {
		// {m} passes its operand's preference through; {m}? is the same.
		rep.greedy = true
	}
	return rep, nil
}

func (p *parser) scanNum() (int, error) {
	n := 0
	for isDigit(p.peek()) && n <= dupMax {
		n = n*10 + int(p.peek()-'0')
		p.pos++
	}
	if isDigit(p.peek()) || n > dupMax {
		return 0, errBadBr
	}
	return n, nil
}

// escape reads a backslash escape (the backslash is consumed). In a
// bracket only character escapes and class shorthands are allowed.
func (p *parser) escape(inBracket bool) (*node, error) {
	c := p.re[p.pos]
	p.pos++
	icase := p.flags&ICase != 0
	if !isAlnum(c) {
		return &node{kind: nSet, set: runeSet(c, icase)}, nil
	}
	chr := func(r rune) (*node, error) { return &node{kind: nSet, set: runeSet(r, icase)}, nil }
	assert := func(k assertKind) (*node, error) {
		if inBracket {
			return nil, errEEscape
		}
		return &node{kind: nAssert, assert: k}, nil
	}
	class := func(cls charClass, neg bool) (*node, error) {
		s := &charSet{icase: icase}
		s.addClass(cls)
		s.neg = neg
		s.finish()
		return &node{kind: nSet, set: s}, nil
	}
	switch c {
	case 'a':
		return chr('\a')
	case 'A':
		return assert(aBOS)
	case 'b':
		return chr('\b')
	case 'B':
		return chr('\\')
	case 'c':
		if p.eos() {
			return nil, errEEscape
		}
		r := p.re[p.pos]
		p.pos++
		return chr(r & 037)
	case 'd':
		return class(ccDigit, false)
	case 'D':
		return class(ccDigit, true)
	case 'e':
		return chr('\033')
	case 'f':
		return chr('\f')
	case 'm':
		return assert(aWordB)
	case 'M':
		return assert(aWordE)
	case 'n':
		return chr('\n')
	case 'r':
		return chr('\r')
	case 's':
		return class(ccSpace, false)
	case 'S':
		return class(ccSpace, true)
	case 't':
		return chr('\t')
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		r, ok := p.digits(16, n, n)
		if !ok || r > utf8.MaxRune {
			return nil, errEEscape
		}
		return chr(r)
	case 'v':
		return chr('\v')
	case 'w':
		return class(ccWord, false)
	case 'W':
		return class(ccWord, true)
	case 'x':
		r, ok := p.digits(16, 1, 255)
		if !ok || r > utf8.MaxRune {
			return nil, errEEscape
		}
		return chr(r)
	case 'y':
		return assert(aBound)
	case 'Y':
		return assert(aNBound)
	case 'Z':
		return assert(aEOS)
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		save := p.pos
		p.pos--
		n, ok := p.digits(10, 1, 255)
		if !ok {
			return nil, errEEscape
		}
		if p.pos == save || int(n) > 0 && int(n) <= p.nsub {
			if inBracket {
				return nil, errEEscape
			}
			if p.inLook || int(n) > p.nsub {
				return nil, errESubReg
			}
			return nil, &UnsupportedError{"back references in regular expressions"}
		}
		p.pos = save
		fallthrough
	case '0':
		p.pos--
		r, ok := p.digits(8, 1, 3)
		if !ok {
			return nil, errEEscape
		}
		if r > 0xff {
			p.pos--
			r >>= 3
		}
		return chr(r)
	}
	return nil, errEEscape
}

// digits reads between min and max digits of base; the value saturates
// past the rune range (an error for the caller).
func (p *parser) digits(base rune, min, max int) (rune, bool) {
	var n rune
	k := 0
	for ; k < max && !p.eos(); k++ {
		c := p.re[p.pos]
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			d = base
		}
		if d >= base {
			break
		}
		p.pos++
		if n < 0x7fffffff/16 {
			n = n*base + d
		} else {
			n = 0x7fffffff
		}
	}
	return n, k >= min
}

// parseBracket parses a bracket expression after its [.
func (p *parser) parseBracket() (*charSet, error) {
	s := &charSet{icase: p.flags&ICase != 0}
	if p.peek() == '^' {
		p.pos++
		s.neg = true
	}
	first := true
	for {
		if p.eos() {
			return nil, errEBrack
		}
		c := p.re[p.pos]
		if c == ']' && !first {
			p.pos++
			break
		}
		first = false
		// one element, maybe the start of a range
		var start rune
		switch {
		case c == '[' && p.pos+1 < len(p.re) && (p.re[p.pos+1] == ':' || p.re[p.pos+1] == '=' || p.re[p.pos+1] == '.'):
			kind := p.re[p.pos+1]
			p.pos += 2
			from := p.pos
			for p.pos+1 < len(p.re) && !(p.re[p.pos] == kind && p.re[p.pos+1] == ']') {
				p.pos++
			}
			if p.pos+1 >= len(p.re) {
				return nil, errEBrack
			}
			name := string(p.re[from:p.pos])
			p.pos += 2
			switch kind {
			case ':':
				if name == "" {
					return nil, errECType
				}
				cls, ok := classByName[name]
				if !ok {
					return nil, errECType
				}
				s.addClass(cls)
				continue
			case '=':
				r, err := collatingElement(name)
				if err != nil {
					return nil, err
				}
				s.addRange(r, r)
				continue
			}
			r, err := collatingElement(name)
			if err != nil {
				return nil, err
			}
			start = r
		case c == '\\':
			p.pos++
			if p.eos() {
				return nil, errEEscape
			}
			e, err := p.escape(true)
			if err != nil {
				return nil, err
			}
			if e.kind != nSet {
				return nil, errEEscape
			}
			if e.set.classes != 0 || e.set.neg {
				if e.set.neg {
					// \D, \S, \W in brackets are not allowed in PostgreSQL
					// 15 (regc_lex.c rejects complemented classes there).
					s.negClasses |= e.set.classes
				} else {
					s.classes |= e.set.classes
				}
				continue
			}
			start = e.set.single
		case c == '-' && !(p.pos+1 < len(p.re) && p.re[p.pos+1] == ']') && p.pos > 0 && p.re[p.pos-1] != '[' && !(p.pos >= 2 && p.re[p.pos-1] == '^' && p.re[p.pos-2] == '['):
			return nil, errERange
		default:
			p.pos++
			start = c
		}
		end := start
		if p.peek() == '-' && p.peekAt(1) != ']' && p.peekAt(1) != -1 {
			p.pos++
			c2 := p.re[p.pos]
			switch {
			case c2 == '[' && p.peekAt(1) == '.':
				p.pos += 2
				from := p.pos
				for p.pos+1 < len(p.re) && !(p.re[p.pos] == '.' && p.re[p.pos+1] == ']') {
					p.pos++
				}
				if p.pos+1 >= len(p.re) {
					return nil, errEBrack
				}
				r, err := collatingElement(string(p.re[from:p.pos]))
				if err != nil {
					return nil, err
				}
				p.pos += 2
				end = r
			case c2 == '[' && (p.peekAt(1) == ':' || p.peekAt(1) == '='):
				return nil, errERange
			case c2 == '\\':
				p.pos++
				if p.eos() {
					return nil, errEEscape
				}
				e, err := p.escape(true)
				if err != nil {
					return nil, err
				}
				if e.kind != nSet || e.set.classes != 0 || e.set.neg {
					return nil, errERange
				}
				end = e.set.single
			default:
				p.pos++
				end = c2
			}
			if end < start {
				return nil, errERange
			}
			if p.peek() == '-' && p.peekAt(1) != ']' {
				return nil, errERange
			}
		}
		s.addRange(start, end)
	}
	if p.flags&NLStop != 0 && s.neg {
		s.noNewline = true
	}
	s.finish()
	return s, nil
}

// collatingElement resolves [.x.] and [=x=]: a single character, or one of
// the names in PostgreSQL's regc_locale.c table.
func collatingElement(name string) (rune, error) {
	rs := []rune(name)
	if len(rs) == 1 {
		return rs[0], nil
	}
	if r, ok := collatingNames[name]; ok {
		return r, nil
	}
	return 0, errECollate
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }
func isAlnum(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
