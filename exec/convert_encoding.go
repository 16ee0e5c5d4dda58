package exec

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// convert_from(bytea, name) → text, convert_to(text, name) → bytea and
// convert(bytea, name, name) → bytea move bytes between the server
// encoding, UTF8, and PostgreSQL's other encodings, with its errors
// (mbutils.c): 22023 for an encoding name it does not know, 22021 for
// bytes that are not valid in their encoding, 22P05 for a character the
// target encoding lacks. The tables come from golang.org/x/text, whose
// single-byte and CJK code pages are the ones PostgreSQL converts with;
// the encodings it lacks (EUC_TW, JOHAB, MULE_INTERNAL, EUC_JIS_2004,
// SHIFT_JIS_2004) are refused with 0A000.

// pgEncoding is one of PostgreSQL's encodings: enc converts to and from
// UTF-8 (nil for UTF8 and SQL_ASCII, whose bytes are taken as they are).
type pgEncoding struct {
	name string
	enc  encoding.Encoding
	// c1 says the C1 controls (0x80-0x9f) are themselves, U+0080-U+009F,
	// as in PostgreSQL's ISO 8859 tables (x/text leaves some out).
	c1 bool
}

// pgEncodingNames maps encoding names, as PostgreSQL's clean_encoding_name
// leaves them (lower case, letters and digits only), to encodings: the
// names and aliases of encnames.c.
var pgEncodingNames = func() map[string]string {
	m := map[string]string{
		"abc": "WIN1258", "alt": "WIN866", "big5": "BIG5", "euccn": "EUC_CN",
		"eucjis2004": "EUC_JIS_2004", "eucjp": "EUC_JP", "euckr": "EUC_KR", "euctw": "EUC_TW",
		"gb18030": "GB18030", "gbk": "GBK", "johab": "JOHAB", "koi8": "KOI8R", "koi8r": "KOI8R",
		"koi8u": "KOI8U", "mskanji": "SJIS", "muleinternal": "MULE_INTERNAL", "shiftjis": "SJIS",
		"shiftjis2004": "SHIFT_JIS_2004", "sjis": "SJIS", "sqlascii": "SQL_ASCII", "tcvn": "WIN1258",
		"tcvn5712": "WIN1258", "uhc": "UHC", "unicode": "UTF8", "utf8": "UTF8", "vscii": "WIN1258",
		"win": "WIN1251", "win866": "WIN866", "win874": "WIN874", "win932": "SJIS", "win936": "GBK",
		"win949": "UHC", "win950": "BIG5", "windows866": "WIN866", "windows874": "WIN874",
		"windows932": "SJIS", "windows936": "GBK", "windows949": "UHC", "windows950": "BIG5",
		"iso88591": "LATIN1", "iso88592": "LATIN2", "iso88593": "LATIN3", "iso88594": "LATIN4",
		"iso88595": "ISO_8859_5", "iso88596": "ISO_8859_6", "iso88597": "ISO_8859_7",
		"iso88598": "ISO_8859_8", "iso88599": "LATIN5", "iso885910": "LATIN6",
		"iso885913": "LATIN7", "iso885914": "LATIN8", "iso885915": "LATIN9", "iso885916": "LATIN10",
	}
	for i := 1; i <= 10; i++ {
		m[fmt.Sprintf("latin%d", i)] = fmt.Sprintf("LATIN%d", i)
	}
	for cp := 1250; cp <= 1258; cp++ {
		m[fmt.Sprintf("win%d", cp)] = fmt.Sprintf("WIN%d", cp)
		m[fmt.Sprintf("windows%d", cp)] = fmt.Sprintf("WIN%d", cp)
	}
	return m
}()

// pgEncodings are the encodings by their PostgreSQL names.
var pgEncodings = map[string]encoding.Encoding{
	"UTF8": nil, "SQL_ASCII": nil,
	"LATIN1": charmap.ISO8859_1, "LATIN2": charmap.ISO8859_2, "LATIN3": charmap.ISO8859_3,
	"LATIN4": charmap.ISO8859_4, "LATIN5": charmap.ISO8859_9, "LATIN6": charmap.ISO8859_10,
	"LATIN7": charmap.ISO8859_13, "LATIN8": charmap.ISO8859_14, "LATIN9": charmap.ISO8859_15,
	"LATIN10": charmap.ISO8859_16, "ISO_8859_5": charmap.ISO8859_5, "ISO_8859_6": charmap.ISO8859_6,
	"ISO_8859_7": charmap.ISO8859_7, "ISO_8859_8": charmap.ISO8859_8,
	"WIN866": charmap.CodePage866, "WIN874": charmap.Windows874, "WIN1250": charmap.Windows1250,
	"WIN1251": charmap.Windows1251, "WIN1252": charmap.Windows1252, "WIN1253": charmap.Windows1253,
	"WIN1254": charmap.Windows1254, "WIN1255": charmap.Windows1255, "WIN1256": charmap.Windows1256,
	"WIN1257": charmap.Windows1257, "WIN1258": charmap.Windows1258,
	"KOI8R": charmap.KOI8R, "KOI8U": charmap.KOI8U,
	"EUC_JP": japanese.EUCJP, "SJIS": japanese.ShiftJIS, "EUC_KR": korean.EUCKR, "UHC": korean.EUCKR,
	"EUC_CN": simplifiedchinese.GBK, "GBK": simplifiedchinese.GBK, "GB18030": simplifiedchinese.GB18030,
	"BIG5": traditionalchinese.Big5,
}

// encodingCache remembers the last name resolved, so that a column
// converted with one constant encoding resolves it once.
type encodingCache struct {
	name string
	enc  pgEncoding
}

func (c *encodingCache) find(name, role string) (pgEncoding, error) {
	if c.enc.name != "" && name == c.name {
		return c.enc, nil
	}
	e, err := findPGEncoding(name, role)
	if err == nil {
		c.name, c.enc = name, e
	}
	return e, err
}

// findPGEncoding resolves an encoding name; role is "source" or
// "destination", as PostgreSQL's message says.
func findPGEncoding(name, role string) (pgEncoding, error) {
	var clean strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			clean.WriteRune(r)
		}
	}
	canonical, ok := pgEncodingNames[clean.String()]
	if !ok {
		return pgEncoding{}, pgerr.New(pgerr.InvalidParameterValue, "invalid %s encoding name \"%s\"", role, name)
	}
	enc, ok := pgEncodings[canonical]
	if !ok {
		return pgEncoding{}, pgerr.Unsupported("conversion from or to encoding \"%s\" is not supported", canonical)
	}
	c1 := strings.HasPrefix(canonical, "LATIN") || strings.HasPrefix(canonical, "ISO_8859")
	return pgEncoding{name: canonical, enc: enc, c1: c1}, nil
}

// appendToUTF8 appends src, in encoding e, converted to UTF-8.
func appendToUTF8(dst, src []byte, e pgEncoding) ([]byte, error) {
	if e.enc == nil {
		if err := checkUTF8(src); err != nil {
			return nil, err
		}
		return append(dst, src...), nil
	}
	if cm, ok := e.enc.(*charmap.Charmap); ok {
		for _, c := range src {
			if e.c1 && c >= 0x80 && c <= 0x9f {
				dst = utf8.AppendRune(dst, rune(c))
				continue
			}
			r := cm.DecodeByte(c)
			if r == utf8.RuneError || c == 0 {
				if c == 0 {
					return nil, invalidByteSequence(e.name, src[:1])
				}
				return nil, pgerr.New(pgerr.UntranslatableCharacter, "character with byte sequence 0x%02x in encoding \"%s\" has no equivalent in encoding \"UTF8\"", c, e.name)
			}
			dst = utf8.AppendRune(dst, r)
		}
		return dst, nil
	}
	out, err := e.enc.NewDecoder().Bytes(src)
	if err != nil {
		return nil, invalidByteSequence(e.name, src)
	}
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError || r == 0 {
			// The decoder stands U+FFFD for what it could not read.
			return nil, invalidByteSequence(e.name, firstNonASCII(src))
		}
		i += n
	}
	return append(dst, out...), nil
}

// appendFromUTF8 appends UTF-8 text src converted to encoding e.
func appendFromUTF8(dst, src []byte, e pgEncoding) ([]byte, error) {
	if e.enc == nil {
		return append(dst, src...), nil
	}
	enc := e.enc.NewEncoder()
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r < utf8.RuneSelf || e.c1 && r >= 0x80 && r <= 0x9f {
			dst = append(dst, byte(r))
			i += n
			continue
		}
		b, err := enc.Bytes(src[i : i+n])
		if err != nil {
			return nil, pgerr.New(pgerr.UntranslatableCharacter, "character with byte sequence %s in encoding \"UTF8\" has no equivalent in encoding \"%s\"", byteList(src[i:i+n]), e.name)
		}
		dst = append(dst, b...)
		i += n
	}
	return dst, nil
}

// checkUTF8 reports the first byte sequence of s that is not UTF-8 (or
// is a NUL, which text cannot hold).
func checkUTF8(s []byte) error {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n <= 1 || r == 0 {
			return invalidByteSequence("UTF8", s[i:])
		}
		i += n
	}
	return nil
}

func invalidByteSequence(encoding string, at []byte) error {
	return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"%s\": %s", encoding, byteList(at[:min(len(at), 1)]))
}

func firstNonASCII(s []byte) []byte {
	for i, c := range s {
		if c >= utf8.RuneSelf || c == 0 {
			return s[i:]
		}
	}
	return s
}

// byteList prints bytes as PostgreSQL's encoding errors do: 0xe2 0x82 0xac.
func byteList(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("0x%02x", c)
	}
	return strings.Join(parts, " ")
}

func init() {
	nameArg := func(t catalog.Type) bool { return t.IsString() || t.Kind == catalog.Unknown }
	byteaArg := func(t catalog.Type) bool { return t.Kind == catalog.Bytea || t.Kind == catalog.Unknown }
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !byteaArg(types[0]) || !nameArg(types[1]) {
				return catalog.Type{}, nil, errNoFunction("convert_from", types)
			}
			return catalog.TypeText, []catalog.Type{catalog.TypeBytea, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var cache encodingCache
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				e, err := cache.find(v.str[1].str(i), "source")
				if err != nil {
					return nil, err
				}
				return appendToUTF8(dst, v.str[0].bytes(i), e)
			}), nil
		},
	}, "convert_from")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !nameArg(types[0]) || !nameArg(types[1]) {
				return catalog.Type{}, nil, errNoFunction("convert_to", types)
			}
			return catalog.TypeBytea, []catalog.Type{catalog.TypeText, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var cache encodingCache
			return varlenFunc(args, catalog.TypeBytea, func(dst []byte, v argViews, i int) ([]byte, error) {
				e, err := cache.find(v.str[1].str(i), "destination")
				if err != nil {
					return nil, err
				}
				return appendFromUTF8(dst, v.str[0].bytes(i), e)
			}), nil
		},
	}, "convert_to")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 3 || !byteaArg(types[0]) || !nameArg(types[1]) || !nameArg(types[2]) {
				return catalog.Type{}, nil, errNoFunction("convert", types)
			}
			return catalog.TypeBytea, []catalog.Type{catalog.TypeBytea, catalog.TypeText, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var scratch []byte
			var fromCache, toCache encodingCache
			return varlenFunc(args, catalog.TypeBytea, func(dst []byte, v argViews, i int) ([]byte, error) {
				from, err := fromCache.find(v.str[1].str(i), "source")
				if err != nil {
					return nil, err
				}
				to, err := toCache.find(v.str[2].str(i), "destination")
				if err != nil {
					return nil, err
				}
				if scratch, err = appendToUTF8(scratch[:0], v.str[0].bytes(i), from); err != nil {
					return nil, err
				}
				return appendFromUTF8(dst, scratch, to)
			}), nil
		},
	}, "convert")
}
