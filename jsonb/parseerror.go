package jsonb

import (
	"fmt"

	"github.com/pqdb/pqdb/pgerr"
)

// fail turns a lexer or parser error into PostgreSQL's error
// (json_ereport_error): the message, json_errdetail's DETAIL and
// report_json_context's CONTEXT line.
func (p *parser) fail(e lexError) error {
	l := &p.lex
	code := pgerr.InvalidTextRepresentation
	msg := "invalid input syntax for type json"
	if e == errUnicodeCodePointZero {
		code = pgerr.UntranslatableCharacter
		msg = "unsupported Unicode escape sequence"
	}
	return &pgerr.Error{Code: code, Message: msg, Detail: l.errDetail(e), Where: l.context()}
}

// token is extract_token: the text of the token the error is about.
func (l *lexer) token() string {
	start := l.tokStart
	if start < 0 {
		start = l.tokEnd
	}
	return string(l.in[start:l.tokEnd])
}

// errDetail is json_errdetail.
func (l *lexer) errDetail(e lexError) string {
	switch e {
	case errEscapingInvalid:
		return fmt.Sprintf(`Escape sequence "\%s" is invalid.`, l.token())
	case errEscapingRequired:
		return fmt.Sprintf("Character with value 0x%02x must be escaped.", l.in[l.tokEnd])
	case errExpectedEnd:
		return fmt.Sprintf(`Expected end of input, but found "%s".`, l.token())
	case errExpectedArrayNext:
		return fmt.Sprintf(`Expected "," or "]", but found "%s".`, l.token())
	case errExpectedColon:
		return fmt.Sprintf(`Expected ":", but found "%s".`, l.token())
	case errExpectedJSON:
		return fmt.Sprintf(`Expected JSON value, but found "%s".`, l.token())
	case errExpectedMore:
		return "The input string ended unexpectedly."
	case errExpectedObjectFirst:
		return fmt.Sprintf(`Expected string or "}", but found "%s".`, l.token())
	case errExpectedObjectNext:
		return fmt.Sprintf(`Expected "," or "}", but found "%s".`, l.token())
	case errExpectedString:
		return fmt.Sprintf(`Expected string, but found "%s".`, l.token())
	case errInvalidToken:
		return fmt.Sprintf(`Token "%s" is invalid.`, l.token())
	case errUnicodeCodePointZero:
		return `\u0000 cannot be converted to text.`
	case errUnicodeEscapeFormat:
		return `"\u" must be followed by four hexadecimal digits.`
	case errUnicodeHighSurrogate:
		return "Unicode high surrogate must not follow a high surrogate."
	case errUnicodeLowSurrogate:
		return "Unicode low surrogate must follow a high surrogate."
	}
	return ""
}

// context is report_json_context: the current line up to the end of the
// offending token, cut to about 50 bytes, with "..." where it is cut.
func (l *lexer) context() string {
	lineStart := l.lineStart
	start := lineStart
	end := l.tokEnd
	for end-start >= 50 {
		if l.in[start] >= 0x80 {
			start += l.mblen(start)
		} else {
			start++
		}
	}
	start = min(start, end) // a character may straddle the cut
	if start-lineStart <= 3 {
		start = lineStart
	}
	prefix, suffix := "", ""
	if start > lineStart {
		prefix = "..."
	}
	if l.tok != tokEnd && end < len(l.in) && l.in[end] != '\n' && l.in[end] != '\r' {
		suffix = "..."
	}
	return fmt.Sprintf("JSON data, line %d: %s%s%s", l.line, prefix, l.in[start:end], suffix)
}
