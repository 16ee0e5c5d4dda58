package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Records are Arrow Struct columns: one child column per field, row i of
// the record being row i of every child. The struct's validity says
// whether the record is NULL. Columns built here keep every field of a
// NULL record NULL too, but readers must not rely on it (a struct made
// from its fields by RowExpr has valid fields under a NULL presence), so
// whoever reads a field checks the record's validity first.

// structChild returns the j-th field column of a Struct column, aligned
// with the struct's rows (arrow slices the children by the struct's
// offset).
func structChild(a arrow.Array, j int) arrow.Array { return a.(*array.Struct).Field(j) }

// newStructArray wraps field columns (retained, each of length n) and a
// NULL mask (taken over; nil for none) into a Struct column of type t.
func newStructArray(t catalog.Type, n int, nulls *nullMask, children []arrow.Array) arrow.Array {
	var nb *memory.Buffer
	nullCount := 0
	if nulls != nil && nulls.bm.buf != nil {
		nb = nulls.bm.buf
		if nulls.n > n {
			nb.Resize(int(bitutilBytes(n)))
		}
		nullCount = array.UnknownNullCount
	}
	data := make([]arrow.ArrayData, len(children))
	for j, c := range children {
		data[j] = c.Data()
	}
	d := array.NewData(t.ArrowType(), n, []*memory.Buffer{nb}, data, nullCount, 0)
	out := array.MakeFromData(d)
	d.Release()
	if nulls != nil {
		nulls.release()
	}
	return out
}

// takeStruct gathers rows idx of the Struct column a (-1: NULL); a NULL
// record's fields are taken as NULL.
func takeStruct(mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	nulls := nullMask{mem: mem, n: len(idx)}
	fieldIdx, copied := idx, false
	var v validity
	if a != nil {
		v = validityOf(a)
	}
	for k, i := range idx {
		if i < 0 || !v.valid(int(i)) {
			if !copied {
				fieldIdx, copied = append([]int32(nil), idx...), true
			}
			fieldIdx[k] = -1
			nulls.setNull(k)
		}
	}
	fields := t.Fields()
	children := make([]arrow.Array, len(fields))
	for j, f := range fields {
		var c arrow.Array
		if a != nil {
			c = structChild(a, j)
		}
		children[j] = takeNullable(mem, f.Type, c, fieldIdx)
	}
	out := newStructArray(t, len(idx), &nulls, children)
	releaseAll(children)
	return out
}

// chooseStruct is choose for Struct columns.
func chooseStruct(mem memory.Allocator, t catalog.Type, arrays []arrow.Array, pick []int16) arrow.Array {
	n := len(pick)
	nulls := nullMask{mem: mem, n: n}
	fieldPick, copied := pick, false
	for i, p := range pick {
		if p < 0 || arrays[p].IsNull(i) {
			if !copied {
				fieldPick, copied = append([]int16(nil), pick...), true
			}
			fieldPick[i] = -1
			nulls.setNull(i)
		}
	}
	fields := t.Fields()
	children := make([]arrow.Array, len(fields))
	for j, f := range fields {
		cs := make([]arrow.Array, len(arrays))
		for k, a := range arrays {
			cs[k] = structChild(a, j)
		}
		children[j] = choose(mem, f.Type, cs, fieldPick)
	}
	out := newStructArray(t, n, &nulls, children)
	releaseAll(children)
	return out
}

// recordDatumsToStruct builds a Struct column from RecordValue Datums
// (nil: NULL).
func recordDatumsToStruct(mem memory.Allocator, t catalog.Type, vals []catalog.Datum) (arrow.Array, error) {
	fields := t.Fields()
	perField := make([][]catalog.Datum, len(fields))
	for j := range perField {
		perField[j] = make([]catalog.Datum, len(vals))
	}
	nulls := nullMask{mem: mem, n: len(vals)}
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			nulls.setNull(i)
		case catalog.RecordValue:
			if len(x) != len(fields) {
				nulls.release()
				return nil, datumMismatch(t, v)
			}
			for j := range fields {
				perField[j][i] = x[j]
			}
		default:
			nulls.release()
			return nil, datumMismatch(t, v)
		}
	}
	children := make([]arrow.Array, len(fields))
	for j, f := range fields {
		c, err := datumsToArray(mem, f.Type, perField[j])
		if err != nil {
			releaseAll(children[:j])
			nulls.release()
			return nil, err
		}
		children[j] = c
	}
	out := newStructArray(t, len(vals), &nulls, children)
	releaseAll(children)
	return out, nil
}

// structDatumAt reads row i (not NULL) of a Struct column as a
// RecordValue.
func structDatumAt(a arrow.Array, t catalog.Type, i int) catalog.Datum {
	fields := t.Fields()
	out := make(catalog.RecordValue, len(fields))
	for j, f := range fields {
		out[j] = datumAt(structChild(a, j), f.Type, i)
	}
	return out
}

// structAppender is the columnAppender of records: it copies each row's
// fields into one appender per field, keeping nothing of the source.
type structAppender struct {
	fields  []*columnAppender
	valid   []bool
	hasNull bool
}

func newStructAppender(mem memory.Allocator, t catalog.Type, hint int) *structAppender {
	s := &structAppender{}
	for _, f := range t.Fields() {
		s.fields = append(s.fields, newColumnAppender(mem, f.Type, hint))
	}
	return s
}

func (s *structAppender) appendFrom(src arrow.Array, i int) {
	if src.IsNull(i) {
		s.appendNull()
		return
	}
	for j, f := range s.fields {
		f.appendFrom(structChild(src, j), i)
	}
	s.valid = append(s.valid, true)
}

func (s *structAppender) appendNull() {
	for _, f := range s.fields {
		f.appendNull()
	}
	s.valid = append(s.valid, false)
	s.hasNull = true
}

func (s *structAppender) finish(mem memory.Allocator, t catalog.Type) arrow.Array {
	n := len(s.valid)
	nulls := nullMask{mem: mem, n: n}
	if s.hasNull {
		for i, ok := range s.valid {
			if !ok {
				nulls.setNull(i)
			}
		}
	}
	children := make([]arrow.Array, len(s.fields))
	for j, f := range s.fields {
		children[j] = f.finish()
	}
	out := newStructArray(t, n, &nulls, children)
	releaseAll(children)
	return out
}

// recordTypeOfStruct recovers a record type from a Struct column's Arrow
// type (kindTypeOf).
func recordTypeOfStruct(c *array.Struct) catalog.Type {
	st := c.DataType().(*arrow.StructType)
	fields := make([]catalog.RecordField, st.NumFields())
	for j := range fields {
		fields[j] = catalog.RecordField{Name: st.Field(j).Name, Type: kindTypeOf(c.Field(j))}
	}
	return catalog.RecordOf(fields)
}
