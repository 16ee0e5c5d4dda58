package exec

import (
	"bytes"
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

// stringSig declares a fixed signature: arg kinds 'T' text, 'I' int4.
func stringSig(name string, result catalog.Type, sigs ...string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		for _, sig := range sigs {
			if len(sig) != len(types) {
				continue
			}
			want := make([]catalog.Type, len(sig))
			ok := true
			for i, c := range sig {
				t := types[i]
				switch c {
				case 'T':
					want[i] = catalog.TypeText
					ok = ok && (t.IsString() || t.Kind == catalog.Unknown)
				case 'I':
					want[i] = catalog.TypeInt4
					ok = ok && (t.Kind == catalog.Int2 || t.Kind == catalog.Int4 || t.Kind == catalog.Unknown)
				}
			}
			if ok {
				return result, want, nil
			}
		}
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
}

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
	return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
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
			var err error
			scratch, err = f(scratch[:0], v, i)
			if err != nil {
				out.finish(catalog.TypeText).Release()
				return nil, err
			}
			out.appendBytes(scratch)
		}
		return out.finish(catalog.TypeText), nil
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

func init() {
	registerFunc(&funcDef{
		resolve: stringSig("lower", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendLower(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "lower")
	registerFunc(&funcDef{
		resolve: stringSig("upper", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendUpper(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "upper")
	registerFunc(&funcDef{
		resolve: stringSig("length", catalog.TypeInt4, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 { return int32(charCount(v.str[0].bytes(i))) }), nil
		},
	}, "length", "char_length", "character_length")
	registerFunc(&funcDef{
		resolve: stringSig("octet_length", catalog.TypeInt4, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return intFunc(args, func(v argViews, i int) int32 { return int32(len(v.str[0].bytes(i))) }), nil
		},
	}, "octet_length")
	registerFunc(&funcDef{
		resolve: stringSig("substring", catalog.TypeText, "TI", "TII"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			hasCount := len(args) == 3
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				var count int64
				if hasCount {
					count = int64(v.ints[2][i])
				}
				s, err := substringChars(v.str[0].bytes(i), int64(v.ints[1][i]), count, hasCount)
				return append(dst, s...), err
			}), nil
		},
	}, "substring", "substr")
	// position(string, substring): the parser turns POSITION(a IN b) into
	// position(b, a), like strpos(b, a).
	registerFunc(&funcDef{
		resolve: stringSig("strpos", catalog.TypeInt4, "TT"),
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
			resolve: stringSig(name, catalog.TypeText, "T", "TT"),
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
		resolve: stringSig("replace", catalog.TypeText, "TTT"),
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
			resolve: stringSig(name, catalog.TypeText, "TI"),
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
			resolve: stringSig(name, catalog.TypeText, "TI", "TIT"),
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
		resolve: stringSig("repeat", catalog.TypeText, "TI"),
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
		resolve: stringSig("reverse", catalog.TypeText, "T"),
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
		resolve: concatResolve("concat", 1),
		build:   func(args []Expr, _ catalog.Type) (Expr, error) { return newConcatFunc(args, false), nil },
	}, "concat")
	registerFunc(&funcDef{
		resolve: concatResolve("concat_ws", 1),
		build:   func(args []Expr, _ catalog.Type) (Expr, error) { return newConcatFunc(args, true), nil },
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
