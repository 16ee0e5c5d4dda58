package catalog

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pqdb/pqdb/pgerr"
)

// json values are stored as the text the user gave, after checking that it
// is JSON; jsonb values are stored in jsonb's canonical text form, which is
// what jsonb_out prints: object keys sorted (shorter keys first, then
// bytewise) with the last of duplicate keys kept, ", " and ": " between
// elements, strings re-escaped, and numbers in numeric's form.

const maxJSONDepth = 6400

type jsonParser struct {
	src       string
	pos       int
	canonical bool // build the jsonb form in out
	out       []byte
	depth     int
}

type jsonError struct{ detail string }

func parseJSONText(t Type, s string) (string, error) {
	p := jsonParser{src: s, canonical: t.Kind == JSONB}
	if err := p.document(); err != nil {
		if je, ok := err.(*jsonError); ok {
			e := pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type json")
			e.Detail = je.detail
			return "", e
		}
		return "", err
	}
	if t.Kind == JSONB {
		return string(p.out), nil
	}
	return s, nil
}

func (e *jsonError) Error() string { return e.detail }

func (p *jsonParser) fail(format string, args ...any) error {
	return &jsonError{detail: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) document() error {
	if err := p.value(); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.fail("Expected end of input, but found %q.", p.token())
	}
	return nil
}

// token is the invalid token at pos, for error details.
func (p *jsonParser) token() string {
	end := p.pos + 1
	for end < len(p.src) && isLetter(p.src[end]) || end < len(p.src) && isDigit(p.src[end]) {
		end++
	}
	if end > len(p.src) {
		end = len(p.src)
	}
	return p.src[p.pos:end]
}

func (p *jsonParser) value() error {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return p.fail("The input string ended unexpectedly.")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		if p.canonical {
			p.out = appendJSONString(p.out, s)
		}
		return nil
	case c == '-' || isDigit(c):
		return p.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(p.src)-p.pos >= len(lit) && p.src[p.pos:p.pos+len(lit)] == lit &&
				(p.pos+len(lit) == len(p.src) || !isLetter(p.src[p.pos+len(lit)]) && !isDigit(p.src[p.pos+len(lit)])) {
				p.pos += len(lit)
				if p.canonical {
					p.out = append(p.out, lit...)
				}
				return nil
			}
		}
		return p.fail("Token %q is invalid.", p.token())
	}
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded")
	}
	return nil
}

func (p *jsonParser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++ // [
	if p.canonical {
		p.out = append(p.out, '[')
	}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
	} else {
		for first := true; ; first = false {
			if !first && p.canonical {
				p.out = append(p.out, ", "...)
			}
			if err := p.value(); err != nil {
				return err
			}
			p.skipSpace()
			if p.pos >= len(p.src) {
				return p.fail("The input string ended unexpectedly.")
			}
			if p.src[p.pos] == ']' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return p.fail("Expected \",\" or \"]\", but found %q.", p.token())
			}
			p.pos++
		}
	}
	if p.canonical {
		p.out = append(p.out, ']')
	}
	p.depth--
	return nil
}

type jsonMember struct {
	key   string
	value []byte
}

func (p *jsonParser) object() error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++ // {
	var members []jsonMember
	outer := p.out
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
	} else {
		for {
			p.skipSpace()
			if p.pos >= len(p.src) {
				return p.fail("The input string ended unexpectedly.")
			}
			if p.src[p.pos] != '"' {
				return p.fail("Expected string or \"}\", but found %q.", p.token())
			}
			key, err := p.str()
			if err != nil {
				return err
			}
			p.skipSpace()
			if p.pos >= len(p.src) {
				return p.fail("The input string ended unexpectedly.")
			}
			if p.src[p.pos] != ':' {
				return p.fail("Expected \":\", but found %q.", p.token())
			}
			p.pos++
			p.out = nil
			if err := p.value(); err != nil {
				return err
			}
			if p.canonical {
				members = append(members, jsonMember{key, p.out})
			}
			p.skipSpace()
			if p.pos >= len(p.src) {
				return p.fail("The input string ended unexpectedly.")
			}
			if p.src[p.pos] == '}' {
				p.pos++
				break
			}
			if p.src[p.pos] != ',' {
				return p.fail("Expected \",\" or \"}\", but found %q.", p.token())
			}
			p.pos++
		}
	}
	p.out = outer
	if p.canonical {
		// Stable sort keeps duplicates in input order; the last one wins.
		sort.SliceStable(members, func(i, j int) bool {
			a, b := members[i].key, members[j].key
			if len(a) != len(b) {
				return len(a) < len(b)
			}
			return a < b
		})
		p.out = append(p.out, '{')
		n := 0
		for i, m := range members {
			if i+1 < len(members) && members[i+1].key == m.key {
				continue
			}
			if n > 0 {
				p.out = append(p.out, ", "...)
			}
			p.out = appendJSONString(p.out, m.key)
			p.out = append(p.out, ": "...)
			p.out = append(p.out, m.value...)
			n++
		}
		p.out = append(p.out, '}')
	}
	p.depth--
	return nil
}

// str reads a string literal and returns its decoded value.
func (p *jsonParser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	var b []byte
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			s := p.src[start:p.pos]
			p.pos++
			if b != nil {
				s = string(append(b, s...))
			}
			return s, nil
		case c < 0x20:
			return "", p.fail("Character with value 0x%02x must be escaped.", c)
		case c == '\\':
			b = append(b, p.src[start:p.pos]...)
			p.pos++
			if p.pos >= len(p.src) {
				return "", p.fail("The input string ended unexpectedly.")
			}
			e := p.src[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("\"\\u\" must be followed by four hexadecimal digits.")
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || p.pos+1 >= len(p.src) || p.src[p.pos] != '\\' || p.src[p.pos+1] != 'u' {
						return "", p.fail("Unicode low surrogate must follow a high surrogate.")
					}
					p.pos += 2
					r2, ok := p.hex4()
					if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
						return "", p.fail("Unicode low surrogate must follow a high surrogate.")
					}
					r = utf16.DecodeRune(r, r2)
				}
				if r == 0 && p.canonical {
					e := pgerr.New(pgerr.UntranslatableCharacter, "unsupported Unicode escape sequence")
					e.Detail = "\\u0000 cannot be converted to text."
					return "", e
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", p.fail("Escape sequence \"\\%c\" is invalid.", e)
			}
			start = p.pos
		default:
			p.pos++
		}
	}
	return "", p.fail("The input string ended unexpectedly.")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}

// number reads a JSON number; in jsonb form it prints as numeric_out
// prints the same value (1e2 → 100, 1.50 → 1.50, -0 → 0).
func (p *jsonParser) number() error {
	start := p.pos
	neg := false
	if p.src[p.pos] == '-' {
		neg = true
		p.pos++
	}
	intStart := p.pos
	for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
		p.pos++
	}
	intDigits := p.src[intStart:p.pos]
	if intDigits == "" || len(intDigits) > 1 && intDigits[0] == '0' {
		p.pos = start
		return p.fail("Token %q is invalid.", p.token())
	}
	fracDigits := ""
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		fs := p.pos
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
		fracDigits = p.src[fs:p.pos]
		if fracDigits == "" {
			p.pos = start
			return p.fail("Token %q is invalid.", p.token())
		}
	}
	exp := 0
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		eneg := false
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			eneg = p.src[p.pos] == '-'
			p.pos++
		}
		es := p.pos
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			if exp < 1_000_000 {
				exp = exp*10 + int(p.src[p.pos]-'0')
			}
			p.pos++
		}
		if p.pos == es {
			p.pos = start
			return p.fail("Token %q is invalid.", p.token())
		}
		if eneg {
			exp = -exp
		}
	}
	if p.pos < len(p.src) && (isLetter(p.src[p.pos]) || p.src[p.pos] == '.') {
		p.pos = start
		return p.fail("Token %q is invalid.", p.token())
	}
	if p.canonical {
		if exp > 1000 || exp < -1000 {
			return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		p.out = appendCanonicalNumber(p.out, neg, intDigits+fracDigits, len(fracDigits), exp)
	}
	return nil
}

// appendCanonicalNumber prints digits×10^(exp-frac) with
// max(0, frac-exp) fractional digits, as numeric_in/numeric_out would.
func appendCanonicalNumber(out []byte, neg bool, digits string, frac, exp int) []byte {
	scale := frac - exp
	if scale < 0 {
		scale = 0
	}
	point := len(digits) - frac + exp // digits before the decimal point
	var b []byte
	switch {
	case point <= 0:
		b = append(b, '0')
		if scale > 0 {
			b = append(b, '.')
			b = append(b, bytes.Repeat([]byte{'0'}, -point)...)
			b = append(b, digits...)
		}
	case point >= len(digits):
		b = append(b, digits...)
		b = append(b, bytes.Repeat([]byte{'0'}, point-len(digits))...)
	default:
		b = append(b, digits[:point]...)
		b = append(b, '.')
		b = append(b, digits[point:]...)
	}
	// Strip leading zeros of the integer part.
	k := 0
	for k+1 < len(b) && b[k] == '0' && b[k+1] != '.' {
		k++
	}
	b = b[k:]
	if neg && bytes.ContainsAny(b, "123456789") {
		out = append(out, '-')
	}
	return append(out, b...)
}

// appendJSONString quotes s as jsonb_out does.
func appendJSONString(out []byte, s string) []byte {
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			out = append(out, '\\', '"')
		case '\\':
			out = append(out, '\\', '\\')
		case '\b':
			out = append(out, '\\', 'b')
		case '\f':
			out = append(out, '\\', 'f')
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		default:
			if c < 0x20 {
				out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				out = append(out, c)
			}
		}
	}
	return append(out, '"')
}
