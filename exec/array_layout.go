package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Arrays are Arrow List columns: per row an offset range into one child
// column of the element type, which the element kernels read as they
// read any column. Rows are gathered by gathering child rows (take,
// choose) so no element is ever boxed in a Datum on the way.

// listView reads a List column: row i's elements are values rows
// offsets[i] to offsets[i+1].
type listView struct {
	offsets []int32
	values  arrow.Array
	validity
}

func listViewOf(a arrow.Array) listView {
	l := a.(*array.List)
	return listView{offsets: catalog.ListOffsets(l), values: l.ListValues(), validity: validityOf(a)}
}

func (v listView) bounds(i int) (int, int) { return int(v.offsets[i]), int(v.offsets[i+1]) }

// listBuilder assembles a List column row by row out of element rows of
// other columns, which it gathers with take at the end.
type listBuilder struct {
	t       catalog.Type
	mem     memory.Allocator
	offsets []int32
	nulls   nullMask
	// elems lists the gathered elements as (source, row); row -1 is a NULL
	// element.
	srcs []arrow.Array
	src  []int32
	rows []int32
}

func newListBuilder(mem memory.Allocator, t catalog.Type, hint int) *listBuilder {
	b := &listBuilder{t: t, mem: mem, offsets: make([]int32, 1, hint+1)}
	return b
}

// source registers a column elements are taken from and returns its index.
func (b *listBuilder) source(a arrow.Array) int32 {
	if n := len(b.srcs); n > 0 && b.srcs[n-1] == a {
		return int32(n - 1)
	}
	for i, s := range b.srcs {
		if s == a {
			return int32(i)
		}
	}
	a.Retain()
	b.srcs = append(b.srcs, a)
	return int32(len(b.srcs) - 1)
}

// appendElem adds row i of source src (i < 0: a NULL element) to the
// current row; endRow closes it.
func (b *listBuilder) appendElem(src int32, i int32) {
	b.src = append(b.src, src)
	b.rows = append(b.rows, i)
}

func (b *listBuilder) endRow() {
	b.offsets = append(b.offsets, int32(len(b.rows)))
}

func (b *listBuilder) appendNull() {
	n := len(b.offsets) - 1
	b.offsets = append(b.offsets, int32(len(b.rows)))
	b.growNulls(n + 1)
	b.nulls.setNull(n)
}

// appendList copies row i of list view v (registered as src) as a row.
func (b *listBuilder) appendList(v listView, src int32, i int) {
	if !v.valid(i) {
		b.appendNull()
		return
	}
	lo, hi := v.bounds(i)
	for j := lo; j < hi; j++ {
		b.appendElem(src, int32(j))
	}
	b.endRow()
}

func (b *listBuilder) growNulls(n int) {
	if b.nulls.bm.buf == nil {
		b.nulls.mem, b.nulls.n = b.mem, n
		return
	}
	if n > b.nulls.n {
		grown := newBitmap(b.mem, max(n, 2*b.nulls.n), true)
		copy(grown.bits, b.nulls.bm.bits)
		b.nulls.bm.buf.Release()
		b.nulls.bm = grown
		b.nulls.n = max(n, 2*b.nulls.n)
	}
}

// finish builds the column and releases the sources.
func (b *listBuilder) finish() arrow.Array {
	et := b.t.ElemType()
	var child arrow.Array
	if len(b.srcs) <= 1 {
		var src arrow.Array
		if len(b.srcs) == 1 {
			src = b.srcs[0]
		}
		child = takeNullable(b.mem, et, src, b.rows)
	} else {
		// Rows of many batches (an appender's): copy element by element.
		ca := newColumnAppender(b.mem, et, len(b.rows))
		for k, r := range b.rows {
			if r < 0 {
				ca.appendNull()
				continue
			}
			ca.appendFrom(b.srcs[b.src[k]], int(r))
		}
		child = ca.finish()
	}
	releaseAll(b.srcs)
	b.srcs = nil
	n := len(b.offsets) - 1
	if b.nulls.bm.buf != nil {
		b.growNulls(n)
	}
	out := newListArray(b.mem, b.t, n, b.offsets, &b.nulls, child)
	child.Release()
	return out
}

// textArrayBuilder builds a text[] column row by row out of bytes that
// are no column's rows yet (pieces of a string): the elements are
// appended straight into the child column, so nothing is gathered or
// boxed on the way.
type textArrayBuilder struct {
	mem     memory.Allocator
	elems   *varlenBuilder
	offsets []int32
	nulls   nullMask
}

// newTextArrayBuilder makes a builder for at most rows rows (any number
// when no row is NULL).
func newTextArrayBuilder(mem memory.Allocator, rows int) *textArrayBuilder {
	return &textArrayBuilder{mem: mem, elems: newVarlenBuilder(mem, rows, 0), offsets: make([]int32, 1, rows+1), nulls: nullMask{mem: mem, n: rows}}
}

// appendElem adds an element to the current row (ok false: a NULL
// element); endRow closes the row.
func (b *textArrayBuilder) appendElem(v []byte, ok bool) { appendMaybe(b.elems, v, ok) }

func (b *textArrayBuilder) endRow() {
	b.offsets = append(b.offsets, int32(len(b.elems.offsets)-1))
}

// appendNull adds a NULL row.
func (b *textArrayBuilder) appendNull() {
	b.nulls.setNull(len(b.offsets) - 1)
	b.endRow()
}

// rows is the number of rows appended.
func (b *textArrayBuilder) rows() int { return len(b.offsets) - 1 }

func (b *textArrayBuilder) finish() arrow.Array {
	child := b.elems.finish(catalog.TypeText)
	defer child.Release()
	return newListArray(b.mem, textArray, b.rows(), b.offsets, &b.nulls, child)
}

// newListArray wraps offsets (n+1), a NULL mask (taken over) and a child
// column (retained) into a List column of type t.
func newListArray(mem memory.Allocator, t catalog.Type, n int, offsets []int32, nulls *nullMask, child arrow.Array) arrow.Array {
	ob := newFixedBuilder[int32](mem, n+1)
	copy(ob.vals, offsets)
	var nb *memory.Buffer
	nullCount := 0
	if nulls != nil && nulls.bm.buf != nil {
		nb = nulls.bm.buf
		if nulls.n > n {
			nb.Resize(int(bitutilBytes(n)))
		}
		nullCount = array.UnknownNullCount
	}
	d := array.NewData(t.ArrowType(), n, []*memory.Buffer{nb, ob.data}, []arrow.ArrayData{child.Data()}, nullCount, 0)
	a := array.MakeFromData(d)
	d.Release()
	ob.data.Release()
	if nulls != nil {
		nulls.release()
	}
	return a
}

func bitutilBytes(n int) int64 { return (int64(n) + 7) / 8 }

// takeList gathers rows idx of the List column a (-1: NULL).
func takeList(mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	b := newListBuilder(mem, t, len(idx))
	if a == nil {
		for range idx {
			b.appendNull()
		}
		return b.finish()
	}
	v := listViewOf(a)
	src := b.source(v.values)
	for _, i := range idx {
		if i < 0 {
			b.appendNull()
			continue
		}
		b.appendList(v, src, int(i))
	}
	return b.finish()
}

// chooseList is choose for List columns.
func chooseList(mem memory.Allocator, t catalog.Type, arrays []arrow.Array, pick []int16) arrow.Array {
	b := newListBuilder(mem, t, len(pick))
	views := make([]listView, len(arrays))
	srcs := make([]int32, len(arrays))
	for j, a := range arrays {
		views[j] = listViewOf(a)
		srcs[j] = b.source(views[j].values)
	}
	for i, p := range pick {
		if p < 0 {
			b.appendNull()
			continue
		}
		b.appendList(views[p], srcs[p], i)
	}
	return b.finish()
}

// arrayDatumsToList builds a List column from ArrayValue Datums (nil: NULL).
func arrayDatumsToList(mem memory.Allocator, t catalog.Type, vals []catalog.Datum) (arrow.Array, error) {
	var elems []catalog.Datum
	offsets := make([]int32, 1, len(vals)+1)
	nulls := nullMask{mem: mem, n: len(vals)}
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			nulls.setNull(i)
		case catalog.ArrayValue:
			elems = append(elems, x...)
		default:
			nulls.release()
			return nil, datumMismatch(t, v)
		}
		offsets = append(offsets, int32(len(elems)))
	}
	child, err := datumsToArray(mem, t.ElemType(), elems)
	if err != nil {
		nulls.release()
		return nil, err
	}
	out := newListArray(mem, t, len(vals), offsets, &nulls, child)
	child.Release()
	return out, nil
}

// listDatumAt reads row i of a List column as an ArrayValue.
func listDatumAt(a arrow.Array, t catalog.Type, i int) catalog.Datum {
	v := listViewOf(a)
	lo, hi := v.bounds(i)
	et := t.ElemType()
	out := make(catalog.ArrayValue, hi-lo)
	for j := lo; j < hi; j++ {
		out[j-lo] = datumAt(v.values, et, j)
	}
	return out
}
