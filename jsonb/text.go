package jsonb

import (
	"github.com/pqdb/pqdb/numeric"
)

// AppendText appends v's text form (jsonb_out; also the jsonb to text and
// jsonb to json casts): `{"a": 1, "b": [1, 2, "x"]}`, with ", " between
// items and ": " after keys.
func AppendText(dst []byte, v Value) []byte {
	switch v[0] & tagKindMask {
	case tagArray:
		c := openContainer(v)
		dst = append(dst, '[')
		for i := 0; i < c.n; i++ {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendText(dst, Value(c.child(i)))
		}
		return append(dst, ']')
	case tagObject:
		c := openContainer(v)
		dst = append(dst, '{')
		for i := 0; i < c.n; i++ {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendQuoted(dst, c.child(i))
			dst = append(dst, ": "...)
			dst = AppendText(dst, Value(c.child(c.n+i)))
		}
		return append(dst, '}')
	}
	return appendScalarJSON(dst, v)
}

// String returns v's text form.
func (v Value) String() string { return string(AppendText(nil, v)) }

// appendScalarJSON appends a scalar as JSON text.
func appendScalarJSON(dst []byte, v Value) []byte {
	switch v[0] {
	case tagNull:
		return append(dst, "null"...)
	case tagFalse:
		return append(dst, "false"...)
	case tagTrue:
		return append(dst, "true"...)
	case tagNumber:
		return numeric.AppendText(dst, v[1:])
	}
	return AppendQuoted(dst, v[1:])
}

// AppendPretty appends v as jsonb_pretty prints it: one item per line,
// four spaces of indent per level, an empty container's brackets on two
// lines.
func AppendPretty(dst []byte, v Value) []byte {
	if v.IsScalar() {
		return appendScalarJSON(dst, v)
	}
	return appendPretty(dst, v, 0)
}

func appendIndent(dst []byte, level int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < level; i++ {
		dst = append(dst, "    "...)
	}
	return dst
}

// appendPretty writes the container v whose opening bracket belongs at
// nesting level level (the caller has placed the line).
func appendPretty(dst []byte, v Value, level int) []byte {
	c := openContainer(v)
	object := v[0]&tagKindMask == tagObject
	open, closing := byte('['), byte(']')
	if object {
		open, closing = '{', '}'
	}
	dst = append(dst, open)
	for i := 0; i < c.n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendIndent(dst, level+1)
		var item Value
		if object {
			dst = AppendQuoted(dst, c.child(i))
			dst = append(dst, ": "...)
			item = Value(c.child(c.n + i))
		} else {
			item = Value(c.child(i))
		}
		if item.IsScalar() {
			dst = appendScalarJSON(dst, item)
		} else {
			dst = appendPretty(dst, item, level+1)
		}
	}
	dst = appendIndent(dst, level)
	return append(dst, closing)
}

// needsEscape marks the bytes escape_json does not copy as they are.
var needsEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'] = true
	t['\\'] = true
	return
}()

const hexDigits = "0123456789abcdef"

// AppendQuoted appends s as a JSON string literal, escaped as PostgreSQL's
// escape_json does: \" \\ \b \f \n \r \t, other control characters as
// \u00XX, everything else (including "/" and non-ASCII) as is.
func AppendQuoted(dst, s []byte) []byte {
	dst = append(dst, '"')
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape[c] {
			continue
		}
		dst = append(dst, s[run:i]...)
		run = i + 1
		switch c {
		case '"':
			dst = append(dst, `\"`...)
		case '\\':
			dst = append(dst, `\\`...)
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	dst = append(dst, s[run:]...)
	return append(dst, '"')
}
