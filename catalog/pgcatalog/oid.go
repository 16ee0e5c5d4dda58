package pgcatalog

import (
	"hash/fnv"

	"github.com/pqdb/pqdb/catalog"
)

// Where OIDs come from. Built-in objects have PostgreSQL's (the bki's,
// catalog.PgTypes'). Tables, views, indexes, sequences, user types and
// schemas other than public have the object id the store gave them when
// they were created (from 16384, like PostgreSQL's first user OID);
// public is 2200 as in PostgreSQL. The objects pqdb keeps no id for,
// which belong to one object that has one, take a derived OID:
// 2^31 + (owner id − 16384) × 4096 + slot, so that they never meet an id
// the store hands out, and keep theirs while their owner exists. Roles
// are store-wide and have no id: the bootstrap superuser is 10, and
// every other role takes a hash of its name in [2^30, 2^31).
const (
	// BootstrapSuperuserOID owns every object, as initdb's user does.
	BootstrapSuperuserOID = 10
	// PgCatalogOID, PublicOID and InformationSchemaOID are the OIDs of
	// the schemas every database has. information_schema's is the one
	// PostgreSQL 15's initdb gives it.
	PgCatalogOID         = 11
	PublicOID            = 2200
	InformationSchemaOID = 13207
	// DatabaseOID is the OID of the one database a server serves.
	DatabaseOID = 16384 - 1

	firstUserOID  = 16384
	derivedBase   = 1 << 31
	slotsPerOwner = 4096
)

// The slots of a derived OID.
const (
	slotRowType              = 0
	slotRowArrayType         = 1
	slotPrimaryKeyIndex      = 2
	slotPrimaryKeyConstraint = 3 // of a unique index: its constraint
	slotCheck                = 16
	slotForeignKey           = 1024
	slotAttrDef              = 2048
)

func derivedOID(owner int64, slot int) uint32 {
	return uint32(derivedBase + (owner-firstUserOID)*slotsPerOwner + int64(slot))
}

// RowTypeOID is the OID of table t's row type (pg_type.typrelid = t),
// and RowArrayTypeOID that of its array type.
func RowTypeOID(t *catalog.Table) uint32      { return derivedOID(t.ID, slotRowType) }
func RowArrayTypeOID(t *catalog.Table) uint32 { return derivedOID(t.ID, slotRowArrayType) }

// PrimaryKeyIndexOID is the pg_class OID of the index of t's primary
// key, and PrimaryKeyConstraintOID the pg_constraint OID of the key.
func PrimaryKeyIndexOID(t *catalog.Table) uint32 { return derivedOID(t.ID, slotPrimaryKeyIndex) }
func PrimaryKeyConstraintOID(t *catalog.Table) uint32 {
	return derivedOID(t.ID, slotPrimaryKeyConstraint)
}

// UniqueConstraintOID is the pg_constraint OID of the constraint a unique
// index stands for.
func UniqueConstraintOID(ix *catalog.Index) uint32 {
	return derivedOID(ix.ID, slotPrimaryKeyConstraint)
}

// CheckOID is the pg_constraint OID of t's i-th CHECK constraint, and
// ForeignKeyOID that of its i-th FOREIGN KEY.
func CheckOID(t *catalog.Table, i int) uint32      { return derivedOID(t.ID, slotCheck+i) }
func ForeignKeyOID(t *catalog.Table, i int) uint32 { return derivedOID(t.ID, slotForeignKey+i) }

// AttrDefOID is the pg_attrdef OID of the default of t's column attnum
// (1-based).
func AttrDefOID(t *catalog.Table, attnum int) uint32 { return derivedOID(t.ID, slotAttrDef+attnum) }

// RoleOID is the OID of the role called name; bootstrap names the
// bootstrap superuser.
func RoleOID(name, bootstrap string) uint32 {
	if name == bootstrap {
		return BootstrapSuperuserOID
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return 1<<30 | h.Sum32()&(1<<30-1)
}

// SchemaOID is the OID of the schema called name in db, or 0.
func SchemaOID(db Database, name string) uint32 {
	for _, s := range allSchemas(db) {
		if s.Name == name {
			return s.OID
		}
	}
	return 0
}

// schemaName is the name of the schema whose OID is oid in db, or "".
func schemaName(db Database, oid uint32) string {
	for _, s := range allSchemas(db) {
		if s.OID == oid {
			return s.Name
		}
	}
	return ""
}

// allSchemas are the system schemas and db's own.
func allSchemas(db Database) []Schema {
	return append([]Schema{{Name: PgCatalog, OID: PgCatalogOID}, {Name: InformationSchema, OID: InformationSchemaOID}}, db.Schemas()...)
}
