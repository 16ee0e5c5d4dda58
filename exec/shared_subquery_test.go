package exec

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// TestSharedSubqueryRunsOncePerStatement: pipelines of one statement
// evaluating a shared scalar subquery at once run its plan once and all
// read its value; the next statement (a new Context) runs it again. A
// shared EXISTS reads whether the plan had a row, and a shared IN probes
// the plan's values with each pipeline's own operand (NULL among them:
// a value not found is unknown).
func TestSharedSubqueryRunsOncePerStatement(t *testing.T) {
	plan := source([]catalog.Type{catalog.TypeInt8}, [][]catalog.Datum{{int64(42)}})
	sharedPlan := NewSharedSubqueryPlan(plan)
	empty := source([]catalog.Type{catalog.TypeInt8}, nil)
	sharedEmpty := NewSharedSubqueryPlan(empty)
	list := source([]catalog.Type{catalog.TypeInt8}, [][]catalog.Datum{{int64(3)}, {nil}, {int64(7)}, {int64(3)}})
	sharedList := NewSharedSubqueryPlan(list)
	// A pipeline's batch: one column, 1, 2, 3, 4 and 7.
	col := func(ctx *Context) *Batch {
		a, err := datumsToArray(ctx.Mem, catalog.TypeInt8, []catalog.Datum{int64(1), int64(2), int64(3), int64(4), int64(7)})
		if err != nil {
			t.Fatal(err)
		}
		return &Batch{Cols: []arrow.Array{a}, Len: 5}
	}
	for statement := 1; statement <= 2; statement++ {
		parent := checkedCtx(t)
		pipeCtx, cancel := context.WithCancel(parent.Ctx)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			ctx := parent.pipeline(pipeCtx)
			// Each pipeline lowers its own expressions over the shared plans.
			scalar, err1 := SharedSubquery(sharedPlan, SubqueryScalar, nil, catalog.TypeInt8)
			exists, err2 := SharedSubquery(sharedEmpty, SubqueryExists, nil, catalog.TypeBool)
			in, err3 := SharedSubquery(sharedList, SubqueryIn, ColumnRef(0, catalog.TypeInt8), catalog.TypeBool)
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			batch := col(parent)
			defer releaseAll(batch.Cols)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					a, err := scalar.Eval(ctx, batch)
					if err != nil {
						errs[i] = err
						return
					}
					if a.Len() != 5 || datumAt(a, catalog.TypeInt8, 4) != int64(42) {
						t.Errorf("pipeline %d: %v", i, a)
					}
					a.Release()
					b, err := exists.Eval(ctx, batch)
					if err != nil {
						errs[i] = err
						return
					}
					if datumAt(b, catalog.TypeBool, 0) != false {
						t.Errorf("pipeline %d: EXISTS of no rows is %v", i, datumAt(b, catalog.TypeBool, 0))
					}
					b.Release()
					// 3 and 7 are in (3, NULL, 7); the others unknown.
					c, err := in.Eval(ctx, batch)
					if err != nil {
						errs[i] = err
						return
					}
					for r, want := range []catalog.Datum{nil, nil, true, nil, true} {
						if got := datumAt(c, catalog.TypeBool, r); got != want {
							t.Errorf("pipeline %d: row %d IN is %v, want %v", i, r, got, want)
						}
					}
					c.Release()
				}
			}()
		}
		wg.Wait()
		cancel()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if plan.opened != statement || empty.opened != statement || list.opened != statement {
			t.Fatalf("after statement %d the plans were opened %d, %d and %d times", statement, plan.opened, empty.opened, list.opened)
		}
	}
	if _, err := SharedSubquery(sharedList, SubqueryAny, ColumnRef(0, catalog.TypeInt8), catalog.TypeBool); err == nil {
		t.Fatal("an ANY subquery was shared")
	}
}
