package pgcatalog

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// pg_index: the index of every primary key and every index of the
// catalog, all btree over plain columns (pqdb has no expression or
// partial indexes), each column with its type's default btree operator
// class and ascending order.
var _ = makesRows("pg_index", pgIndexRows)

// indexRow is one row of pg_index.
type indexRow struct {
	oid, relid      uint32
	cols            []catalog.Column
	attnums         []int
	unique, primary bool
}

func (x indexRow) datums() []catalog.Datum {
	n := len(x.attnums)
	keys := make(catalog.ArrayValue, n)
	colls := make(catalog.ArrayValue, n)
	classes := make(catalog.ArrayValue, n)
	options := make(catalog.ArrayValue, n)
	for i, num := range x.attnums {
		keys[i] = int16(num)
		colls[i] = columnTypeProps(x.cols[i].Type).collation
		classes[i] = defaultBtreeOpclass(x.cols[i].Type)
		options[i] = int16(0)
	}
	return []catalog.Datum{
		x.oid, x.relid, int16(n), int16(n), x.unique, false, x.primary, false, true, false, true, false,
		true, true, false, keys, colls, classes, options, nil, nil,
	}
}

// tableIndexes are the indexes of table t among indexes (those of its
// schema): its primary key's first, as pg_index rows.
func tableIndexes(t *catalog.Table, indexes []*catalog.Index) []indexRow {
	var out []indexRow
	if len(t.PrimaryKey) > 0 {
		x := indexRow{oid: PrimaryKeyIndexOID(t), relid: uint32(t.ID), unique: true, primary: true}
		for _, k := range t.PrimaryKey {
			x.cols, x.attnums = append(x.cols, t.Columns[k]), append(x.attnums, k+1)
		}
		out = append(out, x)
	}
	for _, ix := range indexes {
		if ix.Table != t.Name {
			continue
		}
		x := indexRow{oid: uint32(ix.ID), relid: uint32(t.ID), unique: ix.Unique}
		for _, name := range ix.Columns {
			if k := t.ColumnIndex(name); k >= 0 {
				x.cols, x.attnums = append(x.cols, t.Columns[k]), append(x.attnums, k+1)
			}
		}
		out = append(out, x)
	}
	return out
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

// defaultBtreeOpclass is the OID of the btree operator class an index
// column of type t gets by default (pg_opclass.opcdefault), or 0. Types
// without their own take that of the type they are binary-coercible to,
// as PostgreSQL's GetDefaultOpClass does: varchar text's, enums
// anyenum's, arrays anyarray's.
func defaultBtreeOpclass(t catalog.Type) uint32 { return forType(btreeOpclasses(), t) }

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

// btreeOpclasses are the default btree operator classes of the bki's
// pg_opclass, by input type.
var btreeOpclasses = sync.OnceValue(func() map[uint32]uint32 {
	out := map[uint32]uint32{}
	rows, err := sharedBKIRows("pg_opclass")
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		// oid, opcmethod, opcname, opcnamespace, opcowner, opcfamily,
		// opcintype, opcdefault, opckeytype
		if r[1] == uint32(btreeAM) && r[7] == true {
			out[r[6].(uint32)] = r[0].(uint32)
		}
	}
	return out
})
