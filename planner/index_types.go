package planner

import (
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Primary keys, unique constraints and CREATE INDEX make btree indexes in
// PostgreSQL, and the storage writer enforces keys with the btree
// equality of each type (storage's keyKindOf). A type with no default
// operator class for an index's access method cannot be one of its
// columns: for btree, of pqdb's types only json (jsonb has one, as do
// arrays of any element type, enums, interval, bytea, bool, ...); for the
// other methods, the types the bki's pg_opclass gives a default operator
// class of the method (gin: jsonb and arrays, brin: most scalars, ...).

// checkIndexColumns fails, as DefineIndex does, when a column named in
// cols of t has a type the access method cannot index.
func (b *binder) checkIndexColumns(t *catalog.Table, cols []string, method string) error {
	for _, name := range cols {
		i := t.ColumnIndex(name)
		if i < 0 {
			continue // reported as a missing column by the caller
		}
		c := t.Columns[i]
		// The column's type as declared: a domain over json names the
		// domain.
		typ := c.Type.String()
		if u, err := b.columnDomain(c); err == nil && u != nil {
			typ = u.Name
		}
		if err := b.checkIndexKeyType(c.Type, typ, method); err != nil {
			return err
		}
	}
	return nil
}

// checkIndexKeyType fails, as DefineIndex does, when the access method
// cannot index a key of type t, named name in the error.
func (b *binder) checkIndexKeyType(t catalog.Type, name, method string) error {
	if method == "btree" && t.Kind != catalog.JSON ||
		method != "btree" && pgcatalog.DefaultOpclass(method, t) != 0 {
		return nil
	}
	e := pgerr.New(pgerr.UndefinedObject, "data type %s has no default operator class for access method \"%s\"", name, method)
	e.Hint = "You must specify an operator class for the index or define a default operator class for the data type."
	return e
}

// checkBtreeKey is checkIndexColumns for a primary key or unique
// constraint.
func (b *binder) checkBtreeKey(t *catalog.Table, cols []string) error {
	return b.checkIndexColumns(t, cols, "btree")
}

// checkRetypedKey is checkIndexColumns for column col of t, retyped by
// ALTER COLUMN TYPE, when its primary key or an index's key covers it:
// PostgreSQL rebuilds them over the new type.
func (b *binder) checkRetypedKey(t *catalog.Table, col int) error {
	name := t.Columns[col].Name
	if slices.Contains(t.PrimaryKey, col) {
		if err := b.checkBtreeKey(t, []string{name}); err != nil {
			return err
		}
	}
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Table == t.Name && slices.Contains(ix.Columns, name) {
			if err := b.checkIndexColumns(t, []string{name}, ix.AccessMethod()); err != nil {
				return err
			}
		}
	}
	return nil
}
