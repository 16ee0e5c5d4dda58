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

// lineitemLikeTable has the shape of TPC-H's lineitem where dictionaries
// matter: low-cardinality text columns next to numbers and a comment.
func lineitemLikeTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "lineitem",
		Columns: []catalog.Column{
			{Name: "l_orderkey", Type: catalog.TypeInt8, NotNull: true},
			{Name: "l_quantity", Type: catalog.TypeInt4},
			{Name: "l_extendedprice", Type: catalog.TypeFloat8},
			{Name: "l_returnflag", Type: catalog.TypeText},
			{Name: "l_shipinstruct", Type: catalog.TypeText},
			{Name: "l_shipmode", Type: catalog.TypeText},
			{Name: "l_comment", Type: catalog.TypeText},
		},
		PrimaryKey: []int{0},
	}
}

// lineitemLikeRecord generates rows [from, from+n): ship modes, flags and
// instructions drawn at random as dbgen does, comments of 10 to 43 bytes.
func lineitemLikeRecord(tbl *catalog.Table, rng *rand.Rand, from, n int) arrow.Record {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	instructs := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	words := []string{"furiously", "carefully", "quickly", "slyly", "regular", "final", "ironic", "pending", "deposits", "requests"}
	for r := from; r < from+n; r++ {
		b.Field(0).(*array.Int64Builder).Append(int64(r))
		b.Field(1).(*array.Int32Builder).Append(int32(1 + rng.IntN(50)))
		b.Field(2).(*array.Float64Builder).Append(float64(rng.IntN(10000000)) / 100)
		b.Field(3).(*array.StringBuilder).Append([]string{"A", "N", "R"}[rng.IntN(3)])
		b.Field(4).(*array.StringBuilder).Append(instructs[rng.IntN(4)])
		b.Field(5).(*array.StringBuilder).Append(dictModes[rng.IntN(7)])
		b.Field(6).(*array.StringBuilder).Append(fmt.Sprintf("%s %s %s %d", words[rng.IntN(10)], words[rng.IntN(10)], words[rng.IntN(10)], rng.IntN(100000)))
	}
	return b.NewRecordBatch()
}

// BenchmarkDictionaryFilter scans all columns of a 1 M-row lineitem-like
// table (8 row groups) with predicates on l_shipmode, with and without
// dictionary filtering, and filters the rows returned by l_shipmode as
// the executor would:
//
//	go test ./storage -run XXX -bench DictionaryFilter -benchtime 20x
func BenchmarkDictionaryFilter(b *testing.B) {
	const rows = 1 << 20
	tbl := lineitemLikeTable()
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	mustCreate(b, s, tbl)
	rng := rand.New(rand.NewPCG(1, 2))
	for from := 0; from < rows; from += 1 << 17 {
		rec := lineitemLikeRecord(tbl, rng, from, 1<<17)
		mustInsert(b, s, tbl, rec)
		rec.Release()
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	cols := []int{0, 1, 2, 3, 4, 5, 6}
	cases := []struct {
		name  string
		pred  Predicate
		wants []string
	}{
		{"eq", Predicate{Column: 5, Op: Eq, Value: "MAIL"}, []string{"MAIL"}},
		{"in", Predicate{Column: 5, Op: In, Values: []catalog.Datum{"MAIL", "SHIP"}}, []string{"MAIL", "SHIP"}},
		{"absent", Predicate{Column: 5, Op: Eq, Value: "BOAT"}, []string{"BOAT"}},
		{"most", Predicate{Column: 5, Op: Ge, Value: "B"}, dictModes[1:]},
	}
	for _, c := range cases {
		for _, off := range []bool{true, false} {
			name := c.name + "/dictionary"
			if off {
				name = c.name + "/no-dictionary"
			}
			b.Run(name, func(b *testing.B) {
				s.opts.NoDictionaryFilter = off
				defer func() { s.opts.NoDictionaryFilter = false }()
				var counts ScanCounts
				matched := 0
				for b.Loop() {
					r, err := s.Snapshot().Scan(tbl, cols, []Predicate{c.pred})
					if err != nil {
						b.Fatal(err)
					}
					r.(CountingScan).CountInto(&counts)
					matched = 0
					for {
						rec, err := r.Next()
						if err != nil {
							b.Fatal(err)
						}
						if rec == nil {
							break
						}
						modes := rec.Column(5).(*array.String)
						for i := range modes.Len() {
							v := modes.Value(i)
							for _, w := range c.wants {
								if v == w {
									matched++
									break
								}
							}
						}
					}
					r.Close()
				}
				n := float64(b.N)
				b.ReportMetric(float64(matched), "rows")
				b.ReportMetric(float64(counts.RowGroupsSkipped.Load())/n, "groups-skipped/op")
				b.ReportMetric(float64(counts.RowsDictionaryFiltered.Load())/n, "rows-dropped/op")
			})
		}
	}
}
