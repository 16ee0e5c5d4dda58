package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// columnAppender accumulates rows copied out of other columns of the same
// type, for operators that assemble output from many inputs (VALUES,
// aggregate keys, materialized join sides). appendFrom dispatches once on
// the physical layout; it is not meant for kernels' inner loops.
type columnAppender struct {
	t     catalog.Type
	mem   memory.Allocator
	phys  physical
	width int
	// fixed and bool rows
	fixed   []byte
	boolv   []bool
	valid   []bool
	varlen  *varlenBuilder
	list    *listAppender
	record  *structAppender
	n       int
	hasNull bool
}

func newColumnAppender(mem memory.Allocator, t catalog.Type, hint int) *columnAppender {
	a := &columnAppender{t: t, mem: mem, phys: physicalOf(t)}
	switch a.phys {
	case physFixed:
		a.width = fixedWidthOf(t.Kind)
		a.fixed = make([]byte, 0, hint*a.width)
	case physVarlen:
		a.varlen = newVarlenBuilder(mem, hint, 0)
	case physList:
		a.list = &listAppender{elems: newColumnAppender(mem, t.ElemType(), hint), offsets: []int32{0}}
	case physStruct:
		a.record = newStructAppender(mem, t, hint)
	}
	a.valid = make([]bool, 0, hint)
	return a
}

func (a *columnAppender) appendFrom(src arrow.Array, i int) {
	if src.IsNull(i) {
		a.appendNull()
		return
	}
	a.n++
	switch a.phys {
	case physList:
		a.list.appendFrom(src, i)
		return
	case physStruct:
		a.record.appendFrom(src, i)
		return
	}
	a.appendValue(src, i)
}

// appendNull appends a NULL row.
func (a *columnAppender) appendNull() {
	a.n++
	switch a.phys {
	case physList:
		a.list.appendNull()
		return
	case physStruct:
		a.record.appendNull()
		return
	}
	a.hasNull = true
	a.valid = append(a.valid, false)
	switch a.phys {
	case physFixed:
		a.fixed = append(a.fixed, make([]byte, a.width)...)
	case physBool:
		a.boolv = append(a.boolv, false)
	case physVarlen:
		a.varlen.appendNull()
	}
}

func (a *columnAppender) appendValue(src arrow.Array, i int) {
	a.valid = append(a.valid, true)
	switch a.phys {
	case physFixed:
		d := src.Data()
		raw := d.Buffers()[1].Bytes()
		off := (d.Offset() + i) * a.width
		a.fixed = append(a.fixed, raw[off:off+a.width]...)
	case physBool:
		a.boolv = append(a.boolv, boolViewOf(src).value(i))
	case physVarlen:
		a.varlen.appendBytes(varlenViewOf(src).bytes(i))
	}
}

func (a *columnAppender) finish() arrow.Array {
	switch a.phys {
	case physList:
		return a.list.finish(a.mem, a.t)
	case physStruct:
		return a.record.finish(a.mem, a.t)
	case physVarlen:
		return a.varlen.finish(a.t)
	case physBool:
		b := newBoolBuilder(a.mem, a.n)
		for i, v := range a.boolv {
			if !a.valid[i] {
				b.setNull(i)
			}
			b.set(i, v)
		}
		return b.finish()
	}
	var out arrow.Array
	switch a.width {
	case 2:
		out = finishFixedBytes[int16](a)
	case 4:
		out = finishFixedBytes[int32](a)
	case 8:
		out = finishFixedBytes[int64](a)
	default:
		out = finishFixedBytes[word128](a)
	}
	return out
}

func finishFixedBytes[T ~int16 | ~int32 | ~int64 | word128](a *columnAppender) arrow.Array {
	b := newFixedBuilder[T](a.mem, a.n)
	raw := b.data.Bytes()
	copy(raw, a.fixed)
	if a.hasNull {
		for i, ok := range a.valid {
			if !ok {
				b.setNull(i)
			}
		}
	}
	return b.finish(a.t)
}

// listAppender is the columnAppender of arrays: it copies each row's
// elements into an element appender, keeping nothing of the source.
type listAppender struct {
	elems   *columnAppender
	offsets []int32
	valid   []bool
	hasNull bool
}

func (l *listAppender) appendFrom(src arrow.Array, i int) {
	if src.IsNull(i) {
		l.appendNull()
		return
	}
	v := listViewOf(src)
	lo, hi := v.bounds(i)
	for j := lo; j < hi; j++ {
		l.elems.appendFrom(v.values, j)
	}
	l.offsets = append(l.offsets, int32(l.elems.n))
	l.valid = append(l.valid, true)
}

func (l *listAppender) appendNull() {
	l.offsets = append(l.offsets, int32(l.elems.n))
	l.valid = append(l.valid, false)
	l.hasNull = true
}

func (l *listAppender) finish(mem memory.Allocator, t catalog.Type) arrow.Array {
	n := len(l.valid)
	nulls := nullMask{mem: mem, n: n}
	if l.hasNull {
		for i, ok := range l.valid {
			if !ok {
				nulls.setNull(i)
			}
		}
	}
	child := l.elems.finish()
	defer child.Release()
	return newListArray(mem, t, n, l.offsets, &nulls, child)
}
