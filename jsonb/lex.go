package jsonb

import "unicode/utf8"

// The lexer follows PostgreSQL 15's json_lex (src/common/jsonapi.c) step
// by step, because the token it stops at decides the text of an error:
// the DETAIL quotes the token and the CONTEXT shows the input up to its
// end.

type token uint8

const (
	tokInvalid token = iota
	tokString
	tokNumber
	tokObjectStart
	tokObjectEnd
	tokArrayStart
	tokArrayEnd
	tokComma
	tokColon
	tokTrue
	tokFalse
	tokNull
	tokEnd
)

// lexError is JsonParseErrorType: what went wrong, deciding the DETAIL.
type lexError uint8

const (
	errNone lexError = iota
	errInvalidToken
	errEscapingInvalid
	errEscapingRequired
	errExpectedEnd
	errExpectedArrayNext
	errExpectedColon
	errExpectedJSON
	errExpectedMore
	errExpectedObjectFirst
	errExpectedObjectNext
	errExpectedString
	errUnicodeCodePointZero
	errUnicodeEscapeFormat
	errUnicodeHighSurrogate
	errUnicodeLowSurrogate
)

// lexer holds json_lex's state. tokStart < 0 stands for PostgreSQL's NULL
// token_start (the input ended).
type lexer struct {
	in        []byte
	tokStart  int
	tokEnd    int // token_terminator: where the next token is looked for
	tok       token
	line      int
	lineStart int

	// escapes makes string tokens be unescaped into *out (need_escapes);
	// only then are \u0000 and unpaired surrogates errors, as in
	// PostgreSQL, where json_in does not unescape.
	escapes  bool
	out      *[]byte
	strStart int // the current string token's unescaped bytes are
	strEnd   int // (*out)[strStart:strEnd]
}

func (l *lexer) init(in []byte, escapes bool, out *[]byte) {
	*l = lexer{in: in, line: 1, escapes: escapes, out: out}
}

// isAlnum is JSON_ALPHANUMERIC_CHAR: what counts as part of a word (or of
// a malformed number) when reporting a bad token.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// mblen is pg_utf_mblen bounded by the input: the bytes of the character
// starting at s, so that an error never cuts one in half.
func (l *lexer) mblen(s int) int {
	c := l.in[s]
	n := 1
	switch {
	case c&0xE0 == 0xC0:
		n = 2
	case c&0xF0 == 0xE0:
		n = 3
	case c&0xF8 == 0xF0:
		n = 4
	}
	if s+n > len(l.in) {
		n = len(l.in) - s
	}
	return n
}

// next lexes the next token.
func (l *lexer) next() lexError {
	in := l.in
	s := l.tokEnd
	for s < len(in) {
		c := in[s]
		if c == ' ' || c == '\t' || c == '\r' {
			s++
		} else if c == '\n' {
			s++
			l.line++
			l.lineStart = s
		} else {
			break
		}
	}
	if s >= len(in) {
		l.tokStart = -1
		l.tokEnd = s
		l.tok = tokEnd
		return errNone
	}
	l.tokStart = s
	switch in[s] {
	case '{':
		l.tokEnd, l.tok = s+1, tokObjectStart
	case '}':
		l.tokEnd, l.tok = s+1, tokObjectEnd
	case '[':
		l.tokEnd, l.tok = s+1, tokArrayStart
	case ']':
		l.tokEnd, l.tok = s+1, tokArrayEnd
	case ',':
		l.tokEnd, l.tok = s+1, tokComma
	case ':':
		l.tokEnd, l.tok = s+1, tokColon
	case '"':
		if e := l.lexString(); e != errNone {
			return e
		}
		l.tok = tokString
	case '-':
		if e := l.lexNumber(s + 1); e != errNone {
			return e
		}
		l.tok = tokNumber
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if e := l.lexNumber(s); e != errNone {
			return e
		}
		l.tok = tokNumber
	default:
		p := s
		for p < len(in) && isAlnum(in[p]) {
			p++
		}
		if p == s {
			// Unexpected punctuation: complain about that one byte.
			l.tokEnd = s + 1
			return errInvalidToken
		}
		l.tokEnd = p
		switch string(in[s:p]) {
		case "true":
			l.tok = tokTrue
		case "false":
			l.tok = tokFalse
		case "null":
			l.tok = tokNull
		default:
			return errInvalidToken
		}
	}
	return errNone
}

// lexNumber is json_lex_number: s is just past an optional minus sign.
// Trailing letters and digits belong to the (bad) token.
func (l *lexer) lexNumber(s int) lexError {
	in := l.in
	bad := false
	isDigit := func(i int) bool { return i < len(in) && in[i] >= '0' && in[i] <= '9' }
	switch {
	case s < len(in) && in[s] == '0':
		s++
	case isDigit(s):
		for isDigit(s) {
			s++
		}
	default:
		bad = true
	}
	if s < len(in) && in[s] == '.' {
		s++
		if !isDigit(s) {
			bad = true
		} else {
			for isDigit(s) {
				s++
			}
		}
	}
	if s < len(in) && (in[s] == 'e' || in[s] == 'E') {
		s++
		if s < len(in) && (in[s] == '+' || in[s] == '-') {
			s++
		}
		if !isDigit(s) {
			bad = true
		} else {
			for isDigit(s) {
				s++
			}
		}
	}
	for s < len(in) && isAlnum(in[s]) {
		s++
		bad = true
	}
	l.tokEnd = s
	if bad {
		return errInvalidToken
	}
	return errNone
}

func hexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// lexString is json_lex_string. With escapes it unescapes into *l.out and
// rejects \u0000 and unpaired UTF-16 surrogates.
func (l *lexer) lexString() lexError {
	in := l.in
	s := l.tokStart
	hiSurrogate := -1
	var out []byte
	if l.escapes {
		out = *l.out
		l.strStart = len(out)
	} else {
		l.strStart, l.strEnd = 0, 0
	}
	// failStart and failEnd set the token's end before or after the
	// character at s (FAIL_AT_CHAR_START / FAIL_AT_CHAR_END).
	failStart := func(e lexError) lexError { l.tokEnd = s; return e }
	failEnd := func(e lexError) lexError { l.tokEnd = s + l.mblen(s); return e }
	for {
		s++
		// Copy a run of ordinary characters in one go.
		run := s
		for s < len(in) && in[s] != '"' && in[s] != '\\' && in[s] >= 0x20 {
			s++
		}
		if s > run && l.escapes {
			if hiSurrogate != -1 {
				s = run
				return failEnd(errUnicodeLowSurrogate)
			}
			out = append(out, in[run:s]...)
		}
		if s >= len(in) {
			return failStart(errInvalidToken)
		}
		c := in[s]
		if c == '"' {
			break
		}
		if c < 0x20 {
			// It must be escaped; leave it out of the context shown.
			return failStart(errEscapingRequired)
		}
		// A backslash.
		s++
		if s >= len(in) {
			return failStart(errInvalidToken)
		}
		if in[s] == 'u' {
			ch := 0
			for i := 0; i < 4; i++ {
				s++
				if s >= len(in) {
					return failStart(errInvalidToken)
				}
				h := hexValue(in[s])
				if h < 0 {
					return failEnd(errUnicodeEscapeFormat)
				}
				ch = ch*16 + h
			}
			if !l.escapes {
				continue
			}
			switch {
			case ch >= 0xD800 && ch <= 0xDBFF:
				if hiSurrogate != -1 {
					return failEnd(errUnicodeHighSurrogate)
				}
				hiSurrogate = ch
				continue
			case ch >= 0xDC00 && ch <= 0xDFFF:
				if hiSurrogate == -1 {
					return failEnd(errUnicodeLowSurrogate)
				}
				ch = ((hiSurrogate & 0x3FF) << 10) + (ch & 0x3FF) + 0x10000
				hiSurrogate = -1
			}
			if hiSurrogate != -1 {
				return failEnd(errUnicodeLowSurrogate)
			}
			if ch == 0 {
				return failEnd(errUnicodeCodePointZero)
			}
			out = utf8.AppendRune(out, rune(ch))
			continue
		}
		if l.escapes {
			if hiSurrogate != -1 {
				return failEnd(errUnicodeLowSurrogate)
			}
			var e byte
			switch in[s] {
			case '"', '\\', '/':
				e = in[s]
			case 'b':
				e = '\b'
			case 'f':
				e = '\f'
			case 'n':
				e = '\n'
			case 'r':
				e = '\r'
			case 't':
				e = '\t'
			default:
				l.tokStart = s
				return failEnd(errEscapingInvalid)
			}
			out = append(out, e)
			continue
		}
		switch in[s] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		default:
			l.tokStart = s
			return failEnd(errEscapingInvalid)
		}
	}
	if hiSurrogate != -1 {
		return failEnd(errUnicodeLowSurrogate)
	}
	l.tokEnd = s + 1
	if l.escapes {
		*l.out = out
		l.strEnd = len(out)
	}
	return errNone
}
