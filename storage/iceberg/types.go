package iceberg

import (
	"errors"
	"fmt"
	"strings"

	ice "github.com/apache/iceberg-go"
)

// ErrUnsupportedType says a column's type has no Iceberg form yet. The
// caller leaves such a column out of Version.Columns: Iceberg readers
// project the columns the schema names and ignore the others in the
// Parquet file, as they ignore _row_id, so the table reads without it.
var ErrUnsupportedType = errors.New("iceberg: column type has no Iceberg form")

// Type is a column's Iceberg type. It is chosen from the Parquet column
// pqdb's segments hold (storage/doc.go, "Column types in segments"), not
// from the SQL type alone: a reader checks the file's physical and
// logical type against it, so the two must agree.
type Type struct {
	kind             typeKind
	precision, scale int
	// list marks a list (a LIST column) whose elements are of the type
	// the other fields give: pqdb's arrays are one LIST level.
	list bool
}

type typeKind uint8

const (
	kindInvalid typeKind = iota
	kindBoolean
	kindInt
	kindLong
	kindFloat
	kindDouble
	kindDecimal
	kindString
	kindBinary
	kindDate
	kindTime
	kindTimestamp
	kindTimestampTZ
	kindUUID
)

// The Iceberg primitive types pqdb's segments can be read as.
var (
	Boolean     = Type{kind: kindBoolean}
	Int         = Type{kind: kindInt}
	Long        = Type{kind: kindLong}
	Float       = Type{kind: kindFloat}
	Double      = Type{kind: kindDouble}
	String      = Type{kind: kindString}
	Binary      = Type{kind: kindBinary}
	Date        = Type{kind: kindDate}
	Time        = Type{kind: kindTime}
	Timestamp   = Type{kind: kindTimestamp}
	TimestampTZ = Type{kind: kindTimestampTZ}
	UUID        = Type{kind: kindUUID}
)

// List is a list of elem, a type that is not a list itself. Its element
// is optional and has the field id ElementFieldID of its column's.
func List(elem Type) (Type, error) {
	if elem.list {
		return Type{}, fmt.Errorf("%w: a list of lists", ErrUnsupportedType)
	}
	elem.list = true
	return elem, nil
}

// Decimal is decimal(precision, scale), 1 <= precision <= 38.
func Decimal(precision, scale int) Type {
	return Type{kind: kindDecimal, precision: precision, scale: scale}
}

// ForPostgres gives the Iceberg type of a column of PostgreSQL type
// name (its pg_type name: int4, varchar, timestamptz, ...), with the
// declared precision and scale of a numeric (precision 0: plain
// numeric). It follows the segment's Parquet column:
//
//	int2, int4                INT32          int
//	int8                      INT64          long
//	numeric(p,s), p <= 18     DECIMAL(p,s)   decimal(p,s)
//	numeric(p,s), p <= 38     DECIMAL(38,s)  decimal(38,s): the segment's precision, not p
//	plain numeric, p > 38     STRING text    string
//	text, varchar, bpchar,
//	name, json, jsonb         STRING/JSON    string
//
// An array (_int4 or int4[]) is a list of its element's type.
// interval (its segments' text is ISO 8601, but older segments hold 16
// raw bytes: the caller passes "text" when none of its segments does)
// and oid (UINT32, which Iceberg has no type for) give
// ErrUnsupportedType. Enum types are stored as their labels' text; the
// caller passes "text" for them.
func ForPostgres(name string, precision, scale int) (Type, error) {
	if elem, ok := strings.CutPrefix(name, "_"); ok || strings.HasSuffix(name, "[]") {
		if !ok {
			elem = strings.TrimSuffix(name, "[]")
		}
		t, err := ForPostgres(elem, precision, scale)
		if err != nil {
			return Type{}, err
		}
		return List(t)
	}
	switch name {
	case "bool":
		return Boolean, nil
	case "int2", "int4":
		return Int, nil
	case "int8":
		return Long, nil
	case "float4":
		return Float, nil
	case "float8":
		return Double, nil
	case "numeric":
		switch {
		case precision <= 0 || precision > 38:
			return String, nil
		case precision <= 18:
			return Decimal(precision, scale), nil
		default:
			return Decimal(38, scale), nil
		}
	case "text", "varchar", "bpchar", "name", "json", "jsonb":
		return String, nil
	case "bytea":
		return Binary, nil
	case "date":
		return Date, nil
	case "time":
		return Time, nil
	case "timestamp":
		return Timestamp, nil
	case "timestamptz":
		return TimestampTZ, nil
	case "uuid":
		return UUID, nil
	}
	return Type{}, fmt.Errorf("%w: %s", ErrUnsupportedType, name)
}

// iceberg is t, the type of the column with field id id, as iceberg-go's
// type.
func (t Type) iceberg(id int) (ice.Type, error) {
	if t.list {
		elem := t
		elem.list = false
		et, err := elem.iceberg(id)
		if err != nil {
			return nil, err
		}
		return &ice.ListType{ElementID: ElementFieldID(id), Element: et}, nil
	}
	switch t.kind {
	case kindBoolean:
		return ice.PrimitiveTypes.Bool, nil
	case kindInt:
		return ice.PrimitiveTypes.Int32, nil
	case kindLong:
		return ice.PrimitiveTypes.Int64, nil
	case kindFloat:
		return ice.PrimitiveTypes.Float32, nil
	case kindDouble:
		return ice.PrimitiveTypes.Float64, nil
	case kindDecimal:
		if t.precision < 1 || t.precision > 38 || t.scale < 0 || t.scale > t.precision {
			return nil, fmt.Errorf("iceberg: decimal(%d,%d) out of range", t.precision, t.scale)
		}
		return ice.DecimalTypeOf(t.precision, t.scale), nil
	case kindString:
		return ice.PrimitiveTypes.String, nil
	case kindBinary:
		return ice.PrimitiveTypes.Binary, nil
	case kindDate:
		return ice.PrimitiveTypes.Date, nil
	case kindTime:
		return ice.PrimitiveTypes.Time, nil
	case kindTimestamp:
		return ice.PrimitiveTypes.Timestamp, nil
	case kindTimestampTZ:
		return ice.PrimitiveTypes.TimestampTz, nil
	case kindUUID:
		return ice.PrimitiveTypes.UUID, nil
	}
	return nil, errors.New("iceberg: column has no type")
}
