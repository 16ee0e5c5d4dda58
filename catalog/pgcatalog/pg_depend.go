package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_depend: how the database's objects depend on each other, as
// PostgreSQL records it when they are created: each relation and type
// on its schema ('n'), a row type on its relation and an array type on
// its element ('i'), a serial's sequence on its column ('a', 'i' for an
// identity column's, which psql and pg_get_serial_sequence read), a
// column on its enum or domain, an index on its constraint or columns,
// a constraint and a default on the columns they cover. Views have no
// pg_rewrite rule in pqdb, so what a view reads is not recorded.
var _ = makesRows("pg_depend", pgDependRows)

// The catalogs of the objects pg_depend and pg_description name
// (classid, classoid: the catalogs' pg_class OIDs).
const (
	pgTypeClassOID       = 1247
	pgClassClassOID      = 1259
	pgNamespaceClassOID  = 2615
	pgConstraintClassOID = 2606
	pgAttrdefClassOID    = 2604
)

// The kinds of dependency (pg_depend.deptype).
const (
	dependNormal   = "n"
	dependAuto     = "a"
	dependInternal = "i"
)

// dependency is one row of pg_depend: the object (class, oid, sub) needs
// the object ref (class, oid, sub).
type dependency struct {
	class, oid       uint32
	sub              int
	refClass, refOID uint32
	refSub           int
	kind             string
}

func (d dependency) datums() []catalog.Datum {
	return []catalog.Datum{d.class, d.oid, int32(d.sub), d.refClass, d.refOID, int32(d.refSub), d.kind}
}

func pgDependRows(db Database) ([][]catalog.Datum, error) {
	var deps []dependency
	on := func(class, oid uint32, sub int, refClass, refOID uint32, refSub int, kind string) {
		deps = append(deps, dependency{class, oid, sub, refClass, refOID, refSub, kind})
	}
	rel := func(oid uint32, refOID uint32, refSub int, kind string) {
		on(pgClassClassOID, oid, 0, pgClassClassOID, refOID, refSub, kind)
	}
	for _, c := range Constraints(db) {
		if c.Domain != nil {
			on(pgConstraintClassOID, c.OID, 0, pgTypeClassOID, uint32(c.Domain.ID), 0, dependAuto)
			continue
		}
		for _, num := range c.Columns {
			if c.Kind == ConstraintCheck {
				on(pgConstraintClassOID, c.OID, 0, pgClassClassOID, uint32(c.Table.ID), num, dependNormal)
			}
			on(pgConstraintClassOID, c.OID, 0, pgClassClassOID, uint32(c.Table.ID), num, dependAuto)
		}
		if c.Kind == ConstraintForeignKey && c.RefTable != nil {
			if c.Index != 0 {
				on(pgConstraintClassOID, c.OID, 0, pgClassClassOID, c.Index, 0, dependNormal)
			}
			for _, num := range c.RefColumns {
				on(pgConstraintClassOID, c.OID, 0, pgClassClassOID, uint32(c.RefTable.ID), num, dependNormal)
			}
		}
		if c.Kind == ConstraintPrimaryKey || c.Kind == ConstraintUnique {
			on(pgClassClassOID, c.Index, 0, pgConstraintClassOID, c.OID, 0, dependInternal)
		}
	}
	for _, s := range db.Schemas() {
		inSchema := func(class, oid uint32) {
			on(class, oid, 0, pgNamespaceClassOID, s.OID, 0, dependNormal)
		}
		rowType := func(relid, typ, array uint32) {
			on(pgTypeClassOID, typ, 0, pgClassClassOID, relid, 0, dependInternal)
			on(pgTypeClassOID, array, 0, pgTypeClassOID, typ, 0, dependInternal)
		}
		for _, u := range db.UserTypes(s.Name) {
			inSchema(pgTypeClassOID, uint32(u.ID))
			on(pgTypeClassOID, uint32(u.ID+1), 0, pgTypeClassOID, uint32(u.ID), 0, dependInternal)
		}
		sequences := db.Sequences(s.Name)
		indexes := db.Indexes(s.Name)
		tables := db.Tables(s.Name)
		for _, t := range tables {
			inSchema(pgClassClassOID, uint32(t.ID))
			rowType(uint32(t.ID), RowTypeOID(t), RowArrayTypeOID(t))
			for i, c := range t.Columns {
				if typ := userTypeOfColumn(c); typ != 0 {
					on(pgClassClassOID, uint32(t.ID), i+1, pgTypeClassOID, typ, 0, dependNormal)
				}
				if hasAttrDef(c) {
					on(pgAttrdefClassOID, AttrDefOID(t, i+1), 0, pgClassClassOID, uint32(t.ID), i+1, dependAuto)
					if q := sequenceOwnedBy(sequences, t.Name, c.Name); q != nil {
						on(pgAttrdefClassOID, AttrDefOID(t, i+1), 0, pgClassClassOID, uint32(q.ID), 0, dependNormal)
					}
				}
			}
			for _, x := range tableIndexes(t, indexes) {
				if !x.unique {
					for _, num := range x.attnums {
						rel(x.oid, uint32(t.ID), num, dependAuto)
					}
				}
			}
		}
		for _, v := range db.Views(s.Name) {
			inSchema(pgClassClassOID, uint32(v.ID))
			rowType(uint32(v.ID), ViewRowTypeOID(v), ViewRowArrayTypeOID(v))
		}
		for _, q := range sequences {
			inSchema(pgClassClassOID, uint32(q.ID))
			if q.OwnedTable == "" {
				continue
			}
			t := tableNamed(tables, q.OwnedTable)
			if t == nil {
				continue
			}
			if k := t.ColumnIndex(q.OwnedColumn); k >= 0 {
				kind := dependAuto
				if t.Columns[k].Identity != "" {
					kind = dependInternal
				}
				rel(uint32(q.ID), uint32(t.ID), k+1, kind)
			}
		}
	}
	rows := make([][]catalog.Datum, len(deps))
	for i, d := range deps {
		rows[i] = d.datums()
	}
	return rows, nil
}

// userTypeOfColumn is the OID of the domain or enum column c is of, or
// 0.
func userTypeOfColumn(c catalog.Column) uint32 {
	if c.Domain != 0 {
		return uint32(c.Domain)
	}
	if c.Type.HasEnum() {
		return c.Type.Enum.OID
	}
	return 0
}

// sequenceOwnedBy is the sequence of sequences that column table.column
// owns (a serial's or an identity column's), or nil.
func sequenceOwnedBy(sequences []*catalog.Sequence, table, column string) *catalog.Sequence {
	for _, q := range sequences {
		if q.OwnedTable == table && q.OwnedColumn == column {
			return q
		}
	}
	return nil
}
