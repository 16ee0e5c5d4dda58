package exec

import (
	"context"
	"sync"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestSharedSubqueryRunsOncePerStatement: pipelines of one statement
// evaluating a shared scalar subquery at once run its plan once and all
// read its value; the next statement (a new Context) runs it again. A
// shared EXISTS reads whether the plan had a row.
func TestSharedSubqueryRunsOncePerStatement(t *testing.T) {
	plan := source([]catalog.Type{catalog.TypeInt8}, [][]catalog.Datum{{int64(42)}})
	scalar, err := SharedSubquery(SubqueryScalar, plan, catalog.TypeInt8)
	if err != nil {
		t.Fatal(err)
	}
	empty := source([]catalog.Type{catalog.TypeInt8}, nil)
	exists, err := SharedSubquery(SubqueryExists, empty, catalog.TypeBool)
	if err != nil {
		t.Fatal(err)
	}
	in := &Batch{Len: 5}
	for statement := 1; statement <= 2; statement++ {
		parent := checkedCtx(t)
		pipeCtx, cancel := context.WithCancel(parent.Ctx)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			ctx := parent.pipeline(pipeCtx)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					a, err := scalar.Eval(ctx, in)
					if err != nil {
						errs[i] = err
						return
					}
					if a.Len() != 5 || datumAt(a, catalog.TypeInt8, 4) != int64(42) {
						t.Errorf("pipeline %d: %v", i, a)
					}
					a.Release()
					b, err := exists.Eval(ctx, in)
					if err != nil {
						errs[i] = err
						return
					}
					if datumAt(b, catalog.TypeBool, 0) != false {
						t.Errorf("pipeline %d: EXISTS of no rows is %v", i, datumAt(b, catalog.TypeBool, 0))
					}
					b.Release()
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
		if plan.opened != statement || empty.opened != statement {
			t.Fatalf("after statement %d the plans were opened %d and %d times", statement, plan.opened, empty.opened)
		}
	}
	if _, err := SharedSubquery(SubqueryIn, plan, catalog.TypeBool); err == nil {
		t.Fatal("an IN subquery was shared")
	}
}
