package pgcatalog

import (
	"strings"
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// The row types of the system tables and views, and their array types,
// keep PostgreSQL 15's OIDs (row_types_gen.go, recorded from a running
// PostgreSQL 15 by internal/gensysviews): postgres.bki gives only some
// catalogs a row type OID (rowtype_oid) and none an array type; initdb
// assigns the others.

// relationTypes are the OIDs of a system relation, its row type and the
// row type's array type.
type relationTypes struct{ OID, RowType, ArrayType uint32 }

// SystemViewTypes are the OIDs of the system view v (one of Views()), its
// row type and the row type's array type.
func SystemViewTypes(v *catalog.View) relationTypes {
	return pgRelationTypes[v.Schema+"."+v.Name]
}

// systemSchemaOID is the OID of pg_catalog or information_schema.
func systemSchemaOID(schema string) uint32 {
	if schema == InformationSchema {
		return InformationSchemaOID
	}
	return PgCatalogOID
}

// catalogRowArrayType is the OID of the array type of the row type of
// the catalog bkiTypeName names (_pg_statistic: pg_statistic[]).
func catalogRowArrayType(bkiTypeName string) (uint32, bool) {
	name, ok := strings.CutPrefix(bkiTypeName, "_")
	if !ok {
		return 0, false
	}
	t, ok := pgRelationTypes[PgCatalog+"."+name]
	return t.ArrayType, ok
}

// systemRowTypeNames maps the OIDs of the system relations' row types,
// and of their array types, to where they live and their names.
var systemRowTypeNames = sync.OnceValue(func() map[uint32]userTypeName {
	out := map[uint32]userTypeName{}
	for key, t := range pgRelationTypes {
		schema, name, _ := strings.Cut(key, ".")
		out[t.RowType] = userTypeName{schema, name}
		out[t.ArrayType] = userTypeName{schema, "_" + name}
	}
	return out
})
