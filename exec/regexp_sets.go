package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec/internal/pgregex"
)

// The regular expression functions that return arrays and sets:
//
//	regexp_match(s, p [, flags])           text[]         the first match
//	regexp_matches(s, p [, flags])         setof text[]   the first match, or every one with g
//	regexp_split_to_array(s, p [, flags])  text[]         the pieces between matches
//	regexp_split_to_table(s, p [, flags])  setof text
//
// A match is the array of its captures (NULL for one that did not
// participate), or of the whole match when the pattern has none. All four
// are strict and immutable, compile patterns through regexp.go's cache
// and read flags with its parser; only regexp_matches accepts g.

// regexpMatchLocs is PostgreSQL's setup_regexp_matches: the matches the
// four functions use, as byte offsets appended to locs. Each match
// contributes the start and end of every capture (-1 when it did not
// participate), or of the whole match when captures is false or the
// pattern has none; regexpPatterns says how many pairs that is.
//
// Without global only the first match counts. Splitting ignores
// degenerate matches, the empty ones at the start or end of the string
// or right after the previous match: a pattern that can match nothing
// splits between characters, and an empty match never splits off an
// empty piece.
func regexpMatchLocs(locs []int, e *regexEntry, s []byte, global, captures, splitting bool) []int {
	from, prevEnd := 0, 0
	for {
		caps := e.find(s, from)
		if caps == nil {
			return locs
		}
		if !splitting || caps[0] < len(s) && caps[1] > prevEnd {
			if captures && e.re.NumSubexp() > 0 {
				locs = append(locs, caps[2:]...)
			} else {
				locs = append(locs, caps[0], caps[1])
			}
		}
		prevEnd = caps[1]
		if !global {
			return locs
		}
		from = nextSearch(s, caps[0], caps[1])
	}
}

// regexpPatterns is the number of offset pairs regexpMatchLocs gives per
// match.
func regexpPatterns(e *regexEntry, captures bool) int {
	if n := e.re.NumSubexp(); captures && n > 0 {
		return n
	}
	return 1
}

// appendMatchArray adds one match's captures (pairs of locs) to out as a
// text[] row.
func appendMatchArray(out *textArrayBuilder, s []byte, locs []int) {
	for k := 0; k < len(locs); k += 2 {
		so, eo := locs[k], locs[k+1]
		if so < 0 || eo < 0 {
			out.appendElem(nil, false)
			continue
		}
		out.appendElem(s[so:eo], true)
	}
	out.endRow()
}

// splitPiece is piece k of s, split at the matches locs (pairs of
// offsets from a splitting regexpMatchLocs): there are len(locs)/2+1.
func splitPiece(s []byte, locs []int, k int) []byte {
	start, end := 0, len(s)
	if k > 0 {
		start = locs[2*k-1]
	}
	if 2*k < len(locs) {
		end = locs[2*k]
	}
	return s[start:end]
}

// regexpArgs reads a row's pattern and flags (the third argument, when
// there is one) and compiles the pattern through the call's cache; it
// also holds the call's scratch space.
type regexpArgs struct {
	fn          string
	allowGlobal bool
	cache       regexCache
	// nulls marks the batch's rows with a NULL argument (the sets).
	nulls nullMask
	locs  []int
}

func (r *regexpArgs) entry(v argViews, i int) (e *regexEntry, global bool, err error) {
	f := pgregex.Flags(0)
	if len(v.str) > 2 {
		if f, global, err = reFlags(v.str[2].bytes(i), 0, r.fn, r.allowGlobal); err != nil {
			return nil, false, err
		}
	}
	e, err = r.cache.get(v.str[1].bytes(i), f)
	return e, global, err
}

func init() {
	registerFunc(&funcDef{
		resolve: signatures("regexp_match", textArray, "TT", "TTT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			r := &regexpArgs{fn: "regexp_match"}
			return regexpArrayFunc(args, func(out *textArrayBuilder, v argViews, i int) error {
				e, _, err := r.entry(v, i)
				if err != nil {
					return err
				}
				s := v.str[0].bytes(i)
				if r.locs = regexpMatchLocs(r.locs[:0], e, s, false, true, false); len(r.locs) == 0 {
					out.appendNull()
					return nil
				}
				appendMatchArray(out, s, r.locs)
				return nil
			}), nil
		},
	}, "regexp_match")

	registerFunc(&funcDef{
		resolve: signatures("regexp_split_to_array", textArray, "TT", "TTT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			r := &regexpArgs{fn: "regexp_split_to_array"}
			return regexpArrayFunc(args, func(out *textArrayBuilder, v argViews, i int) error {
				e, _, err := r.entry(v, i)
				if err != nil {
					return err
				}
				s := v.str[0].bytes(i)
				r.locs = regexpMatchLocs(r.locs[:0], e, s, true, false, true)
				for k := 0; k <= len(r.locs)/2; k++ {
					out.appendElem(splitPiece(s, r.locs, k), true)
				}
				out.endRow()
				return nil
			}), nil
		},
	}, "regexp_split_to_array")

	regexpSetFunc("regexp_matches", textArray, true, func(mem memory.Allocator, r *regexpArgs, v argViews, b *Batch) (*listSet, error) {
		set := &listSet{types: []catalog.Type{textArray}, lo: make([]int32, b.Len), hi: make([]int32, b.Len)}
		out := newTextArrayBuilder(mem, 0)
		err := r.eachRow(v, b, func(i int32, e *regexEntry, s []byte, global bool) {
			r.locs = regexpMatchLocs(r.locs[:0], e, s, global, true, false)
			step := 2 * regexpPatterns(e, true)
			set.lo[i] = int32(out.rows())
			for k := 0; k < len(r.locs); k += step {
				appendMatchArray(out, s, r.locs[k:k+step])
			}
			set.hi[i] = int32(out.rows())
		})
		set.cols = []arrow.Array{out.finish()}
		if err != nil {
			set.release()
			return nil, err
		}
		return set, nil
	})
	regexpSetFunc("regexp_split_to_table", catalog.TypeText, false, func(mem memory.Allocator, r *regexpArgs, v argViews, b *Batch) (*listSet, error) {
		sb := newSetBuilder(mem, []catalog.Type{catalog.TypeText}, b.Len)
		err := r.eachRow(v, b, func(i int32, e *regexEntry, s []byte, _ bool) {
			r.locs = regexpMatchLocs(r.locs[:0], e, s, true, false, true)
			n := len(r.locs)/2 + 1
			for k := 0; k < n; k++ {
				sb.cols[0].appendBytes(splitPiece(s, r.locs, k))
			}
			sb.row(i, int32(n))
		})
		if err != nil {
			sb.discard()
			return nil, err
		}
		return sb.finish(), nil
	})
}

// regexpSetFunc registers a strict set-returning function of (s, p [,
// flags]) whose expand materializes a batch's sets.
func regexpSetFunc(name string, result catalog.Type, allowGlobal bool, expand func(mem memory.Allocator, r *regexpArgs, v argViews, b *Batch) (*listSet, error)) {
	resolve := signatures(name, result, "TT", "TTT")
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			_, want, err := resolve(ts, nil)
			return want, []catalog.Type{result}, err
		},
		build: func([]Expr, []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			r := &regexpArgs{fn: name, allowGlobal: allowGlobal}
			return func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
				r.nulls = combineNulls(ctx.Mem, b.Len, args...)
				defer r.nulls.release()
				return expand(ctx.Mem, r, viewsOf(args), b)
			}
		},
	}, name)
}

// eachRow calls row for the batch's active rows whose arguments are not
// NULL, with the row's compiled pattern and g flag; it stops at the first
// bad pattern or flag.
func (r *regexpArgs) eachRow(v argViews, b *Batch, row func(i int32, e *regexEntry, s []byte, global bool)) error {
	for _, i := range rowsOf(b) {
		if r.nulls.isNull(int(i)) {
			continue
		}
		e, global, err := r.entry(v, int(i))
		if err != nil {
			return err
		}
		row(i, e, v.str[0].bytes(int(i)), global)
	}
	return nil
}

// regexpArrayFunc builds a strict text[] function: row appends input row
// i's array (or NULL) to out.
func regexpArrayFunc(args []Expr, row func(out *textArrayBuilder, v argViews, i int) error) Expr {
	return &funcExpr{args: args, t: textArray, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		v := viewsOf(arrs)
		nulls := combineNulls(mem, b.Len, arrs...)
		defer nulls.release()
		out := newTextArrayBuilder(mem, b.Len)
		rows := selectionCursor{sel: b.Sel}
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || nulls.isNull(i) {
				out.appendNull()
				continue
			}
			if err := row(out, v, i); err != nil {
				out.finish().Release()
				return nil, err
			}
		}
		return out.finish(), nil
	}}
}
