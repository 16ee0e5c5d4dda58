package catalog

import (
	"encoding/binary"
	"strings"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// The text and binary forms of arrays, as PostgreSQL 15's array_in,
// array_out, array_recv and array_send (arrayfuncs.c) read and write them,
// for one-dimensional arrays with lower bound 1, and of the vector types
// (type_vector.go), which start at 0.

// malformedArray is array_in's error for input it cannot read.
func malformedArray(s, detail string) *pgerr.Error {
	e := pgerr.New(pgerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s)
	e.Detail = detail
	return e
}

// arrayIsSpace is array_isspace: the white space array_in skips.
func arrayIsSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// splitArrayText splits the text form of a one-dimensional array into its
// elements, unquoted and unescaped; null[i] marks an unquoted NULL.
func splitArrayText(s string) (elems []string, null []bool, err error) {
	i := 0
	for i < len(s) && arrayIsSpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '[' {
		return nil, nil, pgerr.Unsupported("array dimension decorations are not supported: \"%s\"", s)
	}
	if i >= len(s) || s[i] != '{' {
		return nil, nil, malformedArray(s, `Array value must start with "{" or dimension information.`)
	}
	i++
	var cur strings.Builder
	// expectElem: an element (or the closing brace of an empty array)
	// must come next.
	expectElem, first := true, true
	for {
		for i < len(s) && arrayIsSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, nil, malformedArray(s, "Unexpected end of input.")
		}
		c := s[i]
		switch {
		case c == '}':
			if !first && expectElem {
				return nil, nil, malformedArray(s, `Unexpected "}" character.`)
			}
			i++
			for i < len(s) && arrayIsSpace(s[i]) {
				i++
			}
			if i < len(s) {
				return nil, nil, malformedArray(s, "Junk after closing right brace.")
			}
			return elems, null, nil
		case c == '{':
			if expectElem {
				return nil, nil, errMultiDim()
			}
			return nil, nil, malformedArray(s, `Unexpected "{" character.`)
		case c == ',':
			if expectElem {
				return nil, nil, malformedArray(s, `Unexpected "," character.`)
			}
			expectElem = true
			i++
			continue
		}
		if !expectElem {
			return nil, nil, malformedArray(s, "Unexpected array element.")
		}
		cur.Reset()
		quoted := false
		// An element runs to an unquoted, unescaped ',' or '}'; quotes may
		// open and close anywhere in it, escapes work everywhere, and
		// unquoted trailing white space is dropped.
		inQuote, escaped, lastKept := false, false, 0
	elem:
		for {
			if i >= len(s) {
				return nil, nil, malformedArray(s, "Unexpected end of input.")
			}
			c := s[i]
			switch {
			case c == '\\':
				if i+1 >= len(s) {
					return nil, nil, malformedArray(s, "Unexpected end of input.")
				}
				cur.WriteByte(s[i+1])
				lastKept, escaped = cur.Len(), true
				i += 2
				continue
			case c == '"':
				switch {
				case inQuote:
					inQuote, lastKept = false, cur.Len()
				case quoted || cur.Len() > 0:
					return nil, nil, malformedArray(s, "Unexpected array element.")
				default:
					inQuote, quoted = true, true
				}
				i++
				continue
			case inQuote:
				cur.WriteByte(c)
				lastKept = cur.Len()
			case c == ',' || c == '}':
				break elem
			case c == '{':
				return nil, nil, malformedArray(s, `Unexpected "{" character.`)
			case arrayIsSpace(c):
				if cur.Len() > 0 {
					cur.WriteByte(c)
				}
			default:
				if quoted {
					return nil, nil, malformedArray(s, "Unexpected array element.")
				}
				cur.WriteByte(c)
				lastKept = cur.Len()
			}
			i++
		}
		v := cur.String()[:lastKept]
		isNull := !quoted && !escaped && strings.EqualFold(v, "NULL")
		elems, null = append(elems, v), append(null, isNull)
		expectElem, first = false, false
	}
}

// parseArrayText is array_in for a one-dimensional array of t's elements.
func parseArrayText(t Type, s string, loc *time.Location) (ArrayValue, error) {
	if t.Vector {
		return parseVectorText(t, s, loc)
	}
	elems, null, err := splitArrayText(s)
	if err != nil {
		return nil, err
	}
	et := t.ElemType()
	out := make(ArrayValue, len(elems))
	for i, e := range elems {
		if null[i] {
			continue
		}
		if out[i], err = ParseTextIn(et, e, loc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendArrayText is array_out: elements in their output form, quoted
// when empty, NULL, or holding braces, quotes, commas, backslashes or
// white space.
func appendArrayText(buf []byte, t Type, v ArrayValue, loc *time.Location) []byte {
	if t.Vector {
		return appendVectorText(buf, t, v, loc)
	}
	et := t.ElemType()
	buf = append(buf, '{')
	var scratch []byte
	for i, e := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		if e == nil {
			buf = append(buf, "NULL"...)
			continue
		}
		scratch = AppendDatumTextIn(scratch[:0], et, e, loc)
		buf = appendArrayElemText(buf, scratch)
	}
	return append(buf, '}')
}

// appendArrayElemText appends one element's output text, quoted as
// array_out quotes it.
func appendArrayElemText(buf, elem []byte) []byte {
	quote := len(elem) == 0 || strings.EqualFold(bytesString(elem), "NULL")
	for _, c := range elem {
		if c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || arrayIsSpace(c) {
			quote = true
			break
		}
	}
	if !quote {
		return append(buf, elem...)
	}
	buf = append(buf, '"')
	for _, c := range elem {
		if c == '"' || c == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, c)
	}
	return append(buf, '"')
}

// parseArrayBinary is array_recv.
func parseArrayBinary(t Type, b []byte) (ArrayValue, error) {
	be := binary.BigEndian
	if len(b) < 12 {
		return nil, insufficientData()
	}
	ndim, flags, elemOID := int32(be.Uint32(b)), int32(be.Uint32(b[4:])), be.Uint32(b[8:])
	b = b[12:]
	switch {
	case ndim < 0:
		return nil, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid number of dimensions: %d", ndim)
	case ndim > 6:
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", ndim, 6)
	case flags != 0 && flags != 1:
		return nil, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid array flags")
	}
	et := t.ElemType()
	if want := et.OID(); elemOID != want {
		got := "???"
		if gt, ok := TypeByOID(elemOID); ok {
			got = kindInfo[gt.Kind].name
		}
		return nil, pgerr.New(pgerr.DatatypeMismatch, "binary data has array element type %d (%s) instead of expected %d (%s)", elemOID, got, want, kindInfo[et.Kind].name)
	}
	if ndim == 0 {
		if len(b) != 0 {
			return nil, trailingData()
		}
		return ArrayValue{}, nil
	}
	if ndim > 1 {
		return nil, errMultiDim()
	}
	if len(b) < 8 {
		return nil, insufficientData()
	}
	n, lbound := int32(be.Uint32(b)), int32(be.Uint32(b[4:]))
	b = b[8:]
	if n < 0 || int64(n) > int64(len(b))/4 {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", 134217727)
	}
	if lbound != t.LowerBound() {
		return nil, pgerr.Unsupported("arrays with a lower bound other than %d are not supported", t.LowerBound())
	}
	out := make(ArrayValue, n)
	for i := range out {
		if len(b) < 4 {
			return nil, insufficientData()
		}
		l := int32(be.Uint32(b))
		b = b[4:]
		if l == -1 {
			continue
		}
		if l < 0 || int(l) > len(b) {
			return nil, insufficientData()
		}
		v, err := ParseBinary(et, b[:l])
		if err != nil {
			return nil, err
		}
		out[i] = v
		b = b[l:]
	}
	if len(b) != 0 {
		return nil, trailingData()
	}
	return out, nil
}

// appendArrayBinary is array_send.
func appendArrayBinary(buf []byte, t Type, v ArrayValue) []byte {
	et := t.ElemType()
	be := binary.BigEndian
	if len(v) == 0 {
		buf = be.AppendUint32(buf, 0)
		buf = be.AppendUint32(buf, 0)
		return be.AppendUint32(buf, et.OID())
	}
	hasNull := uint32(0)
	for _, e := range v {
		if e == nil {
			hasNull = 1
			break
		}
	}
	buf = be.AppendUint32(buf, 1)
	buf = be.AppendUint32(buf, hasNull)
	buf = be.AppendUint32(buf, et.OID())
	buf = be.AppendUint32(buf, uint32(len(v)))
	buf = be.AppendUint32(buf, uint32(t.LowerBound()))
	for _, e := range v {
		if e == nil {
			buf = be.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = be.AppendUint32(buf, 0)
		buf = AppendDatumBinary(buf, et, e)
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}
