package planner

import (
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// FOREIGN KEY constraints are bound into catalog.ForeignKey, with
// PostgreSQL's checks and names (table_col_fkey); the engine enforces
// them (engine/foreign_key.go). pqdb keeps MATCH SIMPLE, NOT DEFERRABLE
// constraints, and key columns of the same stored type on both sides.

// pendingForeignKey is a FOREIGN KEY of a CREATE TABLE, bound once all
// columns are known.
type pendingForeignKey struct {
	c      *pg_query.Constraint
	column string // the column it was written on; "" for a table constraint
}

// bindForeignKey binds FOREIGN KEY constraint c of table t and names it
// unless named; taken holds the names t's constraints use. uniques are
// column sets of t that a unique constraint will cover (a table that
// references itself may name them).
func (b *binder) bindForeignKey(t *catalog.Table, c *pg_query.Constraint, taken map[string]bool, uniques [][]string) (catalog.ForeignKey, error) {
	var fk catalog.ForeignKey
	for _, n := range c.FkAttrs {
		name := n.GetString_().Sval
		if t.ColumnIndex(name) < 0 {
			return fk, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", name)
		}
		fk.Columns = append(fk.Columns, name)
	}
	rv := c.Pktable
	fk.RefSchema = b.objectSchema(rv.Schemaname, rv.Relname)
	fk.RefTable = rv.Relname
	parent := b.cat.Table(fk.RefSchema, fk.RefTable)
	self := fk.RefSchema == t.Schema && fk.RefTable == t.Name
	if self {
		parent = t
	}
	if parent == nil {
		if b.cat.View(fk.RefSchema, fk.RefTable) != nil {
			return fk, pgerr.New(pgerr.WrongObjectType, "referenced relation \"%s\" is not a table", rv.Relname)
		}
		return fk, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", qualified(rv))
	}
	if len(c.PkAttrs) == 0 {
		if len(parent.PrimaryKey) == 0 {
			return fk, pgerr.New(pgerr.UndefinedObject, "there is no primary key for referenced table \"%s\"", parent.Name)
		}
		for _, k := range parent.PrimaryKey {
			fk.RefColumns = append(fk.RefColumns, parent.Columns[k].Name)
		}
	}
	for _, n := range c.PkAttrs {
		name := n.GetString_().Sval
		if parent.ColumnIndex(name) < 0 {
			return fk, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" referenced in foreign key constraint does not exist", name)
		}
		fk.RefColumns = append(fk.RefColumns, name)
	}
	if len(fk.Columns) != len(fk.RefColumns) {
		return fk, pgerr.New(pgerr.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree")
	}
	if !b.keyCovers(parent, fk.RefColumns, self, uniques) {
		return fk, pgerr.New(pgerr.InvalidForeignKey, "there is no unique constraint matching given keys for referenced table \"%s\"", parent.Name)
	}
	if c.Deferrable || c.Initdeferred {
		return fk, pgerr.New(pgerr.FeatureNotSupported, "DEFERRABLE foreign key constraints are not supported")
	}
	switch c.FkMatchtype {
	case "f":
		return fk, pgerr.New(pgerr.FeatureNotSupported, "MATCH FULL foreign keys are not supported")
	case "p":
		return fk, pgerr.New(pgerr.FeatureNotSupported, "MATCH PARTIAL not yet implemented")
	}
	if len(c.FkDelSetCols) > 0 {
		return fk, pgerr.New(pgerr.FeatureNotSupported, "ON DELETE SET NULL or SET DEFAULT with a column list is not supported")
	}
	fk.Name = c.Conname
	if fk.Name == "" {
		base := t.Name + "_" + strings.Join(fk.Columns, "_") + "_fkey"
		fk.Name = base
		for i := 1; taken[fk.Name]; i++ {
			fk.Name = base + itoa(int64(i))
		}
	} else if taken[fk.Name] {
		return fk, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", fk.Name, t.Name)
	}
	taken[fk.Name] = true
	for i, name := range fk.Columns {
		ct := t.Columns[t.ColumnIndex(name)].Type
		pt := parent.Columns[parent.ColumnIndex(fk.RefColumns[i])].Type
		if arrow.TypeEqual(ct.ArrowType(), pt.ArrowType()) && ct.IsVarNumeric() == pt.IsVarNumeric() {
			continue
		}
		if _, err := comparisonType(ct, pt); err == nil {
			return fk, pgerr.New(pgerr.FeatureNotSupported, "foreign key columns of types %s and %s are not supported; the referencing column needs the referenced column's type", ct, pt)
		}
		e := pgerr.New(pgerr.DatatypeMismatch, "foreign key constraint \"%s\" cannot be implemented", fk.Name)
		e.Detail = "Key columns \"" + name + "\" and \"" + fk.RefColumns[i] + "\" are of incompatible types: " + ct.String() + " and " + pt.String() + "."
		return fk, e
	}
	fk.OnDelete, fk.OnUpdate = fkAction(c.FkDelAction), fkAction(c.FkUpdAction)
	return fk, nil
}

// fkAction is the pg_constraint letter of a referential action.
func fkAction(a string) byte {
	if a == "" {
		return 'a'
	}
	return a[0]
}

// keyCovers reports whether a primary key or unique index of t has
// exactly the columns cols (in any order).
func (b *binder) keyCovers(t *catalog.Table, cols []string, self bool, uniques [][]string) bool {
	same := func(other []string) bool {
		if len(other) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(other, c) {
				return false
			}
		}
		return true
	}
	if len(t.PrimaryKey) > 0 {
		var pk []string
		for _, k := range t.PrimaryKey {
			pk = append(pk, t.Columns[k].Name)
		}
		if same(pk) {
			return true
		}
	}
	if self {
		for _, u := range uniques {
			if same(u) {
				return true
			}
		}
	}
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Unique && ix.Table == t.Name && !ix.Computed() && same(ix.Columns) {
			return true
		}
	}
	return false
}

// addForeignKey binds a FOREIGN KEY constraint added to st's table; the
// existing rows are validated unless it is NOT VALID.
func (b *binder) addForeignKey(st *AlterTableStep, c *pg_query.Constraint) error {
	var uniques [][]string
	for _, ix := range st.CreateIndexes {
		uniques = append(uniques, ix.Columns)
	}
	fk, err := b.bindForeignKey(st.Table, c, b.takenNames(st), uniques)
	if err != nil {
		return err
	}
	st.Table.ForeignKeys = append(st.Table.ForeignKeys, fk)
	if !c.SkipValidation {
		st.ValidateForeignKeys = append(st.ValidateForeignKeys, fk.Name)
	}
	return nil
}

// DefaultValues is a plan of one row: the defaults of columns cols of t
// (ON DELETE/UPDATE SET DEFAULT).
func DefaultValues(cat Catalog, t *catalog.Table, cols []int, opts Options) (Node, error) {
	b := &binder{cat: cat, searchPath: existingSchemas(cat, opts.SearchPath), opts: opts}
	exprs := make([]Expr, len(cols))
	for i, c := range cols {
		e, err := b.columnDefault(t, c)
		if err != nil {
			return nil, err
		}
		exprs[i] = e
	}
	one := &Values{Rows: [][]Expr{{&Const{Value: int32(1), T: catalog.TypeInt4}}}, Typs: []catalog.Type{catalog.TypeInt4}, Names: []string{"one"}}
	return optimize(&Project{Input: one, Exprs: exprs}, b.location(), b.estimates())
}
