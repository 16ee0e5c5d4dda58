package catalog

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind is the family of a SQL type. Every value that flows through pqdb has
// exactly one Kind, and each Kind has exactly one Arrow representation.
type Kind uint8

const (
	// Unknown is the type of an untyped literal or NULL before the binder
	// resolves it (Postgres' "unknown" pseudo-type).
	Unknown Kind = iota
	Bool
	Int2
	Int4
	Int8
	Float4
	Float8
	Numeric
	Text
	Varchar
	Bpchar
	Bytea
	Date
	Time
	Timestamp
	TimestampTZ
	Interval
	UUID
	JSON
	JSONB
	Oid
	Name
	// Void is the result type of functions called for their effect
	// (pg_sleep, setseed): PostgreSQL's void pseudo-type. Its values are
	// not NULL and print as the empty string; no column can be void.
	Void
	// Array is a one-dimensional array whose elements are of kind
	// Type.Elem (type_array.go). It comes last so that code switching on
	// the scalar kinds refuses arrays rather than mistaking them for one.
	Array
	// Enum is a value of an enum type (CREATE TYPE ... AS ENUM, enum.go):
	// one of its labels, held as the label's text. Which enum it is, is
	// Type.Enum. It comes after Array because kinds are stored by number
	// in table definitions.
	Enum
	// Record is a composite value whose fields Type.Record lists
	// (type_record.go). It is never stored in a table.
	Record
	// The object identifier alias types (type_reg.go): an OID that
	// prints as the name of the object it identifies. Their Datum and
	// Arrow form are oid's; only their input and output differ, and
	// those need the session's catalog.
	RegProc
	RegProcedure
	RegClass
	RegType
	RegNamespace
	RegRole
	RegOper
	RegOperator
	// Char is PostgreSQL's "char" (in quotes; char(n) is Bpchar): one
	// byte, the type of the system catalogs' code columns (relkind,
	// contype, typtype). Its Datum and Arrow form are a string of that
	// byte.
	Char
	// Aclitem is one entry of an access privilege list
	// (type_aclitem.go), held as its text.
	Aclitem
	// More oid alias types (type_reg.go): text search configurations
	// and dictionaries, collations.
	RegConfig
	RegDictionary
	RegCollation
	// Xid and Cid are 32-bit transaction and command ids, uint32 as oid
	// is; Xid8 a 64-bit transaction id (type_xid.go).
	Xid
	Cid
	Xid8
	// Tid is a tuple's (block, offset) address (type_tid.go).
	Tid
	// PgLsn is a write-ahead log position (type_pg_lsn.go).
	PgLsn
	// PgNodeTree is the type of the catalogs' stored expressions
	// (adbin, conbin, indexprs, ...), held as the SQL text pqdb keeps
	// for them (type_pg_node_tree.go).
	PgNodeTree
)

// Type is a SQL type with its modifier. Types are small values: compare
// them with ==.
type Type struct {
	Kind Kind
	// Typmod is the type modifier as Postgres reports it in RowDescription
	// (varchar(n) → n+4, numeric(p,s) → (p<<16|s&0x7FF)+4), or -1 when the
	// type has none.
	Typmod int32
	// Scale is the number of fractional digits a numeric value of this type
	// carries in its Arrow decimal128 form. It is set even for unconstrained
	// numeric (Typmod -1) whose values all have one display scale (the sum
	// of two numeric(10,2) values, say), where the binder chooses it from
	// the expression. VariableScale marks numeric whose values each keep
	// their own display scale, as PostgreSQL's do (a column declared plain
	// numeric, a division, avg): their Arrow form is binary, each value in
	// the numeric package's encoding (numeric_send's layout). A declared
	// numeric(p,s) that decimal128 cannot hold (a scale below 0 or above
	// p, more than 38 digits) is var-scale too, its typmod applied to each
	// value on input; NumericScale is then its declared scale.
	Scale int32
	// Elem is the element kind of an Array; Typmod and Scale are then the
	// element's (PostgreSQL reports an array column's typmod as its
	// element's). It is Unknown (zero) for every other kind.
	Elem Kind
	// Enum names the enum type of Kind Enum, or of the elements of an
	// array of enums; it is zero for every other type.
	Enum EnumRef `json:"Enum,omitzero"`
	// Record lists the fields of a record type (interned: equal field
	// lists are one pointer); it is nil for every other type.
	Record *RecordType `json:"-"`
	// Vector marks the arrays int2vector and oidvector (type_vector.go),
	// which print and subscript as PostgreSQL's vector types.
	Vector bool `json:",omitzero"`
}

// Convenience constructors for the types without modifiers.
var (
	TypeUnknown     = Type{Kind: Unknown, Typmod: -1}
	TypeBool        = Type{Kind: Bool, Typmod: -1}
	TypeInt2        = Type{Kind: Int2, Typmod: -1}
	TypeInt4        = Type{Kind: Int4, Typmod: -1}
	TypeInt8        = Type{Kind: Int8, Typmod: -1}
	TypeFloat4      = Type{Kind: Float4, Typmod: -1}
	TypeFloat8      = Type{Kind: Float8, Typmod: -1}
	TypeText        = Type{Kind: Text, Typmod: -1}
	TypeBytea       = Type{Kind: Bytea, Typmod: -1}
	TypeDate        = Type{Kind: Date, Typmod: -1}
	TypeTime        = Type{Kind: Time, Typmod: -1}
	TypeTimestamp   = Type{Kind: Timestamp, Typmod: -1}
	TypeTimestampTZ = Type{Kind: TimestampTZ, Typmod: -1}
	TypeInterval    = Type{Kind: Interval, Typmod: -1}
	TypeUUID        = Type{Kind: UUID, Typmod: -1}
	TypeJSON        = Type{Kind: JSON, Typmod: -1}
	TypeJSONB       = Type{Kind: JSONB, Typmod: -1}
	TypeOid         = Type{Kind: Oid, Typmod: -1}
	TypeName        = Type{Kind: Name, Typmod: -1}
	TypeChar        = Type{Kind: Char, Typmod: -1}
	TypeAclitem     = Type{Kind: Aclitem, Typmod: -1}
	TypeXid         = Type{Kind: Xid, Typmod: -1}
	TypeCid         = Type{Kind: Cid, Typmod: -1}
	TypeXid8        = Type{Kind: Xid8, Typmod: -1}
	TypeTid         = Type{Kind: Tid, Typmod: -1}
	TypePgLsn       = Type{Kind: PgLsn, Typmod: -1}
	TypePgNodeTree  = Type{Kind: PgNodeTree, Typmod: -1}
	TypeVoid        = Type{Kind: Void, Typmod: -1}
)

// MaxNumericPrecision is the widest numeric pqdb stores as decimal128.
const MaxNumericPrecision = 38

// VariableScale is the Scale of numeric whose values each carry their own
// display scale (see Type.Scale).
const VariableScale int32 = -1

// TypeNumeric is plain numeric: any precision, each value with its own
// display scale, NaN and ±Infinity, as in PostgreSQL.
var TypeNumeric = Type{Kind: Numeric, Typmod: -1, Scale: VariableScale}

// IsVarNumeric reports whether t is numeric with per-value display scale
// (Arrow binary holding numeric-package encodings) rather than decimal128.
func (t Type) IsVarNumeric() bool { return t.Kind == Numeric && t.Scale == VariableScale }

// NumericType returns numeric(precision, scale), for any modifiers
// PostgreSQL accepts (precision 1..1000, scale -1000..1000). Values are
// decimal128 when 0 <= scale <= precision <= MaxNumericPrecision, the
// fast path; otherwise they are var-scale numeric, rounded to the
// declared scale as they come in.
func NumericType(precision, scale int32) Type {
	// make_numeric_typmod: the scale takes the low 11 bits, so that a
	// negative one survives.
	typmod := (precision<<16 | scale&0x7FF) + 4
	if scale < 0 || scale > precision || precision > MaxNumericPrecision {
		return Type{Kind: Numeric, Typmod: typmod, Scale: VariableScale}
	}
	return Type{Kind: Numeric, Typmod: typmod, Scale: scale}
}

// UnconstrainedNumeric returns plain numeric whose values carry scale
// fractional digits.
func UnconstrainedNumeric(scale int32) Type {
	return Type{Kind: Numeric, Typmod: -1, Scale: scale}
}

// VarcharType returns varchar(n); n < 0 means no length limit.
func VarcharType(n int32) Type {
	if n < 0 {
		return Type{Kind: Varchar, Typmod: -1}
	}
	return Type{Kind: Varchar, Typmod: n + 4}
}

// BpcharType returns char(n).
func BpcharType(n int32) Type {
	if n < 0 {
		return Type{Kind: Bpchar, Typmod: -1}
	}
	return Type{Kind: Bpchar, Typmod: n + 4}
}

// Length is the declared length of varchar(n)/char(n), or -1.
func (t Type) Length() int32 {
	if (t.Kind == Varchar || t.Kind == Bpchar) && t.Typmod >= 4 {
		return t.Typmod - 4
	}
	return -1
}

// Precision is the declared precision of numeric(p,s), or -1.
func (t Type) Precision() int32 {
	if t.Kind == Numeric && t.Typmod >= 4 {
		return (t.Typmod - 4) >> 16
	}
	return -1
}

// NumericScale is the declared scale of numeric(p,s), which may be
// negative or above p (PostgreSQL's NUMERIC_TYPMOD_SCALE), or 0 when t
// has no modifier.
func (t Type) NumericScale() int32 {
	if t.Kind == Numeric && t.Typmod >= 4 {
		return ((t.Typmod-4)&0x7FF ^ 1024) - 1024
	}
	return 0
}

// IsNumeric reports whether t is one of the number types.
func (t Type) IsNumeric() bool {
	switch t.Kind {
	case Int2, Int4, Int8, Float4, Float8, Numeric:
		return true
	}
	return false
}

// IsInteger reports whether t is int2, int4 or int8.
func (t Type) IsInteger() bool { return t.Kind == Int2 || t.Kind == Int4 || t.Kind == Int8 }

// IsString reports whether t is one of the character string types.
func (t Type) IsString() bool {
	return t.Kind == Text || t.Kind == Varchar || t.Kind == Bpchar || t.Kind == Name
}

// OID is the Postgres type OID reported to clients.
func (t Type) OID() uint32 {
	switch {
	case t.Kind == Enum:
		return t.Enum.OID
	case t.Kind == Array && t.Elem == Enum:
		return t.Enum.ArrayOID()
	case t.Vector:
		return t.vectorOID()
	case t.Kind == Array:
		return arrayOIDs[kindInfo[t.Elem].oid]
	}
	return kindInfo[t.Kind].oid
}

// Size is the typlen reported in RowDescription (-1 for varlena).
func (t Type) Size() int16 { return kindInfo[t.Kind].size }

// String renders the type as Postgres' format_type does.
func (t Type) String() string {
	switch t.Kind {
	case Array:
		if t.Vector {
			return t.vectorName()
		}
		return t.ElemType().String() + "[]"
	case Enum:
		return t.Enum.Name
	case Record:
		if t.Record != nil && t.Record.Name != "" {
			return t.Record.Name
		}
	case Numeric:
		if p := t.Precision(); p >= 0 {
			return fmt.Sprintf("numeric(%d,%d)", p, t.NumericScale())
		}
	case Varchar:
		if n := t.Length(); n >= 0 {
			return fmt.Sprintf("character varying(%d)", n)
		}
	case Bpchar:
		if n := t.Length(); n >= 0 {
			return fmt.Sprintf("character(%d)", n)
		}
		return "bpchar"
	case Time, Timestamp, TimestampTZ, Interval:
		if t.Typmod >= 0 {
			return formatDatetimeType(t)
		}
	}
	return kindInfo[t.Kind].name
}

// ArrowType is the Arrow type that holds values of t in record batches
// and (through parquet-go) in Parquet files.
func (t Type) ArrowType() arrow.DataType {
	switch t.Kind {
	case Bool:
		return arrow.FixedWidthTypes.Boolean
	case Int2:
		return arrow.PrimitiveTypes.Int16
	case Int4:
		return arrow.PrimitiveTypes.Int32
	case Int8, Xid8, Tid, PgLsn:
		return arrow.PrimitiveTypes.Int64
	case Oid, RegProc, RegProcedure, RegClass, RegType, RegNamespace, RegRole, RegOper, RegOperator, RegConfig, RegDictionary, RegCollation, Xid, Cid:
		return arrow.PrimitiveTypes.Uint32
	case Float4:
		return arrow.PrimitiveTypes.Float32
	case Float8:
		return arrow.PrimitiveTypes.Float64
	case Numeric:
		if t.Scale == VariableScale {
			return arrow.BinaryTypes.Binary
		}
		return &arrow.Decimal128Type{Precision: MaxNumericPrecision, Scale: t.Scale}
	case Text, Varchar, Bpchar, Name, Char, Aclitem, PgNodeTree, JSON, JSONB, Unknown, Void, Enum:
		// A void column holds empty strings, an enum column its labels.
		return arrow.BinaryTypes.String
	case Bytea:
		return arrow.BinaryTypes.Binary
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Time:
		return arrow.FixedWidthTypes.Time64us
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case TimestampTZ:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case Interval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	case UUID:
		return &arrow.FixedSizeBinaryType{ByteWidth: 16}
	case Record:
		return recordArrowType(t)
	case Array:
		// The child is named as Parquet's standard LIST names it.
		return arrow.ListOfField(arrow.Field{Name: "element", Type: t.ElemType().ArrowType(), Nullable: true})
	}
	panic(fmt.Sprintf("catalog: no Arrow type for kind %d", t.Kind))
}

type kindDesc struct {
	name string
	oid  uint32
	size int16
}

// kindInfo maps each Kind to its pg_type row (OID constants generated from
// PostgreSQL's postgres.bki into pg_type_gen.go).
var kindInfo = [...]kindDesc{
	Unknown:     {"unknown", OIDUnknown, -2},
	Bool:        {"boolean", OIDBool, 1},
	Int2:        {"smallint", OIDInt2, 2},
	Int4:        {"integer", OIDInt4, 4},
	Int8:        {"bigint", OIDInt8, 8},
	Float4:      {"real", OIDFloat4, 4},
	Float8:      {"double precision", OIDFloat8, 8},
	Numeric:     {"numeric", OIDNumeric, -1},
	Text:        {"text", OIDText, -1},
	Varchar:     {"character varying", OIDVarchar, -1},
	Bpchar:      {"character", OIDBpchar, -1},
	Bytea:       {"bytea", OIDBytea, -1},
	Date:        {"date", OIDDate, 4},
	Time:        {"time without time zone", OIDTime, 8},
	Timestamp:   {"timestamp without time zone", OIDTimestamp, 8},
	TimestampTZ: {"timestamp with time zone", OIDTimestamptz, 8},
	Interval:    {"interval", OIDInterval, 16},
	UUID:        {"uuid", OIDUuid, 16},
	JSON:        {"json", OIDJson, -1},
	JSONB:       {"jsonb", OIDJsonb, -1},
	Oid:         {"oid", OIDOid, 4},
	Name:        {"name", OIDName, 64},
	Void:        {"void", OIDVoid, 4},
	// An array's OID is its element type's typarray (Type.OID).
	Array: {"anyarray", OIDAnyarray, -1},
	// An enum's OID and name are its own (Type.Enum).
	Enum: {"anyenum", OIDAnyenum, 4},
	// Every record is anonymous (type_record.go).
	Record: {"record", OIDRecord, -1},

	RegProc:      {"regproc", OIDRegproc, 4},
	RegProcedure: {"regprocedure", OIDRegprocedure, 4},
	RegClass:     {"regclass", OIDRegclass, 4},
	RegType:      {"regtype", OIDRegtype, 4},
	RegNamespace: {"regnamespace", OIDRegnamespace, 4},
	RegRole:      {"regrole", OIDRegrole, 4},
	RegOper:      {"regoper", OIDRegoper, 4},
	RegOperator:  {"regoperator", OIDRegoperator, 4},
	Char:         {"\"char\"", OIDChar, 1},
	Aclitem:      {"aclitem", OIDAclitem, 12},

	RegConfig:     {"regconfig", OIDRegconfig, 4},
	RegDictionary: {"regdictionary", OIDRegdictionary, 4},
	RegCollation:  {"regcollation", OIDRegcollation, 4},
	Xid:           {"xid", OIDXid, 4},
	Cid:           {"cid", OIDCid, 4},
	Xid8:          {"xid8", OIDXid8, 8},
	Tid:           {"tid", OIDTid, 6},
	PgLsn:         {"pg_lsn", OIDPgLsn, 8},
	PgNodeTree:    {"pg_node_tree", OIDPgNodeTree, -1},
}
