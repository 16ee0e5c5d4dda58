package engine

import (
	"context"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// explain answers EXPLAIN: the plan's text, one row per line, or its
// JSON in one row. Under ANALYZE the statement runs to its end first, its
// data-modifying parts taking effect and its rows discarded, as in
// PostgreSQL.
func (s *Session) explain(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.ExplainPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	if x, ok := p.Inner.(*planner.ExecutePlan); ok {
		// EXPLAIN EXECUTE shows (and under ANALYZE runs) the prepared
		// statement's plan with the arguments' values.
		bound, args, err := s.boundPrepared(snap, x)
		if err != nil {
			return "", err
		}
		inner := *p
		inner.Inner = bound.Plan
		return s.explain(ctx, txn, snap, &inner, args, formats, out)
	}
	if w, ok := p.Inner.(*planner.ModifyingWithPlan); ok && p.Analyze {
		defer s.keepModified(len(w.CTEs))()
	}
	parts, ex, err := planner.LowerExplain(p, snap, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	if len(parts) > 0 {
		start := time.Now()
		if err := s.runExplained(ctx, txn, snap, parts, params); err != nil {
			return "", err
		}
		ex.SetExecutionTime(time.Since(start))
	}
	if err := out.Columns(explainColumns(p), formats); err != nil {
		return "", err
	}
	lines := []string{}
	if p.Format == "json" {
		lines = append(lines, ex.JSON())
	} else {
		lines = ex.Text()
	}
	for _, line := range lines {
		if err := out.Row([][]byte{[]byte(line)}); err != nil {
			return "", err
		}
	}
	return "EXPLAIN", nil
}

// runExplained runs the parts of a statement under EXPLAIN ANALYZE as
// modifyingWith and dispatch run them, in order and each to its end, over
// the instrumented operators LowerExplain built: the data-modifying WITH
// queries first, keeping their RETURNING rows for the parts after them,
// then the main statement (the last part), whose rows are counted and
// dropped.
func (s *Session) runExplained(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, parts []*planner.ExplainPart, params []catalog.Datum) error {
	main := len(parts) - 1
	for i, part := range parts {
		start := time.Now()
		if _, ok := part.Plan.(*planner.QueryPlan); ok {
			if _, err := s.countRows(ctx, part.Op); err != nil {
				return err
			}
			continue
		}
		var returned int64
		var err error
		if i < main {
			returned, err = s.runModifyingCTE(ctx, txn, snap, i, part.Plan, part.Op, params)
		} else {
			counted := &countedRows{}
			_, err = s.modify(ctx, txn, snap, part.Plan, part.Op, params, counted)
			returned = counted.rows
		}
		if err != nil {
			return err
		}
		part.Modified(returned, time.Since(start))
	}
	return nil
}

// countRows runs op to its end and returns how many rows it returned.
func (s *Session) countRows(ctx context.Context, op exec.Operator) (int64, error) {
	ec := s.execContext(ctx)
	defer ec.Release()
	var n int64
	err := exec.Drain(ec, op, func(b *exec.Batch) error {
		n += int64(b.NumRows())
		return nil
	})
	return n, err
}

// countedRows counts the RETURNING rows of a statement run under EXPLAIN
// ANALYZE, which returns none to the client.
type countedRows struct{ rows int64 }

func (c *countedRows) take(ctx context.Context, s *Session, op exec.Operator, _ []planner.ResultColumn) error {
	n, err := s.countRows(ctx, op)
	c.rows += n
	return err
}

// explainColumns describes EXPLAIN's one column: text, or json for
// FORMAT JSON, as PostgreSQL types it.
func explainColumns(p *planner.ExplainPlan) []Column {
	c := textColumn("QUERY PLAN")
	if p.Format == "json" {
		c.TypeOID = catalog.TypeJSON.OID()
	}
	return []Column{c}
}
