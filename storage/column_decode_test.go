package storage

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestDecodeDecimalsAndText writes numeric(15,2), numeric(9,2) and text
// columns (NULLs in some rows, every value's extremes and signs) to
// segments of 1, 1023, 1024 and 1025 rows, with and without NULLs, and
// reads them back: the widening of INT32/INT64 decimals to 128 bits, the
// count of non-NULL values from definition levels, and the per-column
// codecs (zstd and SNAPPY) must give back every value.
func TestDecodeDecimalsAndText(t *testing.T) {
	for _, rows := range []int{1, 1023, 1024, 1025} {
		for _, nulls := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/%v", rows, nulls), func(t *testing.T) {
				s := openTest(t, t.TempDir(), Options{})
				defer s.Close()
				tbl := &catalog.Table{Schema: "public", Name: "d", Columns: []catalog.Column{
					{Name: "a", Type: catalog.NumericType(15, 2)},
					{Name: "b", Type: catalog.NumericType(9, 2)},
					{Name: "c", Type: catalog.TypeText},
				}}
				mustCreate(t, s, tbl)
				schema := tailSchemaNoRowID(tbl)
				rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
				want := make([][3]string, rows)
				for i := 0; i < rows; i++ {
					if nulls && i%3 == 1 {
						for c := range 3 {
							rb.Field(c).AppendNull()
							want[i][c] = "NULL"
						}
						continue
					}
					a := []int64{999999999999999, -999999999999999, 0, -1, int64(i) * 7919}[i%5]
					b := []int64{999999999, -999999999, -5, int64(i)}[i%4]
					rb.Field(0).(*array.Decimal128Builder).Append(decimal128.FromI64(a))
					rb.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(b))
					text := fmt.Sprintf("row %d says hello %d", i, i*i)
					rb.Field(2).(*array.StringBuilder).Append(text)
					want[i] = [3]string{decimal128.FromI64(a).ToString(2), decimal128.FromI64(b).ToString(2), text}
				}
				rec := rb.NewRecordBatch()
				rb.Release()
				mustInsert(t, s, tbl, rec)
				if err := s.Checkpoint(); err != nil {
					t.Fatal(err)
				}
				r, err := s.Snapshot().Scan(tbl, []int{0, 1, 2}, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				n := 0
				for {
					got, err := r.Next()
					if err != nil {
						t.Fatal(err)
					}
					if got == nil {
						break
					}
					for i := 0; i < int(got.NumRows()); i++ {
						for c := range 3 {
							if v := cellString(got.Column(c), i); v != want[n][c] {
								t.Fatalf("row %d column %d: %s, want %s", n, c, v, want[n][c])
							}
						}
						n++
					}
				}
				if n != rows {
					t.Fatalf("%d rows, want %d", n, rows)
				}
			})
		}
	}
}

// cellString prints row i of a decimal or string column.
func cellString(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Decimal128:
		return a.Value(i).ToString(2)
	case *array.String:
		return a.Value(i)
	}
	return a.ValueStr(i)
}
