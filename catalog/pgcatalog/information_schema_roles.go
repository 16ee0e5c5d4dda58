package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema's views of roles and privileges: enabled_roles,
// applicable_roles, role_table_grants, table_privileges and
// column_privileges. pqdb has no GRANT: every role
// may do everything, and the privileges shown are those an owner has on
// its tables and views, all held by the bootstrap superuser that owns
// every object.

var _ = addsRelation(&Relation{OID: 13325, Schema: InformationSchema, Name: "enabled_roles", Columns: informationSchemaColumns["enabled_roles"], rows: func(db Database) ([][]catalog.Datum, error) {
	// A superuser has the privileges of every role (pg_has_role), so
	// every role of pg_authid is enabled.
	r, rows, err := CatalogRows(db, "pg_authid")
	if err != nil || r == nil {
		return nil, err
	}
	name := r.Column("rolname")
	out := make([][]catalog.Datum, len(rows))
	for i, row := range rows {
		out[i] = []catalog.Datum{row[name]}
	}
	return out, nil
}})

var _ = addsRelation(&Relation{OID: 13236, Schema: InformationSchema, Name: "applicable_roles", Columns: informationSchemaColumns["applicable_roles"], rows: func(db Database) ([][]catalog.Datum, error) {
	// The memberships initdb grants (system_views.sql: pg_monitor's), and
	// the database owner's of pg_database_owner.
	return [][]catalog.Datum{
		{db.BootstrapUser(), "pg_database_owner", "NO"},
		{"pg_monitor", "pg_read_all_settings", "NO"},
		{"pg_monitor", "pg_read_all_stats", "NO"},
		{"pg_monitor", "pg_stat_scan_tables", "NO"},
	}, nil
}})

// tablePrivileges are the privileges an owner holds on a table or view,
// as role_table_grants lists them.
var tablePrivileges = []string{"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"}

// tableGrantsRows lists the owner's privileges on every user table and
// view. (PostgreSQL's table_privileges also lists the SELECT that
// PUBLIC has on the system catalogs.)
func tableGrantsRows(db Database) ([][]catalog.Datum, error) {
	owner, dbName := db.BootstrapUser(), db.DatabaseName()
	var rows [][]catalog.Datum
	add := func(schema, name string) {
		for _, p := range tablePrivileges {
			rows = append(rows, []catalog.Datum{owner, owner, dbName, schema, name, p, "YES", yesNo(p == "SELECT")})
		}
	}
	eachUserRelation(db, add)
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 13421, Schema: InformationSchema, Name: "role_table_grants", Columns: informationSchemaColumns["role_table_grants"], rows: tableGrantsRows})

var _ = addsRelation(&Relation{OID: 13416, Schema: InformationSchema, Name: "table_privileges", Columns: informationSchemaColumns["table_privileges"], rows: tableGrantsRows})

// columnPrivileges are the privileges an owner holds on each column.
var columnPrivileges = []string{"INSERT", "SELECT", "UPDATE", "REFERENCES"}

var _ = addsRelation(&Relation{OID: 13285, Schema: InformationSchema, Name: "column_privileges", Columns: informationSchemaColumns["column_privileges"], rows: func(db Database) ([][]catalog.Datum, error) {
	owner, dbName := db.BootstrapUser(), db.DatabaseName()
	var rows [][]catalog.Datum
	add := func(schema, table, column string) {
		for _, p := range columnPrivileges {
			rows = append(rows, []catalog.Datum{owner, owner, dbName, schema, table, column, p, "YES"})
		}
	}
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			for _, c := range t.Columns {
				add(s.Name, t.Name, c.Name)
			}
		}
		for _, v := range db.Views(s.Name) {
			cols, err := db.ViewColumns(v)
			if err != nil {
				continue
			}
			for _, c := range cols {
				add(s.Name, v.Name, c.Name)
			}
		}
	}
	return rows, nil
}})
