package storage

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/pqdb/pqdb/catalog"
)

// chooseEncodings writes mostly distinct byte strings PLAIN, keeps the
// dictionary for repeating ones (sorted into runs too) and for every
// column of a small first row group.
func TestChooseEncodings(t *testing.T) {
	tbl := &catalog.Table{Schema: "public", Name: "enc", Columns: []catalog.Column{
		{Name: "id", Type: catalog.TypeInt8},
		{Name: "comment", Type: catalog.TypeText},    // distinct
		{Name: "mode", Type: catalog.TypeText},       // 7 values
		{Name: "sorted", Type: catalog.TypeText},     // runs of 64 equal values
		{Name: "half", Type: catalog.TypeText},       // every value twice, apart
		{Name: "mostlynull", Type: catalog.TypeText}, // distinct, NULL but every 100th: too few sampled
		{Name: "n", Type: catalog.TypeNumeric},       // var-scale numeric, distinct
		{Name: "by", Type: catalog.TypeBytea},        // 5 values
	}}
	record := func(from, n int) arrow.Record {
		fields := make([]arrow.Field, 0, len(tbl.Columns)+1)
		for _, c := range tbl.Columns {
			fields = append(fields, arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true})
		}
		fields = append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64})
		b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
		defer b.Release()
		for r := from; r < from+n; r++ {
			b.Field(0).(*array.Int64Builder).Append(int64(r))
			b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("comment %d", r))
			b.Field(2).(*array.StringBuilder).Append(dictModes[r%7])
			b.Field(3).(*array.StringBuilder).Append(fmt.Sprintf("s%06d", r/64))
			b.Field(4).(*array.StringBuilder).Append(fmt.Sprintf("h%d", r%(n/2+1)))
			if r%100 == 0 {
				b.Field(5).(*array.StringBuilder).Append(fmt.Sprint(r))
			} else {
				b.Field(5).AppendNull()
			}
			b.Field(6).(*array.BinaryBuilder).Append(mustNumeric(fmt.Sprintf("%d.5", r)))
			b.Field(7).(*array.BinaryBuilder).Append([]byte{byte(r % 5)})
			b.Field(8).(*array.Int64Builder).Append(int64(r))
		}
		return b.NewRecordBatch()
	}
	sw := &segmentWriter{ncol: len(tbl.Columns), types: make([]catalog.Type, len(tbl.Columns))}
	for i, c := range tbl.Columns {
		sw.types[i] = c.Type
	}
	plain := func(encs []encoding.Encoding) []string {
		var names []string
		for i, e := range encs {
			if e != nil {
				names = append(names, tbl.Columns[i].Name+":"+e.String())
			}
		}
		return names
	}
	// The first row group made of two records, the second cut short.
	a, b := record(0, 5000), record(5000, 6000)
	defer a.Release()
	defer b.Release()
	got := plain(sw.chooseEncodings([]segmentPiece{{a, 0, 5000}, {b, 0, 5000}}, 10000))
	if fmt.Sprint(got) != "[comment:PLAIN half:PLAIN n:PLAIN]" {
		t.Errorf("plain columns %v", got)
	}
	if got := plain(sw.chooseEncodings([]segmentPiece{{a, 0, 5000}}, 5000)); len(got) != 0 {
		t.Errorf("small row group: plain columns %v", got)
	}
}
