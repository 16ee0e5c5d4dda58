package exec

import (
	"errors"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// tooLargeAfter passes on its input's first n batches, then fails with
// errPipelinesTooLarge, as a pipeline whose shared build outgrew
// hash_mem does.
type tooLargeAfter struct {
	Operator
	n, seen int
}

func (o *tooLargeAfter) Open(ctx *Context) error {
	o.seen = 0
	return o.Operator.Open(ctx)
}

func (o *tooLargeAfter) Next() (*Batch, error) {
	if o.seen == o.n {
		return nil, errPipelinesTooLarge
	}
	o.seen++
	return o.Operator.Next()
}

// TestGatherFallsBackToSerial: a Gather whose pipelines fail with
// errPipelinesTooLarge before any batch reached its consumer returns the
// serial plan's rows instead, closing every operator once; after a batch
// was delivered it fails, as rows already taken cannot be given again.
// Run twice, re-opened, it decides each run anew.
func TestGatherFallsBackToSerial(t *testing.T) {
	types := []catalog.Type{tInt}
	rows := [][]catalog.Datum{{int32(1)}, {int32(2)}, {int32(3)}, {int32(4)}}
	serial := source(types, rows)
	a, b := source(types, rows), source(types, rows)
	g := NewGatherWithSerialInput([]Operator{&tooLargeAfter{Operator: a}, &tooLargeAfter{Operator: b}}, serial)
	for run := 1; run <= 2; run++ {
		got := collect(t, g)
		assertRows(t, sortRows(got), sortRows(rows))
		if serial.opened != run || serial.closed != run || a.closed != run || b.closed != run {
			t.Fatalf("run %d: serial opened %d closed %d, pipelines closed %d and %d", run, serial.opened, serial.closed, a.closed, b.closed)
		}
	}

	a, b = source(types, rows), source(types, rows)
	a.per, b.per = 1, 1
	serial = source(types, rows)
	g = NewGatherWithSerialInput([]Operator{&tooLargeAfter{Operator: a, n: 2}, &tooLargeAfter{Operator: b, n: 2}}, serial)
	_, err := Collect(checkedCtx(t), g)
	if !errors.Is(err, errPipelinesTooLarge) || serial.opened != 0 {
		t.Fatalf("after delivered batches: %v, serial opened %d times", err, serial.opened)
	}
}
