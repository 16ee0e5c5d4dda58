package exec

import (
	"errors"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec/internal/pgregex"
	"github.com/pqdb/pqdb/pgerr"
)

// POSIX regular expressions as PostgreSQL 15 has them (pgregex is
// PostgreSQL's ARE flavour and match semantics):
//
//	textregexeq textregexne texticregexeq texticregexne   ~ !~ ~* !~*
//	regexp_like(s, p [, flags])                           boolean
//	regexp_count(s, p [, start [, flags]])                integer
//	regexp_instr(s, p [, start [, n [, endoption [, flags [, subexpr]]]]])
//	regexp_substr(s, p [, start [, n [, flags [, subexpr]]]])
//	regexp_replace(s, p, r [, start [, n]] [, flags]), regexp_replace(s, p, r, flags)
//	substring(s, p) (SUBSTRING(s FROM p)), substring(s, p, esc) (SIMILAR ... ESCAPE)
//	similar_to_escape(p [, esc]), similar_escape(p, esc)  SIMILAR TO
//
// Positions count characters from 1. A pattern is compiled when a row
// first uses it (an empty table never reports a bad pattern, as in
// PostgreSQL) and kept in a small per-expression cache. regexp_match,
// regexp_matches, regexp_split_to_array and regexp_split_to_table, which
// return arrays and sets, are in regexp_sets.go.

// regexCache compiles patterns for one expression.
type regexCache struct {
	last    *regexEntry
	entries map[string]*regexEntry
}

type regexEntry struct {
	key string
	re  *pgregex.Regexp
	m   *pgregex.Matcher
}

const regexCacheSize = 32

func regexError(err error) error {
	var re *pgregex.Error
	if errors.As(err, &re) {
		return pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: %s", re.Msg)
	}
	if errors.Is(err, pgregex.ErrUnsupported) {
		return pgerr.Unsupported("%s", err.Error())
	}
	return err
}

func (c *regexCache) get(pattern []byte, flags pgregex.Flags) (*regexEntry, error) {
	if e := c.last; e != nil && len(e.key) == len(pattern)+2 && e.key[0] == byte(flags) && e.key[1] == byte(flags>>8) && e.key[2:] == bytesAsString(pattern) {
		return e, nil
	}
	key := string([]byte{byte(flags), byte(flags >> 8)}) + string(pattern)
	if e, ok := c.entries[key]; ok {
		c.last = e
		return e, nil
	}
	re, err := pgregex.Compile(string(pattern), flags)
	if err != nil {
		return nil, regexError(err)
	}
	if c.entries == nil || len(c.entries) >= regexCacheSize {
		c.entries = map[string]*regexEntry{}
	}
	e := &regexEntry{key: key, re: re, m: re.NewMatcher()}
	c.entries[key] = e
	c.last = e
	return e, nil
}

// reFlags parses a flags argument; global reports the g option, which
// only some functions accept (fn names the function for the error).
func reFlags(s []byte, def pgregex.Flags, fn string, allowGlobal bool) (pgregex.Flags, bool, error) {
	f, global, bad := pgregex.ParseFlags(bytesAsString(s), def)
	if bad != "" {
		return 0, false, pgerr.New(pgerr.InvalidParameterValue, "invalid regular expression option: \"%s\"", bad)
	}
	if global && !allowGlobal {
		e := pgerr.New(pgerr.InvalidParameterValue, "%s() does not support the \"global\" option", fn)
		if fn == "regexp_match" {
			e.Hint = "Use the regexp_matches function instead."
		}
		return 0, false, e
	}
	return f, global, nil
}

func errRegexParam(name string, v int32) error {
	return pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": %d", name, v)
}

// matchAt finds the first match at or after byte offset from.
func (e *regexEntry) find(s []byte, from int) []int {
	if from > len(s) {
		return nil
	}
	return e.m.Find(s, from)
}

// nextSearch is where the search after a match [so, eo) resumes: at its
// end, or one character further for an empty match.
func nextSearch(s []byte, so, eo int) int {
	if so == eo {
		if eo >= len(s) {
			return len(s) + 1
		}
		_, w := utf8.DecodeRune(s[eo:])
		return eo + w
	}
	return eo
}

// nthMatch finds the n-th match (1-based) searching from byte offset
// from, as setup_regexp_matches does; nil if there are fewer.
func (e *regexEntry) nthMatch(s []byte, from, n int) []int {
	for k := 1; ; k++ {
		caps := e.find(s, from)
		if caps == nil || k == n {
			return caps
		}
		from = nextSearch(s, caps[0], caps[1])
	}
}

// startOffset converts a 1-based character position to a byte offset
// (len(s)+1 past the end, so that nothing matches).
func startOffset(s []byte, start int32) int {
	n := int(start - 1)
	off := charOffset(s, n)
	if off == len(s) && charCount(s) < n {
		return len(s) + 1
	}
	return off
}

func init() {
	matchOp := func(name string, icase, negate bool) {
		def := pgregex.Flags(0)
		if icase {
			def = pgregex.ICase
		}
		registerFunc(&funcDef{
			resolve: signatures(name, catalog.TypeBool, "TT"),
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				var c regexCache
				return regexBoolFunc(args, func(v argViews, i int) (bool, error) {
					e, err := c.get(v.str[1].bytes(i), def)
					if err != nil {
						return false, err
					}
					return e.m.Match(v.str[0].bytes(i), 0) != negate, nil
				}), nil
			},
		}, name)
	}
	matchOp("textregexeq", false, false)
	matchOp("textregexne", false, true)
	matchOp("texticregexeq", true, false)
	matchOp("texticregexne", true, true)

	registerFunc(&funcDef{
		resolve: signatures("regexp_like", catalog.TypeBool, "TT", "TTT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var c regexCache
			withFlags := len(args) == 3
			return regexBoolFunc(args, func(v argViews, i int) (bool, error) {
				f := pgregex.Flags(0)
				if withFlags {
					var err error
					if f, _, err = reFlags(v.str[2].bytes(i), 0, "regexp_like", false); err != nil {
						return false, err
					}
				}
				e, err := c.get(v.str[1].bytes(i), f)
				if err != nil {
					return false, err
				}
				return e.m.Match(v.str[0].bytes(i), 0), nil
			}), nil
		},
	}, "regexp_like")

	registerFunc(&funcDef{
		resolve: signatures("regexp_count", catalog.TypeInt4, "TT", "TTI", "TTIT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var c regexCache
			n := len(args)
			return regexIntFunc(args, func(v argViews, i int) (int32, error) {
				s := v.str[0].bytes(i)
				from := 0
				if n >= 3 {
					start := v.ints[2][i]
					if start <= 0 {
						return 0, errRegexParam("start", start)
					}
					from = startOffset(s, start)
				}
				f := pgregex.Flags(0)
				if n >= 4 {
					var err error
					if f, _, err = reFlags(v.str[3].bytes(i), 0, "regexp_count", false); err != nil {
						return 0, err
					}
				}
				e, err := c.get(v.str[1].bytes(i), f)
				if err != nil {
					return 0, err
				}
				count := int32(0)
				for {
					caps := e.find(s, from)
					if caps == nil {
						return count, nil
					}
					count++
					from = nextSearch(s, caps[0], caps[1])
				}
			}), nil
		},
	}, "regexp_count")

	registerFunc(&funcDef{
		resolve: signatures("regexp_instr", catalog.TypeInt4, "TT", "TTI", "TTII", "TTIII", "TTIIIT", "TTIIITI"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var c regexCache
			n := len(args)
			return regexIntFunc(args, func(v argViews, i int) (int32, error) {
				s := v.str[0].bytes(i)
				from, nth, endopt, subexpr := 0, int32(1), int32(0), int32(0)
				if n >= 3 {
					start := v.ints[2][i]
					if start <= 0 {
						return 0, errRegexParam("start", start)
					}
					from = startOffset(s, start)
				}
				if n >= 4 {
					if nth = v.ints[3][i]; nth <= 0 {
						return 0, errRegexParam("n", nth)
					}
				}
				if n >= 5 {
					if endopt = v.ints[4][i]; endopt != 0 && endopt != 1 {
						return 0, errRegexParam("endoption", endopt)
					}
				}
				f := pgregex.Flags(0)
				if n >= 6 {
					var err error
					if f, _, err = reFlags(v.str[5].bytes(i), 0, "regexp_instr", false); err != nil {
						return 0, err
					}
				}
				if n >= 7 {
					if subexpr = v.ints[6][i]; subexpr < 0 {
						return 0, errRegexParam("subexpr", subexpr)
					}
				}
				e, err := c.get(v.str[1].bytes(i), f)
				if err != nil {
					return 0, err
				}
				if int(subexpr) > e.re.NumSubexp() {
					return 0, nil
				}
				caps := e.nthMatch(s, from, int(nth))
				if caps == nil || caps[2*subexpr] < 0 {
					return 0, nil
				}
				pos := caps[2*subexpr]
				if endopt == 1 {
					pos = caps[2*subexpr+1]
				}
				return int32(charCount(s[:pos]) + 1), nil
			}), nil
		},
	}, "regexp_instr")

	registerFunc(&funcDef{
		resolve: signatures("regexp_substr", catalog.TypeText, "TT", "TTI", "TTII", "TTIIT", "TTIITI"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var c regexCache
			n := len(args)
			return nullableVarlenFunc(args, catalog.TypeText, func(dst []byte, v argViews, i int) ([]byte, bool, error) {
				s := v.str[0].bytes(i)
				from, nth, subexpr := 0, int32(1), int32(0)
				if n >= 3 {
					start := v.ints[2][i]
					if start <= 0 {
						return nil, false, errRegexParam("start", start)
					}
					from = startOffset(s, start)
				}
				if n >= 4 {
					if nth = v.ints[3][i]; nth <= 0 {
						return nil, false, errRegexParam("n", nth)
					}
				}
				f := pgregex.Flags(0)
				if n >= 5 {
					var err error
					if f, _, err = reFlags(v.str[4].bytes(i), 0, "regexp_substr", false); err != nil {
						return nil, false, err
					}
				}
				if n >= 6 {
					if subexpr = v.ints[5][i]; subexpr < 0 {
						return nil, false, errRegexParam("subexpr", subexpr)
					}
				}
				e, err := c.get(v.str[1].bytes(i), f)
				if err != nil {
					return nil, false, err
				}
				if int(subexpr) > e.re.NumSubexp() {
					return nil, false, nil
				}
				caps := e.nthMatch(s, from, int(nth))
				if caps == nil || caps[2*subexpr] < 0 {
					return nil, false, nil
				}
				return append(dst, s[caps[2*subexpr]:caps[2*subexpr+1]]...), true, nil
			}), nil
		},
	}, "regexp_substr")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			// (s, p, r, unknown) reads the fourth argument as flags.
			return signatures("regexp_replace", catalog.TypeText, "TTT", "TTTT", "TTTI", "TTTII", "TTTIIT")(types, args)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			var c regexCache
			n := len(args)
			flagsArg, startArg, nArg := -1, -1, -1
			switch {
			case n == 4 && args[3].Type().Kind == catalog.Text:
				flagsArg = 3
			case n >= 4:
				startArg = 3
				if n >= 5 {
					nArg = 4
				}
				if n >= 6 {
					flagsArg = 5
				}
			}
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				s, repl := v.str[0].bytes(i), v.str[2].bytes(i)
				from, nth := 0, int32(1)
				if startArg >= 0 {
					start := v.ints[startArg][i]
					if start <= 0 {
						return nil, errRegexParam("start", start)
					}
					from = startOffset(s, start)
				}
				if nArg >= 0 {
					if nth = v.ints[nArg][i]; nth < 0 {
						return nil, errRegexParam("n", nth)
					}
				}
				f := pgregex.Flags(0)
				if flagsArg >= 0 {
					fs := v.str[flagsArg].bytes(i)
					if n == 4 && len(fs) > 0 && fs[0] >= '0' && fs[0] <= '9' {
						e := pgerr.New(pgerr.InvalidParameterValue, "invalid regular expression option: \"%s\"", firstChar(fs))
						e.Hint = "If you meant to use regexp_replace() with a start parameter, cast the fourth argument to integer explicitly."
						return nil, e
					}
					var global bool
					var err error
					if f, global, err = reFlags(fs, 0, "regexp_replace", true); err != nil {
						return nil, err
					}
					if nArg < 0 && global {
						nth = 0
					}
				}
				e, err := c.get(v.str[1].bytes(i), f)
				if err != nil {
					return nil, err
				}
				return appendRegexReplaced(dst, e, s, repl, from, int(nth)), nil
			}), nil
		},
	}, "regexp_replace")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 1 && len(types) != 2 {
				return catalog.Type{}, nil, errNoFunction("similar_to_escape", types)
			}
			return signatures("similar_to_escape", catalog.TypeText, "T", "TT")(types, args)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				esc, hasEsc := []byte(nil), false
				if len(v.str) > 1 {
					esc, hasEsc = v.str[1].bytes(i), true
				}
				return appendSimilarEscape(dst, v.str[0].bytes(i), esc, hasEsc)
			}), nil
		},
	}, "similar_to_escape")
	// similar_escape(pattern, escape) is the older, non-strict form: a NULL
	// escape means the default one.
	registerFunc(&funcDef{
		resolve: signatures("similar_escape", catalog.TypeText, "TT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				p, esc := varlenViewOf(a[0]), varlenViewOf(a[1])
				out := newVarlenBuilder(mem, b.Len, 0)
				rows := selectionCursor{sel: b.Sel}
				var scratch []byte
				for i := 0; i < b.Len; i++ {
					if !rows.selected(i) || !p.valid(i) {
						out.appendNull()
						continue
					}
					var err error
					if esc.valid(i) {
						scratch, err = appendSimilarEscape(scratch[:0], p.bytes(i), esc.bytes(i), true)
					} else {
						scratch, err = appendSimilarEscape(scratch[:0], p.bytes(i), nil, false)
					}
					if err != nil {
						out.finish(catalog.TypeText).Release()
						return nil, err
					}
					out.appendBytes(scratch)
				}
				return out.finish(catalog.TypeText), nil
			}}, nil
		},
		nonStrict: true,
	}, "similar_escape")
}

// regexSubstr is substring(s FROM pattern): the first capture when the
// pattern has captures (NULL when it did not participate), else the
// whole match; NULL without a match.
func regexSubstr(dst []byte, e *regexEntry, s []byte) ([]byte, bool) {
	caps := e.find(s, 0)
	if caps == nil {
		return nil, false
	}
	k := 0
	if e.re.NumSubexp() > 0 {
		k = 1
	}
	if caps[2*k] < 0 {
		return nil, false
	}
	return append(dst, s[caps[2*k]:caps[2*k+1]]...), true
}

// newRegexSubstring builds substring(s, pattern) and, when similar,
// substring(s, pattern, escape) (SIMILAR ... ESCAPE).
func newRegexSubstring(args []Expr, similar bool) Expr {
	var c regexCache
	var pat []byte
	return nullableVarlenFunc(args, catalog.TypeText, func(dst []byte, v argViews, i int) ([]byte, bool, error) {
		p := v.str[1].bytes(i)
		if similar {
			var err error
			if pat, err = appendSimilarEscape(pat[:0], p, v.str[2].bytes(i), true); err != nil {
				return nil, false, err
			}
			p = pat
		}
		e, err := c.get(p, 0)
		if err != nil {
			return nil, false, err
		}
		out, ok := regexSubstr(dst, e, v.str[0].bytes(i))
		return out, ok, nil
	})
}

// appendRegexReplaced is replace_text_regexp: replace the n-th match at
// or after byte offset from (every one when n is 0).
func appendRegexReplaced(dst []byte, e *regexEntry, s, repl []byte, from, n int) []byte {
	copied := 0
	count := 0
	for from <= len(s) {
		caps := e.find(s, from)
		if caps == nil {
			break
		}
		count++
		if n > 0 && count < n {
			from = nextSearch(s, caps[0], caps[1])
			continue
		}
		dst = append(dst, s[copied:caps[0]]...)
		dst = appendReplacement(dst, repl, s, caps)
		copied = caps[1]
		if n > 0 {
			break
		}
		from = nextSearch(s, caps[0], caps[1])
	}
	return append(dst, s[copied:]...)
}

// appendReplacement expands \1..\9 (captures), \& (the match) and \\ in
// a replacement string; other backslashes are copied.
func appendReplacement(dst, repl, s []byte, caps []int) []byte {
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		if i+1 >= len(repl) {
			return append(dst, '\\')
		}
		k := -1
		switch n := repl[i+1]; {
		case n >= '1' && n <= '9':
			k = int(n - '0')
		case n == '&':
			k = 0
		case n == '\\':
			dst = append(dst, '\\')
			i++
			continue
		default:
			dst = append(dst, '\\')
			continue
		}
		i++
		if 2*k+1 < len(caps) && caps[2*k] >= 0 {
			dst = append(dst, s[caps[2*k]:caps[2*k+1]]...)
		}
	}
	return dst
}

// appendSimilarEscape is similar_escape_internal: the POSIX regex for a
// SIMILAR TO pattern, ^(?:...)$, with escape-double-quote separators
// making the middle part capturing (for SUBSTRING ... SIMILAR).
func appendSimilarEscape(dst, p, esc []byte, hasEsc bool) ([]byte, error) {
	e := []byte{'\\'}
	if hasEsc {
		e = esc
		if len(e) == 0 {
			e = nil
		} else if charCount(e) > 1 {
			err := pgerr.New(pgerr.InvalidEscapeSequence, "invalid escape string")
			err.Hint = "Escape string must be empty or one character."
			return nil, err
		}
	}
	dst = append(dst, "^(?:"...)
	afterEscape, inClass := false, false
	nquotes := 0
	for len(p) > 0 {
		if len(e) > 1 {
			if _, w := utf8.DecodeRune(p); w > 1 {
				switch {
				case afterEscape:
					dst = append(dst, '\\')
					dst = append(dst, p[:w]...)
					afterEscape = false
				case string(p[:w]) == string(e):
					afterEscape = true
				default:
					dst = append(dst, p[:w]...)
				}
				p = p[w:]
				continue
			}
		}
		c := p[0]
		switch {
		case afterEscape:
			if c == '"' && !inClass {
				switch nquotes {
				case 0:
					dst = append(dst, "){1,1}?("...)
				case 1:
					dst = append(dst, "){1,1}(?:"...)
				default:
					return nil, pgerr.New(pgerr.InvalidUseOfEscapeCharacter, "SQL regular expression may not contain more than two escape-double-quote separators")
				}
				nquotes++
			} else {
				dst = append(dst, '\\', c)
			}
			afterEscape = false
		case e != nil && c == e[0]:
			afterEscape = true
		case inClass:
			if c == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
			if c == ']' {
				inClass = false
			}
		case c == '[':
			dst = append(dst, c)
			inClass = true
		case c == '%':
			dst = append(dst, '.', '*')
		case c == '_':
			dst = append(dst, '.')
		case c == '(':
			dst = append(dst, "(?:"...)
		case c == '\\' || c == '.' || c == '^' || c == '$':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, c)
		}
		p = p[1:]
	}
	return append(dst, ')', '$'), nil
}

// regexBoolFunc builds a strict boolean function whose kernel may fail.
func regexBoolFunc(args []Expr, f func(v argViews, i int) (bool, error)) Expr {
	return &funcExpr{args: args, t: catalog.TypeBool, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			r, err := f(v, int(i))
			if err != nil {
				out.finish().Release()
				return nil, err
			}
			out.set(int(i), r)
		}
		return out.finish(), nil
	}}
}

// regexIntFunc builds a strict int4 function whose kernel may fail.
func regexIntFunc(args []Expr, f func(v argViews, i int) (int32, error)) Expr {
	return &funcExpr{args: args, t: catalog.TypeInt4, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			r, err := f(v, int(i))
			if err != nil {
				out.finish(catalog.TypeInt4).Release()
				return nil, err
			}
			out.vals[i] = r
		}
		return out.finish(catalog.TypeInt4), nil
	}}
}
