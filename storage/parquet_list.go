package storage

import (
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
)

// Array columns are standard Parquet LIST columns, so other engines read
// them as lists:
//
//	<optional|required> group a (LIST) {
//	  repeated group list {
//	    optional <element type> element;
//	  }
//	}
//
// The one leaf holds the elements. Its repetition level is 0 at the first
// element of a row and 1 at the others; its definition level (with an
// optional column) is 0 for a NULL array, 1 for an empty one, 2 for a NULL
// element and 3 for a value; a required column has each one less.

// listLeafPath is the path of an array column's leaf below the column.
var listLeafPath = []string{"list", "element"}

// listNode is the Parquet node of an array column of type t.
func listNode(t catalog.Type, notNull bool) parquet.Node {
	n := parquet.List(parquetNode(t.ElemType(), false))
	if !notNull {
		n = parquet.Optional(n)
	}
	return n
}

// appendListValues appends the leaf values of rows arr[lo:hi] of an array
// column, the elements encoded as appendParquetValues encodes a column of
// the element type.
func appendListValues(dst []parquet.Value, scratch []byte, t catalog.Type, arr arrow.Array, lo, hi, leaf int, optional bool) ([]parquet.Value, []byte) {
	l := arr.(*array.List)
	offs := catalog.ListOffsets(l)
	base := 0
	if optional {
		base = 1
	}
	var elems []parquet.Value
	elems, scratch = appendParquetValues(nil, scratch, layoutOf(t.ElemType()), l.ListValues(), int(offs[lo]), int(offs[hi]), leaf, true)
	k := 0
	for i := lo; i < hi; i++ {
		n := int(offs[i+1] - offs[i])
		switch {
		case l.IsNull(i):
			dst = append(dst, parquet.NullValue().Level(0, 0, leaf))
			k += n
			continue
		case n == 0:
			dst = append(dst, parquet.NullValue().Level(0, base, leaf))
			continue
		}
		for j := 0; j < n; j++ {
			v := elems[k]
			k++
			rep := 0
			if j > 0 {
				rep = 1
			}
			dst = append(dst, v.Level(rep, base+1+v.DefinitionLevel(), leaf))
		}
	}
	return dst, scratch
}

// readListColumn decodes the array column whose leaf is leaf: the
// elements with the element type's columnDecoder, fed the element slots
// of each page with their own 0/1 definition levels, and the rows'
// offsets and NULLs from the levels.
func readListColumn(rg parquet.RowGroup, leaf int, t catalog.Type) (arrow.Array, error) {
	et := t.ElemType()
	p := chunkLayout(et, rg.ColumnChunks()[leaf])
	if et.Kind == catalog.Unknown {
		p = physBytes
	}
	dec := columnDecoder{p: p, width: p.arrowWidth()}
	col, ok := rg.Schema().Lookup(rg.Schema().Columns()[leaf]...)
	if !ok {
		return nil, errors.New("array column leaf not found")
	}
	maxDef := byte(col.MaxDefinitionLevel)
	offsets := []int32{0}
	var valid []bool
	nulls, elems := 0, int32(0)
	started := false
	endRow := func() {
		if started {
			offsets = append(offsets, elems)
		}
	}
	var elemDefs []byte
	pages := rg.ColumnChunks()[leaf].Pages()
	defer pages.Close()
	for {
		page, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		reps, defs := page.RepetitionLevels(), page.DefinitionLevels()
		elemDefs = elemDefs[:0]
		for k := range defs {
			if reps[k] == 0 {
				endRow()
				started = true
				isNull := defs[k]+2 < maxDef
				valid = append(valid, !isNull)
				if isNull {
					nulls++
				}
			}
			if defs[k]+1 >= maxDef {
				elems++
				if defs[k] == maxDef {
					elemDefs = append(elemDefs, 1)
				} else {
					elemDefs = append(elemDefs, 0)
				}
			}
		}
		err = dec.pageLevels(page, elemDefs, len(elemDefs))
		parquet.Release(page)
		if err != nil {
			return nil, err
		}
	}
	endRow()
	child := dec.finish(et.ArrowType())
	defer child.Release()
	n := len(offsets) - 1
	var validity *memory.Buffer
	if nulls > 0 {
		bits := make([]byte, bitutil.BytesForBits(int64(n)))
		for i, v := range valid {
			if v {
				bitutil.SetBit(bits, i)
			}
		}
		validity = memory.NewBufferBytes(bits)
	}
	data := array.NewData(t.ArrowType(), n, []*memory.Buffer{validity, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets))}, []arrow.ArrayData{child.Data()}, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data), nil
}
