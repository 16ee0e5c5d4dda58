package pgcatalog

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// pg_type: the built-in types (the bki's rows, which are catalog.PgTypes
// with every column), the row types of the system catalogs the bki gives
// one to, and, schema by schema, the user types (enums and domains, each
// with its array type) and the row type of every table and view with its
// array type. Sequences have no row type in PostgreSQL 15.
var _ = makesRows("pg_type", pgTypeRows)

// typeRow is one row of pg_type; its zero procs, relid, elem, array and
// basetype are PostgreSQL's 0 for none.
type typeRow struct {
	oid, namespace               uint32
	name                         string
	length                       int16
	byval                        bool
	typtype, category            string
	relid, elem, array           uint32
	subscript                    uint32
	input, output, receive, send uint32
	modin, modout, analyze       uint32
	align, storage               string
	notnull                      bool
	basetype                     uint32
	typmod                       int32
	collation                    uint32
	defaultExpr                  catalog.Datum
}

func (t typeRow) datums() []catalog.Datum {
	return []catalog.Datum{
		t.oid, t.name, t.namespace, uint32(BootstrapSuperuserOID), t.length, t.byval, t.typtype, t.category,
		false, true, ",", t.relid, t.subscript, t.elem, t.array, t.input, t.output, t.receive, t.send,
		t.modin, t.modout, t.analyze, t.align, t.storage, t.notnull, t.basetype, t.typmod, int32(0),
		t.collation, t.defaultExpr, t.defaultExpr, nil,
	}
}

func pgTypeRows(db Database) ([][]catalog.Datum, error) {
	rows, err := sharedBKIRows("pg_type")
	if err != nil {
		return nil, err
	}
	builtin := map[uint32]bool{}
	for _, r := range rows {
		builtin[r[0].(uint32)] = true
	}
	for _, d := range systemDomains() {
		rows = append(rows, d.typeRows()...)
	}
	addRowType := func(schema, name string, relid, rowType, arrayType uint32) {
		ns := systemSchemaOID(schema)
		if rowType != 0 && !builtin[rowType] {
			rows = append(rows, rowTypeRow(rowType, ns, name, relid, arrayType).datums())
		}
		if arrayType != 0 && !builtin[arrayType] {
			rows = append(rows, arrayTypeRow(int64(arrayType), ns, name, rowType, rowTypeProps).datums())
		}
	}
	for _, r := range Relations() {
		addRowType(r.Schema, r.Name, r.OID, r.RowType, r.ArrayType)
	}
	for _, v := range Views() {
		t := SystemViewTypes(v)
		addRowType(v.Schema, v.Name, uint32(v.ID), t.RowType, t.ArrayType)
	}
	for _, s := range db.Schemas() {
		for _, u := range db.UserTypes(s.Name) {
			r := userTypeRow(u, s.OID)
			if r.defaultExpr != nil {
				r.defaultExpr = db.DeparseDomainDefault(u)
			}
			rows = append(rows, r.datums(), arrayTypeRow(u.ID+1, s.OID, u.Name, uint32(u.ID), userTypeProps(u)).datums())
		}
		for _, t := range db.Tables(s.Name) {
			rows = append(rows, rowTypeRow(RowTypeOID(t), s.OID, t.Name, uint32(t.ID), RowArrayTypeOID(t)).datums(),
				arrayTypeRow(int64(RowArrayTypeOID(t)), s.OID, t.Name, RowTypeOID(t), rowTypeProps).datums())
		}
		for _, v := range db.Views(s.Name) {
			rows = append(rows, rowTypeRow(ViewRowTypeOID(v), s.OID, v.Name, uint32(v.ID), ViewRowArrayTypeOID(v)).datums(),
				arrayTypeRow(int64(ViewRowArrayTypeOID(v)), s.OID, v.Name, ViewRowTypeOID(v), rowTypeProps).datums())
		}
	}
	return rows, nil
}

// ViewRowTypeOID is the OID of view v's row type, and
// ViewRowArrayTypeOID that of its array type (derived as a table's).
func ViewRowTypeOID(v *catalog.View) uint32      { return derivedOID(v.ID, slotRowType) }
func ViewRowArrayTypeOID(v *catalog.View) uint32 { return derivedOID(v.ID, slotRowArrayType) }

// rowTypeRow is the composite type of relation relid.
func rowTypeRow(oid, namespace uint32, name string, relid, array uint32) typeRow {
	return typeRow{oid: oid, namespace: namespace, name: name, length: -1, typtype: "c", category: "C",
		relid: relid, array: array, input: procOID("record_in"), output: procOID("record_out"),
		receive: procOID("record_recv"), send: procOID("record_send"), align: "d", storage: "x", typmod: -1}
}

// arrayTypeRow is the array type _name of the type elem, whose storage
// properties are props. Its alignment is the element's when "d", else
// "i" (an array's header is int-aligned), as CREATE TYPE and CREATE
// DOMAIN make it.
func arrayTypeRow(oid int64, namespace uint32, name string, elem uint32, props typeProps) typeRow {
	if props.align != "d" {
		props.align = "i"
	}
	return typeRow{oid: uint32(oid), namespace: namespace, name: "_" + name, length: -1, typtype: "b", category: "A",
		elem: elem, subscript: procOID("array_subscript_handler"), input: procOID("array_in"),
		output: procOID("array_out"), receive: procOID("array_recv"), send: procOID("array_send"),
		analyze: procOID("array_typanalyze"), align: props.align, storage: "x", typmod: -1, collation: props.collation}
}

// userTypeRow is the row of an enum or a domain.
func userTypeRow(u *catalog.UserType, namespace uint32) typeRow {
	p := userTypeProps(u)
	r := typeRow{oid: uint32(u.ID), namespace: namespace, name: u.Name, length: p.length, byval: p.byval,
		array: uint32(u.ID + 1), align: p.align, storage: p.storage, typmod: -1, collation: p.collation}
	if d := u.Domain; d != nil {
		base := builtinType(d.Base.OID())
		r.typtype, r.category = "d", string(base.Typcategory)
		r.input, r.output = procOID("domain_in"), base.Typoutput.OID
		r.receive, r.send = procOID("domain_recv"), base.Typsend.OID
		r.notnull, r.basetype, r.typmod = d.NotNull, base.OID, d.Base.Typmod
		if d.Default != "" {
			r.defaultExpr = d.Default
		}
		return r
	}
	r.typtype, r.category = "e", "E"
	r.input, r.output = procOID("enum_in"), procOID("enum_out")
	r.receive, r.send = procOID("enum_recv"), procOID("enum_send")
	return r
}

// typeProps are how values of a type are stored, which pg_attribute
// repeats for each column: typlen, typbyval, typalign, typstorage, and
// the type's collation.
type typeProps struct {
	length         int16
	byval          bool
	align, storage string
	collation      uint32
}

// rowTypeProps are those of a composite type.
var rowTypeProps = typeProps{length: -1, align: "d", storage: "x"}

// enumProps are those of every enum (4-byte OIDs on disk in PostgreSQL).
var enumProps = typeProps{length: 4, byval: true, align: "i", storage: "p"}

func userTypeProps(u *catalog.UserType) typeProps {
	if u.Domain != nil {
		return columnTypeProps(u.Domain.Base)
	}
	return enumProps
}

// columnTypeProps are the storage properties of type t.
func columnTypeProps(t catalog.Type) typeProps {
	switch {
	case t.Kind == catalog.Enum:
		return enumProps
	case t.Kind == catalog.Array && t.Elem == catalog.Enum:
		return typeProps{length: -1, align: "i", storage: "x"}
	}
	return builtinTypeProps(t.OID())
}

// builtinTypeProps are the storage properties of the built-in type oid.
func builtinTypeProps(oid uint32) typeProps {
	r := builtinType(oid)
	return typeProps{length: r.Typlen, byval: r.Typbyval, align: string(r.Typalign),
		storage: string(r.Typstorage), collation: r.Typcollation}
}

// builtinTypes are catalog.PgTypes by OID and by name.
var builtinTypes = sync.OnceValues(func() (map[uint32]*catalog.PgTypeRow, map[string]*catalog.PgTypeRow) {
	byOID, byName := map[uint32]*catalog.PgTypeRow{}, map[string]*catalog.PgTypeRow{}
	for i := range catalog.PgTypes {
		r := &catalog.PgTypes[i]
		byOID[r.OID], byName[r.Typname] = r, r
	}
	return byOID, byName
})

// builtinType is the pg_type row of the built-in type oid (a zero row
// for an OID that is none).
func builtinType(oid uint32) *catalog.PgTypeRow {
	byOID, _ := builtinTypes()
	if r := byOID[oid]; r != nil {
		return r
	}
	return &catalog.PgTypeRow{}
}

// procOID is the OID of the built-in function name, one PostgreSQL does
// not overload (the input and output functions of types), or 0.
func procOID(name string) uint32 { return procOIDs()[name] }

var procOIDs = sync.OnceValue(func() map[string]uint32 {
	out := map[string]uint32{}
	for _, c := range bkiCatalogs {
		if c.Name != "pg_proc" {
			continue
		}
		for _, r := range c.Rows {
			if _, seen := out[r[1]]; !seen {
				oid, _ := catalog.ParseText(catalog.TypeOid, r[0])
				out[r[1]], _ = oid.(uint32)
			}
		}
	}
	return out
})
