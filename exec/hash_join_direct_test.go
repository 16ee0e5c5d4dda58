package exec

import (
	"fmt"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestHashJoinBuildsDirect: a build on one integer key column finds its
// rows by position while the keys stay dense (hashtable_direct.go), and
// leaves that mode when a later chunk of keys lies far away; every kind
// of join answers as the same join on the keys cast to text (found by
// hashing) does, in each of those cases. TestHashJoinKinds checks joins
// on dense keys against nested loops.
func TestHashJoinBuildsDirect(t *testing.T) {
	tInt8 := catalog.TypeInt8
	rows := func(n int, key func(i int) catalog.Datum) [][]catalog.Datum {
		out := make([][]catalog.Datum, n)
		for i := range out {
			out[i] = []catalog.Datum{key(i), int64(i)}
		}
		return out
	}
	dense := func(i int) catalog.Datum {
		if i%97 == 0 {
			return nil
		}
		return int64(1000 + i%700) // duplicates
	}
	// Past the first chunk of maxBatchRows build rows, keys jump far away.
	leaves := func(i int) catalog.Datum {
		if i < maxBatchRows+10 {
			return int64(1000 + i) // one row per key
		}
		return int64(1<<40 + i)
	}
	sparse := func(i int) catalog.Datum { return int64(i) * 1_000_003 }
	cases := []struct {
		name        string
		build       [][]catalog.Datum
		probe       [][]catalog.Datum
		staysDirect bool
	}{
		{"dense", rows(3000, dense), rows(2500, func(i int) catalog.Datum { return dense(i * 3) }), true},
		{"leaves", rows(maxBatchRows+400, leaves), rows(900, func(i int) catalog.Datum { return leaves(i * 73) }), false},
		{"sparse", rows(2000, sparse), rows(1500, func(i int) catalog.Datum { return sparse(i * 2) }), false},
	}
	types := []catalog.Type{tInt8, tInt8}
	for _, c := range cases {
		for _, kind := range []JoinKind{JoinInner, JoinLeft, JoinSemi, JoinAnti, JoinRight, JoinRightSemi, JoinRightAnti} {
			t.Run(fmt.Sprintf("%s/%d", c.name, kind), func(t *testing.T) {
				probe, build := source(types, c.probe), source(types, c.build)
				probe.per, build.per = 1000, 4096
				keys := []Expr{ColumnRef(0, tInt8)}
				peek := &peekNext{Operator: probe}
				j := NewHashJoin(peek, build, keys, keys, kind, nil, false).(*hashJoinOp)
				direct := false
				// The probe side is read once the build is made.
				peek.first = func() { direct = j.build.table.direct != nil }
				got := collect(t, j)
				if direct != c.staysDirect {
					t.Fatalf("direct mode %v, want %v", direct, c.staysDirect)
				}
				// The same join on the keys as text, which a hash table
				// finds by hashing.
				probe, build = source(types, c.probe), source(types, c.build)
				probe.per, build.per = 1000, 4096
				text := []Expr{must(Cast(ColumnRef(0, tInt8), catalog.TypeText))}
				want := collect(t, NewHashJoin(probe, build, text, text, kind, nil, false))
				assertRows(t, sortRows(got), sortRows(want))
			})
		}
	}
}

// peekNext runs first before the first Next of its operator.
type peekNext struct {
	Operator
	first func()
}

func (p *peekNext) Next() (*Batch, error) {
	if p.first != nil {
		p.first()
		p.first = nil
	}
	return p.Operator.Next()
}
