package engine

import (
	"context"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// rowChecker enforces a table's CHECK constraints on the rows a statement
// is about to hand to storage. Its plan is bound on first use.
type rowChecker struct {
	s     *Session
	cat   planner.Catalog
	table *catalog.Table
	plan  planner.Node
	// validating reports violations as ALTER TABLE does for existing
	// rows, rather than as a write of a new row.
	validating bool
	// types checks what the column types require (type_checks.go).
	types typeChecks
}

func (s *Session) rowChecker(cat planner.Catalog, t *catalog.Table) *rowChecker {
	return &rowChecker{s: s, cat: cat, table: t}
}

// check fails with 23514 when a row of rec (the table's columns) makes a
// CHECK constraint false; NULL passes, as in PostgreSQL. Before that, the
// values must be what their columns' types allow (checkTypes).
func (c *rowChecker) check(ctx context.Context, rec arrow.Record) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if err := c.checkTypes(ctx, rec); err != nil {
		return err
	}
	if len(c.table.Checks) == 0 {
		return nil
	}
	if err := c.bind(); err != nil {
		return err
	}
	opts := c.s.lowerOptions()
	opts.Written = []arrow.Record{rec}
	op, err := planner.Lower(c.plan, c.cat, nil, opts)
	if err != nil {
		return err
	}
	ec := c.s.execContext(ctx)
	defer ec.Release()
	row := 0
	return exec.Drain(ec, op, func(b *exec.Batch) error {
		d := exec.Compact(ec.Mem, b)
		defer d.Release()
		for i := 0; i < d.Len; i++ {
			for k, col := range d.Cols {
				v := col.(*array.Boolean)
				if v.IsValid(i) && !v.Value(i) {
					return c.violation(k, rec, row+i)
				}
			}
		}
		row += d.Len
		return nil
	})
}

// bind binds the constraints' plan, once.
func (c *rowChecker) bind() error {
	if c.plan != nil || len(c.table.Checks) == 0 {
		return nil
	}
	var err error
	c.plan, err = planner.CheckRows(c.cat, c.table, c.s.location())
	return err
}

// violation is PostgreSQL's error for row i of rec failing check k.
func (c *rowChecker) violation(k int, rec arrow.Record, i int) error {
	if c.validating {
		return pgerr.New(pgerr.CheckViolation, "check constraint \"%s\" of relation \"%s\" is violated by some row", c.table.Checks[k].Name, c.table.Name)
	}
	e := pgerr.New(pgerr.CheckViolation, "new row for relation \"%s\" violates check constraint \"%s\"", c.table.Name, c.table.Checks[k].Name)
	e.Detail = "Failing row contains " + rowText(c.table, rec, i, c.s.location()) + "."
	return e
}

// rowText renders row i of rec as PostgreSQL's error details do:
// (1, abc, null).
func rowText(t *catalog.Table, rec arrow.Record, i int, loc *time.Location) string {
	var buf []byte
	parts := make([]string, len(t.Columns))
	for c, col := range t.Columns {
		arr := rec.Column(c)
		if arr.IsNull(i) {
			parts[c] = "null"
			continue
		}
		enc, err := catalog.NewColumnEncoder(col.Type, catalog.FormatText, loc)
		if err != nil {
			parts[c] = "?"
			continue
		}
		enc.Bind(arr)
		buf = enc.Append(buf[:0], i)
		parts[c] = string(buf)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
