package exec

import (
	"bytes"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// LIKE and ILIKE: % matches any run of characters, _ exactly one
// character, and a backslash makes the next character literal. A pattern
// given as a literal is compiled once, when the expression is built;
// common shapes ('abc%', '%abc', '%abc%', '%abc%def%', no wildcard) run
// as plain byte searches. ILIKE folds both sides to lower case rune by rune.

func newLike(op BinaryOp, l, r Expr) (Expr, error) {
	if !l.Type().IsString() || !r.Type().IsString() {
		return nil, errOperatorDoesNotExist(op.String(), l.Type(), r.Type())
	}
	negate := op == OpNotLike || op == OpNotILike
	fold := op == OpILike || op == OpNotILike
	bpchar := l.Type().Kind == catalog.Bpchar
	if v, ok := literalValue(r); ok && v != nil {
		s, _ := v.(string)
		p, err := compileLike(s, fold)
		if err != nil {
			return nil, err
		}
		e := &likeExpr{negate: negate, m: likeMatcher{pat: p, bpchar: bpchar, fold: fold}}
		e.binaryExpr = binaryExpr{l: l, r: r, t: catalog.TypeBool, kernel: e.kernel}
		return e, nil
	}
	return &binaryExpr{l: l, r: r, t: catalog.TypeBool, kernel: func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := varlenViewOf(xa), varlenViewOf(ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		m := likeMatcher{bpchar: bpchar, fold: fold}
		var lastPattern string
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			ps := y.str(int(i))
			if m.pat == nil || ps != lastPattern {
				p, err := compileLike(ps, fold)
				if err != nil {
					out.finish().Release()
					return nil, err
				}
				m.pat, lastPattern = p, string(y.bytes(int(i)))
			}
			ok, err := m.matchOne(x.bytes(int(i)))
			if err != nil {
				out.finish().Release()
				return nil, err
			}
			out.set(int(i), ok != negate)
		}
		return out.finish(), nil
	}}, nil
}

// likeExpr is LIKE or ILIKE (negated: NOT LIKE) with a constant pattern,
// matched batch at a time (like_match.go); as a filter's conjunct it
// selects its rows without a boolean column (selectRows).
type likeExpr struct {
	binaryExpr
	negate bool
	m      likeMatcher
	hit    []bool // scratch: per row of a batch, whether it matched
}

func (e *likeExpr) kernel(mem memory.Allocator, xa, _ arrow.Array, b *Batch) (arrow.Array, error) {
	out := newBoolBuilder(mem, b.Len)
	out.nullMask = combineNulls(mem, b.Len, xa)
	rows := rowsOf(b)
	e.hit = growTo(e.hit, b.Len)
	if err := e.m.matchRows(varlenViewOf(xa), rows, e.hit); err != nil {
		out.finish().Release()
		return nil, err
	}
	for _, i := range rows {
		if e.hit[i] != e.negate && !out.isNull(int(i)) {
			out.set(int(i), true)
		}
	}
	return out.finish(), nil
}

// selectRows appends to dst the rows of rows where x, the evaluated left
// side, is not NULL and the predicate holds.
func (e *likeExpr) selectRows(x arrow.Array, rows, dst []int32) ([]int32, error) {
	v := varlenViewOf(x)
	e.hit = growTo(e.hit, x.Len())
	if err := e.m.matchRows(v, rows, e.hit); err != nil {
		return nil, err
	}
	if v.bits == nil {
		return appendWhere(dst, rows, func(i int32) bool { return e.hit[i] != e.negate }), nil
	}
	for _, i := range rows {
		if v.valid(int(i)) && e.hit[i] != e.negate {
			dst = append(dst, i)
		}
	}
	return dst, nil
}

type likeShape uint8

const (
	likeGeneral likeShape = iota
	likeExact
	likePrefix
	likeSuffix
	likeContains
	likeLiterals // literals between %s only: found left to right (matchLiterals)
)

type likeToken struct {
	kind byte // 'l' literal, '_' one character, '%' any run, 'E' a trailing escape
	lit  []byte
}

type likePattern struct {
	shape  likeShape
	lit    []byte // for the simple shapes
	tokens []likeToken
}

func compileLike(p string, fold bool) (*likePattern, error) {
	var toks []likeToken
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			toks = append(toks, likeToken{kind: 'l', lit: lit})
			lit = nil
		}
	}
	for i := 0; i < len(p); {
		c := p[i]
		switch c {
		case '\\':
			if i+1 >= len(p) {
				// As in PostgreSQL, an error only if matching reaches it
				// with text left ('a' LIKE 'a\' is false).
				flush()
				toks = append(toks, likeToken{kind: 'E'})
				i++
				continue
			}
			_, n := utf8.DecodeRuneInString(p[i+1:])
			lit = append(lit, p[i+1:i+1+n]...)
			i += 1 + n
		case '%':
			flush()
			if len(toks) == 0 || toks[len(toks)-1].kind != '%' {
				toks = append(toks, likeToken{kind: '%'})
			}
			i++
		case '_':
			flush()
			toks = append(toks, likeToken{kind: '_'})
			i++
		default:
			lit = append(lit, c)
			i++
		}
	}
	flush()
	if fold {
		for k := range toks {
			if toks[k].kind == 'l' {
				toks[k].lit = appendLower(nil, toks[k].lit)
			}
		}
	}
	lp := &likePattern{tokens: toks}
	switch {
	case len(toks) == 0:
		lp.shape = likeExact
	case len(toks) == 1 && toks[0].kind == 'l':
		lp.shape, lp.lit = likeExact, toks[0].lit
	case len(toks) == 2 && toks[0].kind == 'l' && toks[1].kind == '%':
		lp.shape, lp.lit = likePrefix, toks[0].lit
	case len(toks) == 2 && toks[0].kind == '%' && toks[1].kind == 'l':
		lp.shape, lp.lit = likeSuffix, toks[1].lit
	case len(toks) == 3 && toks[0].kind == '%' && toks[1].kind == 'l' && toks[2].kind == '%':
		lp.shape, lp.lit = likeContains, toks[1].lit
	case !slices.ContainsFunc(toks, func(t likeToken) bool { return t.kind == '_' || t.kind == 'E' }):
		lp.shape = likeLiterals
	}
	return lp, nil
}

func (p *likePattern) match(s []byte) (bool, error) {
	switch p.shape {
	case likeExact:
		return bytes.Equal(s, p.lit), nil
	case likePrefix:
		return bytes.HasPrefix(s, p.lit), nil
	case likeSuffix:
		return bytes.HasSuffix(s, p.lit), nil
	case likeContains:
		return bytes.Contains(s, p.lit), nil
	case likeLiterals:
		return matchLiterals(s, p.tokens), nil
	}
	return matchTokens(s, p.tokens)
}

// matchLiterals matches a pattern of literals and %s, at least one %
// (TPC-H Q13's '%special%requests%'): a leading literal must be a prefix
// and a trailing one a suffix, and the literals between %s are found left
// to right, each at its first place after the one before; taking the
// first place never loses a match, since a % absorbs whatever the later
// literals leave. bytes.Index finds each, where matchTokens would try
// every position.
func matchLiterals(s []byte, toks []likeToken) bool {
	first, last := 0, len(toks)-1
	if t := toks[0]; t.kind == 'l' {
		if !bytes.HasPrefix(s, t.lit) {
			return false
		}
		s = s[len(t.lit):]
		first = 1
	}
	if t := toks[last]; t.kind == 'l' && last >= first {
		if !bytes.HasSuffix(s, t.lit) {
			return false
		}
		s = s[:len(s)-len(t.lit)]
		last--
	}
	for _, t := range toks[first : last+1] {
		if t.kind != 'l' {
			continue
		}
		j := bytes.Index(s, t.lit)
		if j < 0 {
			return false
		}
		s = s[j+len(t.lit):]
	}
	return true
}

var errLikeTrailingEscape = pgerr.New(pgerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")

// matchTokens is glob matching with one backtrack point per %: on a
// mismatch the most recent % absorbs one more character and matching
// resumes after it. This is linear-ish and never recurses.
func matchTokens(s []byte, toks []likeToken) (bool, error) {
	si, ti := 0, 0
	starTi, starSi := -1, 0
	for {
		if ti < len(toks) {
			t := toks[ti]
			switch t.kind {
			case '%':
				starTi, starSi = ti, si
				ti++
				continue
			case 'E':
				if si < len(s) {
					return false, errLikeTrailingEscape
				}
				return false, nil
			case '_':
				if si < len(s) {
					_, n := utf8.DecodeRune(s[si:])
					si += n
					ti++
					continue
				}
			case 'l':
				if bytes.HasPrefix(s[si:], t.lit) {
					si += len(t.lit)
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true, nil
		}
		if starTi < 0 || starSi >= len(s) {
			return false, nil
		}
		_, n := utf8.DecodeRune(s[starSi:])
		starSi += n
		si, ti = starSi, starTi+1
	}
}

// appendLower appends s folded to lower case.
func appendLower(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst
}

// appendUpper appends s folded to upper case.
func appendUpper(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToUpper(r))
		i += n
	}
	return dst
}
