package exec

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// sortKeySets are the orders the sort tests check: an int key with NULLs
// and many ties, descending with NULLs first then text, and text alone.
var sortKeySets = map[string][]SortKey{
	"key":           {{Expr: ColumnRef(0, tInt)}},
	"key desc text": {{Expr: ColumnRef(0, tInt), Desc: true, NullsFirst: true}, {Expr: ColumnRef(1, tText)}},
	"text":          {{Expr: ColumnRef(1, tText), NullsFirst: true}},
}

// dealRows deals rows over n partitions in stretches of varied
// length, as a scan's partitions take row groups.
func dealRows(rows [][]catalog.Datum, n int) [][][]catalog.Datum {
	parts := make([][][]catalog.Datum, n)
	for i, p := 0, 0; i < len(rows); p = (p + 1) % n {
		end := min(len(rows), i+17+p*31)
		parts[p] = append(parts[p], rows[i:end]...)
		i = end
	}
	return parts
}

// parallelSortOf sorts the partitions with a parallel sort; sel makes
// every other pipeline's batches carry a selection.
func parallelSortOf(parts [][][]catalog.Datum, keys []SortKey) Operator {
	inputs := make([]Operator, len(parts))
	keyLists := make([][]SortKey, len(parts))
	for i, p := range parts {
		inputs[i] = spillSource(p, i%2 == 1)
		keyLists[i] = keys
	}
	return NewParallelSort(inputs, keyLists, nil)
}

// TestParallelSortMatchesSerial sorts rows dealt over 1 to 3 pipelines,
// in memory and through runs on disk, at sizes around the batch size.
// Ties go to the earlier pipeline and keep each pipeline's order, so the
// result must equal, row for row, a stable serial sort of the
// partitions one after another.
func TestParallelSortMatchesSerial(t *testing.T) {
	for _, n := range spillSizes {
		for _, skew := range []bool{false, true} {
			for name, keys := range sortKeySets {
				for _, pipelines := range []int{1, 2, 3} {
					for _, workMem := range []int64{0, 2 << 10} {
						t.Run(fmt.Sprintf("%d/%v/%s/%d/%d", n, skew, name, pipelines, workMem), func(t *testing.T) {
							parts := dealRows(spillRows(n, skew), pipelines)
							var all [][]catalog.Datum
							for _, p := range parts {
								all = append(all, p...)
							}
							want := runSpilled(t, spillCtx(t, 0), NewSort(spillSource(all, false), keys))
							op := parallelSortOf(parts, keys)
							got := runSpilled(t, spillCtx(t, workMem), op)
							if !reflect.DeepEqual(got, want) {
								t.Fatalf("parallel sort differs from the serial sort\n got: %v\nwant: %v", fmtRows(got[:min(len(got), 20)]), fmtRows(want[:min(len(want), 20)]))
							}
							r := op.(*parallelSortOp).MemoryReport()
							if n == 3000 && workMem > 0 && (!r.Spilled || r.DiskBytes == 0) || workMem == 0 && r.Spilled {
								t.Fatalf("%d rows, work_mem %d: report %+v", n, workMem, r)
							}
						})
					}
				}
			}
		}
	}
}

// TestParallelSortReopens runs one parallel sort three times: spilling,
// in memory, and stopped after its first batch, then once more.
func TestParallelSortReopens(t *testing.T) {
	keys := sortKeySets["key desc text"]
	parts := dealRows(spillRows(3000, false), 2)
	want := runSpilled(t, spillCtx(t, 0), parallelSortOf(parts, keys))
	op := parallelSortOf(parts, keys)
	for i, workMem := range []int64{2 << 10, 0} {
		if got := openDrain(t, spillCtx(t, workMem), op); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d differs: %d rows, want %d", i, len(got), len(want))
		}
	}
	ctx := spillCtx(t, 2<<10)
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if b, err := op.Next(); err != nil || b == nil {
		t.Fatalf("first batch: %v, %v", b, err)
	}
	op.Close()
	if got := runSpilled(t, ctx, op); !reflect.DeepEqual(got, want) {
		t.Fatalf("run after an early stop differs: %d rows, want %d", len(got), len(want))
	}
}

// TestSortReopensAfterSpilling re-opens a serial sort, without closing
// it, after a run that wrote runs to disk, for a run that fits in memory:
// the second must not read the first run's merger.
func TestSortReopensAfterSpilling(t *testing.T) {
	rows := spillRows(3000, false)
	keys := sortKeySets["key"]
	want := runSpilled(t, spillCtx(t, 0), NewSort(spillSource(rows, false), keys))
	op := NewSort(spillSource(rows, false), keys)
	defer op.Close()
	for i, workMem := range []int64{2 << 10, 0, 2 << 10} {
		if got := openDrain(t, spillCtx(t, workMem), op); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d (work_mem %d) differs: %d rows, want %d", i, workMem, len(got), len(want))
		}
	}
}

// openDrain opens op and reads it to its end without closing it, as a
// nested loop re-runs its inner side.
func openDrain(t *testing.T, ctx *Context, op Operator) [][]catalog.Datum {
	t.Helper()
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	types := op.Types()
	var rows [][]catalog.Datum
	for {
		b, err := op.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return rows
		}
		rows = appendRows(rows, types, b)
	}
}

// TestParallelSortFallsBackToSerial has one pipeline report that its
// shared build outgrew work_mem: the sort must then order the serial
// input instead.
func TestParallelSortFallsBackToSerial(t *testing.T) {
	rows := spillRows(500, true)
	keys := sortKeySets["key desc text"]
	want := runSpilled(t, spillCtx(t, 0), NewSort(spillSource(rows, false), keys))
	tooLarge := &failingSource{rowsSource: *spillSource(nil, false), err: errPipelinesTooLarge}
	other := spillSource(rows[:100], false)
	op := NewParallelSort([]Operator{other, tooLarge}, [][]SortKey{keys, keys}, spillSource(rows, true))
	if got := runSpilled(t, spillCtx(t, 0), op); !reflect.DeepEqual(got, want) {
		t.Fatalf("fallback differs\n got: %v\nwant: %v", fmtRows(got[:min(len(got), 20)]), fmtRows(want[:min(len(want), 20)]))
	}
	if other.closed != 1 || tooLarge.closed != 1 {
		t.Fatalf("pipelines closed %d and %d times, want once each", other.closed, tooLarge.closed)
	}
}

func parallelSortOfInputs(inputs []Operator) Operator {
	keys := []SortKey{{Expr: ColumnRef(1, tInt)}}
	return NewParallelSort(inputs, [][]SortKey{keys, keys}, nil)
}

func TestParallelSortErrorStopsPipelines(t *testing.T) {
	checkErrorStopsPipelines(t, parallelSortOfInputs)
}

func TestParallelSortCancel(t *testing.T) {
	checkCancelStopsPipelines(t, parallelSortOfInputs)
}
