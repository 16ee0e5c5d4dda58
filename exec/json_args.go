package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// The json and jsonb functions and operators read their arguments through
// jsonArgs and run as strict row loops built by jsonFunc, jsonBoolFunc and
// jsonIntFunc: a row with a NULL argument is NULL, any other row is what
// the function computes from the arguments' values at that row. jsonb
// arguments are stored texts, parsed into values by one reader per
// argument; text[] arguments are read into a path of elements with their
// NULL flags. All scratch space lives in the jsonArgs of one evaluation,
// so the rows of a batch allocate nothing once the buffers have grown.

type jsonArgs struct {
	str     []varlenView     // json, jsonb and text arguments
	ints    [][]int32        // int4 arguments
	bools   []boolView       // boolean arguments
	lists   []listView       // text[] arguments
	elems   []varlenView     // their elements
	readers []jsonbRowReader // one per jsonb argument
	path    [][]byte         // scratch: a text[] argument's elements
	nulls   []bool           // and which of them are NULL
	val     []byte           // scratch: a value a function makes
}

func newJSONArgs(arrs []arrow.Array) *jsonArgs {
	n := len(arrs)
	a := &jsonArgs{str: make([]varlenView, n), ints: make([][]int32, n), bools: make([]boolView, n),
		lists: make([]listView, n), elems: make([]varlenView, n), readers: make([]jsonbRowReader, n)}
	for k, x := range arrs {
		switch x.DataType().ID() {
		case arrow.STRING, arrow.BINARY:
			a.str[k] = varlenViewOf(x)
		case arrow.INT32:
			a.ints[k] = fixedValues[int32](x)
		case arrow.BOOL:
			a.bools[k] = boolViewOf(x)
		case arrow.LIST:
			a.lists[k] = listViewOf(x)
			a.elems[k] = varlenViewOf(a.lists[k].values)
		}
	}
	return a
}

// bytes is argument k at row i: the text of a json, jsonb or text value.
func (a *jsonArgs) bytes(k, i int) []byte { return a.str[k].bytes(i) }

// jsonb is jsonb argument k at row i, parsed (once for a run of equal
// rows); valid until the next call for the same argument.
func (a *jsonArgs) jsonb(k, i int) jsonb.Value { return a.readers[k].value(a.str[k].bytes(i)) }

func (a *jsonArgs) int(k, i int) int { return int(a.ints[k][i]) }

func (a *jsonArgs) bool(k, i int) bool { return a.bools[k].value(i) }

// textArray is text[] argument k at row i: its elements and which are
// NULL (valid until the next call), and whether any is.
func (a *jsonArgs) textArray(k, i int) (elems [][]byte, nulls []bool, anyNull bool) {
	lo, hi := a.lists[k].bounds(i)
	a.path, a.nulls = a.path[:0], a.nulls[:0]
	ev := a.elems[k]
	for j := lo; j < hi; j++ {
		null := !ev.valid(j)
		anyNull = anyNull || null
		var e []byte
		if !null {
			e = ev.bytes(j)
		}
		a.path = append(a.path, e)
		a.nulls = append(a.nulls, null)
	}
	return a.path, a.nulls, anyNull
}

// variadicText collects text arguments from..n-1 at row i as one text[]
// argument (VARIADIC text[]): the elements, which are NULL, and whether
// any is.
func (a *jsonArgs) variadicText(from, n, i int) (elems [][]byte, nulls []bool, anyNull bool) {
	a.path, a.nulls = a.path[:0], a.nulls[:0]
	for k := from; k < n; k++ {
		null := !a.str[k].valid(i)
		anyNull = anyNull || null
		var e []byte
		if !null {
			e = a.str[k].bytes(i)
		}
		a.path = append(a.path, e)
		a.nulls = append(a.nulls, null)
	}
	return a.path, a.nulls, anyNull
}

// oneText is text argument k at row i as a one-element path.
func (a *jsonArgs) oneText(k, i int) [][]byte {
	a.path = append(a.path[:0], a.str[k].bytes(i))
	return a.path
}

// jsonFunc builds a strict function whose result, of type t (jsonb, json
// or text), f appends to dst for row i; ok false makes the row NULL. The
// value is written straight into the result column.
func jsonFunc(args []Expr, t catalog.Type, f func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error)) Expr {
	return jsonVariadicFunc(args, len(args), t, f)
}

// jsonVariadicFunc is jsonFunc for a function whose arguments from
// strict on are the elements of its VARIADIC array: a NULL among them is
// a NULL element, for f to judge, not a NULL argument.
func jsonVariadicFunc(args []Expr, strict int, t catalog.Type, f func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error)) Expr {
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		a := newJSONArgs(arrs)
		nulls := combineNulls(mem, b.Len, arrs[:strict]...)
		defer nulls.release()
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || nulls.isNull(i) {
				out.appendNull()
				continue
			}
			dst, ok, err := f(out.space(16), a, i)
			if err != nil {
				out.finish(t).Release()
				return nil, err
			}
			if !ok {
				out.appendNull()
				continue
			}
			out.commit(dst)
		}
		return out.finish(t), nil
	}}
}

// jsonBoolFunc builds a strict boolean function of json arguments.
func jsonBoolFunc(args []Expr, f func(a *jsonArgs, i int) bool) Expr {
	return &funcExpr{args: args, t: catalog.TypeBool, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		a := newJSONArgs(arrs)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if !out.isNull(int(i)) {
				out.set(int(i), f(a, int(i)))
			}
		}
		return out.finish(), nil
	}}
}

// jsonIntFunc builds a strict int4 function of json arguments.
func jsonIntFunc(args []Expr, f func(a *jsonArgs, i int) (int32, error)) Expr {
	return &funcExpr{args: args, t: catalog.TypeInt4, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		a := newJSONArgs(arrs)
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, arrs...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := f(a, int(i))
			if err != nil {
				out.finish(catalog.TypeInt4).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(catalog.TypeInt4), nil
	}}
}

// appendNew appends the text of a value a jsonb operation makes: op
// appends the value's encoding to the scratch buffer it is given.
func (a *jsonArgs) appendNew(dst []byte, op func(scratch []byte) ([]byte, error)) ([]byte, bool, error) {
	var err error
	if a.val, err = op(a.val[:0]); err != nil {
		return dst, false, err
	}
	return jsonb.AppendText(dst, jsonb.Value(a.val)), true, nil
}
