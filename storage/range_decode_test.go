package storage

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// A lookup by key reads a nullable byte-string column's rows out of
// pages that hold far more (range_decode.go), jumping over the rows
// before each range by counting the values the skipped rows hold. Every
// looked-up row must get its own value or NULL, with NULLs before, inside
// and between the ranges, dictionary-encoded pages (few distinct values)
// and plain ones (all distinct).
func TestRangeDecodeSkipsOverNulls(t *testing.T) {
	const rows = 150_000
	for _, distinct := range []int{3, rows} {
		t.Run(fmt.Sprintf("distinct=%d", distinct), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{Compaction: CompactionPolicy{Disabled: true}})
			defer s.Close()
			tbl := &catalog.Table{Schema: "public", Name: "r", Columns: []catalog.Column{
				{Name: "id", Type: catalog.TypeInt8, NotNull: true},
				{Name: "v", Type: catalog.TypeText},
			}, PrimaryKey: []int{0}}
			mustCreate(t, s, tbl)
			// NULL where id%5 == 1 or within a run of 1,000 NULLs.
			value := func(id int64) (string, bool) {
				if id%5 == 1 || (id >= 70_000 && id < 71_000) {
					return "", false
				}
				return fmt.Sprintf("value-%06d-%s", id%int64(distinct), "padding-to-make-it-long"), true
			}
			b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{
				{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.BinaryTypes.String, Nullable: true},
			}, nil))
			for id := int64(0); id < rows; id++ {
				b.Field(0).(*array.Int64Builder).Append(id)
				if v, ok := value(id); ok {
					b.Field(1).(*array.StringBuilder).Append(v)
				} else {
					b.Field(1).(*array.StringBuilder).AppendNull()
				}
			}
			mustInsert(t, s, tbl, b.NewRecordBatch())
			b.Release()
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			snap := s.Snapshot()
			check := func(preds []Predicate, want []int64) {
				t.Helper()
				r, err := snap.Scan(tbl, []int{0, 1}, preds)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				eachRecord(t, r, func(rec arrow.Record) {
					ids, vs := rec.Column(0).(*array.Int64), rec.Column(1).(*array.String)
					for i := range int(rec.NumRows()) {
						id := ids.Value(i)
						got = append(got, id)
						v, ok := value(id)
						if vs.IsNull(i) == ok || (ok && vs.Value(i) != v) {
							t.Fatalf("id %d: got %q (null %v), want %q (null %v)", id, vs.Value(i), vs.IsNull(i), v, !ok)
						}
					}
				})
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("ids %v, want %v", got, want)
				}
			}
			rng := rand.New(rand.NewPCG(1, uint64(distinct)))
			for range 200 {
				id := rng.Int64N(rows)
				check([]Predicate{{Column: 0, Op: Eq, Value: id}}, []int64{id})
			}
			for _, id := range []int64{0, 1, 69_999, 70_000, 70_999, 71_000, 71_001, rows - 1} {
				check([]Predicate{{Column: 0, Op: Eq, Value: id}}, []int64{id})
			}
			in := []int64{2, 6, 11, 4_999, 70_500, 71_002, 120_001, 149_998}
			var vals []catalog.Datum
			for _, id := range in {
				vals = append(vals, id)
			}
			check([]Predicate{{Column: 0, Op: In, Values: vals}}, in)
		})
	}
}
