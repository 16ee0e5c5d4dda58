package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_namespace: the bootstrap schemas (pg_catalog, pg_toast; public is
// the database's own), information_schema, and the database's schemas.
var _ = makesRows("pg_namespace", pgNamespaceRows)

// pgDatabaseOwnerOID is the pg_database_owner role, which owns public in
// PostgreSQL 15.
const pgDatabaseOwnerOID = 6171

// publicSchemaACL is public's nspacl in PostgreSQL 15: its owner may use
// it and create in it, everyone may use it.
var publicSchemaACL = catalog.ArrayValue{"pg_database_owner=UC/pg_database_owner", "=U/pg_database_owner"}

func pgNamespaceRows(db Database) ([][]catalog.Datum, error) {
	boot, err := bkiRows("pg_namespace")
	if err != nil {
		return nil, err
	}
	// initdb grants USAGE on pg_catalog and information_schema to
	// PUBLIC, so their ACL names their owner, the bootstrap superuser.
	owner := db.BootstrapUser()
	systemACL := catalog.ArrayValue{owner + "=UC/" + owner, "=U/" + owner}
	var rows [][]catalog.Datum
	for _, r := range boot {
		switch r[1] {
		case "public":
			continue
		case PgCatalog:
			r = append(append([]catalog.Datum(nil), r[:3]...), systemACL)
		}
		rows = append(rows, r)
	}
	rows = append(rows, []catalog.Datum{uint32(InformationSchemaOID), InformationSchema, uint32(BootstrapSuperuserOID), systemACL})
	for _, s := range db.Schemas() {
		owner, acl := uint32(BootstrapSuperuserOID), catalog.Datum(nil)
		if s.Name == "public" {
			owner, acl = pgDatabaseOwnerOID, publicSchemaACL
		}
		rows = append(rows, []catalog.Datum{s.OID, s.Name, owner, acl})
	}
	return rows, nil
}
