package exec

import (
	"fmt"
	"runtime"
	"sort"
	"testing"
)

// sortedText prints rows and sorts them: a Gather's order is its
// pipelines' interleaving.
func sortedText(rows [][]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r)
	}
	sort.Strings(out)
	return out
}

// TestGatherIsTheUnionOfItsPipelines: every row of every pipeline comes
// out once, whatever the pipelines' batch sizes (splitSources deals them
// 5, 12, 19... rows at a time, some behind selection vectors) and
// however many pipelines, empty ones included.
func TestGatherIsTheUnionOfItsPipelines(t *testing.T) {
	for _, n := range []int{1, 2, 3, 8} {
		for _, rows := range []int{0, 1, 1023, 1024, 1025, 5000} {
			data := parallelAggRows(rows)
			want := sortedText(collect(t, NewUnion(splitSources(data, n), true)))
			got := sortedText(collect(t, NewGather(splitSources(data, n))))
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%d pipelines, %d rows: %d rows out, want %d", n, rows, len(got), len(want))
			}
		}
	}
}

func TestGatherErrorStopsPipelines(t *testing.T) {
	checkErrorStopsPipelines(t, NewGather)
}

func TestGatherCancel(t *testing.T) {
	checkCancelStopsPipelines(t, NewGather)
}

// TestGatherClosedEarly: a consumer that stops reading (a LIMIT above)
// closes the Gather while its pipelines wait to hand over; none is left
// running.
func TestGatherClosedEarly(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx := checkedCtx(t)
	op := NewGather([]Operator{
		&endlessSource{rowsSource: *source(parallelAggTypes, parallelAggRows(10))},
		&endlessSource{rowsSource: *source(parallelAggTypes, parallelAggRows(10))},
	})
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if b, err := op.Next(); err != nil || b == nil {
			t.Fatalf("batch %v, error %v", b, err)
		}
	}
	op.Close()
	waitGoroutines(t, before)
}
