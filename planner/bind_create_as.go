package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// bindCreateTableAs binds CREATE TABLE ... AS query and SELECT ... INTO:
// a new table whose columns are the query's (named by the column list
// when there is one), filled with its rows unless WITH NO DATA.
func (b *binder) bindCreateTableAs(query *pg_query.SelectStmt, into *pg_query.IntoClause, ifNotExists, selectInto bool) (Plan, error) {
	temp, err := b.tempTable(into.Rel, into.OnCommit)
	if err != nil {
		return nil, err
	}
	schema, err := b.creationSchema(into.Rel.Schemaname)
	if err != nil {
		return nil, err
	}
	if temp != nil {
		schema = b.opts.TempSchema
	}
	if temp == nil && !b.cat.HasSchema(schema) {
		return nil, b.errAt(pgerr.InvalidSchemaName, into.Rel.Location, "schema \"%s\" does not exist", schema)
	}
	node, cols, err := b.bindSelect(query, nil, nil)
	if err != nil {
		return nil, err
	}
	if len(into.ColNames) > len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "too many column names were specified")
	}
	t := &catalog.Table{Schema: schema, Name: into.Rel.Relname, Unlogged: into.Rel.Relpersistence == "u"}
	exprs := make([]Expr, len(cols))
	for i, c := range cols {
		name := c.Name
		if i < len(into.ColNames) {
			name = into.ColNames[i].GetString_().Sval
		}
		if err := checkNotSystemColumnName(name); err != nil {
			return nil, err
		}
		if t.ColumnIndex(name) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		typ := c.Type
		if typ.Kind == catalog.Unknown {
			typ = catalog.TypeText // as PostgreSQL resolves an untyped literal
		}
		if typ.HasRecord() {
			return nil, errRecordColumn(name, typ)
		}
		if exprs[i], err = b.assign(&ColRef{Index: i, T: c.Type, Name: c.Name}, typ); err != nil {
			return nil, err
		}
		t.Columns = append(t.Columns, catalog.Column{Name: name, Type: typ})
	}
	return &CreateTableAsPlan{Table: t, Source: &Project{Input: node, Exprs: exprs}, IfNotExists: ifNotExists, WithData: !into.SkipData, SelectInto: selectInto, Temp: temp}, nil
}

func (b *binder) bindCreateTableAsStmt(s *pg_query.CreateTableAsStmt) (Plan, error) {
	if s.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return nil, pgerr.Unsupported("materialized views are not supported")
	}
	sel := s.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.Unsupported("CREATE TABLE AS over %s is not supported", statementName(s.Query))
	}
	return b.bindCreateTableAs(sel, s.Into, s.IfNotExists, s.IsSelectInto)
}

// bindTruncate binds TRUNCATE: the tables named, each emptied.
func (b *binder) bindTruncate(s *pg_query.TruncateStmt) (Plan, error) {
	p := &TruncatePlan{RestartIdentity: s.RestartSeqs, Cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
	for _, r := range s.Relations {
		t, err := b.targetTable(r.GetRangeVar())
		if err != nil {
			// PostgreSQL reports TRUNCATE's missing tables without a
			// position.
			return nil, pgerr.From(err).WithPosition(0)
		}
		p.Tables = append(p.Tables, t)
	}
	return p, nil
}
