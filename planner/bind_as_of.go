package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// asOfFunc is the table function that reads a table as it was at an
// earlier time or commit: pqdb_as_of('[schema.]table', 'when'), the
// per-query form of SET pqdb.as_of (storage/time_travel.go).
const asOfFunc = "pqdb_as_of"

// bindAsOf binds pqdb_as_of(table, when) in FROM as a scan of the table
// that reads its rows as of when (a timestamptz or a commit number, both
// constants), with the table's columns, so that filters and projections
// are pushed into it as into any table scan.
func (b *binder) bindAsOf(rf *pg_query.RangeFunction) (Node, []scopeCol, error) {
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	if len(rf.Coldeflist) > 0 {
		return nil, nil, b.errColumnDefinitionNotAllowed(rf.Coldeflist)
	}
	if len(fc.Args) != 2 {
		return nil, nil, b.errAt(pgerr.UndefinedFunction, fc.Location, "function pqdb_as_of takes two arguments: a table name and a time or commit number")
	}
	t, err := b.namedTable(asOfFunc, fc, fc.Args[0])
	if err != nil {
		return nil, nil, err
	}
	when, ok := constantStrings(fc.Args[1])
	if !ok || len(when) != 1 {
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "pqdb_as_of needs a constant time or commit number")
	}
	at, ok := ParseAsOf(when[0], b.opts.Location)
	if !ok {
		e := pgerr.New(pgerr.InvalidParameterValue, "pqdb_as_of: invalid time or commit number: \"%s\"", when[0])
		e.Hint = "Use a timestamp with time zone or a commit number."
		return nil, nil, e
	}
	alias := t.Name
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	scan := &Scan{Table: t, Alias: alias, AsOf: &at}
	cols := make([]scopeCol, len(t.Columns))
	for i, c := range t.Columns {
		scan.Cols = append(scan.Cols, i)
		cols[i] = scopeCol{table: alias, name: c.Name, t: c.Type, tableOID: uint32(t.ID), attnum: int16(i + 1), relation: t.Name, rowField: c.Name, base: t}
	}
	if err := applyColumnAliases(cols, rf.Alias); err != nil {
		return nil, nil, err
	}
	return scan, cols, nil
}
