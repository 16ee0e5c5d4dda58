package catalog

import "sync"

// PgTypeRow is one row of pg_catalog.pg_type, as PostgreSQL 15 bootstraps it.
// The generated PgTypes lists the built-in rows; the emulated pg_catalog
// serves them as they are so that client type introspection sees the same
// OIDs and properties as on PostgreSQL.
type PgTypeRow struct {
	OID            uint32
	Typname        string
	Typnamespace   uint32
	Typlen         int16
	Typbyval       bool
	Typtype        byte
	Typcategory    byte
	Typispreferred bool
	Typdelim       byte
	Typrelid       uint32
	Typelem        uint32
	Typarray       uint32
	Typinput       Regproc
	Typoutput      Regproc
	Typreceive     Regproc
	Typsend        Regproc
	Typmodin       Regproc
	Typmodout      Regproc
	Typalign       byte
	Typstorage     byte
	Typnotnull     bool
	Typbasetype    uint32
	Typtypmod      int32
	Typndims       int32
	Typcollation   uint32
}

// Regproc is a reference to a function of pg_proc, as a regproc column
// holds it: the OID, and the name it prints as ("-" for none, OID 0).
type Regproc struct {
	OID  uint32
	Name string
}

// PgCatalogNamespace is the OID of the pg_catalog schema, the namespace of
// every built-in type.
const PgCatalogNamespace = 11

// typnames maps the OIDs of the built-in types to their pg_type names.
var typnames = sync.OnceValue(func() map[uint32]string {
	m := make(map[uint32]string, len(PgTypes))
	for _, r := range PgTypes {
		m[r.OID] = r.Typname
	}
	return m
})

// Typname is the pg_type name of t (int4, numeric, _text), or "" for a
// type that is not built in (an enum, a named record type).
func (t Type) Typname() string { return typnames()[t.OID()] }
