package exec

import (
	"bytes"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// String functions. Positions and lengths count characters (UTF-8 code
// points), not bytes, as in a UTF8 PostgreSQL database; arguments of the
// other string types are cast to text first (which drops char(n)
// padding), as PostgreSQL resolves them.

// maxStringChars bounds results built by repetition (lpad, repeat), like
// PostgreSQL's 1 GB limit on a value.
const maxStringChars = 1 << 28

// argViews gives kernels typed access to the evaluated arguments.
type argViews struct {
	str  []varlenView
	ints [][]int32
}

func viewsOf(arrs []arrow.Array) argViews {
	v := argViews{str: make([]varlenView, len(arrs)), ints: make([][]int32, len(arrs))}
	for i, a := range arrs {
		switch a.DataType().ID() {
		case arrow.STRING, arrow.BINARY:
			v.str[i] = varlenViewOf(a)
		case arrow.INT32:
			v.ints[i] = fixedValues[int32](a)
		}
	}
	return v
}

// textFunc builds a strict text-valued function.
func textFunc(args []Expr, f func(dst []byte, v argViews, i int) ([]byte, error)) Expr {
	return varlenFunc(args, catalog.TypeText, f)
}

// varlenFunc builds a strict function whose result type t is a string
// or bytea.
func varlenFunc(args []Expr, t catalog.Type, f func(dst []byte, v argViews, i int) ([]byte, error)) Expr {
	return nullableVarlenFunc(args, t, func(dst []byte, v argViews, i int) ([]byte, bool, error) {
		out, err := f(dst, v, i)
		return out, true, err
	})
}

// nullableVarlenFunc is varlenFunc for a function that may return NULL for
// arguments that are not (ok false): regexp_match's text forms, ...
func nullableVarlenFunc(args []Expr, t catalog.Type, f func(dst []byte, v argViews, i int) ([]byte, bool, error)) Expr {
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		nulls := combineNulls(mem, b.Len, arrs...)
		defer nulls.release()
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		var scratch []byte
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || nulls.isNull(i) {
				out.appendNull()
				continue
			}
			var ok bool
			var err error
			scratch, ok, err = f(scratch[:0], v, i)
			if err != nil {
				out.finish(t).Release()
				return nil, err
			}
			if !ok {
				out.appendNull()
				continue
			}
			out.appendBytes(scratch)
		}
		return out.finish(t), nil
	}}
}

// intFunc builds a strict int4-valued function of strings.
func intFunc(args []Expr, f func(v argViews, i int) int32) Expr {
	return &funcExpr{args: args, t: catalog.TypeInt4, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			out.vals[i] = f(v, int(i))
		}
		return out.finish(catalog.TypeInt4), nil
	}}
}

// charOffset returns the byte offset of the n-th character (0-based),
// clamped to len(s).
func charOffset(s []byte, n int) int {
	if n <= 0 {
		return 0
	}
	off := 0
	for c := 0; c < n && off < len(s); c++ {
		if s[off] < utf8.RuneSelf {
			off++
			continue
		}
		_, w := utf8.DecodeRune(s[off:])
		off += w
	}
	return off
}

func charCount(s []byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCount(s)
		}
	}
	return len(s)
}

// substringChars is SQL substring(s from start for count), 1-based, where
// the window may start before the string.
func substringChars(s []byte, start, count int64, hasCount bool) ([]byte, error) {
	end := int64(1 << 62)
	if hasCount {
		if count < 0 {
			return nil, pgerr.New(pgerr.SubstringError, "negative substring length not allowed")
		}
		end = start + count
	}
	if start < 1 {
		start = 1
	}
	if end <= start {
		return nil, nil
	}
	from := charOffset(s, int(min(start-1, int64(len(s)))))
	to := len(s)
	if hasCount && end-1 < int64(len(s))+1 {
		to = charOffset(s, int(end-1))
	}
	if to < from {
		to = from
	}
	return s[from:to], nil
}

func trimSet(s, chars []byte, left, right bool) []byte {
	in := func(r rune) bool {
		for _, c := range string(chars) {
			if c == r {
				return true
			}
		}
		return false
	}
	if left {
		for len(s) > 0 {
			r, w := utf8.DecodeRune(s)
			if !in(r) {
				break
			}
			s = s[w:]
		}
	}
	if right {
		for len(s) > 0 {
			r, w := utf8.DecodeLastRune(s)
			if !in(r) {
				break
			}
			s = s[:len(s)-w]
		}
	}
	return s
}

// byteLengthSignature resolves octet_length or bit_length: an argument
// of one of kinds keeps its type (bytea; character, whose padding
// octet_length counts), any other string is text.
func byteLengthSignature(name string, kinds ...catalog.Kind) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	text := signatures(name, catalog.TypeInt4, "T")
	return func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) == 1 && slices.Contains(kinds, types[0].Kind) {
			return catalog.TypeInt4, types, nil
		}
		return text(types, args)
	}
}

func init() {
	registerFunc(&funcDef{
		resolve: signatures("lower", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendLower(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "lower")
	registerFunc(&funcDef{
		resolve: signatures("upper", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendUpper(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "upper")
	registerFunc(&funcDef{
		resolve: signatures("length", catalog.TypeInt4, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 { return int32(charCount(v.str[0].bytes(i))) }), nil
		},
	}, "length", "char_length", "character_length")
	registerFunc(&funcDef{
		// octet_length(character) counts the blanks that pad a value
		// to its length (bpcharoctetlen); the text form does not.
		resolve: byteLengthSignature("octet_length", catalog.Bpchar, catalog.Bytea),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			width := -1
			if t := args[0].Type(); t.Kind == catalog.Bpchar {
				width = int(t.Length())
			}
			return intFunc(args, func(v argViews, i int) int32 {
				b := v.str[0].bytes(i)
				if width < 0 {
					return int32(len(b))
				}
				b = trimTrailingSpaces(b)
				return int32(len(b) + max(0, width-charCount(b)))
			}), nil
		},
	}, "octet_length")
	registerFunc(&funcDef{
		resolve: byteLengthSignature("bit_length", catalog.Bytea),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 { return int32(8 * len(v.str[0].bytes(i))) }), nil
		},
	}, "bit_length")
	registerFunc(&funcDef{
		// substring(s, pattern) and substring(s, pattern, escape) are the
		// regular-expression and SIMILAR forms (regexp.go); an untyped
		// literal second argument reads as text, as in PostgreSQL.
		resolve: signatures("substring", catalog.TypeText, "TT", "TI", "TTT", "TII"),
		build:   buildSubstring,
	}, "substring")
	registerFunc(&funcDef{
		resolve: signatures("substr", catalog.TypeText, "TI", "TII"),
		build:   buildSubstring,
	}, "substr")
	// position(string, substring): the parser turns POSITION(a IN b) into
	// position(b, a), like strpos(b, a).
	registerFunc(&funcDef{
		resolve: signatures("strpos", catalog.TypeInt4, "TT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 {
				s := v.str[0].bytes(i)
				at := bytes.Index(s, v.str[1].bytes(i))
				if at < 0 {
					return 0
				}
				return int32(charCount(s[:at]) + 1)
			}), nil
		},
	}, "strpos", "position")
	trimFunc := func(name string, left, right bool) *funcDef {
		return &funcDef{
			resolve: signatures(name, catalog.TypeText, "T", "TT"),
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				withSet := len(args) == 2
				space := []byte(" ")
				return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
					set := space
					if withSet {
						set = v.str[1].bytes(i)
					}
					return append(dst, trimSet(v.str[0].bytes(i), set, left, right)...), nil
				}), nil
			},
		}
	}
	registerFunc(trimFunc("btrim", true, true), "btrim", "trim")
	registerFunc(trimFunc("ltrim", true, false), "ltrim")
	registerFunc(trimFunc("rtrim", false, true), "rtrim")
	registerFunc(&funcDef{
		resolve: signatures("replace", catalog.TypeText, "TTT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				s, from, to := v.str[0].bytes(i), v.str[1].bytes(i), v.str[2].bytes(i)
				if len(from) == 0 {
					return append(dst, s...), nil
				}
				for {
					at := bytes.Index(s, from)
					if at < 0 {
						return append(dst, s...), nil
					}
					dst = append(dst, s[:at]...)
					dst = append(dst, to...)
					s = s[at+len(from):]
				}
			}), nil
		},
	}, "replace")
	leftRight := func(name string, left bool) *funcDef {
		return &funcDef{
			resolve: signatures(name, catalog.TypeText, "TI"),
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
					s := v.str[0].bytes(i)
					n := int(v.ints[1][i])
					chars := charCount(s)
					if n < 0 {
						n = max(0, chars+n)
					}
					n = min(n, chars)
					if left {
						return append(dst, s[:charOffset(s, n)]...), nil
					}
					return append(dst, s[charOffset(s, chars-n):]...), nil
				}), nil
			},
		}
	}
	registerFunc(leftRight("left", true), "left")
	registerFunc(leftRight("right", false), "right")
	padFunc := func(name string, left bool) *funcDef {
		return &funcDef{
			resolve: signatures(name, catalog.TypeText, "TI", "TIT"),
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				withFill := len(args) == 3
				space := []byte(" ")
				return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
					s := v.str[0].bytes(i)
					n := int(v.ints[1][i])
					fill := space
					if withFill {
						fill = v.str[2].bytes(i)
					}
					chars := charCount(s)
					if n <= chars {
						return append(dst, s[:charOffset(s, max(n, 0))]...), nil
					}
					if n > maxStringChars {
						return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
					}
					if len(fill) == 0 {
						return append(dst, s...), nil
					}
					if !left {
						dst = append(dst, s...)
					}
					for need, f := n-chars, 0; need > 0; need-- {
						r, w := utf8.DecodeRune(fill[f:])
						dst = utf8.AppendRune(dst, r)
						f += w
						if f >= len(fill) {
							f = 0
						}
					}
					if left {
						dst = append(dst, s...)
					}
					return dst, nil
				}), nil
			},
		}
	}
	registerFunc(padFunc("lpad", true), "lpad")
	registerFunc(padFunc("rpad", false), "rpad")
	registerFunc(&funcDef{
		resolve: signatures("repeat", catalog.TypeText, "TI"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				s := v.str[0].bytes(i)
				n := int(v.ints[1][i])
				if int64(n)*int64(len(s)) > maxStringChars {
					return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
				}
				for ; n > 0; n-- {
					dst = append(dst, s...)
				}
				return dst, nil
			}), nil
		},
	}, "repeat")
	registerFunc(&funcDef{
		resolve: signatures("reverse", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				s := v.str[0].bytes(i)
				for len(s) > 0 {
					r, w := utf8.DecodeLastRune(s)
					dst = utf8.AppendRune(dst, r)
					s = s[:len(s)-w]
				}
				return dst, nil
			}), nil
		},
	}, "reverse")
	// concat ignores NULLs; concat_ws joins the non-NULL values with its
	// first argument (NULL separator gives NULL). The planner casts every
	// argument to text.
	concatResolve := func(name string, minArgs int) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
		return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) < minArgs {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
			return catalog.TypeText, repeatType(catalog.TypeText, len(types)), nil
		}
	}
	registerFunc(&funcDef{
		resolve:   concatResolve("concat", 1),
		build:     func(args []Expr, _ catalog.Type) (Expr, error) { return newConcatFunc(args, false), nil },
		nonStrict: true,
	}, "concat")
	registerFunc(&funcDef{
		resolve:   concatResolve("concat_ws", 1),
		build:     func(args []Expr, _ catalog.Type) (Expr, error) { return newConcatFunc(args, true), nil },
		nonStrict: true,
	}, "concat_ws")
}

func newConcatFunc(args []Expr, withSep bool) Expr {
	return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		views := make([]varlenView, len(arrs))
		for i, a := range arrs {
			views[i] = varlenViewOf(a)
		}
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		var scratch []byte
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) {
				out.appendNull()
				continue
			}
			scratch = scratch[:0]
			first := 0
			var sep []byte
			if withSep {
				if !views[0].valid(i) {
					out.appendNull()
					continue
				}
				sep, first = views[0].bytes(i), 1
			}
			wrote := false
			for _, v := range views[first:] {
				if !v.valid(i) {
					continue
				}
				if wrote {
					scratch = append(scratch, sep...)
				}
				scratch = append(scratch, v.bytes(i)...)
				wrote = true
			}
			out.appendBytes(scratch)
		}
		return out.finish(catalog.TypeText), nil
	}}
}

// boolFunc builds a strict boolean function of strings.
func boolFunc(args []Expr, f func(v argViews, i int) bool) Expr {
	return &funcExpr{args: args, t: catalog.TypeBool, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			out.set(int(i), f(v, int(i)))
		}
		return out.finish(), nil
	}}
}

// splitPart is split_part(s, delim, n): the n-th field (from the end for
// negative n); an empty delimiter makes the whole string the only field.
func splitPart(s, delim []byte, n int) ([]byte, error) {
	if n == 0 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "field position must not be zero")
	}
	if len(s) == 0 {
		return nil, nil
	}
	if len(delim) == 0 {
		if n == 1 || n == -1 {
			return s, nil
		}
		return nil, nil
	}
	if n > 0 {
		for ; n > 1; n-- {
			at := bytes.Index(s, delim)
			if at < 0 {
				return nil, nil
			}
			s = s[at+len(delim):]
		}
		if at := bytes.Index(s, delim); at >= 0 {
			return s[:at], nil
		}
		return s, nil
	}
	// Fields counted from the end are the fields PostgreSQL finds
	// scanning from the start: count them, then take the matching one.
	fields := bytes.Count(s, delim) + 1
	if -n > fields {
		return nil, nil
	}
	return splitPart(s, delim, fields+n+1)
}

// appendInitcap upper-cases the first letter or digit of each run of
// letters and digits and lower-cases the rest, as PostgreSQL's initcap
// does with the database's (C.UTF-8) character classes.
func appendInitcap(dst, s []byte) []byte {
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
			switch {
			case inWord && 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case !inWord && 'a' <= c && c <= 'z':
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			inWord = alnum
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if inWord {
			r = unicode.ToLower(r)
		} else {
			r = unicode.ToUpper(r)
		}
		dst = utf8.AppendRune(dst, r)
		inWord = unicode.IsLetter(r) || unicode.IsDigit(r)
		i += n
	}
	return dst
}

// appendTranslate replaces each character of s found in from by the
// character at the same position of to, or drops it when to is shorter
// (the first occurrence in from counts).
func appendTranslate(dst, s, from, to []byte) []byte {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		pos := -1
		for k, f := 0, from; len(f) > 0; k++ {
			fr, fn := utf8.DecodeRune(f)
			if fr == r {
				pos = k
				break
			}
			f = f[fn:]
		}
		if pos < 0 {
			dst = utf8.AppendRune(dst, r)
			continue
		}
		t := to
		for k := 0; k < pos && len(t) > 0; k++ {
			_, tn := utf8.DecodeRune(t)
			t = t[tn:]
		}
		if len(t) > 0 {
			tr, _ := utf8.DecodeRune(t)
			dst = utf8.AppendRune(dst, tr)
		}
	}
	return dst
}

// appendChr is chr(n): the character with code point n.
func appendChr(dst []byte, n int32) ([]byte, error) {
	switch {
	case n == 0:
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "null character not permitted")
	case n < 0:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "character number must be positive")
	case n > utf8.MaxRune:
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested character too large for encoding: %d", n)
	case n >= 0xD800 && n <= 0xDFFF:
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "requested character not valid for encoding: %d", n)
	}
	return utf8.AppendRune(dst, n), nil
}

func init() {
	registerFunc(&funcDef{
		resolve: signatures("split_part", catalog.TypeText, "TTI"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				s, err := splitPart(v.str[0].bytes(i), v.str[1].bytes(i), int(v.ints[2][i]))
				return append(dst, s...), err
			}), nil
		},
	}, "split_part")
	registerFunc(&funcDef{
		resolve: signatures("initcap", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendInitcap(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "initcap")
	registerFunc(&funcDef{
		resolve: signatures("translate", catalog.TypeText, "TTT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendTranslate(dst, v.str[0].bytes(i), v.str[1].bytes(i), v.str[2].bytes(i)), nil
			}), nil
		},
	}, "translate")
	registerFunc(&funcDef{
		resolve: signatures("ascii", catalog.TypeInt4, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 {
				s := v.str[0].bytes(i)
				if len(s) == 0 {
					return 0
				}
				r, _ := utf8.DecodeRune(s)
				return r
			}), nil
		},
	}, "ascii")
	registerFunc(&funcDef{
		resolve: signatures("chr", catalog.TypeText, "I"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendChr(dst, v.ints[0][i])
			}), nil
		},
	}, "chr")
	registerFunc(&funcDef{
		resolve: signatures("starts_with", catalog.TypeBool, "TT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return boolFunc(args, func(v argViews, i int) bool {
				return bytes.HasPrefix(v.str[0].bytes(i), v.str[1].bytes(i))
			}), nil
		},
	}, "starts_with")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 1 {
				return catalog.Type{}, nil, errNoFunction("to_hex", types)
			}
			switch types[0].Kind {
			case catalog.Int4, catalog.Unknown:
				return catalog.TypeText, []catalog.Type{catalog.TypeInt4}, nil
			case catalog.Int8:
				return catalog.TypeText, []catalog.Type{catalog.TypeInt8}, nil
			case catalog.Int2:
				return catalog.Type{}, nil, errNotUnique("to_hex", types)
			}
			return catalog.Type{}, nil, errNoFunction("to_hex", types)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			wide := args[0].Type().Kind == catalog.Int8
			return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				var i32 []int32
				var i64 []int64
				if wide {
					i64 = fixedValues[int64](a[0])
				} else {
					i32 = fixedValues[int32](a[0])
				}
				return mapToVarlen(mem, catalog.TypeText, a[0], b, func(dst []byte, i int) ([]byte, error) {
					if wide {
						return strconv.AppendUint(dst, uint64(i64[i]), 16), nil
					}
					return strconv.AppendUint(dst, uint64(uint32(i32[i])), 16), nil
				})
			}}, nil
		},
	}, "to_hex")
}

// buildSubstring builds substring and substr: by character positions
// (an integer second argument), or by pattern (regexp.go).
func buildSubstring(args []Expr, _ catalog.Type) (Expr, error) {
	if args[1].Type().Kind == catalog.Text {
		return newRegexSubstring(args, len(args) == 3), nil
	}
	hasCount := len(args) == 3
	return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
		var count int64
		if hasCount {
			count = int64(v.ints[2][i])
		}
		s, err := substringChars(v.str[0].bytes(i), int64(v.ints[1][i]), count, hasCount)
		return append(dst, s...), err
	}), nil
}
