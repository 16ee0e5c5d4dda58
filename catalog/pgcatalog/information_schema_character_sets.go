package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.character_sets: the one character set of the
// database, its encoding.

var _ = addsRelation(&Relation{OID: 13250, Schema: InformationSchema, Name: "character_sets", Columns: informationSchemaColumns["character_sets"], rows: func(db Database) ([][]catalog.Datum, error) {
	// The database's encoding, UTF8, and its default collation, which
	// pg_collation does not name (the database's is C).
	return [][]catalog.Datum{{nil, nil, "UTF8", "UCS", "UTF8", db.DatabaseName(), nil, nil}}, nil
}})
