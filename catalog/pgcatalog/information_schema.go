package pgcatalog

import (
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema: the SQL standard's views of the catalog, which
// ORMs, drivers and BI tools read (SQLAlchemy, Django, Rails, Prisma,
// Metabase, pgjdbc). In PostgreSQL they are views over pg_catalog; here
// each is a table made directly from the Database, so that they do not
// depend on how complete pg_catalog is. Each keeps PostgreSQL 15's
// columns, in order, with the domains of information_schema.sql as their
// base types (as RowDescription reports them), and PostgreSQL 15's OID
// for the view.
//
// What they list follows PostgreSQL run by a superuser (every pqdb user
// may do everything): every schema's objects, pg_catalog's and
// information_schema's included where PostgreSQL lists them.

// The domains of information_schema, which type its columns
// (information_schema_gen.go).
var (
	sqlIdentifier  = pgInformationSchemaDomains["sql_identifier"]
	cardinalNumber = pgInformationSchemaDomains["cardinal_number"]
	characterData  = pgInformationSchemaDomains["character_data"]
	yesOrNo        = pgInformationSchemaDomains["yes_or_no"]
	timeStamp      = pgInformationSchemaDomains["time_stamp"]
)

// yesNo is a yes_or_no value.
func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

// eachUserRelation calls fn for every table and view of db's schemas.
func eachUserRelation(db Database, fn func(schema, name string)) {
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			fn(s.Name, t.Name)
		}
		for _, v := range db.Views(s.Name) {
			fn(s.Name, v.Name)
		}
	}
}

// isTempSchema reports whether schema is a session's temporary schema.
func isTempSchema(schema string) bool { return strings.HasPrefix(schema, "pg_temp") }

// visibleSchemas are the schemas of db but the temporary schemas of
// other sessions, whose objects information_schema leaves out
// (pg_is_other_temp_schema).
func visibleSchemas(db Database) []Schema {
	var out []Schema
	for _, s := range db.Schemas() {
		if !isTempSchema(s.Name) || s.Name == db.TempSchema() {
			out = append(out, s)
		}
	}
	return out
}

// userTypeName is where a user type (enum or domain) lives.
type userTypeName struct{ schema, name string }

// userTypesByOID maps the OIDs of db's user types (and of their array
// types, OID+1) and of information_schema's domains to their schema and
// name.
func userTypesByOID(db Database) map[uint32]userTypeName {
	out := map[uint32]userTypeName{}
	for _, d := range systemDomains() {
		out[d.OID] = userTypeName{InformationSchema, d.Name}
	}
	for _, s := range db.Schemas() {
		for _, u := range db.UserTypes(s.Name) {
			out[uint32(u.ID)] = userTypeName{s.Name, u.Name}
		}
	}
	return out
}

// pgTypeNames maps built-in type OIDs to their pg_type.typname.
var pgTypeNames = func() map[uint32]string {
	out := make(map[uint32]string, len(catalog.PgTypes))
	for _, r := range catalog.PgTypes {
		out[r.OID] = r.Typname
	}
	return out
}()

// columnType is what information_schema says of a column's type
// (columns, attributes, domains, parameters share these columns).
type columnType struct {
	dataType           string
	udtSchema, udtName string
	charMaxLength      catalog.Datum
	charOctetLength    catalog.Datum
	numericPrecision   catalog.Datum
	numericRadix       catalog.Datum
	numericScale       catalog.Datum
	datetimePrecision  catalog.Datum
	intervalType       catalog.Datum
}

// typeOf describes type t as information_schema.columns does (the
// _pg_char_max_length, _pg_numeric_precision, ... functions of
// information_schema.sql), with user types named from users.
func typeOf(t catalog.Type, users map[uint32]userTypeName) columnType {
	var c columnType
	switch {
	case t.Kind == catalog.Enum:
		u := users[t.Enum.OID]
		c.dataType, c.udtSchema, c.udtName = "USER-DEFINED", u.schema, u.name
	case t.Kind == catalog.Array && t.Elem == catalog.Enum:
		u := users[t.Enum.OID]
		c.dataType, c.udtSchema, c.udtName = "ARRAY", u.schema, "_"+u.name
	case t.Kind == catalog.Array:
		c.dataType, c.udtSchema, c.udtName = "ARRAY", PgCatalog, pgTypeNames[t.OID()]
	default:
		c.dataType, c.udtSchema, c.udtName = formatTypeName(t), PgCatalog, pgTypeNames[t.OID()]
	}
	typmod := t.Typmod
	if t.Kind == catalog.Array {
		typmod = -1 // PostgreSQL's columns describe an array's own type
	}
	switch t.Kind {
	case catalog.Varchar, catalog.Bpchar:
		if typmod >= 4 {
			c.charMaxLength = typmod - 4
			c.charOctetLength = (typmod - 4) * maxUTF8CharBytes
		} else {
			c.charOctetLength = int32(maxCharOctetLength)
		}
	case catalog.Text:
		c.charOctetLength = int32(maxCharOctetLength)
	case catalog.Int2:
		c.numericPrecision, c.numericRadix, c.numericScale = int32(16), int32(2), int32(0)
	case catalog.Int4:
		c.numericPrecision, c.numericRadix, c.numericScale = int32(32), int32(2), int32(0)
	case catalog.Int8:
		c.numericPrecision, c.numericRadix, c.numericScale = int32(64), int32(2), int32(0)
	case catalog.Float4:
		c.numericPrecision, c.numericRadix = int32(24), int32(2)
	case catalog.Float8:
		c.numericPrecision, c.numericRadix = int32(53), int32(2)
	case catalog.Numeric:
		c.numericRadix = int32(10)
		if typmod >= 4 {
			c.numericPrecision = ((typmod - 4) >> 16) & 0xFFFF
			c.numericScale = (typmod - 4) & 0xFFFF
		}
	case catalog.Date:
		c.datetimePrecision = int32(0)
	case catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		if typmod < 0 {
			c.datetimePrecision = int32(catalog.MaxTimePrecision)
		} else {
			c.datetimePrecision = typmod
		}
	case catalog.Interval:
		if typmod < 0 || typmod&0xFFFF == 0xFFFF {
			c.datetimePrecision = int32(catalog.MaxTimePrecision)
		} else {
			c.datetimePrecision = typmod & 0xFFFF
		}
		c.intervalType = intervalFields(t)
	}
	return c
}

// The longest a character string may be, in bytes (1 GB), and the most
// bytes a character takes in the server's encoding, UTF8
// (pg_encoding_max_length).
const (
	maxCharOctetLength = 1 << 30
	maxUTF8CharBytes   = 4
)

// formatTypeName is format_type(oid, NULL): the type's name without
// modifiers.
func formatTypeName(t catalog.Type) string {
	if t.Kind == catalog.Bpchar {
		return "character"
	}
	return catalog.Type{Kind: t.Kind, Typmod: -1}.String()
}

// intervalFields is the fields restriction of an interval type, as
// information_schema's _pg_interval_type takes it from format_type
// ("interval day to second(3)" → "DAY TO SECOND(3)"), or NULL.
func intervalFields(t catalog.Type) catalog.Datum {
	s := strings.TrimPrefix(t.String(), "interval")
	s = strings.TrimLeft(s, "()0123456789")
	if !strings.HasPrefix(s, " ") {
		return nil
	}
	return strings.ToUpper(s[1:])
}

// int8Text is an int8 as information_schema's character_data shows it.
func int8Text(n int64) string { return strconv.FormatInt(n, 10) }

// emptyRows makes no rows: for the views of objects pqdb does not have
// (triggers, foreign tables, routines' usages).
func emptyRows(Database) ([][]catalog.Datum, error) { return nil, nil }

var _ = addsRelation(&Relation{OID: 13227, Schema: InformationSchema, Name: "information_schema_catalog_name", Columns: informationSchemaColumns["information_schema_catalog_name"], rows: func(db Database) ([][]catalog.Datum, error) {
	return [][]catalog.Datum{{db.DatabaseName()}}, nil
}})
