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
	defer s.keepModified(len(p.CTEs))()
	for i, c := range p.CTEs {
		if _, err := s.runModifyingCTE(ctx, txn, snap, i, c.Plan, nil, params); err != nil {
			return "", err
		}
	}
	return s.dispatch(ctx, txn, snap, p.Main, params, formats, out)
}

// keepModified readies the session to keep the RETURNING rows of n
// data-modifying WITH queries, which ModifiedRows leaves read (the plans
// lowered from now on read them when they run), and returns how to drop
// them at the statement's end.
func (s *Session) keepModified(n int) func() {
	s.modified = make([][]arrow.Record, n)
	return func() {
		for _, recs := range s.modified {
			releaseAll(recs)
		}
		s.modified = nil
	}
}

// runModifyingCTE runs the i-th data-modifying WITH query, plan, over
// source (nil: its own Source lowered), keeping its RETURNING rows, and
// returns how many it returned.
func (s *Session) runModifyingCTE(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, i int, plan planner.Plan, source exec.Operator, params []catalog.Datum) (int64, error) {
	kept := &keptRows{}
	_, err := s.modify(ctx, txn, snap, plan, source, params, kept)
	s.modified[i] = kept.recs
	return kept.rows, err
}

// keptRows keeps RETURNING rows as records.
type keptRows struct {
	recs []arrow.Record
	rows int64
}

func (k *keptRows) take(ctx context.Context, s *Session, op exec.Operator, cols []planner.ResultColumn) error {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	return s.drainOperatorDense(ctx, op, func(arrs []arrow.Array, rows int) error {
		k.recs = append(k.recs, array.NewRecord(schema, arrs, int64(rows)))
		k.rows += int64(rows)
		return nil
	})
}
