package exec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestDirectGroupingMatchesKeys drives a table in direct mode with
// batches whose keys grow its map up and down, jump far enough to make
// it leave direct mode (or not, in the dense runs), hold NULLs and the
// extreme values, and are looked up without inserting. After every batch
// each row's group must hold the row's key, equal keys must share a
// group, the table must hold one group per distinct key, and a key never
// inserted must not be found.
func TestDirectGroupingMatchesKeys(t *testing.T) {
	for _, typ := range []catalog.Type{catalog.TypeInt2, catalog.TypeInt4, catalog.TypeInt8} {
		for _, scenario := range []string{"dense", "rebase", "sparse jump", "extremes"} {
			t.Run(fmt.Sprint(typ.Kind, " ", scenario), func(t *testing.T) {
				checkDirectGrouping(t, typ, scenario)
			})
		}
	}
}

func checkDirectGrouping(t *testing.T, typ catalog.Type, scenario string) {
	rng := rand.New(rand.NewPCG(7, uint64(len(scenario))))
	tbl := newHashTable([]catalog.Type{typ})
	tbl.useDirect([]catalog.Type{typ})
	if tbl.direct == nil {
		t.Fatal("not in direct mode")
	}
	limit := map[catalog.Kind]int64{catalog.Int2: math.MaxInt16, catalog.Int4: math.MaxInt32, catalog.Int8: 1 << 40}[typ.Kind]
	seen := map[int64]bool{}
	sawNull := false
	key := func(batch int) (int64, bool) {
		if rng.IntN(20) == 0 {
			return 0, true
		}
		switch scenario {
		case "dense":
			return 1000 + rng.Int64N(3000), false
		case "rebase":
			return 5000 - int64(batch)*300 + rng.Int64N(400), false
		case "sparse jump":
			if batch == 6 && typ.Kind != catalog.Int2 {
				return limit - rng.Int64N(10), false
			}
			return rng.Int64N(2000), false
		}
		switch rng.IntN(3) {
		case 0:
			if typ.Kind == catalog.Int8 {
				return math.MinInt64 + rng.Int64N(3), false
			}
			return -limit - 1 + rng.Int64N(3), false
		case 1:
			if typ.Kind == catalog.Int8 {
				return math.MaxInt64 - rng.Int64N(3), false
			}
			return limit - rng.Int64N(3), false
		}
		return rng.Int64N(50) - 25, false
	}
	for batch := range 10 {
		n := 1 + rng.IntN(700)
		vals := make([]int64, n)
		nulls := make([]bool, n)
		for i := range vals {
			vals[i], nulls[i] = key(batch)
		}
		datums := make([]catalog.Datum, n)
		for i, v := range vals {
			if !nulls[i] {
				datums[i] = intDatum(typ, v)
			}
		}
		arr, err := datumsToArray(memory.DefaultAllocator, typ, datums)
		if err != nil {
			t.Fatal(err)
		}
		rows := identitySel(n)
		groups := make([]int32, n)
		insert := batch%4 != 3
		before := tbl.len()
		added := tbl.find([]arrow.Array{arr}, rows, groups, insert)
		if tbl.len()-before != added {
			t.Fatalf("batch %d: find reported %d groups added, the table grew by %d", batch, added, tbl.len()-before)
		}
		stored := tbl.keyArrays(memory.DefaultAllocator)[0]
		byGroup := map[int32]int{}
		for k := range vals {
			g := groups[k]
			known := nulls[k] && sawNull || !nulls[k] && seen[vals[k]]
			if g < 0 {
				if insert || known {
					t.Fatalf("batch %d row %d (key %d, null %v): no group", batch, k, vals[k], nulls[k])
				}
				continue
			}
			if !insert && !known {
				t.Fatalf("batch %d row %d: absent key %d found in group %d", batch, k, vals[k], g)
			}
			if got := datumAt(stored, typ, int(g)); got != datums[k] {
				t.Fatalf("batch %d row %d: key %d (null %v) in group %d of key %v", batch, k, vals[k], nulls[k], g, datumAt(stored, typ, int(g)))
			}
			if j, ok := byGroup[g]; ok && (nulls[j] != nulls[k] || vals[j] != vals[k] && !nulls[k]) {
				t.Fatalf("batch %d: rows %d and %d share group %d", batch, j, k, g)
			}
			byGroup[g] = k
		}
		if insert {
			for k := range vals {
				if nulls[k] {
					sawNull = true
				} else {
					seen[vals[k]] = true
				}
			}
		}
		distinct := len(seen)
		if sawNull {
			distinct++
		}
		if tbl.len() != distinct {
			t.Fatalf("batch %d: %d groups for %d distinct keys", batch, tbl.len(), distinct)
		}
		stored.Release()
		arr.Release()
	}
	wantDirect := scenario != "sparse jump" && scenario != "extremes" || typ.Kind == catalog.Int2
	if got := tbl.direct != nil; got != wantDirect {
		t.Fatalf("direct mode at the end: %v, want %v", got, wantDirect)
	}
}

// intDatum is v as a datum of the integer type typ.
func intDatum(typ catalog.Type, v int64) catalog.Datum {
	switch typ.Kind {
	case catalog.Int2:
		return int16(v)
	case catalog.Int4:
		return int32(v)
	}
	return v
}

// TestDirectSpanFits: small maps whatever their density, larger ones
// only as dense as their size asks, nothing past maxDirectSpan.
func TestDirectSpanFits(t *testing.T) {
	cases := []struct {
		span, groups uint64
		want         bool
	}{
		{1, 1, true}, {smallDirectSpan, 1, true},
		{smallDirectSpan + 1, 1, false}, {2 << 20, 32 << 10, true}, {2 << 20, 32<<10 - 1, false},
		{denseDirectSpan, 64 << 10, true}, {denseDirectSpan + 1, 64 << 10, false},
		{8 << 20, 512 << 10, true}, {8 << 20, 512<<10 - 1, false},
		{maxDirectSpan, maxDirectSpan, true}, {maxDirectSpan + 1, maxDirectSpan, false},
	}
	for _, c := range cases {
		if got := directSpanFits(c.span, c.groups); got != c.want {
			t.Errorf("directSpanFits(%d, %d) = %v", c.span, c.groups, got)
		}
	}
}

// TestDirectMapAllocatesTouchedChunks: keys in two clusters a million
// apart, the second below the first, take the chunks they fall in and no
// others, and a lookup of a key between them finds nothing and allocates
// nothing.
func TestDirectMapAllocatesTouchedChunks(t *testing.T) {
	tbl := newHashTable([]catalog.Type{catalog.TypeInt8})
	tbl.useDirect([]catalog.Type{catalog.TypeInt8})
	find := func(keys []int64, insert bool) []int32 {
		datums := make([]catalog.Datum, len(keys))
		for i, k := range keys {
			datums[i] = k
		}
		arr, err := datumsToArray(memory.DefaultAllocator, catalog.TypeInt8, datums)
		if err != nil {
			t.Fatal(err)
		}
		defer arr.Release()
		groups := make([]int32, len(keys))
		tbl.find([]arrow.Array{arr}, identitySel(len(keys)), groups, insert)
		return groups
	}
	var high, low []int64
	for k := range int64(3 * directChunk) {
		high = append(high, 5_000_000+k)
		low = append(low, 4_000_000+k+directChunk/2)
	}
	find(high, true)
	find(low, true)
	if tbl.direct == nil {
		t.Fatal("left direct mode")
	}
	// Each cluster of 3 chunks' worth of keys spans 3 or 4 chunks.
	if n := tbl.direct.allocated; n < 6 || n > 8 {
		t.Fatalf("%d chunks allocated for two clusters of %d keys", n, 3*directChunk)
	}
	before := tbl.direct.allocated
	if g := find([]int64{4_500_000}, false); g[0] != -1 {
		t.Fatalf("key between the clusters found in group %d", g[0])
	}
	if tbl.direct.allocated != before {
		t.Fatal("a lookup allocated a chunk")
	}
	got := find(append(high[:2:2], low[len(low)-1]), false)
	if want := []int32{0, 1, int32(2*len(high) - 1)}; !slices.Equal(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
}
