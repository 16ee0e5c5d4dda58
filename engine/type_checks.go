package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// What the types of a table's columns require of every row written to
// it, checked by the rowChecker before the table's own CHECK constraints
// (as PostgreSQL checks a value's type when the row is formed):
//
//   - a value of an enum column must be one of the enum's labels. Values
//     computed by a statement were made enum values by a cast that knew
//     the labels; rows read by COPY and parameter values were not, so
//     every written row is checked against the labels of the statement's
//     catalog.
//   - a value of a domain column must meet the domain's NOT NULL and
//     CHECK constraints (planner.DomainRows).

// typeChecks holds a rowChecker's checks of column types, made on first
// use.
type typeChecks struct {
	ready bool
	// enumCols are the enum columns (or arrays of enums) and the labels
	// of their enums.
	enumCols   []int
	enumLabels [][]string
	// domains checks the domain columns; nil when there are none.
	domains planner.Node
}

// prepareTypeChecks finds the enum and domain columns of the table.
func (c *rowChecker) prepareTypeChecks() error {
	tc := &c.types
	if tc.ready {
		return nil
	}
	for i, col := range c.table.Columns {
		if !col.Type.HasEnum() {
			continue
		}
		u := c.cat.UserTypeByOID(col.Type.Enum.OID)
		if u == nil {
			return pgerr.New(pgerr.UndefinedObject, "type %s does not exist", col.Type)
		}
		tc.enumCols = append(tc.enumCols, i)
		tc.enumLabels = append(tc.enumLabels, u.LabelTexts())
	}
	var err error
	if tc.domains, err = planner.DomainRows(c.cat, c.table, c.s.location()); err != nil {
		return err
	}
	tc.ready = true
	return nil
}

// checkTypes fails when a row of rec (the table's columns) holds a value
// its column's type does not allow.
func (c *rowChecker) checkTypes(ctx context.Context, rec arrow.Record) error {
	if err := c.prepareTypeChecks(); err != nil {
		return err
	}
	tc := &c.types
	for k, i := range tc.enumCols {
		if err := exec.CheckEnumColumn(rec.Column(i), c.table.Columns[i].Type, tc.enumLabels[k]); err != nil {
			return err
		}
	}
	if tc.domains == nil {
		return nil
	}
	opts := c.s.lowerOptions()
	opts.Written = []arrow.Record{rec}
	op, err := planner.Lower(tc.domains, c.cat, nil, opts)
	if err != nil {
		return err
	}
	ec := c.s.execContext(ctx)
	defer ec.Release()
	return exec.Drain(ec, op, func(*exec.Batch) error { return nil })
}

// checkEnumParams is enum_in's check of parameter values of enum types,
// which were read without the labels.
func checkEnumParams(cat planner.Catalog, types []catalog.Type, params []catalog.Datum) error {
	for i, t := range types {
		if !t.HasEnum() || params[i] == nil {
			continue
		}
		u := cat.UserTypeByOID(t.Enum.OID)
		if u == nil {
			return pgerr.New(pgerr.UndefinedObject, "type %s does not exist", t)
		}
		if err := u.CheckValue(params[i]); err != nil {
			return err
		}
	}
	return nil
}

// userTypeByOID is the type a parameter declared with the OID of a user
// type has: the enum or an array of it, or a domain's base type.
func userTypeByOID(cat planner.Catalog, oid uint32) (catalog.Type, bool) {
	if u := cat.UserTypeByOID(oid); u != nil {
		return u.Type(), true
	}
	if u := cat.UserTypeByOID(oid - 1); u != nil && !u.IsDomain() {
		return catalog.ArrayOf(u.Type()), true
	}
	return catalog.Type{}, false
}
