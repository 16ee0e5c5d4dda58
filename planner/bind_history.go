package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// historyFunc is the table function that returns a table's retained
// events: pqdb_history('schema.table').
const historyFunc = "pqdb_history"

// bindHistory binds pqdb_history('[schema.]table') in FROM: a scan of the
// table's history (storage.HistoryColumns) with the row images turned
// into jsonb, so that it returns seq, commit_time, txid, operation,
// row_id, before and after (jsonb, NULL where there is no image).
func (b *binder) bindHistory(rf *pg_query.RangeFunction) (Node, []scopeCol, error) {
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	if len(rf.Coldeflist) > 0 {
		return nil, nil, b.errColumnDefinitionNotAllowed(rf.Coldeflist)
	}
	if len(fc.Args) != 1 {
		return nil, nil, b.errAt(pgerr.UndefinedFunction, fc.Location, "function pqdb_history takes one argument: a constant table name")
	}
	t, err := b.namedTable(historyFunc, fc, fc.Args[0])
	if err != nil {
		return nil, nil, err
	}
	hcols := storage.HistoryColumns(t)
	htbl := &catalog.Table{ID: t.ID, Schema: t.Schema, Name: historyFunc, Columns: hcols}
	alias := historyFunc
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	scan := &Scan{Table: htbl, Alias: alias, HistoryOf: t}
	proj := &Project{Input: scan}
	cols := make([]scopeCol, len(hcols))
	for i, c := range hcols {
		scan.Cols = append(scan.Cols, i)
		var e Expr = &ColRef{Index: i, T: c.Type, Name: c.Name}
		typ := c.Type
		if c.Type.Kind == catalog.Record {
			typ = catalog.TypeJSONB
			e = &FuncExpr{Name: "to_jsonb", Args: []Expr{e}, T: typ}
		}
		proj.Exprs = append(proj.Exprs, e)
		cols[i] = scopeCol{table: alias, name: c.Name, t: typ}
	}
	if err := applyColumnAliases(cols, rf.Alias); err != nil {
		return nil, nil, err
	}
	return proj, cols, nil
}

// namedTable resolves the constant table name arg of the function fn
// ('table' or 'schema.table', looked up as FROM looks up a name).
func (b *binder) namedTable(fn string, fc *pg_query.FuncCall, arg *pg_query.Node) (*catalog.Table, error) {
	names, ok := constantStrings(arg)
	if !ok || len(names) != 1 {
		return nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "%s needs a constant table name", fn)
	}
	parts, err := catalog.SplitRelationName(names[0])
	if err != nil {
		return nil, err
	}
	var schema, name string
	switch len(parts) {
	case 1:
		name = parts[0]
		schema = b.objectSchema("", name)
	case 2:
		schema, name = b.schemaAlias(parts[0]), parts[1]
	default:
		return nil, pgerr.New(pgerr.InvalidName, "improper relation name (too many dotted names): %s", names[0])
	}
	t := b.cat.Table(schema, name)
	if t == nil || t.System {
		return nil, b.errAt(pgerr.UndefinedTable, fc.Location, "relation \"%s\" does not exist", names[0])
	}
	return t, nil
}
