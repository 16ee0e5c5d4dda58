package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_index: the index of every primary key and every index of the
// catalog: its key columns (attnum 0 for an expression, whose SQL text
// indexprs lists, as pqdb serves pg_node_tree), each with the operator
// class it names (else its type's default for the index's access
// method) and the sort order it was declared with, then its INCLUDE
// columns; a partial index's predicate is indpred.
var _ = makesRows("pg_index", pgIndexRows)

// indexRow is one row of pg_index.
type indexRow struct {
	oid, relid uint32
	am         uint32 // the access method's pg_am OID
	// cols and attnums are the key columns then the INCLUDE ones; nkeys
	// counts the key columns.
	cols            []catalog.Column
	attnums         []int
	nkeys           int
	classes         []uint32 // indclass: the key columns' operator classes
	options         []int16  // indoption; nil for all ascending
	unique, primary bool
	exprs, pred     string // indexprs and indpred; "" for none
}

func (x indexRow) datums() []catalog.Datum {
	keys := make(catalog.ArrayValue, len(x.attnums))
	for i, num := range x.attnums {
		keys[i] = int16(num)
	}
	// Collations, operator classes and sort orders are the key
	// columns'.
	colls := make(catalog.ArrayValue, x.nkeys)
	classes := make(catalog.ArrayValue, x.nkeys)
	options := make(catalog.ArrayValue, x.nkeys)
	for i := range x.nkeys {
		colls[i] = x.collation(i)
		classes[i] = x.classes[i]
		options[i] = int16(0)
		if i < len(x.options) {
			options[i] = x.options[i]
		}
	}
	return []catalog.Datum{
		x.oid, x.relid, int16(len(x.attnums)), int16(x.nkeys), x.unique, false, x.primary, false, true, false, true, false,
		true, true, false, keys, colls, classes, options, nullIfEmpty(x.exprs), nullIfEmpty(x.pred),
	}
}

// tableIndexes are the indexes of table t among indexes (those of its
// schema): its primary key's first, as pg_index rows.
func tableIndexes(t *catalog.Table, indexes []*catalog.Index) []indexRow {
	var out []indexRow
	if len(t.PrimaryKey) > 0 {
		x := indexRow{oid: PrimaryKeyIndexOID(t), relid: uint32(t.ID), am: btreeAM, unique: true, primary: true}
		for _, k := range t.PrimaryKey {
			x.cols, x.attnums = append(x.cols, t.Columns[k]), append(x.attnums, k+1)
		}
		x.nkeys = len(x.attnums)
		for _, c := range x.cols {
			x.classes = append(x.classes, defaultOpclass(x.am, c.Type))
		}
		out = append(out, x)
	}
	for _, ix := range indexes {
		if ix.Table != t.Name {
			continue
		}
		x := indexRow{oid: uint32(ix.ID), relid: uint32(t.ID), am: AccessMethodOID(ix.AccessMethod()), unique: ix.Unique,
			exprs: ix.ExprsText(), pred: ix.Predicate}
		for i, name := range ix.Columns {
			col, attnum := catalog.Column{}, 0
			if e, ok := ix.KeyExpr(i); ok {
				col = catalog.Column{Name: e.Name, Type: e.Type}
			} else if k := t.ColumnIndex(name); k >= 0 {
				col, attnum = t.Columns[k], k+1
			} else {
				continue
			}
			x.cols, x.attnums = append(x.cols, col), append(x.attnums, attnum)
			x.options = append(x.options, ix.Option(i))
			class := defaultOpclass(x.am, col.Type)
			if name := ix.Opclass(i); name != "" {
				class, _ = Opclass(ix.AccessMethod(), name, col.Type)
			}
			x.classes = append(x.classes, class)
		}
		x.nkeys = len(x.attnums)
		for _, name := range ix.Include {
			if k := t.ColumnIndex(name); k >= 0 {
				x.cols, x.attnums = append(x.cols, t.Columns[k]), append(x.attnums, k+1)
			}
		}
		out = append(out, x)
	}
	return out
}

// storedColumn is the index's i-th column as pg_attribute lists it: the
// table's column, typed as its operator class stores it (a hash index's
// key column holds int4 hash codes).
func (x indexRow) storedColumn(i int) catalog.Column {
	c := x.cols[i]
	if i >= x.nkeys {
		return c
	}
	if kt := indexKeyType(x.am, x.classes[i], c.Type); kt.OID() != c.Type.OID() {
		c.Type, c.Domain = kt, 0
	}
	return c
}

// collation is the collation of the index's i-th column: its table
// column's for a key column (whatever type the index stores), none for
// an INCLUDE one, as PostgreSQL's index_create sets them.
func (x indexRow) collation(i int) uint32 {
	if i < x.nkeys {
		return columnCollation(x.cols[i])
	}
	return 0
}

func pgIndexRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		for _, t := range db.Tables(s.Name) {
			for _, x := range tableIndexes(t, indexes) {
				rows = append(rows, x.datums())
			}
		}
	}
	return rows, nil
}

// forType looks up type t in a map by type OID, falling back, for a type
// without an entry of its own, to the type it is binary-coercible to:
// varchar to text, an enum to anyenum, an array to anyarray.
func forType(byType map[uint32]uint32, t catalog.Type) uint32 {
	if oid := byType[t.OID()]; oid != 0 {
		return oid
	}
	switch {
	case t.Kind == catalog.Varchar:
		return byType[catalog.OIDText]
	case t.Kind == catalog.Enum:
		return byType[catalog.OIDAnyenum]
	case t.IsArray():
		return byType[catalog.OIDAnyarray]
	}
	return 0
}
