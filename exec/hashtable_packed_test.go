package exec

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// TestPackedKeysMatchColumnKeys feeds the same batches to a table with
// packed keys and one with column-wise keys: both must number the groups
// identically, before and after a long string unpacks the first.
func TestPackedKeysMatchColumnKeys(t *testing.T) {
	types := []catalog.Type{catalog.BpcharType(1), catalog.TypeInt2, catalog.TypeDate, catalog.TypeBool, catalog.TypeText}
	packed := newHashTable(types)
	if packed.packers != nil {
		t.Fatalf("%v packed, but needs more than 128 bits", types)
	}
	types = types[:4]
	packed = newHashTable(types)
	if packed.packers == nil {
		t.Fatalf("%v not packed", types)
	}
	plain := newHashTable(types)
	plain.packers = nil

	ctx := checkedCtx(t)
	rng := rand.New(rand.NewPCG(1, 2))
	flags := []catalog.Datum{"A", "N ", "", " ", nil, "é"}
	batch := func(n int, long bool) []arrow.Array {
		vals := make([][]catalog.Datum, len(types))
		for i := range n {
			vals[0] = append(vals[0], flags[rng.IntN(len(flags))])
			vals[1] = append(vals[1], catalog.Datum(int16(rng.IntN(5)-2)))
			vals[2] = append(vals[2], catalog.Datum(int32(rng.IntN(3)*100000-1)))
			vals[3] = append(vals[3], []catalog.Datum{true, false, nil}[rng.IntN(3)])
			if i%7 == 0 {
				vals[1][i], vals[2][i] = nil, nil
			}
		}
		if long {
			vals[0][n/2] = "too long to pack"
		}
		cols := make([]arrow.Array, len(types))
		for c, ty := range types {
			a, err := datumsToArray(ctx.Mem, ty, vals[c])
			if err != nil {
				t.Fatal(err)
			}
			cols[c] = a
		}
		return cols
	}
	for round := range 6 {
		long := round == 3
		cols := batch(500, long)
		rows := identitySel(500)
		if round%2 == 1 {
			rows = rows[100:400:400]
		}
		want := make([]int32, len(rows))
		got := make([]int32, len(rows))
		insert := round != 5
		plain.find(cols, rows, want, insert)
		packed.find(cols, rows, got, insert)
		releaseAll(cols)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: groups differ\n got %v\nwant %v", round, got, want)
		}
		if (packed.packers != nil) == (round >= 3) {
			t.Fatalf("round %d: packed is %v", round, packed.packers != nil)
		}
	}
	if n := plain.len(); n < 50 {
		t.Fatalf("only %d groups", n)
	}
	ka, kb := packed.keyArrays(ctx.Mem), plain.keyArrays(ctx.Mem)
	for c := range ka {
		if fmt.Sprint(ka[c]) != fmt.Sprint(kb[c]) {
			t.Errorf("column %d keys differ: %v vs %v", c, ka[c], kb[c])
		}
	}
	releaseAll(ka)
	releaseAll(kb)
}

// TestFirstOfNewGroupsOutOfOrder: find numbers a row that collided after
// later rows that did not ("zzzzzz0" here gets group 2), and the first
// row of every new group must still be kept, once.
func TestFirstOfNewGroupsOutOfOrder(t *testing.T) {
	ctx := checkedCtx(t)
	for _, packed := range []bool{true, false} {
		ht := newHashTable([]catalog.Type{catalog.TypeText})
		if !packed {
			ht.packers = nil
		}
		vals := []catalog.Datum{"zzzz ", "zzzzzz0", "bb_bb_zz", "zzzzzz0", "zzzz "}
		a, err := datumsToArray(ctx.Mem, catalog.TypeText, vals)
		if err != nil {
			t.Fatal(err)
		}
		rows := identitySel(len(vals))
		groups := make([]int32, len(vals))
		ht.find([]arrow.Array{a}, rows, groups, true)
		a.Release()
		if got := ht.firstOfNewGroups(nil, rows, groups, 0); !slices.Equal(got, []int32{0, 1, 2}) {
			t.Errorf("packed=%v: groups %v, first rows %v, want [0 1 2]", packed, groups, got)
		}
	}
}

// TestPacked64BitKeysMatchColumnKeys: bigint and timestamp keys pack a
// whole word each, their NULL flags in bits left over; two bigints leave
// none (nor does a string, which takes a whole word too), and the first
// NULL switches the table to column-wise keys.
func TestPacked64BitKeysMatchColumnKeys(t *testing.T) {
	ctx := checkedCtx(t)
	for _, tc := range []struct {
		types      []catalog.Type
		unpackNull bool // a NULL key unpacks the table
	}{
		{[]catalog.Type{catalog.TypeInt8}, false},
		{[]catalog.Type{catalog.TypeInt4, catalog.TypeTimestamp}, false},
		{[]catalog.Type{catalog.TypeInt8, catalog.BpcharType(1)}, true},
		{[]catalog.Type{catalog.TypeInt2, catalog.TypeInt8}, false},
		{[]catalog.Type{catalog.TypeInt8, catalog.TypeInt8}, true},
	} {
		packed, plain := newHashTable(tc.types), newHashTable(tc.types)
		if packed.packers == nil {
			t.Fatalf("%v not packed", tc.types)
		}
		plain.packers = nil
		rng := rand.New(rand.NewPCG(3, 4))
		for round := range 5 {
			withNulls := round >= 3
			n := []int{1023, 1024, 1025, 1, 2000}[round]
			cols := make([]arrow.Array, len(tc.types))
			for c, ty := range tc.types {
				vals := make([]catalog.Datum, n)
				for i := range vals {
					x := int64(rng.IntN(300)) - 150
					if rng.IntN(4) == 0 {
						x = x<<40 | 1<<62 // values using the high bits
					}
					switch ty.Kind {
					case catalog.Int4:
						vals[i] = int32(x)
					case catalog.Int2:
						vals[i] = int16(x)
					case catalog.Bpchar:
						vals[i] = []string{"A", "B", ""}[rng.IntN(3)]
					default:
						vals[i] = x
					}
					if withNulls && i%5 == c {
						vals[i] = nil
					}
				}
				a, err := datumsToArray(ctx.Mem, ty, vals)
				if err != nil {
					t.Fatal(err)
				}
				cols[c] = a
			}
			rows := identitySel(n)
			want, got := make([]int32, n), make([]int32, n)
			plain.find(cols, rows, want, true)
			packed.find(cols, rows, got, true)
			releaseAll(cols)
			if !slices.Equal(got, want) {
				t.Fatalf("%v round %d: groups differ\n got %v\nwant %v", tc.types, round, got, want)
			}
			if isPacked := packed.packers != nil; isPacked == (withNulls && tc.unpackNull) {
				t.Fatalf("%v round %d: packed is %v", tc.types, round, isPacked)
			}
		}
		ka, kb := packed.keyArrays(ctx.Mem), plain.keyArrays(ctx.Mem)
		for c := range ka {
			if fmt.Sprint(ka[c]) != fmt.Sprint(kb[c]) {
				t.Errorf("%v column %d keys differ", tc.types, c)
			}
		}
		releaseAll(ka)
		releaseAll(kb)
	}
}

// TestSmallHashTableAllocatesLittle: the table of an IN list of a few
// strings packs their keys in as many slots as it has keys, not a whole
// batch's (65,536 keys, a megabyte zeroed per table).
func TestSmallHashTableAllocatesLittle(t *testing.T) {
	list := []Expr{Literal("MAIL", catalog.TypeText), Literal("SHIP", catalog.TypeText), Literal("AIR", catalog.TypeText)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const sets = 20
	for range sets {
		if InList(ColumnRef(0, catalog.TypeText), list, false) == nil {
			t.Fatal("no IN list")
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / sets; per > 64<<10 {
		t.Errorf("an IN list of three strings allocated %d bytes", per)
	}
}
