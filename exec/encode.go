package exec

import (
	"strings"
	"unicode/utf8"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// encode(bytea, format) and decode(text, format) with PostgreSQL's
// formats and errors (encode.c): hex, base64 (MIME lines of 76
// characters) and escape. The format name is matched case-insensitively.

const hexDigits = "0123456789abcdef"

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

var base64Value = func() (t [128]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base64Digits); i++ {
		t[base64Digits[i]] = int8(i)
	}
	return t
}()

func hexValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// firstChar is the (possibly multibyte) character at the start of s, for
// error messages.
func firstChar(s []byte) string {
	_, n := utf8.DecodeRune(s)
	return string(s[:n])
}

type byteCodec int

const (
	codecHex byteCodec = iota
	codecBase64
	codecEscape
)

func findCodec(name string) (byteCodec, error) {
	switch {
	case strings.EqualFold(name, "hex"):
		return codecHex, nil
	case strings.EqualFold(name, "base64"):
		return codecBase64, nil
	case strings.EqualFold(name, "escape"):
		return codecEscape, nil
	}
	return 0, pgerr.New(pgerr.InvalidParameterValue, "unrecognized encoding: \"%s\"", name)
}

func appendEncoded(dst, src []byte, c byteCodec) []byte {
	switch c {
	case codecHex:
		for _, b := range src {
			dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
		}
	case codecBase64:
		lineEnd := len(dst) + 76
		var buf uint32
		pos := 2
		for _, b := range src {
			buf |= uint32(b) << (pos << 3)
			pos--
			if pos < 0 {
				dst = append(dst, base64Digits[buf>>18&63], base64Digits[buf>>12&63], base64Digits[buf>>6&63], base64Digits[buf&63])
				pos, buf = 2, 0
			}
			if len(dst) >= lineEnd {
				dst = append(dst, '\n')
				lineEnd = len(dst) + 76
			}
		}
		if pos != 2 {
			third := byte('=')
			if pos == 0 {
				third = base64Digits[buf>>6&63]
			}
			dst = append(dst, base64Digits[buf>>18&63], base64Digits[buf>>12&63], third, '=')
		}
	case codecEscape:
		for _, b := range src {
			switch {
			case b == 0 || b >= 0x80:
				dst = append(dst, '\\', '0'+b>>6, '0'+b>>3&7, '0'+b&7)
			case b == '\\':
				dst = append(dst, '\\', '\\')
			default:
				dst = append(dst, b)
			}
		}
	}
	return dst
}

func appendDecoded(dst, src []byte, c byteCodec) ([]byte, error) {
	switch c {
	case codecHex:
		for i := 0; i < len(src); {
			switch src[i] {
			case ' ', '\n', '\t', '\r':
				i++
				continue
			}
			hi := hexValue(src[i])
			if hi < 0 {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", firstChar(src[i:]))
			}
			i++
			if i >= len(src) {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			lo := hexValue(src[i])
			if lo < 0 {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", firstChar(src[i:]))
			}
			i++
			dst = append(dst, byte(hi<<4|lo))
		}
		return dst, nil
	case codecBase64:
		var buf uint32
		pos, end := 0, 0
		for i := 0; i < len(src); i++ {
			ch := src[i]
			var v int8
			switch {
			case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
				continue
			case ch == '=':
				if end == 0 {
					switch pos {
					case 2:
						end = 1
					case 3:
						end = 2
					default:
						return nil, pgerr.New(pgerr.InvalidParameterValue, "unexpected \"=\" while decoding base64 sequence")
					}
				}
			default:
				v = -1
				if ch > 0 && ch < 127 {
					v = base64Value[ch]
				}
				if v < 0 {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid symbol \"%s\" found while decoding base64 sequence", firstChar(src[i:]))
				}
			}
			buf = buf<<6 + uint32(v)
			pos++
			if pos == 4 {
				dst = append(dst, byte(buf>>16))
				if end == 0 || end > 1 {
					dst = append(dst, byte(buf>>8))
				}
				if end == 0 || end > 2 {
					dst = append(dst, byte(buf))
				}
				buf, pos = 0, 0
			}
		}
		if pos != 0 {
			e := pgerr.New(pgerr.InvalidParameterValue, "invalid base64 end sequence")
			e.Hint = "Input data is missing padding, is truncated, or is otherwise corrupted."
			return nil, e
		}
		return dst, nil
	}
	// escape: \\ and \ooo (first digit 0-3); any other backslash is an error.
	octal := func(b byte, hi byte) bool { return b >= '0' && b <= hi }
	for i := 0; i < len(src); {
		switch {
		case src[i] != '\\':
			dst = append(dst, src[i])
			i++
		case i+3 < len(src) && octal(src[i+1], '3') && octal(src[i+2], '7') && octal(src[i+3], '7'):
			dst = append(dst, (src[i+1]-'0')<<6|(src[i+2]-'0')<<3|(src[i+3]-'0'))
			i += 4
		case i+1 < len(src) && src[i+1] == '\\':
			dst = append(dst, '\\')
			i += 2
		default:
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return dst, nil
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || types[0].Kind != catalog.Bytea && types[0].Kind != catalog.Unknown || !types[1].IsString() && types[1].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("encode", types)
			}
			return catalog.TypeText, []catalog.Type{catalog.TypeBytea, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				c, err := findCodec(v.str[1].str(i))
				if err != nil {
					return nil, err
				}
				return appendEncoded(dst, v.str[0].bytes(i), c), nil
			}), nil
		},
	}, "encode")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !types[0].IsString() && types[0].Kind != catalog.Unknown || !types[1].IsString() && types[1].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("decode", types)
			}
			return catalog.TypeBytea, []catalog.Type{catalog.TypeText, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return varlenFunc(args, catalog.TypeBytea, func(dst []byte, v argViews, i int) ([]byte, error) {
				c, err := findCodec(v.str[1].str(i))
				if err != nil {
					return nil, err
				}
				return appendDecoded(dst, v.str[0].bytes(i), c)
			}), nil
		},
	}, "decode")
}
