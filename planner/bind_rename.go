package planner

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// bindRename binds ALTER TABLE/VIEW/SEQUENCE/INDEX ... RENAME. Renaming a
// table, a column or a table constraint is an AlterTableStep; views,
// sequences and indexes are renamed by the engine.
func (b *binder) bindRename(s *pg_query.RenameStmt) (Plan, error) {
	switch s.RenameType {
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN, pg_query.ObjectType_OBJECT_DOMCONSTRAINT:
		return b.bindRenameType(s)
	}
	rv := s.Relation
	if rv == nil {
		return nil, pgerr.Unsupported("ALTER %s ... RENAME is not supported", objectTypeName(s.RenameType))
	}
	p := &RenamePlan{NewName: s.Newname, Name: rv.Relname, Schema: b.objectSchema(rv.Schemaname, rv.Relname)}
	relKind := s.RenameType
	switch relKind {
	case pg_query.ObjectType_OBJECT_COLUMN:
		relKind = s.RelationType
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		relKind = pg_query.ObjectType_OBJECT_TABLE
	}
	switch relKind {
	case pg_query.ObjectType_OBJECT_TABLE:
		p.Tag, p.Kind = "ALTER TABLE", ObjectTable
	case pg_query.ObjectType_OBJECT_VIEW:
		p.Tag, p.Kind = "ALTER VIEW", ObjectView
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		p.Tag, p.Kind = "ALTER SEQUENCE", ObjectSequence
	case pg_query.ObjectType_OBJECT_INDEX:
		p.Tag, p.Kind = "ALTER INDEX", ObjectIndex
	default:
		return nil, pgerr.Unsupported("ALTER %s ... RENAME is not supported", objectTypeName(relKind))
	}
	// Which object the name finds; ALTER TABLE renames any relation.
	found, ok := b.relationKind(p.Schema, p.Name)
	if !ok {
		if s.MissingOk {
			p.Missing = true
			b.notify(pgerr.Notice(pgerr.SuccessfulCompletion, "relation \"%s\" does not exist, skipping", qualified(rv)))
			return p, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", qualified(rv))
	}
	if found != p.Kind && p.Kind != ObjectTable && !(p.Kind == ObjectIndex && found == ObjectTable) {
		kinds := map[ObjectKind]string{ObjectView: "view", ObjectSequence: "sequence", ObjectIndex: "index"}
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a%s %s", p.Name, map[bool]string{true: "n", false: ""}[p.Kind == ObjectIndex], kinds[p.Kind])
	}
	p.Kind = found
	switch s.RenameType {
	case pg_query.ObjectType_OBJECT_COLUMN:
		if found != ObjectTable {
			return nil, pgerr.Unsupported("renaming a column of a %s is not supported", map[ObjectKind]string{ObjectView: "view", ObjectSequence: "sequence", ObjectIndex: "index"}[found])
		}
		return p, b.renameColumn(p, s.Subname)
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		return p, b.renameConstraint(p, s.Subname)
	}
	if b.relationTaken(p.Schema, p.NewName) {
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.NewName)
	}
	if found == ObjectTable {
		old := b.cat.Table(p.Schema, p.Name)
		t := old.Clone()
		t.Name = p.NewName
		if len(t.PrimaryKey) > 0 {
			t.PrimaryKeyName = old.PrimaryKeyConstraint() // the key keeps its name
		}
		for k := range t.ForeignKeys {
			if t.ForeignKeys[k].References(old.Schema, old.Name) {
				t.ForeignKeys[k].RefTable = p.NewName
			}
		}
		p.Step = &AlterTableStep{Old: old, Table: t, RenamedTable: true}
	}
	return p, nil
}

func (b *binder) relationTaken(schema, name string) bool {
	return b.cat.Table(schema, name) != nil || b.cat.View(schema, name) != nil || b.cat.Sequence(schema, name) != nil || b.cat.Index(schema, name) != nil
}

// renameColumn binds RENAME COLUMN: the table is rewritten under the new
// column name, and its constraints follow.
func (b *binder) renameColumn(p *RenamePlan, old string) error {
	tbl := b.cat.Table(p.Schema, p.Name)
	st := &AlterTableStep{Old: tbl, Table: tbl.Clone(), RenamedColumn: old}
	t := st.Table
	i := t.ColumnIndex(old)
	if i < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", old)
	}
	if err := checkNotSystemColumnName(p.NewName); err != nil {
		return err
	}
	if t.ColumnIndex(p.NewName) >= 0 {
		return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", p.NewName, t.Name)
	}
	st.keepAll()
	st.Renamed = map[string]string{old: p.NewName}
	t.Columns[i].Name = p.NewName
	for k, c := range t.Checks {
		expr, err := renameExprColumn(c.Expr, old, p.NewName)
		if err != nil {
			return err
		}
		t.Checks[k].Expr = expr
	}
	renamed, err := b.renameIndexColumn(t, old, p.NewName)
	if err != nil {
		return err
	}
	st.AlterIndexes = renamed
	for k, c := range t.SortKey {
		if c == old {
			t.SortKey[k] = p.NewName
		}
	}
	for k := range t.ForeignKeys {
		fk := &t.ForeignKeys[k]
		for j, c := range fk.Columns {
			if c == old {
				fk.Columns[j] = p.NewName
			}
		}
		if fk.References(t.Schema, t.Name) {
			for j, c := range fk.RefColumns {
				if c == old {
					fk.RefColumns[j] = p.NewName
				}
			}
		}
	}
	p.Step = st
	return nil
}

// renameConstraint binds RENAME CONSTRAINT of a CHECK or FOREIGN KEY
// constraint (the table keeps its id and rows) or of a unique index
// (renamed like ALTER INDEX).
func (b *binder) renameConstraint(p *RenamePlan, old string) error {
	tbl := b.cat.Table(p.Schema, p.Name)
	if tbl == nil {
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", p.Name)
	}
	st := &AlterTableStep{Old: tbl, Table: tbl.Clone()}
	t := st.Table
	if b.takenNames(st)[p.NewName] {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", p.NewName, t.Name)
	}
	if i := slices.IndexFunc(t.Checks, func(c catalog.Check) bool { return c.Name == old }); i >= 0 {
		t.Checks[i].Name = p.NewName
		slices.SortFunc(t.Checks, func(x, y catalog.Check) int {
			if x.Name < y.Name {
				return -1
			}
			if x.Name > y.Name {
				return 1
			}
			return 0
		})
		p.Step = st
		return nil
	}
	if i := slices.IndexFunc(t.ForeignKeys, func(fk catalog.ForeignKey) bool { return fk.Name == old }); i >= 0 {
		t.ForeignKeys[i].Name = p.NewName
		p.Step = st
		return nil
	}
	if ix := b.cat.Index(t.Schema, old); ix != nil && ix.Table == t.Name && ix.Constraint {
		if b.relationTaken(t.Schema, p.NewName) {
			return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.NewName)
		}
		p.Kind, p.Name = ObjectIndex, old
		return nil
	}
	if len(t.PrimaryKey) > 0 && old == t.PrimaryKeyConstraint() {
		if b.relationTaken(t.Schema, p.NewName) {
			return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", p.NewName)
		}
		t.PrimaryKeyName = p.NewName
		p.Step = st
		return nil
	}
	return pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", old, t.Name)
}

// relationKind is the kind of the relation schema.name names (table, view,
// sequence or index), or false when none exists.
func (b *binder) relationKind(schema, name string) (ObjectKind, bool) {
	switch {
	case b.cat.Table(schema, name) != nil:
		return ObjectTable, true
	case b.cat.View(schema, name) != nil:
		return ObjectView, true
	case b.cat.Sequence(schema, name) != nil:
		return ObjectSequence, true
	case b.cat.Index(schema, name) != nil:
		return ObjectIndex, true
	}
	return ObjectTable, false
}
