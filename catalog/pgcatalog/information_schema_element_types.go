package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.element_types: the element type of each array
// type used by a column, a domain, or a routine's parameter or result,
// read from pg_attribute, pg_type and pg_proc as PostgreSQL's view reads
// them (every one of them is in data_type_privileges for a superuser).

// arrayUse is one use of a type: the object, the kind of object, its
// dtd identifier and the type used, with the collation it is used with.
type arrayUse struct {
	namespace      uint32
	name, kind     string
	dtdID          int
	typ, collation uint32
}

var _ = addsRelation(informationSchemaRelation("element_types", func(db Database) ([][]catalog.Datum, error) {
	uses, err := typeUses(db)
	if err != nil {
		return nil, err
	}
	typ, types, err := CatalogRows(db, "pg_type")
	if err != nil {
		return nil, err
	}
	byOID := make(map[uint32][]catalog.Datum, len(types))
	for _, t := range types {
		byOID[t[typ.Column("oid")].(uint32)] = t
	}
	colls, err := nonDefaultCollations(db)
	if err != nil {
		return nil, err
	}
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, u := range uses {
		at := byOID[u.typ]
		if at == nil || at[typ.Column("typelem")].(uint32) == 0 || at[typ.Column("typlen")].(int16) != -1 {
			continue
		}
		bt := byOID[at[typ.Column("typelem")].(uint32)]
		if bt == nil {
			continue
		}
		btOID, btSchema := bt[typ.Column("oid")].(uint32), schemaName(db, bt[typ.Column("typnamespace")].(uint32))
		dataType := "USER-DEFINED"
		if btSchema == PgCatalog {
			dataType = formatTypeOID(btOID, users)
		}
		var collCatalog, collSchema, collName catalog.Datum
		if c, ok := colls[u.collation]; ok {
			collCatalog, collSchema, collName = dbName, c.schema, c.name
		}
		dtd := itoa(u.dtdID)
		rows = append(rows, []catalog.Datum{dbName, schemaName(db, u.namespace), u.name, u.kind, dtd, dataType,
			nil, nil, nil, nil, nil, collCatalog, collSchema, collName, nil, nil, nil, nil, nil, nil, nil,
			dbName, btSchema, bt[typ.Column("typname")], nil, nil, nil, nil, "a" + dtd})
	}
	return rows, nil
}))

// typeUses lists the types used by the columns of tables, views and
// composite types, by the domains, and by the routines' parameters
// (dtd identifier: the position) and results (0).
func typeUses(db Database) ([]arrayUse, error) {
	cls, classes, err := CatalogRows(db, "pg_class")
	if err != nil {
		return nil, err
	}
	type relation struct {
		namespace uint32
		name      string
		kind      string
	}
	rels := map[uint32]relation{}
	for _, c := range classes {
		switch kind := c[cls.Column("relkind")].(string); kind {
		case "r", "v", "f", "c", "p":
			rels[c[cls.Column("oid")].(uint32)] = relation{c[cls.Column("relnamespace")].(uint32), c[cls.Column("relname")].(string), kind}
		}
	}
	att, attrs, err := CatalogRows(db, "pg_attribute")
	if err != nil {
		return nil, err
	}
	var out []arrayUse
	for _, a := range attrs {
		r, ok := rels[a[att.Column("attrelid")].(uint32)]
		num := a[att.Column("attnum")].(int16)
		if !ok || num <= 0 || a[att.Column("attisdropped")] == true {
			continue
		}
		kind := "TABLE"
		if r.kind == "c" {
			kind = "USER-DEFINED TYPE"
		}
		out = append(out, arrayUse{r.namespace, r.name, kind, int(num), a[att.Column("atttypid")].(uint32), a[att.Column("attcollation")].(uint32)})
	}
	typ, types, err := CatalogRows(db, "pg_type")
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		if t[typ.Column("typtype")] == "d" {
			out = append(out, arrayUse{t[typ.Column("typnamespace")].(uint32), t[typ.Column("typname")].(string), "DOMAIN", 1,
				t[typ.Column("typbasetype")].(uint32), t[typ.Column("typcollation")].(uint32)})
		}
	}
	proc, procs, err := CatalogRows(db, "pg_proc")
	if err != nil {
		return nil, err
	}
	for _, p := range procs {
		ns, oid := p[proc.Column("pronamespace")].(uint32), p[proc.Column("oid")].(uint32)
		name := p[proc.Column("proname")].(string) + "_" + itoa(int(oid))
		args, _ := p[proc.Column("proallargtypes")].(catalog.ArrayValue)
		if args == nil {
			args, _ = p[proc.Column("proargtypes")].(catalog.ArrayValue)
		}
		for i, a := range args {
			out = append(out, arrayUse{ns, name, "ROUTINE", i + 1, a.(uint32), 0})
		}
		out = append(out, arrayUse{ns, name, "ROUTINE", 0, p[proc.Column("prorettype")].(uint32), 0})
	}
	return out, nil
}

// nonDefaultCollations are the collations of pg_collation but the
// database's default, by OID, with their schemas and names.
func nonDefaultCollations(db Database) (map[uint32]userTypeName, error) {
	coll, rows, err := CatalogRows(db, "pg_collation")
	if err != nil {
		return nil, err
	}
	out := map[uint32]userTypeName{}
	for _, c := range rows {
		schema, name := schemaName(db, c[coll.Column("collnamespace")].(uint32)), c[coll.Column("collname")].(string)
		if schema != PgCatalog || name != "default" {
			out[c[coll.Column("oid")].(uint32)] = userTypeName{schema, name}
		}
	}
	return out, nil
}

// formatTypeOID is format_type(oid, NULL).
func formatTypeOID(oid uint32, users map[uint32]userTypeName) string {
	if r, ok := systemRowTypeNames()[oid]; ok {
		return r.name
	}
	dataType, _, _ := typeOfOID(oid, users)
	return dataType
}

func itoa(n int) string { return int8Text(int64(n)) }
