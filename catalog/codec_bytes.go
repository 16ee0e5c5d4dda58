package catalog

import (
	"github.com/pqdb/pqdb/pgerr"
)

// bytea prints in hex format (\x0102, bytea_output = hex) and reads both
// the hex and the escape format; uuid prints as 8-4-4-4-12 lower-case hex
// and reads 32 hex digits with optional braces and a hyphen after any
// group of four.

func appendByteaText(buf []byte, b []byte) []byte {
	buf = append(buf, '\\', 'x')
	for _, c := range b {
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

// isHexDigit reports whether c is a hexadecimal digit.
func isHexDigit(c byte) bool {
	_, ok := hexValue(c)
	return ok
}

// hexValue is the value of the hexadecimal digit c.
func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseBytea is byteain.
func parseBytea(s string) ([]byte, error) {
	if len(s) >= 2 && s[0] == '\\' && s[1] == 'x' {
		out := make([]byte, 0, (len(s)-2)/2)
		for i := 2; i < len(s); {
			if isSpace(s[i]) {
				i++
				continue
			}
			hi, ok := hexValue(s[i])
			if !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: %q", s[i:i+1])
			}
			if i+1 >= len(s) {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo, ok := hexValue(s[i+1])
			if !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: %q", s[i+1:i+2])
			}
			out = append(out, hi<<4|lo)
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i += 2
		case i+3 < len(s) && isOctal(s[i+1]) && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 4
		default:
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func appendUUIDText(buf []byte, u []byte) []byte {
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf = append(buf, '-')
		}
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

// parseUUID is uuid_in.
func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	src := s
	if len(src) > 0 && src[0] == '{' {
		if src[len(src)-1] != '}' {
			return u, invalidSyntax(TypeUUID, s)
		}
		src = src[1 : len(src)-1]
	}
	for i := 0; i < 16; i++ {
		if len(src) < 2 {
			return u, invalidSyntax(TypeUUID, s)
		}
		hi, ok1 := hexValue(src[0])
		lo, ok2 := hexValue(src[1])
		if !ok1 || !ok2 {
			return u, invalidSyntax(TypeUUID, s)
		}
		u[i] = hi<<4 | lo
		src = src[2:]
		if i%2 == 1 && i < 15 && len(src) > 0 && src[0] == '-' {
			src = src[1:]
		}
	}
	if src != "" {
		return u, invalidSyntax(TypeUUID, s)
	}
	return u, nil
}
