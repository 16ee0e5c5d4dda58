package exec

import (
	"time"

	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The array functions of pg_proc (arrayfuncs.c, array_userfuncs.c) for
// one-dimensional arrays with lower bound 1 (0 for int2vector and
// oidvector, whose bounds array_lower, array_upper, array_dims and
// generate_subscripts report as such), and the internal functions
// the planner binds array syntax to: ARRAY[...] (pqdb_array), a[i]
// (pqdb_array_subscript), a[i:j] (pqdb_array_slice) and x op ANY/ALL
// (array) (pqdb_any_<op>, pqdb_all_<op>).
//
// Elements are compared by their normalized sort keys (sort_key.go): two
// elements are equal when their keys are, which is PostgreSQL's element
// = for every type pqdb has, and a NULL element's key equals only another
// NULL's (IS NOT DISTINCT FROM, as array_position and array_remove
// compare).

var (
	int4Array = catalog.ArrayOf(catalog.TypeInt4)
	textArray = catalog.ArrayOf(catalog.TypeText)
)

// elemKeysOf encodes the sort key of every row of a column of type t.
func elemKeysOf(t catalog.Type, a arrow.Array) *sortKeys {
	return encodeSortKeys([]SortKey{{Expr: Literal(nil, t)}}, []arrow.Array{a}, a.Len())
}

// keyIsNull reports whether an element key is a NULL's (elemKeysOf uses
// PostgreSQL's default NULLS LAST marker).
func keyIsNull(k []byte) bool { return len(k) > 0 && k[0] == 2 }

// errPolymorphic is PostgreSQL's error for polymorphic arguments that are
// all of unknown type.
func errPolymorphic() error {
	return pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
}

// resolveArrayAndElems resolves (anycompatiblearray, anycompatible...)
// arguments: the array's element type and the elements' types unify; an
// unknown array takes the elements' type.
func resolveArrayAndElems(name string, types []catalog.Type, arr int) (catalog.Type, []catalog.Type, error) {
	var elems []catalog.Type
	for i, t := range types {
		if i == arr {
			switch t.Kind {
			case catalog.Array:
				elems = append(elems, t.ElemType())
			case catalog.Unknown:
			default:
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
			continue
		}
		if t.Kind == catalog.Array {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		elems = append(elems, t)
	}
	allUnknown := true
	for _, t := range elems {
		if t.Kind != catalog.Unknown {
			allUnknown = false
		}
	}
	if allUnknown {
		return catalog.Type{}, nil, errPolymorphic()
	}
	et, ok := commonType(elems)
	if !ok {
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
	if types[arr].Kind == catalog.Array && types[arr].Elem == et.Kind {
		// Keep the array's own modifier (varchar(10)[] stays).
		et = types[arr].ElemType()
	}
	if et.Kind == catalog.Numeric {
		for _, t := range elems {
			if t != et && t.Kind != catalog.Unknown {
				// Numbers of different scales keep each their own, as
				// PostgreSQL's numeric values do.
				et = catalog.TypeNumeric
				break
			}
		}
	}
	at := catalog.ArrayOf(et)
	want := make([]catalog.Type, len(types))
	for i := range types {
		want[i] = et
	}
	want[arr] = at
	return at, want, nil
}

// resolveArrays resolves arguments that are all arrays of one type.
func resolveArrays(name string, types []catalog.Type) (catalog.Type, []catalog.Type, error) {
	var elems []catalog.Type
	for _, t := range types {
		switch t.Kind {
		case catalog.Array:
			elems = append(elems, t.ElemType())
		case catalog.Unknown:
		default:
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
	}
	if len(elems) == 0 {
		return catalog.Type{}, nil, errPolymorphic()
	}
	et, ok := commonType(elems)
	if !ok {
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
	at := catalog.ArrayOf(et)
	return at, repeatType(at, len(types)), nil
}

// arrayWithInts resolves (anyarray, int4...).
func arrayWithInts(name string, types []catalog.Type, result catalog.Type) (catalog.Type, []catalog.Type, error) {
	if len(types) == 0 || types[0].Kind != catalog.Array {
		if len(types) > 0 && types[0].Kind == catalog.Unknown {
			return catalog.Type{}, nil, errPolymorphic()
		}
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
	want := []catalog.Type{types[0]}
	for _, t := range types[1:] {
		if !canIntegerArg(t) {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		want = append(want, catalog.TypeInt4)
	}
	if result.Kind == catalog.Unknown {
		result = types[0]
	}
	return result, want, nil
}

func canIntegerArg(t catalog.Type) bool {
	return t.Kind == catalog.Unknown || t.Kind == catalog.Int2 || t.Kind == catalog.Int4
}

func fixedArgs(n int, f func(types []catalog.Type) (catalog.Type, []catalog.Type, error), name string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != n {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		return f(types)
	}
}

// int4PerRow builds an int4 column from f over the active rows whose
// array (args[0]) and other arguments are not NULL; f reports false for a
// NULL result.
func int4PerRow(f func(v listView, i int, args []arrow.Array) (int32, bool)) func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error) {
	return func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error) {
		v := listViewOf(args[0])
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, args...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			x, ok := f(v, int(i), args)
			if !ok {
				out.setNull(int(i))
				continue
			}
			out.vals[i] = x
		}
		return out.finish(catalog.TypeInt4), nil
	}
}

func int4At(a arrow.Array, i int) int32 { return fixedValues[int32](a)[i] }

func registerArrayInfo() {
	// int4Func registers an int4 function of an array (and, with nargs 2,
	// a dimension) that f computes from the row's bounds and the array
	// type's first subscript (0 for int2vector and oidvector); f reports
	// false for NULL.
	int4Func := func(name string, nargs int, f func(lo, hi int, first int32, args []arrow.Array, i int) (int32, bool)) {
		registerFunc(&funcDef{
			resolve: fixedArgs(nargs, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
				return arrayWithInts(name, ts, catalog.TypeInt4)
			}, name),
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				first := args[0].Type().LowerBound()
				return &funcExpr{args: args, t: t, kernel: int4PerRow(func(v listView, i int, args []arrow.Array) (int32, bool) {
					lo, hi := v.bounds(i)
					return f(lo, hi, first, args, i)
				})}, nil
			},
		}, name)
	}
	// array_length(a, dim), array_upper, array_lower: NULL for an empty
	// array or a dimension other than 1.
	dim := func(f func(n int, first int32) int32) func(lo, hi int, first int32, args []arrow.Array, i int) (int32, bool) {
		return func(lo, hi int, first int32, args []arrow.Array, i int) (int32, bool) {
			if int4At(args[1], i) != 1 || hi == lo {
				return 0, false
			}
			return f(hi-lo, first), true
		}
	}
	int4Func("array_length", 2, dim(func(n int, _ int32) int32 { return int32(n) }))
	int4Func("array_upper", 2, dim(func(n int, first int32) int32 { return first + int32(n) - 1 }))
	int4Func("array_lower", 2, dim(func(_ int, first int32) int32 { return first }))
	int4Func("cardinality", 1, func(lo, hi int, _ int32, _ []arrow.Array, _ int) (int32, bool) { return int32(hi - lo), true })
	// array_ndims: 1, or NULL for an empty array.
	int4Func("array_ndims", 1, func(lo, hi int, _ int32, _ []arrow.Array, _ int) (int32, bool) { return 1, hi > lo })
	registerFunc(&funcDef{
		resolve: fixedArgs(1, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			return arrayWithInts("array_dims", ts, catalog.TypeText)
		}, "array_dims"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			first := int(args[0].Type().LowerBound())
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error) {
				v := listViewOf(args[0])
				out := newVarlenBuilder(mem, b.Len, 0)
				rows := selectionCursor{sel: b.Sel}
				var buf []byte
				for i := 0; i < b.Len; i++ {
					lo, hi := 0, 0
					if rows.selected(i) && v.valid(i) {
						lo, hi = v.bounds(i)
					}
					if hi == lo {
						out.appendNull()
						continue
					}
					buf = fmt.Appendf(buf[:0], "[%d:%d]", first, first+hi-lo-1)
					out.appendBytes(buf)
				}
				return out.finish(catalog.TypeText), nil
			}}, nil
		},
	}, "array_dims")
}

// ---- building arrays ----

// listFromParts builds the result of array_append, array_prepend and
// array_cat: each output row is the concatenation of parts, each either
// a whole List row (list) or one element (elem), as the row's plan says.
type arrayPart struct {
	list bool
	col  arrow.Array
}

func concatArrayRows(mem memory.Allocator, t catalog.Type, b *Batch, parts []arrayPart, nullIf func(i int) bool) arrow.Array {
	out := newListBuilder(mem, t, b.Len)
	views := make([]listView, len(parts))
	srcs := make([]int32, len(parts))
	for k, p := range parts {
		if p.list {
			views[k] = listViewOf(p.col)
			srcs[k] = out.source(views[k].values)
		} else {
			srcs[k] = out.source(p.col)
		}
	}
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || nullIf(i) {
			out.appendNull()
			continue
		}
		for k, p := range parts {
			if !p.list {
				r := int32(i)
				if p.col.IsNull(i) {
					r = -1
				}
				out.appendElem(srcs[k], r)
				continue
			}
			if views[k].valid(i) {
				lo, hi := views[k].bounds(i)
				for j := lo; j < hi; j++ {
					out.appendElem(srcs[k], int32(j))
				}
			}
		}
		out.endRow()
	}
	return out.finish()
}

func registerArrayBuild() {
	registerArrayConcat("array_append", [2]bool{true, false}, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
		return resolveArrayAndElems("array_append", ts, 0)
	})
	registerArrayConcat("array_prepend", [2]bool{false, true}, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
		return resolveArrayAndElems("array_prepend", ts, 1)
	})
	registerArrayConcat("array_cat", [2]bool{true, true}, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
		return resolveArrays("array_cat", ts)
	})
	// pqdb_array is ARRAY[e1, ...]: the planner has cast the elements to
	// their common type.
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			et, ok := commonType(types)
			if !ok {
				return catalog.Type{}, nil, errNoFunction("array", types)
			}
			if len(types) > 0 && et.Kind == types[0].Kind {
				et = types[0]
			}
			t, err := catalog.ArrayOfChecked(et)
			return t, repeatType(et, len(types)), err
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				parts := make([]arrayPart, len(a))
				for k, col := range a {
					parts[k] = arrayPart{false, col}
				}
				return concatArrayRows(mem, t, b, parts, func(int) bool { return false }), nil
			}}, nil
		},
		nonStrict: true,
	}, "pqdb_array")
}

// registerArrayConcat registers a function of two arguments whose result
// holds their elements in order; isArray tells which arguments are arrays
// (the others are single elements). Where both are arrays (array_cat),
// NULL || a is a, and the result is NULL only when both are; with an
// element, a NULL array counts as empty.
func registerArrayConcat(name string, isArray [2]bool, resolve func(ts []catalog.Type) (catalog.Type, []catalog.Type, error)) {
	bothArrays := isArray[0] && isArray[1]
	registerFunc(&funcDef{
		resolve: fixedArgs(2, resolve, name),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				isNull := func(int) bool { return false }
				if bothArrays {
					isNull = func(i int) bool { return a[0].IsNull(i) && a[1].IsNull(i) }
				}
				return concatArrayRows(mem, t, b, []arrayPart{{isArray[0], a[0]}, {isArray[1], a[1]}}, isNull), nil
			}}, nil
		},
		nonStrict: true,
	}, name)
}

// ---- reading elements ----

func registerArrayAccess() {
	// a[i]: 1-based, NULL out of range.
	registerFunc(&funcDef{
		resolve: fixedArgs(2, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			if ts[0].Kind != catalog.Array || !canIntegerArg(ts[1]) && ts[1].Kind != catalog.Int8 {
				return catalog.Type{}, nil, errNoFunction("subscript", ts)
			}
			return ts[0].ElemType(), []catalog.Type{ts[0], catalog.TypeInt4}, nil
		}, "pqdb_array_subscript"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			at := args[0].Type()
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				v := listViewOf(a[0])
				sub := fixedValues[int32](a[1])
				sv := validityOf(a[1])
				idx := repeated[int32](b.Len, -1)
				for _, i := range rowsOf(b) {
					if !v.valid(int(i)) || !sv.valid(int(i)) {
						continue
					}
					lo, hi := v.bounds(int(i))
					if k := int(sub[i]); k >= 1 && k <= hi-lo {
						idx[i] = int32(lo + k - 1)
					}
				}
				return takeNullable(mem, at.ElemType(), v.values, idx), nil
			}}, nil
		},
	}, "pqdb_array_subscript")
	// a[i:j] (the planner passes 1 and MaxInt32 for omitted bounds).
	registerFunc(&funcDef{
		resolve: fixedArgs(3, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			return arrayWithInts("slice", ts, catalog.TypeUnknown)
		}, "pqdb_array_slice"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				v := listViewOf(a[0])
				nulls := combineNulls(mem, b.Len, a...)
				defer nulls.release()
				out := newListBuilder(mem, t, b.Len)
				src := out.source(v.values)
				rows := selectionCursor{sel: b.Sel}
				for i := 0; i < b.Len; i++ {
					if !rows.selected(i) || nulls.isNull(i) {
						out.appendNull()
						continue
					}
					lo, hi := v.bounds(i)
					from := max(int(int4At(a[1], i)), 1)
					to := min(int(int4At(a[2], i)), hi-lo)
					for k := from; k <= to; k++ {
						out.appendElem(src, int32(lo+k-1))
					}
					out.endRow()
				}
				return out.finish(), nil
			}}, nil
		},
	}, "pqdb_array_slice")
}

// ---- searching ----

// registerArraySearch registers array_position(s), array_remove,
// array_replace and the containment operators' functions.
func registerArraySearch() {
	position := func(name string, n int) {
		registerFunc(&funcDef{
			resolve: func(ts []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
				if len(ts) < 2 || len(ts) > n {
					return catalog.Type{}, nil, errNoFunction(name, ts)
				}
				at, want, err := resolveArrayAndElems(name, ts[:2], 0)
				if err != nil {
					return catalog.Type{}, nil, err
				}
				if len(ts) == 3 {
					if !canIntegerArg(ts[2]) {
						return catalog.Type{}, nil, errNoFunction(name, ts)
					}
					want = append(want, catalog.TypeInt4)
				}
				if name == "array_positions" {
					return int4Array, want, nil
				}
				_ = at
				return catalog.TypeInt4, want, nil
			},
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				et := args[1].Type()
				return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					return arrayPositions(mem, et, t, a, b)
				}}, nil
			},
			nonStrict: true,
		}, name)
	}
	position("array_position", 3)
	position("array_positions", 2)

	registerFunc(&funcDef{
		resolve: fixedArgs(2, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			return resolveArrayAndElems("array_remove", ts, 0)
		}, "array_remove"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				return arrayReplace(mem, t, a[0], a[1], nil, b), nil
			}}, nil
		},
		nonStrict: true,
	}, "array_remove")
	registerFunc(&funcDef{
		resolve: fixedArgs(3, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			return resolveArrayAndElems("array_replace", ts, 0)
		}, "array_replace"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				return arrayReplace(mem, t, a[0], a[1], a[2], b), nil
			}}, nil
		},
		nonStrict: true,
	}, "array_replace")

	containment := func(name string, test func(l, r [][]byte) bool) {
		registerFunc(&funcDef{
			resolve: fixedArgs(2, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
				// (anyarray, anyarray): both of one element type.
				if ts[0].Kind == catalog.Array && ts[1].Kind == catalog.Array && ts[0].Elem != ts[1].Elem {
					return catalog.Type{}, nil, errNoFunction(name, ts)
				}
				_, want, err := resolveArrays(name, ts)
				return catalog.TypeBool, want, err
			}, name),
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				et := args[0].Type().ElemType()
				return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					lv, rv := listViewOf(a[0]), listViewOf(a[1])
					lk, rk := elemKeysOf(et, lv.values), elemKeysOf(et, rv.values)
					out := newBoolBuilder(mem, b.Len)
					out.nullMask = combineNulls(mem, b.Len, a...)
					var l, r [][]byte
					for _, i := range rowsOf(b) {
						if out.isNull(int(i)) {
							continue
						}
						l, r = rowKeys(l[:0], lv, lk, int(i)), rowKeys(r[:0], rv, rk, int(i))
						out.set(int(i), test(l, r))
					}
					return out.finish(), nil
				}}, nil
			},
		}, name)
	}
	// a @> b: every element of b is in a; NULL elements match nothing.
	containment("arraycontains", func(l, r [][]byte) bool { return containsAll(l, r) })
	containment("arraycontained", func(l, r [][]byte) bool { return containsAll(r, l) })
	containment("arrayoverlap", func(l, r [][]byte) bool {
		for _, x := range r {
			if !keyIsNull(x) && containsKey(l, x) {
				return true
			}
		}
		return false
	})
}

func rowKeys(dst [][]byte, v listView, keys *sortKeys, i int) [][]byte {
	lo, hi := v.bounds(i)
	for j := lo; j < hi; j++ {
		dst = append(dst, keys.key(j))
	}
	return dst
}

func containsKey(set [][]byte, k []byte) bool {
	for _, x := range set {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}

func containsAll(set, sub [][]byte) bool {
	for _, x := range sub {
		if keyIsNull(x) || !containsKey(set, x) {
			return false
		}
	}
	return true
}

// arrayPositions is array_position (t int4) and array_positions (t
// int4[]): elements compared with IS NOT DISTINCT FROM.
func arrayPositions(mem memory.Allocator, et, t catalog.Type, a []arrow.Array, b *Batch) (arrow.Array, error) {
	v := listViewOf(a[0])
	ek, xk := elemKeysOf(et, v.values), elemKeysOf(et, a[1])
	var start []int32
	var startValid validity
	if len(a) > 2 {
		start, startValid = fixedValues[int32](a[2]), validityOf(a[2])
	}
	rows := selectionCursor{sel: b.Sel}
	if t.Kind == catalog.Array {
		var found []catalog.Datum
		vals := make([]catalog.Datum, b.Len)
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || !v.valid(i) {
				continue
			}
			lo, hi := v.bounds(i)
			found = found[:0]
			for j := lo; j < hi; j++ {
				if bytes.Equal(ek.key(j), xk.key(i)) {
					found = append(found, int32(j-lo+1))
				}
			}
			vals[i] = append(catalog.ArrayValue{}, found...)
		}
		return datumsToArray(mem, t, vals)
	}
	out := newFixedBuilder[int32](mem, b.Len)
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !v.valid(i) {
			out.setNull(i)
			continue
		}
		from := 1
		if start != nil {
			if !startValid.valid(i) {
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "initial position must not be null")
			}
			from = max(int(start[i]), 1)
		}
		lo, hi := v.bounds(i)
		out.setNull(i)
		for j := lo + from - 1; j < hi; j++ {
			if bytes.Equal(ek.key(j), xk.key(i)) {
				out.setValid(i)
				out.vals[i] = int32(j - lo + 1)
				break
			}
		}
	}
	return out.finish(catalog.TypeInt4), nil
}

// arrayReplace is array_remove (with nil) and array_replace: elements
// IS NOT DISTINCT FROM from[i] are dropped or replaced by with[i].
func arrayReplace(mem memory.Allocator, t catalog.Type, arr, from, with arrow.Array, b *Batch) arrow.Array {
	et := t.ElemType()
	v := listViewOf(arr)
	ek, fk := elemKeysOf(et, v.values), elemKeysOf(et, from)
	out := newListBuilder(mem, t, b.Len)
	src := out.source(v.values)
	var wsrc int32
	if with != nil {
		wsrc = out.source(with)
	}
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !v.valid(i) {
			out.appendNull()
			continue
		}
		lo, hi := v.bounds(i)
		for j := lo; j < hi; j++ {
			if !bytes.Equal(ek.key(j), fk.key(i)) {
				out.appendElem(src, int32(j))
				continue
			}
			if with != nil {
				r := int32(i)
				if with.IsNull(i) {
					r = -1
				}
				out.appendElem(wsrc, r)
			}
		}
		out.endRow()
	}
	return out.finish()
}

// ---- op ANY/ALL (array) ----

// registerArrayQuantified registers pqdb_any_<op> and pqdb_all_<op>:
// x op ANY (a) is true if x op e for some element e, NULL if not but some
// comparison is NULL, false otherwise (false for an empty array); ALL is
// its dual. The comparisons run as one vectorized kernel over the
// elements, each beside its row's x.
func registerArrayQuantified() {
	for op, sym := range map[BinaryOp]string{OpEq: "eq", OpNe: "ne", OpLt: "lt", OpLe: "le", OpGt: "gt", OpGe: "ge"} {
		for _, all := range []bool{false, true} {
			name := "pqdb_any_" + sym
			if all {
				name = "pqdb_all_" + sym
			}
			registerFunc(&funcDef{
				resolve: fixedArgs(2, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
					if ts[1].Kind != catalog.Array || ts[0] != ts[1].ElemType() && ts[0].Kind != catalog.Unknown {
						return catalog.Type{}, nil, errNoFunction(name, ts)
					}
					return catalog.TypeBool, []catalog.Type{ts[1].ElemType(), ts[1]}, nil
				}, name),
				build: func(args []Expr, t catalog.Type) (Expr, error) {
					et := args[1].Type().ElemType()
					cmp, err := compareKernel(op, et, et)
					if err != nil {
						return nil, err
					}
					return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
						return quantified(mem, cmp, all, a[0], a[1], b, et)
					}}, nil
				},
				nonStrict: true,
			}, name)
		}
	}
}

func quantified(mem memory.Allocator, cmp binaryKernel, all bool, x, arr arrow.Array, b *Batch, et catalog.Type) (arrow.Array, error) {
	v := listViewOf(arr)
	n := v.values.Len()
	// Line each element up with its row's x.
	idx := repeated[int32](n, -1)
	var sel []int32
	for _, i := range rowsOf(b) {
		if v.valid(int(i)) {
			lo, hi := v.bounds(int(i))
			for j := lo; j < hi; j++ {
				idx[j] = i
				sel = append(sel, int32(j))
			}
		}
	}
	xs := takeNullable(mem, et, x, idx)
	defer xs.Release()
	res, err := cmp(mem, xs, v.values, &Batch{Len: n, Sel: sel})
	if err != nil {
		return nil, err
	}
	defer res.Release()
	rv := boolViewOf(res)
	out := newBoolBuilder(mem, b.Len)
	out.nullMask = nullMask{mem: mem, n: b.Len}
	for _, i := range rowsOf(b) {
		if !v.valid(int(i)) {
			out.setNull(int(i))
			continue
		}
		lo, hi := v.bounds(int(i))
		decided, sawNull := false, false
		for j := lo; j < hi; j++ {
			if !rv.valid(j) {
				sawNull = true
				continue
			}
			if rv.value(j) != all {
				decided = true
				break
			}
		}
		switch {
		case decided:
			out.set(int(i), !all)
		case sawNull:
			out.setNull(int(i))
		default:
			out.set(int(i), all)
		}
	}
	return out.finish(), nil
}

// ---- text ----

func registerArrayText() {
	registerFunc(&funcDef{
		resolve: func(ts []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(ts) < 2 || len(ts) > 3 || ts[0].Kind != catalog.Array {
				if len(ts) > 0 && ts[0].Kind == catalog.Unknown {
					return catalog.Type{}, nil, errPolymorphic()
				}
				return catalog.Type{}, nil, errNoFunction("array_to_string", ts)
			}
			return catalog.TypeText, append([]catalog.Type{ts[0]}, repeatType(catalog.TypeText, len(ts)-1)...), nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			et := args[0].Type().ElemType()
			return &zonedExpr{args: args, t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
				return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					return arrayToString(mem, et, loc, a, b)
				}, nil
			}}, nil
		},
		nonStrict: true,
	}, "array_to_string")
	registerFunc(&funcDef{
		resolve: func(ts []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(ts) < 2 || len(ts) > 3 {
				return catalog.Type{}, nil, errNoFunction("string_to_array", ts)
			}
			for _, t := range ts {
				if !t.IsString() && t.Kind != catalog.Unknown {
					return catalog.Type{}, nil, errNoFunction("string_to_array", ts)
				}
			}
			return textArray, repeatType(catalog.TypeText, len(ts)), nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: stringToArray}, nil
		},
		nonStrict: true,
	}, "string_to_array")
}

// arrayToString is array_to_string: elements in their output form
// (timestamptz in zone loc) joined by the delimiter; NULL elements are
// skipped, or printed as the third argument when it is given and not
// NULL.
func arrayToString(mem memory.Allocator, et catalog.Type, loc *time.Location, a []arrow.Array, b *Batch) (arrow.Array, error) {
	v := listViewOf(a[0])
	enc, err := catalog.NewColumnEncoder(et, catalog.FormatText, loc)
	if err != nil {
		return nil, err
	}
	enc.Bind(v.values)
	delim := varlenViewOf(a[1])
	var nullStr varlenView
	hasNullStr := len(a) > 2
	if hasNullStr {
		nullStr = varlenViewOf(a[2])
	}
	out := newVarlenBuilder(mem, b.Len, 0)
	rows := selectionCursor{sel: b.Sel}
	var dst []byte
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !v.valid(i) || !delim.valid(i) {
			out.appendNull()
			continue
		}
		dst = dst[:0]
		lo, hi := v.bounds(i)
		first := true
		for j := lo; j < hi; j++ {
			null := v.values.IsNull(j)
			if null && (!hasNullStr || !nullStr.valid(i)) {
				continue
			}
			if !first {
				dst = append(dst, delim.bytes(i)...)
			}
			first = false
			if null {
				dst = append(dst, nullStr.bytes(i)...)
			} else {
				dst = enc.Append(dst, j)
			}
		}
		out.appendBytes(dst)
	}
	return out.finish(catalog.TypeText), nil
}

func init() {
	registerArrayInfo()
	registerArrayBuild()
	registerArrayAccess()
	registerArraySearch()
	registerArrayQuantified()
	registerArrayText()
}

// registerArraySet registers pqdb_array_set(a, i, v), the value of a
// after UPDATE ... SET a[i] = v (array_set_element for one dimension): the
// element replaced, or the array extended with NULLs up to i; a NULL
// array becomes {v} when i is 1. A subscript below 1 would give the array
// another lower bound, which pqdb does not keep (0A000).
func registerArraySet() {
	registerFunc(&funcDef{
		resolve: fixedArgs(3, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			if ts[0].Kind != catalog.Array {
				return catalog.Type{}, nil, errNoFunction("array_set", ts)
			}
			return ts[0], []catalog.Type{ts[0], catalog.TypeInt4, ts[0].ElemType()}, nil
		}, "pqdb_array_set"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				v := listViewOf(a[0])
				sub, sv := fixedValues[int32](a[1]), validityOf(a[1])
				out := newListBuilder(mem, t, b.Len)
				src, val := out.source(v.values), out.source(a[2])
				rows := selectionCursor{sel: b.Sel}
				for i := 0; i < b.Len; i++ {
					if !rows.selected(i) {
						out.appendNull()
						continue
					}
					if !sv.valid(i) {
						out.finish().Release()
						return nil, pgerr.New(pgerr.NullValueNotAllowed, "array subscript in assignment must not be null")
					}
					lo, hi := 0, 0
					if v.valid(i) {
						lo, hi = v.bounds(i)
					}
					k := int(sub[i])
					if k < 1 || !v.valid(i) && k != 1 {
						out.finish().Release()
						return nil, pgerr.Unsupported("arrays with a lower bound other than 1 are not supported")
					}
					vr := int32(i)
					if a[2].IsNull(i) {
						vr = -1
					}
					for j := 1; j <= max(hi-lo, k); j++ {
						switch {
						case j == k:
							out.appendElem(val, vr)
						case j <= hi-lo:
							out.appendElem(src, int32(lo+j-1))
						default:
							out.appendElem(src, -1)
						}
					}
					out.endRow()
				}
				return out.finish(), nil
			}}, nil
		},
		nonStrict: true,
	}, "pqdb_array_set")
}

func init() { registerArraySet() }
