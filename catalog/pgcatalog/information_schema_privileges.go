package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema's views of the privileges on types, routines and
// other objects: udt_privileges, usage_privileges and routine_privileges,
// and their role_*_grants twins, which list the same rows for a
// superuser (every role is enabled, so every grantor is). pqdb has no
// GRANT: the privileges are those PostgreSQL's default ACLs give, the
// owner's (grantable) and PUBLIC's, on objects the bootstrap superuser
// owns.

// defaultGrants are the rows of privilege privilege on one object, whose
// columns between grantee and privilege_type are object: PUBLIC's, then
// the owner's, as aclexplode(acldefault(...)) lists them.
func defaultGrants(owner string, object []catalog.Datum, privilege string) [][]catalog.Datum {
	row := func(grantee string, grantable bool) []catalog.Datum {
		r := append([]catalog.Datum{owner, grantee}, object...)
		return append(r, privilege, yesNo(grantable))
	}
	return [][]catalog.Datum{row("PUBLIC", false), row(owner, true)}
}

// udtGrantsRows: USAGE of every composite type, the row types of the
// system relations and of the user's tables and views.
func udtGrantsRows(db Database) ([][]catalog.Datum, error) {
	owner, dbName := db.BootstrapUser(), db.DatabaseName()
	var rows [][]catalog.Datum
	add := func(schema, name string) {
		rows = append(rows, defaultGrants(owner, []catalog.Datum{dbName, schema, name}, "TYPE USAGE")...)
	}
	for _, r := range Relations() {
		if r.RowType != 0 {
			add(r.Schema, r.Name)
		}
	}
	for _, v := range Views() {
		add(v.Schema, v.Name)
	}
	eachUserRelation(db, add)
	return rows, nil
}

var _ = addsRelation(informationSchemaRelation("udt_privileges", udtGrantsRows))
var _ = addsRelation(informationSchemaRelation("role_udt_grants", udtGrantsRows))

// usageGrantsRows: USAGE of the collations, which PostgreSQL lists as
// PUBLIC's only, and of the domains.
func usageGrantsRows(db Database) ([][]catalog.Datum, error) {
	owner, dbName := db.BootstrapUser(), db.DatabaseName()
	names, err := collationNames()
	if err != nil {
		return nil, err
	}
	var rows [][]catalog.Datum
	for _, n := range names {
		rows = append(rows, []catalog.Datum{owner, "PUBLIC", dbName, PgCatalog, n, "COLLATION", "USAGE", "NO"})
	}
	eachDomain(db, func(schema string, u *catalog.UserType) {
		rows = append(rows, defaultGrants(owner, []catalog.Datum{dbName, schema, u.Name, "DOMAIN"}, "USAGE")...)
	})
	return rows, nil
}

var _ = addsRelation(informationSchemaRelation("usage_privileges", usageGrantsRows))
var _ = addsRelation(informationSchemaRelation("role_usage_grants", usageGrantsRows))

// routineGrantsRows: EXECUTE of every routine of pg_proc.
func routineGrantsRows(db Database) ([][]catalog.Datum, error) {
	procs, err := procedures(db)
	if err != nil {
		return nil, err
	}
	owner, dbName := db.BootstrapUser(), db.DatabaseName()
	var rows [][]catalog.Datum
	for _, p := range procs {
		schema := schemaName(db, p.namespace)
		rows = append(rows, defaultGrants(owner, []catalog.Datum{dbName, schema, p.specificName(), dbName, schema, p.name}, "EXECUTE")...)
	}
	return rows, nil
}

var _ = addsRelation(informationSchemaRelation("routine_privileges", routineGrantsRows))
var _ = addsRelation(informationSchemaRelation("role_routine_grants", routineGrantsRows))
