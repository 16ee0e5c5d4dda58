package exec

import (
	"fmt"
	"math/rand/v2"
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
