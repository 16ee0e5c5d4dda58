package storage

import "database/sql"

// A schema's OID (pg_namespace.oid) is fixed when the schema is created
// and kept in its writer database's meta table, so that clients that
// remember OIDs across statements (psql's \d, drivers' type caches) see
// the same one for as long as the schema exists. "public" has
// PostgreSQL's OID for it, 2200; every other schema takes the next object
// id, from the same counter as tables, so no two objects share one.
const (
	schemaOIDKey = "schema_oid"
	publicOID    = 2200
)

// newSchemaOID allocates the OID of a new schema called name.
func (s *Store) newSchemaOID(name string) int64 {
	if name == publicSchema {
		return publicOID
	}
	return s.allocObjectID()
}

func writeSchemaOID(db *sql.DB, oid int64) error {
	_, err := db.Exec(`INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, schemaOIDKey, oid)
	return err
}

// assignSchemaOIDs gives an OID to each schema of a data directory
// written before schemas had one. It runs once every schema is loaded, so
// the object id counter is past every id in use.
func (s *Store) assignSchemaOIDs() error {
	for name, ns := range s.namespaces {
		st := ns.state.Load()
		if st.oid != 0 {
			continue
		}
		oid := s.newSchemaOID(name)
		if err := writeSchemaOID(ns.db, oid); err != nil {
			return err
		}
		st.oid = uint32(oid) // not yet published: Open has not returned
	}
	return nil
}

// SchemaOID returns the OID of schema name, or 0 when there is none.
func (s *Snapshot) SchemaOID(name string) uint32 {
	if st := s.spaces[name]; st != nil {
		return st.oid
	}
	return 0
}
