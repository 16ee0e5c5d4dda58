package exec

import (
	"slices"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestFilterKeepsDenseBatches: a dense batch all of whose rows pass leaves
// the filter dense (no selection for the operators above to gather); one
// that loses rows, or that came with a selection, leaves it with the
// selection of the rows that pass.
func TestFilterKeepsDenseBatches(t *testing.T) {
	var rows [][]catalog.Datum
	for v := range int32(7) {
		rows = append(rows, []catalog.Datum{v + 1})
	}
	type batch struct {
		sel  []int32 // nil: dense
		vals []int32
	}
	run := func(src *rowsSource, pred Expr) []batch {
		t.Helper()
		var out []batch
		err := Drain(checkedCtx(t), NewFilter(src, pred), func(b *Batch) error {
			var vals []int32
			for r := range b.NumRows() {
				i := r
				if b.Sel != nil {
					i = int(b.Sel[r])
				}
				vals = append(vals, datumAt(b.Cols[0], catalog.TypeInt4, i).(int32))
			}
			out = append(out, batch{slices.Clone(b.Sel), vals})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	col := ColumnRef(0, catalog.TypeInt4)
	all := mustBinary(t, OpGt, col, Literal(int32(0), catalog.TypeInt4))
	got := run(source([]catalog.Type{catalog.TypeInt4}, rows), all)
	if len(got) != 3 || slices.ContainsFunc(got, func(b batch) bool { return b.sel != nil }) {
		t.Errorf("all rows pass: %v, want three dense batches", got)
	}
	got = run(source([]catalog.Type{catalog.TypeInt4}, rows), mustBinary(t, OpNe, col, Literal(int32(2), catalog.TypeInt4)))
	if len(got) != 3 || !slices.Equal(got[0].sel, []int32{0, 2}) || !slices.Equal(got[0].vals, []int32{1, 3}) || got[1].sel != nil || got[2].sel != nil {
		t.Errorf("row 2 fails: %v, want its batch selected and the others dense", got)
	}
	src := source([]catalog.Type{catalog.TypeInt4}, rows)
	src.sel = true
	got = run(src, all)
	if len(got) != 3 || !slices.Equal(got[0].sel, []int32{1, 2, 3}) || !slices.Equal(got[2].vals, []int32{7}) {
		t.Errorf("selected input, all pass: %v, want the selections kept", got)
	}
}
