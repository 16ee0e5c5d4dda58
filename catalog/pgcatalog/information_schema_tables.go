package pgcatalog

import (
	"sort"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema.schemata, tables and views.

var _ = addsRelation(&Relation{OID: 13382, Schema: InformationSchema, Name: "schemata", Columns: informationSchemaColumns["schemata"], rows: schemataRows})

// schemataRows: every schema of pg_namespace; public belongs to
// pg_database_owner, the others to the bootstrap superuser.
func schemataRows(db Database) ([][]catalog.Datum, error) {
	names := []string{PgCatalog, "pg_toast", InformationSchema}
	for _, s := range db.Schemas() {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	rows := make([][]catalog.Datum, len(names))
	for i, n := range names {
		owner := db.BootstrapUser()
		if n == "public" {
			owner = "pg_database_owner"
		}
		rows[i] = []catalog.Datum{db.DatabaseName(), n, owner, nil, nil, nil, nil}
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 13425, Schema: InformationSchema, Name: "tables", Columns: informationSchemaColumns["tables"], rows: tablesRows})

// systemRelationIsView reports whether PostgreSQL has the system relation
// r as a view: every table this package adds beside the bki's catalogs
// and information_schema's sql_* tables (information_schema's views,
// pg_settings, pg_stat_activity, ...) is one of PostgreSQL's views.
func systemRelationIsView(r *Relation) bool { return r.view }

func tablesRows(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	row := func(schema, name, kind string, insertable bool) []catalog.Datum {
		return []catalog.Datum{dbName, schema, name, kind, nil, nil, nil, nil, nil, yesNo(insertable), "NO", nil}
	}
	var rows [][]catalog.Datum
	for _, r := range Relations() {
		if systemRelationIsView(r) {
			rows = append(rows, row(r.Schema, r.Name, "VIEW", false))
		} else {
			rows = append(rows, row(r.Schema, r.Name, "BASE TABLE", true))
		}
	}
	for _, v := range Views() {
		rows = append(rows, row(v.Schema, v.Name, "VIEW", false))
	}
	for _, s := range visibleSchemas(db) {
		for _, t := range db.Tables(s.Name) {
			if isTempSchema(s.Name) {
				rows = append(rows, row(s.Name, t.Name, "LOCAL TEMPORARY", true))
			} else {
				rows = append(rows, row(s.Name, t.Name, "BASE TABLE", true))
			}
		}
		for _, v := range db.Views(s.Name) {
			rows = append(rows, row(s.Name, v.Name, "VIEW", false))
		}
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 13483, Schema: InformationSchema, Name: "views", Columns: informationSchemaColumns["views"], rows: viewsRows})

// viewsRows lists the views with their query as pg_get_viewdef prints
// it. pqdb's views are not updatable.
func viewsRows(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	row := func(v *catalog.View) []catalog.Datum {
		return []catalog.Datum{dbName, v.Schema, v.Name, db.DeparseView(v), "NONE", "NO", "NO", "NO", "NO", "NO"}
	}
	var rows [][]catalog.Datum
	for _, v := range Views() {
		rows = append(rows, row(v))
	}
	for _, s := range visibleSchemas(db) {
		for _, v := range db.Views(s.Name) {
			rows = append(rows, row(v))
		}
	}
	return rows, nil
}
