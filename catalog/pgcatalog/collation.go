package pgcatalog

import (
	"strconv"
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// CollationOID is the pg_collation OID of the collation named name
// ("default", "C", "POSIX": the bki's, every one of which orders text
// by code point in a UTF8 database, as pqdb does), or 0 for none.
func CollationOID(name string) uint32 { return collations()[name] }

var collations = sync.OnceValue(func() map[string]uint32 {
	rows, err := sharedBKIRows("pg_collation")
	if err != nil {
		panic(err)
	}
	out := map[string]uint32{}
	for _, r := range rows {
		out[r[1].(string)] = r[0].(uint32) // oid, collname, ...
	}
	return out
})

// collationName is the name of the built-in collation oid, or "" for
// none. It reads the bki's rows as written, so that the package's
// variables may call it before the relations are loaded.
func collationName(oid uint32) string {
	for _, c := range bkiCatalogs {
		if c.Name != "pg_collation" {
			continue
		}
		for _, r := range c.Rows {
			if r[0] == strconv.FormatUint(uint64(oid), 10) {
				return r[1] // oid, collname, ...
			}
		}
	}
	return ""
}

// TypeCollation is the collation values of type t have by default
// (pg_type.typcollation): "default"'s for the string types and arrays
// of them, 0 for a type that is not collatable.
func TypeCollation(t catalog.Type) uint32 { return columnTypeProps(t).collation }

// columnCollation is the pg_attribute.attcollation of column c: the
// collation it declares, or its type's.
func columnCollation(c catalog.Column) uint32 {
	if c.Collation != "" {
		return CollationOID(c.Collation)
	}
	return TypeCollation(c.Type)
}
