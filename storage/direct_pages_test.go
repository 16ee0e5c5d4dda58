package storage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/encoding/delta"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

// deltaCases are integer sequences whose deltas need every bit width:
// sorted keys, small and full-range random values, runs, the extremes
// (whose deltas wrap), at lengths around the miniblock (32) and block
// (128) sizes.
func deltaCases(rng *rand.Rand) map[string][]int64 {
	cases := map[string][]int64{}
	for _, n := range []int{0, 1, 2, 31, 32, 33, 127, 128, 129, 1000, 4097} {
		sorted, small, full, runs, extremes := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		for i := range n {
			sorted[i] = int64(i*3) + rng.Int64N(3)
			small[i] = rng.Int64N(200) - 100
			full[i] = int64(rng.Uint64())
			runs[i] = int64(i / 50)
			extremes[i] = []int64{math.MinInt64, math.MaxInt64, 0, -1}[rng.IntN(4)]
		}
		for name, v := range map[string][]int64{"sorted": sorted, "small": small, "full": full, "runs": runs, "extremes": extremes} {
			cases[fmt.Sprintf("%s/%d", name, n)] = v
		}
	}
	return cases
}

// TestDecodeDeltaMatchesParquetGo: decodeDelta decodes what parquet-go
// encodes, in int64 and in int32 (whose arithmetic wraps at 32 bits),
// and a stream cut short is an error, never a panic.
func TestDecodeDeltaMatchesParquetGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var enc delta.BinaryPackedEncoding
	for name, want := range deltaCases(rng) {
		src, err := enc.EncodeInt64(nil, want)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]int64, len(want))
		if _, err := decodeDelta(got, nil, src, len(want), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: int64 values differ", name)
		}
		words := make([]int64, 2*len(want))
		if _, err := decodeDelta(nil, words, src, len(want), []int64{}); err != nil {
			t.Fatalf("%s: wide: %v", name, err)
		}
		for i, v := range want {
			if words[2*i] != v || words[2*i+1] != v>>63 {
				t.Fatalf("%s: value %d widened to %d, %d", name, v, words[2*i], words[2*i+1])
			}
		}
		want32 := make([]int32, len(want))
		for i, v := range want {
			want32[i] = int32(v)
		}
		src32, err := enc.EncodeInt32(nil, want32)
		if err != nil {
			t.Fatal(err)
		}
		got32 := make([]int32, len(want32))
		if _, err := decodeDelta(got32, nil, src32, len(want32), nil); err != nil {
			t.Fatalf("%s: int32: %v", name, err)
		}
		if !slices.Equal(got32, want32) {
			t.Fatalf("%s: int32 values differ", name)
		}
		// A stream cut short is an error, unless only the padding of its
		// last miniblock was cut.
		for cut := 0; cut < len(src) && len(want) > 1; cut += 1 + len(src)/17 {
			got := make([]int64, len(want))
			if _, err := decodeDelta(got, nil, src[:cut], len(want), nil); err == nil && !slices.Equal(got, want) {
				t.Fatalf("%s: cut to %d of %d bytes: wrong values, no error", name, cut, len(src))
			}
		}
	}
}

// TestParsePageHeaderMatchesThrift: the hand-written page header reader
// reads what parquet-go's Thrift encoder writes, statistics and all, and
// rejects truncated or garbled headers without panicking.
func TestParsePageHeaderMatchesThrift(t *testing.T) {
	v2 := format.DataPageHeaderV2{
		NumValues: 8192, NumNulls: 3, NumRows: 8190, Encoding: format.DeltaBinaryPacked,
		DefinitionLevelsByteLength: 12, RepetitionLevelsByteLength: 0, IsCompressed: thrift.New(false),
		Statistics: format.Statistics{Max: []byte("zzzz"), Min: []byte("a"), NullCount: 3, MaxValue: []byte{1, 2, 3}, MinValue: []byte{0}},
	}
	for _, h := range []format.PageHeader{
		{Type: format.DataPageV2, UncompressedPageSize: 70000, CompressedPageSize: 65000, CRC: -12345, DataPageHeaderV2: thrift.New(v2)},
		{Type: format.DataPageV2, UncompressedPageSize: 100, CompressedPageSize: 100, DataPageHeaderV2: thrift.New(format.DataPageHeaderV2{NumValues: 5, NumRows: 5, Encoding: format.Plain})},
		{Type: format.DictionaryPage, UncompressedPageSize: 10, CompressedPageSize: 10, DictionaryPageHeader: thrift.New(format.DictionaryPageHeader{NumValues: 2, Encoding: format.Plain})},
	} {
		b, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, 0xAA, 0xBB) // the page body follows
		got, n, err := parsePageHeader(b)
		if err != nil {
			t.Fatalf("%+v: %v", h, err)
		}
		if n != len(b)-2 {
			t.Fatalf("header of %d bytes read as %d", len(b)-2, n)
		}
		if got.typ != int32(h.Type) || got.uncompressedSize != h.UncompressedPageSize || got.compressedSize != h.CompressedPageSize || got.crc != h.CRC || got.hasCRC != (h.CRC != 0) {
			t.Fatalf("read %+v from %+v", got, h)
		}
		if d, ok := h.DataPageHeaderV2.Get(); ok != got.v2 || ok && (got.numValues != d.NumValues || got.numNulls != d.NumNulls || got.numRows != d.NumRows ||
			got.encoding != int32(d.Encoding) || got.defLevelsBytes != d.DefinitionLevelsByteLength || got.repLevelsBytes != d.RepetitionLevelsByteLength ||
			got.isCompressed != isCompressedOf(d)) {
			t.Fatalf("read %+v from %+v", got, h)
		}
		for cut := range len(b) - 2 {
			if _, _, err := parsePageHeader(b[:cut]); err == nil {
				t.Fatalf("header cut to %d of %d bytes: no error", cut, len(b)-2)
			}
		}
		rng := rand.New(rand.NewPCG(uint64(len(b)), 9))
		for range 2000 {
			g := slices.Clone(b)
			g[rng.IntN(len(g))] = byte(rng.Uint32())
			parsePageHeader(g) // must not panic
		}
	}
}

// TestDirectPagesMatchParquetGo: segments of NOT NULL integer, date,
// timestamp and numeric columns, in small pages, read directly and
// through parquet-go, whole and by point and range lookups, give the
// same rows; a column with NULLs takes parquet-go's path.
func TestDirectPagesMatchParquetGo(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1 << 10
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 3000})
	defer s.Close()
	tbl := &catalog.Table{Schema: "public", Name: "ints", Columns: []catalog.Column{
		{Name: "id", Type: catalog.TypeInt8, NotNull: true},
		{Name: "i2", Type: catalog.TypeInt2, NotNull: true},
		{Name: "i4", Type: catalog.TypeInt4, NotNull: true},
		{Name: "d", Type: catalog.TypeDate, NotNull: true},
		{Name: "n9", Type: catalog.NumericType(9, 2), NotNull: true},
		{Name: "n15", Type: catalog.NumericType(15, 2), NotNull: true},
		{Name: "ts", Type: catalog.TypeTimestamp, NotNull: true},
		{Name: "r8", Type: catalog.TypeInt8, NotNull: true},
		{Name: "nullable", Type: catalog.TypeInt4},
	}}
	mustCreate(t, s, tbl)
	const rows = 7919
	rng := rand.New(rand.NewPCG(3, 4))
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: !c.NotNull}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	for r := range rows {
		b.Field(0).(*array.Int64Builder).Append(int64(r))
		b.Field(1).(*array.Int16Builder).Append(int16(rng.IntN(65536) - 32768))
		b.Field(2).(*array.Int32Builder).Append(int32(rng.Uint32()))
		b.Field(3).(*array.Date32Builder).Append(arrow.Date32(8000 + r/3))
		b.Field(4).(*array.Decimal128Builder).Append(decimal128.FromI64(rng.Int64N(2e9) - 1e9))
		b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(rng.Int64N(2e17) - 1e17))
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r) * 1_000_003))
		b.Field(7).(*array.Int64Builder).Append([]int64{math.MinInt64, math.MaxInt64, int64(rng.Uint64()), 0}[rng.IntN(4)])
		if r%5 == 0 {
			b.Field(8).AppendNull()
		} else {
			b.Field(8).(*array.Int32Builder).Append(int32(r))
		}
	}
	rec := b.NewRecord()
	b.Release()
	mustInsert(t, s, tbl, rec)
	rec.Release()
	must(t, s.Checkpoint())

	read := func(direct bool, preds []Predicate) (map[string]string, int) {
		t.Helper()
		defer func(on bool) { directPagesOff = on }(directPagesOff)
		directPagesOff = !direct
		// A scan decodes a row group's columns in goroutines of their
		// own (decodeColumns), so the hook runs concurrently.
		var runs atomic.Int64
		directRunHook = func() { runs.Add(1) }
		defer func() { directRunHook = nil }()
		got, _ := scanAllWhere(t, s.Snapshot(), tbl, preds)
		return got, int(runs.Load())
	}
	for _, tc := range []struct {
		name  string
		preds []Predicate
	}{
		{"all", nil},
		{"point", []Predicate{{Column: 0, Op: Eq, Value: int64(4321)}}},
		{"range", []Predicate{{Column: 0, Op: Ge, Value: int64(2000)}, {Column: 0, Op: Lt, Value: int64(2600)}}},
	} {
		want, slowRuns := read(false, tc.preds)
		got, runs := read(true, tc.preds)
		// (A point lookup reads its few pages through the page cache.)
		if slowRuns != 0 || runs == 0 && tc.name != "point" {
			t.Fatalf("%s: %d direct runs with the direct reader on, %d with it off", tc.name, runs, slowRuns)
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d rows read directly, %d through parquet-go", tc.name, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("%s: row %s\ndirect     %s\nparquet-go %s", tc.name, k, got[k], w)
			}
		}
	}
}

// isCompressedOf is a header's is_compressed, true when absent.
func isCompressedOf(d format.DataPageHeaderV2) bool {
	v, ok := d.IsCompressed.Get()
	return v || !ok
}

// BenchmarkDecodeDelta decodes a page's worth of int64s (16k values,
// deltas of a few bits, as a sorted key's) with decodeDelta and with
// parquet-go's decoder, into a buffer that stays in the cache.
func BenchmarkDecodeDelta(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	vals := make([]int64, 16<<10)
	for i := range vals {
		vals[i] = int64(i*4) + rng.Int64N(4)
	}
	var enc delta.BinaryPackedEncoding
	src, _ := enc.EncodeInt64(nil, vals)
	dst := make([]int64, len(vals))
	b.Run("direct", func(b *testing.B) {
		var scratch []int64
		b.SetBytes(int64(8 * len(vals)))
		for b.Loop() {
			scratch, _ = decodeDelta(dst, nil, src, len(vals), scratch)
		}
	})
	b.Run("wide", func(b *testing.B) {
		var scratch []int64
		wide := make([]int64, 2*len(vals))
		b.SetBytes(int64(8 * len(vals)))
		for b.Loop() {
			scratch, _ = decodeDelta(nil, wide, src, len(vals), scratch)
		}
	})
	b.Run("parquet-go", func(b *testing.B) {
		b.SetBytes(int64(8 * len(vals)))
		for b.Loop() {
			dst, _ = enc.DecodeInt64(dst[:0], src)
		}
	})
}
