package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// modifyingWith runs a statement's data-modifying WITH queries, in
// order and each to its end, keeping their RETURNING rows for the queries
// after them and the main statement, which then runs. All of them read
// snap, the statement's snapshot, so none sees another's writes (as in
// PostgreSQL); the rows are kept in memory for the statement's length.
func (s *Session) modifyingWith(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.ModifyingWithPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	s.modified = make([][]arrow.Record, len(p.CTEs))
	defer func() {
		for _, recs := range s.modified {
			releaseAll(recs)
		}
		s.modified = nil
	}()
	for i, c := range p.CTEs {
		kept := &keptRows{}
		var err error
		switch q := c.Plan.(type) {
		case *planner.InsertPlan:
			_, err = s.insert(ctx, txn, snap, q, params, kept)
		case *planner.UpdatePlan:
			_, err = s.update(ctx, txn, snap, q, params, kept)
		case *planner.DeletePlan:
			_, err = s.delete(ctx, txn, snap, q, params, kept)
		}
		s.modified[i] = kept.recs
		if err != nil {
			return "", err
		}
	}
	return s.dispatch(ctx, txn, snap, p.Main, params, formats, out)
}

// keptRows keeps RETURNING rows as records.
type keptRows struct{ recs []arrow.Record }

func (k *keptRows) take(ctx context.Context, s *Session, op exec.Operator, cols []planner.ResultColumn) error {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	return s.drainOperatorDense(ctx, op, func(arrs []arrow.Array, rows int) error {
		k.recs = append(k.recs, array.NewRecord(schema, arrs, int64(rows)))
		return nil
	})
}
