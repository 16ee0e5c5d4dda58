package jsonb

import (
	"sync"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// MaxDepth is the deepest nesting of arrays and objects the parser
// accepts; deeper input is PostgreSQL's 54001 "stack depth limit
// exceeded". PostgreSQL has no fixed limit: with its default 2MB
// max_stack_depth it gives up somewhere between 13,000 and 14,500 levels
// (it depends on the build). Both accept documents up to MaxDepth levels;
// in between, pqdb refuses what PostgreSQL may still take.
const MaxDepth = 10000

// parseMode says what the parser builds.
type parseMode uint8

const (
	modeValidate parseMode = iota // json_in: check the syntax only
	modeJSONB                     // jsonb_in: build a Value
	modeTree                      // the json functions: a tree of spans
)

// parser is PostgreSQL 15's recursive descent JSON parser (pg_parse_json
// and its parse_* helpers) over lexer, reporting to a Builder. It makes
// the same json_lex calls in the same order as PostgreSQL, so the first
// error it meets is the one PostgreSQL reports; in particular a scalar is
// handed on (and a number converted) only after the token that follows it
// has been lexed.
type parser struct {
	lex   lexer
	b     *Builder
	mode  parseMode
	depth int
	err   error // a semantic error (numeric overflow), reported as is
}

// run parses the whole input. On success the top-level value is the
// builder's root (unless validating).
func (p *parser) run(in []byte, mode parseMode, b *Builder) error {
	return p.runEscapes(in, mode, b, mode != modeValidate)
}

// runEscapes is run with the choice of unescaping strings made apart from
// the mode: some json functions build a tree without unescaping.
func (p *parser) runEscapes(in []byte, mode parseMode, b *Builder, escapes bool) error {
	p.mode = mode
	p.b = b
	p.depth = 0
	p.err = nil
	var out *[]byte
	if b != nil {
		out = &b.data
	}
	p.lex.init(in, escapes, out)
	if e := p.lex.next(); e != errNone {
		return p.fail(e)
	}
	e := p.value()
	if e == errNone && p.err == nil && p.lex.tok != tokEnd {
		e = p.parseError(errExpectedEnd)
	}
	if p.err != nil {
		return p.err
	}
	if e != errNone {
		return p.fail(e)
	}
	return nil
}

// parseError is report_parse_error: the input ending early beats
// whatever the context expected.
func (p *parser) parseError(expected lexError) lexError {
	if p.lex.tokStart < 0 || p.lex.tok == tokEnd {
		return errExpectedMore
	}
	return expected
}

// value parses any JSON value at the current token.
func (p *parser) value() lexError {
	switch p.lex.tok {
	case tokObjectStart:
		return p.object()
	case tokArrayStart:
		return p.array()
	}
	return p.scalar()
}

// scalar is parse_scalar.
func (p *parser) scalar() lexError {
	l := &p.lex
	tok := l.tok
	switch tok {
	case tokString, tokNumber, tokTrue, tokFalse, tokNull:
	default:
		return p.parseError(errExpectedJSON)
	}
	start, end := l.tokStart, l.tokEnd
	strStart, strEnd := l.strStart, l.strEnd
	if e := l.next(); e != errNone {
		return e
	}
	if p.mode == modeValidate {
		return errNone
	}
	b := p.b
	var i int32
	switch tok {
	case tokString:
		if strEnd-strStart > maxContainerBytes {
			p.err = errStringTooLong()
			return errNone
		}
		i = b.add(nString, strStart, strEnd, 1+strEnd-strStart)
	case tokNumber:
		if p.mode == modeTree {
			i = b.add(nNumber, 0, 0, 0)
		} else {
			ns := len(b.data)
			if n, ok := smallInt(l.in[start:end]); ok {
				b.data = numeric.FromInt64(b.data, n)
			} else {
				var err error
				b.data, err = numeric.ParseBytes(b.data, l.in[start:end])
				if err != nil {
					p.err = err
					return errNone
				}
			}
			i = b.add(nNumber, ns, len(b.data), 1+len(b.data)-ns)
		}
	case tokTrue:
		i = b.add(nTrue, 0, 0, 1)
	case tokFalse:
		i = b.add(nFalse, 0, 0, 1)
	default:
		i = b.add(nNull, 0, 0, 1)
	}
	b.nodes[i].spanStart = int32(start)
	b.nodes[i].spanEnd = int32(end)
	return errNone
}

// errStringTooLong is checkStringLen's error.
func errStringTooLong() error {
	return &pgerr.Error{Code: pgerr.ProgramLimitExceeded, Message: "string too long to represent as jsonb string",
		Detail: "Due to an implementation restriction, jsonb strings cannot exceed 268435455 bytes."}
}

// enter counts a nesting level; PostgreSQL calls check_stack_depth here.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > MaxDepth {
		p.err = &pgerr.Error{Code: pgerr.StatementTooComplex, Message: "stack depth limit exceeded",
			Hint: `Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform's stack depth limit is adequate.`}
		return false
	}
	return true
}

// object is parse_object.
func (p *parser) object() lexError {
	if !p.enter() {
		return errNone
	}
	l := &p.lex
	var node int32
	if p.b != nil {
		node = p.b.begin(nObject)
		p.b.nodes[node].spanStart = int32(l.tokStart)
	}
	if e := l.next(); e != errNone {
		return e
	}
	switch l.tok {
	case tokString:
		e := p.field()
		for e == errNone && p.err == nil && l.tok == tokComma {
			if e = l.next(); e != errNone {
				break
			}
			e = p.field()
		}
		if e != errNone || p.err != nil {
			return e
		}
	case tokObjectEnd:
	default:
		return p.parseError(errExpectedObjectFirst)
	}
	if l.tok != tokObjectEnd {
		return p.parseError(errExpectedObjectNext)
	}
	if p.b != nil {
		p.b.nodes[node].spanEnd = int32(l.tokEnd)
		if err := p.b.End(); err != nil {
			p.err = err
			return errNone
		}
	}
	p.depth--
	return l.next()
}

// field is parse_object_field.
func (p *parser) field() lexError {
	l := &p.lex
	if l.tok != tokString {
		return p.parseError(errExpectedString)
	}
	keyStart, keyEnd := l.strStart, l.strEnd
	spanStart, spanEnd := l.tokStart, l.tokEnd
	if e := l.next(); e != errNone {
		return e
	}
	if l.tok != tokColon {
		return p.parseError(errExpectedColon)
	}
	if e := l.next(); e != errNone {
		return e
	}
	if p.b != nil {
		if keyEnd-keyStart > maxContainerBytes {
			p.err = errStringTooLong()
			return errNone
		}
		k := p.b.add(nString, keyStart, keyEnd, 1+keyEnd-keyStart)
		p.b.nodes[k].spanStart = int32(spanStart)
		p.b.nodes[k].spanEnd = int32(spanEnd)
	}
	return p.value()
}

// array is parse_array.
func (p *parser) array() lexError {
	if !p.enter() {
		return errNone
	}
	l := &p.lex
	var node int32
	if p.b != nil {
		node = p.b.begin(nArray)
		p.b.nodes[node].spanStart = int32(l.tokStart)
	}
	if e := l.next(); e != errNone {
		return e
	}
	if l.tok != tokArrayEnd {
		e := p.value()
		for e == errNone && p.err == nil && l.tok == tokComma {
			if e = l.next(); e != errNone {
				break
			}
			e = p.value()
		}
		if e != errNone || p.err != nil {
			return e
		}
	}
	if l.tok != tokArrayEnd {
		return p.parseError(errExpectedArrayNext)
	}
	if p.b != nil {
		p.b.nodes[node].spanEnd = int32(l.tokEnd)
		if err := p.b.End(); err != nil {
			p.err = err
			return errNone
		}
	}
	p.depth--
	return l.next()
}

// Parser converts JSON text to jsonb values, reusing its scratch space;
// once warm it allocates nothing beyond the output. It is not safe for
// concurrent use; the zero value is ready.
type Parser struct {
	p parser
	b Builder
}

// Append parses text as jsonb_in does and appends the Value to dst,
// returning the extended slice. Errors are PostgreSQL's: 22P02 "invalid
// input syntax for type json" (22P05 for \u0000) with its DETAIL and
// CONTEXT ("JSON data, line N: ..."), 22003 for a number out of numeric's
// range, 54001 for nesting deeper than MaxDepth.
func (ps *Parser) Append(dst []byte, text []byte) ([]byte, error) {
	ps.b.Reset()
	ps.b.keepPairs = false
	if err := ps.p.run(text, modeJSONB, &ps.b); err != nil {
		ps.b.Reset()
		return dst, err
	}
	return ps.b.Finish(dst), nil
}

var parserPool = sync.Pool{New: func() any { return new(Parser) }}

// Parse converts JSON text to a new jsonb Value (jsonb_in); see
// Parser.Append, which reuses the caller's buffer.
func Parse(text []byte) (Value, error) {
	ps := parserPool.Get().(*Parser)
	out, err := ps.Append(nil, text)
	parserPool.Put(ps)
	if err != nil {
		return nil, err
	}
	return Value(out), nil
}

// ValidateJSON checks JSON text as json_in does. A json value is its text,
// kept verbatim; only syntax is checked, so \u0000 and unpaired
// surrogates pass (they fail later, in functions that unescape strings).
func ValidateJSON(text []byte) error {
	var p parser
	return p.run(text, modeValidate, nil)
}

// smallInt reads a number token that is a plain integer of at most 18
// digits, the common case, which converts without numeric_in's general
// scan (to the same canonical encoding).
func smallInt(tok []byte) (int64, bool) {
	neg := tok[0] == '-'
	digits := tok
	if neg {
		digits = tok[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
