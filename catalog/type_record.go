package catalog

import (
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/pgerr"
)

// Records (composite values, PostgreSQL's "record" pseudo-type): the
// value of ROW(a, b), of a whole-row reference t or t.*, and what
// json_to_record returns. A Type of Kind Record lists its fields in
// Type.Record, a *RecordType interned by field names and types, so that
// two record types with the same fields are the same pointer and Types
// stay small values compared with ==.
//
// A record's Datum is a RecordValue (one Datum per field), its Arrow
// form a Struct column with one child per field (the struct's validity
// says whether the record is NULL, each child's whether a field is). A
// record is never stored: pqdb has no composite columns, and every
// record is anonymous (OID 2249, record), also where PostgreSQL would
// report a table's row type.

// RecordField is one field of a record type.
type RecordField struct {
	Name string
	Type Type
}

// RecordType is the list of fields of a record type. It is interned:
// compare pointers, and never change one.
type RecordType struct {
	// Name is the name of a table's or view's row type (the type of its
	// whole-row reference, which messages and pg_typeof name), "" for an
	// anonymous record.
	Name   string
	Fields []RecordField
	key    string
	arrow  *arrow.StructType
}

// RecordValue is the Datum of a record: one Datum per field (nil is a
// NULL field).
type RecordValue []Datum

// recordTypes interns RecordTypes by their key.
var recordTypes sync.Map

// RecordOf returns the anonymous record type of fields.
func RecordOf(fields []RecordField) Type { return NamedRecordOf("", fields) }

// NamedRecordOf returns the row type of the table or view name, of fields
// (the anonymous record type of fields when name is "").
func NamedRecordOf(name string, fields []RecordField) Type {
	var k strings.Builder
	k.WriteString(strconv.Quote(name))
	for _, f := range fields {
		k.WriteString(strconv.Quote(f.Name))
		k.WriteString(typeKey(f.Type))
		k.WriteByte(';')
	}
	key := k.String()
	if rt, ok := recordTypes.Load(key); ok {
		return Type{Kind: Record, Typmod: -1, Record: rt.(*RecordType)}
	}
	rt := &RecordType{Name: name, Fields: append([]RecordField(nil), fields...), key: key}
	children := make([]arrow.Field, len(fields))
	for i, f := range fields {
		children[i] = arrow.Field{Name: f.Name, Type: f.Type.ArrowType(), Nullable: true}
	}
	rt.arrow = arrow.StructOf(children...)
	got, _ := recordTypes.LoadOrStore(key, rt)
	return Type{Kind: Record, Typmod: -1, Record: got.(*RecordType)}
}

// typeKey renders every part of t that tells it from another type.
func typeKey(t Type) string {
	s := strconv.Itoa(int(t.Kind)) + "/" + strconv.Itoa(int(t.Typmod)) + "/" + strconv.Itoa(int(t.Scale)) + "/" +
		strconv.Itoa(int(t.Elem)) + "/" + strconv.FormatUint(uint64(t.Enum.OID), 10) + strconv.Quote(t.Enum.Name)
	if t.Record != nil {
		s += "{" + t.Record.key + "}"
	}
	return s
}

// recordArrowType is the Struct type of t's Arrow columns: one child per
// field, named after it.
func recordArrowType(t Type) arrow.DataType { return t.Record.arrow }

// RowFieldName is the name PostgreSQL gives the i-th (from 0) field of
// ROW(...): f1, f2, ...
func RowFieldName(i int) string { return "f" + strconv.Itoa(i+1) }

// IsRecord reports whether t is a record type.
func (t Type) IsRecord() bool { return t.Kind == Record }

// Fields are the fields of a record type (nil for any other type).
func (t Type) Fields() []RecordField {
	if t.Record == nil {
		return nil
	}
	return t.Record.Fields
}

// HasRecord reports whether t is a record type or an array of one.
func (t Type) HasRecord() bool { return t.Record != nil }

// errRecordInput is record_in's (and record_recv's) refusal of an
// anonymous record.
func errRecordInput() *pgerr.Error {
	return pgerr.Unsupported("input of anonymous composite types is not implemented")
}
