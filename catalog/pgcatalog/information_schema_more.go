package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// The rest of PostgreSQL 15's information_schema: its sql_* tables, with
// the rows information_schema.sql and initdb give them; the views of
// domains' usage, from pqdb's domains and information_schema's own; and
// the views of objects pqdb does not have, with no rows.

// informationSchemaRelation is information_schema's relation name, with
// PostgreSQL 15's OID and columns, whose rows rows makes.
func informationSchemaRelation(name string, rows func(Database) ([][]catalog.Datum, error)) *Relation {
	cols, ok := informationSchemaColumns[name]
	if !ok {
		panic("pgcatalog: PostgreSQL 15's information_schema has no " + name)
	}
	return &Relation{OID: pgRelationTypes[InformationSchema+"."+name].OID, Schema: InformationSchema, Name: name,
		Columns: cols, rows: rows}
}

// The sql_* tables are tables in PostgreSQL, not views.
var _ = func() bool {
	for name, rows := range pgSQLTables {
		addsTable(informationSchemaRelation(name, func(Database) ([][]catalog.Datum, error) { return rows, nil }))
	}
	return true
}()

// pqdb has none of what these views show: grants of roles with ADMIN
// OPTION, column grants, routines' usage of other objects, generated
// columns, standalone composite types and their attributes, transforms,
// triggers' columns, and foreign data wrappers, servers, tables and user
// mappings. The tables, columns and routines views use and
// data_type_privileges are not listed yet (PostgreSQL lists those of its
// own views and built-in routines too).
var _ = noRowsInformationSchemaViews(
	"administrable_role_authorizations", "attributes", "check_constraint_routine_usage",
	"column_column_usage", "role_column_grants", "routine_column_usage", "routine_routine_usage",
	"routine_sequence_usage", "routine_table_usage", "transforms", "triggered_update_columns",
	"user_defined_types", "view_column_usage", "view_routine_usage", "view_table_usage",
	"data_type_privileges", "column_options",
	"foreign_data_wrapper_options", "foreign_data_wrappers", "foreign_server_options", "foreign_servers",
	"foreign_table_options", "foreign_tables", "user_mapping_options", "user_mappings",
)

func noRowsInformationSchemaViews(names ...string) bool {
	for _, name := range names {
		addsRelation(informationSchemaRelation(name, emptyRows))
	}
	return true
}

// information_schema's internal views (_pg_foreign_tables, ...), which
// PostgreSQL's views of foreign objects read: no rows, as pqdb has no
// foreign objects.
var _ = func() bool {
	for name, v := range pgInformationSchemaInternalViews {
		cols := make([]catalog.Column, len(v.Columns))
		for i, c := range v.Columns {
			cols[i] = c.column()
		}
		addsRelation(&Relation{OID: v.OID, Schema: InformationSchema, Name: name, Columns: cols, rows: emptyRows})
	}
	return true
}()

// domain_constraints: the CHECK constraints of the domains.
var _ = addsRelation(informationSchemaRelation("domain_constraints", func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		if c.Domain != nil {
			rows = append(rows, []catalog.Datum{dbName, c.Domain.Schema, c.Name, dbName, c.Domain.Schema, c.Domain.Name, "NO", "NO"})
		}
	}
	return rows, nil
}))

// domain_udt_usage: each domain with its base type.
var _ = addsRelation(informationSchemaRelation("domain_udt_usage", func(db Database) ([][]catalog.Datum, error) {
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	eachDomain(db, func(schema string, u *catalog.UserType) {
		ct := typeOf(u.Domain.Base, users)
		rows = append(rows, []catalog.Datum{dbName, ct.udtSchema, ct.udtName, dbName, schema, u.Name})
	})
	return rows, nil
}))

// column_domain_usage: each column of a domain, of the system relations
// (information_schema's columns are of its domains) and of the user's
// tables and views.
var _ = addsRelation(informationSchemaRelation("column_domain_usage", func(db Database) ([][]catalog.Datum, error) {
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	add := func(schema, table string, cols []catalog.Column) {
		for _, c := range cols {
			if u, ok := users[uint32(c.Domain)]; ok && c.Domain != 0 {
				rows = append(rows, []catalog.Datum{dbName, u.schema, u.name, dbName, schema, table, c.Name})
			}
		}
	}
	for _, r := range Relations() {
		add(r.Schema, r.Name, r.Columns)
	}
	for _, s := range visibleSchemas(db) {
		for _, t := range db.Tables(s.Name) {
			add(s.Name, t.Name, t.Columns)
		}
		for _, v := range db.Views(s.Name) {
			if cols, err := db.ViewColumns(v); err == nil {
				add(s.Name, v.Name, cols)
			}
		}
	}
	return rows, nil
}))

// collations and collation_character_set_applicability: the collations
// of pg_collation, every one for any encoding (collencoding -1), so for
// the database's, UTF8.
func collationNames() ([]string, error) {
	rows, err := sharedBKIRows("pg_collation")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r[1].(string) // oid, collname, ...
	}
	return names, nil
}

var _ = addsRelation(informationSchemaRelation("collations", func(db Database) ([][]catalog.Datum, error) {
	names, err := collationNames()
	var rows [][]catalog.Datum
	for _, n := range names {
		rows = append(rows, []catalog.Datum{db.DatabaseName(), PgCatalog, n, "NO PAD"})
	}
	return rows, err
}))

var _ = addsRelation(informationSchemaRelation("collation_character_set_applicability", func(db Database) ([][]catalog.Datum, error) {
	names, err := collationNames()
	var rows [][]catalog.Datum
	for _, n := range names {
		rows = append(rows, []catalog.Datum{db.DatabaseName(), PgCatalog, n, nil, nil, "UTF8"})
	}
	return rows, err
}))

// column_udt_usage: each column with the type it is of (a domain's
// base type), as columns describes them.
var _ = addsRelation(informationSchemaRelation("column_udt_usage", func(db Database) ([][]catalog.Datum, error) {
	columns := Lookup(InformationSchema, "columns")
	all, err := columnsRows(db)
	if err != nil {
		return nil, err
	}
	var picks []int
	for _, name := range []string{"udt_catalog", "udt_schema", "udt_name", "table_catalog", "table_schema", "table_name", "column_name"} {
		picks = append(picks, columns.Column(name))
	}
	rows := make([][]catalog.Datum, len(all))
	for i, c := range all {
		rows[i] = make([]catalog.Datum, len(picks))
		for k, p := range picks {
			rows[i][k] = c[p]
		}
	}
	return rows, nil
}))
