package planner

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// A set-returning function in FROM whose rows are records (unnest of an
// array of records) gives their fields as its columns, as PostgreSQL
// expands a function returning a composite type: a table's row type by
// its own fields, an anonymous record by the column definition list the
// query must give, whose types must be the fields'. A whole-row
// reference to the FROM item still reads the record.

// expandRecordSet makes call, a set function of one record column called
// as fc with the column definition list coldefs, give the record's fields
// (SetCall.Expand), and returns their names.
func (b *binder) expandRecordSet(call *SetCall, fc *pg_query.FuncCall, coldefs []*pg_query.Node) ([]string, error) {
	rt := call.Types[0]
	fields := rt.Fields()
	names := make([]string, len(fields))
	types := make([]catalog.Type, len(fields))
	for i, f := range fields {
		names[i], types[i] = f.Name, f.Type
	}
	switch {
	case rt.Record.Name != "" && len(coldefs) > 0:
		return nil, b.errAt(pgerr.SyntaxError, columnDefinitionLocation(coldefs), "a column definition list is redundant for a function returning a named composite type")
	case rt.Record.Name == "" && len(coldefs) == 0:
		return nil, b.errAt(pgerr.SyntaxError, fc.Location, "a column definition list is required for functions returning \"record\"")
	case len(coldefs) > 0:
		defs, err := b.columnDefinitions(coldefs)
		if err != nil {
			return nil, err
		}
		if err := checkReturnedRow(fields, defs); err != nil {
			return nil, err
		}
		for i, d := range defs {
			names[i] = d.Name
		}
	}
	call.Types, call.Expand = types, true
	return names, nil
}

// checkReturnedRow is PostgreSQL's check that the records a function
// returns match the column definition list defs: as many fields, each of
// the type (its modifier aside) the list gives.
func checkReturnedRow(fields, defs []catalog.RecordField) error {
	mismatch := func(detail string) error {
		e := pgerr.New(pgerr.DatatypeMismatch, "function return row and query-specified return row do not match")
		e.Detail = detail
		return e
	}
	if len(fields) != len(defs) {
		return mismatch(fmt.Sprintf("Returned row contains %d attributes, but query expects %d.", len(fields), len(defs)))
	}
	for i, f := range fields {
		if f.Type.OID() != defs[i].Type.OID() {
			return mismatch(fmt.Sprintf("Returned type %s at ordinal position %d, but query expects %s.", noTypmod(f.Type), i+1, noTypmod(defs[i].Type)))
		}
	}
	return nil
}
