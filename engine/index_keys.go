package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// indexKeys is the engine's storage.IndexKeysFunc: storage enforces a
// unique index over expressions or with a predicate with the keys this
// computes, evaluating the index's stored expressions (bound by
// planner.IndexKeyExprs) over each batch of rows with the ordinary
// expression evaluator. The expressions are immutable, so they need no
// session: they run in UTC with a context of their own.
func indexKeys(cat *storage.Snapshot, t *catalog.Table, ix *catalog.Index) (*storage.IndexKeys, error) {
	plan, err := planner.IndexKeyExprs(cat, t, ix)
	if err != nil {
		return nil, err
	}
	compute := func(rec arrow.Record) ([]arrow.Array, []bool, error) {
		keys, pred, err := plan.Lower()
		if err != nil {
			return nil, nil, err
		}
		ec := exec.NewContext(context.Background())
		defer ec.Release()
		b := &exec.Batch{Cols: rec.Columns(), Len: int(rec.NumRows())}
		var holds []bool
		if pred != nil {
			// Keys are computed only for the rows the predicate
			// accepts, as PostgreSQL evaluates them only for the rows
			// it puts in the index: ((100 / c)) WHERE c <> 0 never
			// divides by zero.
			if b.Sel, err = exec.SelectTrue(ec, pred, b, nil); err != nil {
				return nil, nil, err
			}
			holds = make([]bool, b.Len)
			for _, i := range b.Sel {
				holds[i] = true
			}
		}
		out := make([]arrow.Array, 0, len(keys))
		for _, k := range keys {
			a, err := k.Eval(ec, b)
			if err != nil {
				for _, a := range out {
					a.Release()
				}
				return nil, nil, err
			}
			out = append(out, a)
		}
		return out, holds, nil
	}
	return &storage.IndexKeys{Names: plan.Names, Types: plan.Types, Compute: compute}, nil
}
