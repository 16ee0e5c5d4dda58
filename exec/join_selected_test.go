package exec

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestJoinKeepsLeftColumnsUnderSelection: a join whose left rows each
// match at most once keeps the left batch's columns and selects the
// matched rows (selectedBatch), which the next join probes in turn. The
// rows must be those of a nested loop, whether the left rows are dense or
// sparse in a batch, for batch sizes around 1024, with and without
// selection vectors on the input, for inner and left joins, stacked.
func TestJoinKeepsLeftColumnsUnderSelection(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	i8, text := catalog.TypeInt8, catalog.TypeText
	// Left: the first 2000 rows match (dense batches), the rest mostly
	// not (sparse ones); a few keys are NULL.
	var left [][]catalog.Datum
	for i := range 3000 {
		k := catalog.Datum(int64(rng.IntN(1000)))
		if i >= 2000 {
			k = int64(1000 + rng.IntN(5000))
		}
		if i%101 == 0 {
			k = nil
		}
		left = append(left, row(k, fmt.Sprintf("l%d", i)))
	}
	// Right: keys 0..1199 once, 990..999 twice (those left rows match
	// two rows), payloads sometimes NULL.
	var right, third [][]catalog.Datum
	for k := range 1200 {
		p := catalog.Datum(fmt.Sprintf("r%d", k))
		if k%13 == 0 {
			p = nil
		}
		right = append(right, row(int64(k), p, int64(k%7)))
		if k >= 990 && k < 1000 {
			right = append(right, row(int64(k), "dup", int64(k%7)))
		}
	}
	for k := range 7 {
		third = append(third, row(int64(k), fmt.Sprintf("t%d", k)))
	}
	leftTypes := []catalog.Type{i8, text}
	rightTypes := []catalog.Type{i8, text, i8}
	thirdTypes := []catalog.Type{i8, text}

	// The nested-loop answer of left ⋈ right ⋈ third (on right's third
	// column, which third holds every value of), with a left join's
	// NULL-extended rows where asked.
	nested := func(kind JoinKind) []string {
		var out []string
		for _, l := range left {
			found := false
			for _, r := range right {
				if l[0] == nil || l[0] != r[0] {
					continue
				}
				found = true
				for _, x := range third {
					if r[2] == x[0] {
						out = append(out, fmtRows([][]catalog.Datum{append(append(slices.Clone(l), r...), x...)}))
					}
				}
			}
			if !found && kind == JoinLeft {
				out = append(out, fmtRows([][]catalog.Datum{append(slices.Clone(l), nil, nil, nil, nil, nil)}))
			}
		}
		slices.Sort(out)
		return out
	}
	for _, kind := range []JoinKind{JoinInner, JoinLeft} {
		want := nested(kind)
		for _, per := range []int{7, 1023, 1024, 1025, 3000} {
			for _, sel := range []bool{false, true} {
				first := NewHashJoin(&rowsSource{types: leftTypes, rows: left, per: per, sel: sel},
					&rowsSource{types: rightTypes, rows: right, per: 500},
					[]Expr{ColumnRef(0, i8)}, []Expr{ColumnRef(0, i8)}, kind, nil, false)
				second := NewHashJoin(first, &rowsSource{types: thirdTypes, rows: third, per: 4},
					[]Expr{ColumnRef(4, i8)}, []Expr{ColumnRef(0, i8)}, kind, nil, false)
				got := printedRows(collect(t, second), true)
				if !slices.Equal(got, want) {
					t.Fatalf("%v, batches of %d (sel %v): %d rows, want %d", kind, per, sel, len(got), len(want))
				}
			}
		}
	}
}
