package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_namespace: the bootstrap schemas (pg_catalog, pg_toast; public is
// the database's own), information_schema, and the database's schemas.
var _ = makesRows("pg_namespace", pgNamespaceRows)

// pgDatabaseOwnerOID is the pg_database_owner role, which owns public in
// PostgreSQL 15.
const pgDatabaseOwnerOID = 6171

func pgNamespaceRows(db Database) ([][]catalog.Datum, error) {
	boot, err := bkiRows("pg_namespace")
	if err != nil {
		return nil, err
	}
	var rows [][]catalog.Datum
	for _, r := range boot {
		if r[1] != "public" {
			rows = append(rows, r)
		}
	}
	rows = append(rows, []catalog.Datum{uint32(InformationSchemaOID), InformationSchema, uint32(BootstrapSuperuserOID), nil})
	for _, s := range db.Schemas() {
		owner := uint32(BootstrapSuperuserOID)
		if s.Name == "public" {
			owner = pgDatabaseOwnerOID
		}
		rows = append(rows, []catalog.Datum{s.OID, s.Name, owner, nil})
	}
	return rows, nil
}
