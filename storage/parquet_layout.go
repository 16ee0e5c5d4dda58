package storage

import (
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/pqdb/pqdb/catalog"
)

// rowIDColumn is the name of the hidden row-id column in every segment.
const rowIDColumn = "_row_id"

// physical is how one catalog type is laid out in a Parquet column. Every
// layout is a standard Parquet physical type with a standard logical
// annotation, so other engines read segments without pqdb.
type physical uint8

const (
	physBool       physical = iota // BOOLEAN
	physInt16                      // INT32 annotated INT(16); Arrow int16
	physInt32                      // INT32 (int4, date, oid)
	physInt64                      // INT64 (int8, time, timestamp)
	physFloat32                    // FLOAT
	physFloat64                    // DOUBLE
	physDecimal32                  // DECIMAL(p<=9) on INT32; Arrow decimal128
	physDecimal64                  // DECIMAL(p<=18) on INT64; Arrow decimal128
	physDecimal128                 // DECIMAL(38) on FIXED_LEN_BYTE_ARRAY(16), big-endian
	physBytes                      // BYTE_ARRAY (text, bytea, json)
	physFixed16                    // FIXED_LEN_BYTE_ARRAY(16) (uuid; interval in segments written before physInterval)
	physVarNumeric                 // BYTE_ARRAY STRING of numeric_out text; Arrow binary of numeric encodings
	physInterval                   // BYTE_ARRAY STRING of ISO 8601 durations; Arrow month-day-nano
)

// layoutOf returns the physical layout of values of type t.
func layoutOf(t catalog.Type) physical {
	switch t.Kind {
	case catalog.Bool:
		return physBool
	case catalog.Int2:
		return physInt16
	case catalog.Int4, catalog.Date, catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return physInt32
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return physInt64
	case catalog.Float4:
		return physFloat32
	case catalog.Float8:
		return physFloat64
	case catalog.Numeric:
		if t.IsVarNumeric() {
			return physVarNumeric
		}
		switch p := t.Precision(); {
		case p >= 1 && p <= 9:
			return physDecimal32
		case p >= 10 && p <= 18:
			return physDecimal64
		}
		return physDecimal128
	case catalog.UUID:
		return physFixed16
	case catalog.Interval:
		return physInterval
	}
	return physBytes
}

// hasInterval reports whether tbl has a column of intervals (or of
// arrays of them).
func hasInterval(tbl *catalog.Table) bool {
	for _, c := range tbl.Columns {
		t := c.Type
		if t.Kind == catalog.Array {
			t = t.ElemType()
		}
		if t.Kind == catalog.Interval {
			return true
		}
	}
	return false
}

// chunkLayout is the layout of c, a column chunk of a segment column of
// type t: layoutOf(t), but for an interval column of a segment written
// before intervals were ISO 8601 text, whose chunks hold Arrow's 16
// bytes.
func chunkLayout(t catalog.Type, c parquet.ColumnChunk) physical {
	p := layoutOf(t)
	if p == physInterval && c.Type().Kind() == parquet.FixedLenByteArray {
		return physFixed16
	}
	return p
}

// byteArray reports whether p stores variable-length byte strings
// (BYTE_ARRAY): text, bytea and json, or var numeric's text.
func (p physical) byteArray() bool { return p == physBytes || p == physVarNumeric }

// fixedWidth is the Arrow byte width of one value of a fixed-width layout
// (0 for booleans, which are bit-packed, and variable-width byte arrays).
func (p physical) arrowWidth() int {
	switch p {
	case physInt16:
		return 2
	case physInt32, physFloat32:
		return 4
	case physInt64, physFloat64:
		return 8
	case physDecimal32, physDecimal64, physDecimal128, physFixed16, physInterval:
		return 16
	}
	return 0
}

// parquetNode is the Parquet schema node of a column of type t, with
// its layout's default encoding.
func parquetNode(t catalog.Type, notNull bool) parquet.Node {
	return encodedParquetNode(t, notNull, nil)
}

// encodedParquetNode is parquetNode with the encoding enc instead of the
// layout's default, unless enc is nil. Only a flat column's encoding is
// replaced.
func encodedParquetNode(t catalog.Type, notNull bool, enc encoding.Encoding) parquet.Node {
	if t.Kind == catalog.Array {
		return listNode(t, notNull)
	}
	var n parquet.Node
	switch t.Kind {
	case catalog.Bool:
		n = parquet.Leaf(parquet.BooleanType)
	case catalog.Int2:
		n = parquet.Int(16)
	case catalog.Int4:
		n = parquet.Int(32)
	case catalog.Int8, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		// xid8 and pg_lsn hold their unsigned value with the top bit
		// flipped, a tid its block and offset packed (type_xid.go,
		// type_tid.go): as int64 they order as PostgreSQL orders them.
		n = parquet.Int(64)
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		n = parquet.Uint(32)
	case catalog.Float4:
		n = parquet.Leaf(parquet.FloatType)
	case catalog.Float8:
		n = parquet.Leaf(parquet.DoubleType)
	case catalog.Numeric:
		switch layoutOf(t) {
		case physVarNumeric:
			// The text numeric_out prints (see varnumeric_layout.go).
			n = parquet.String()
		case physDecimal32:
			n = parquet.Decimal(int(t.Scale), int(t.Precision()), parquet.Int32Type)
		case physDecimal64:
			n = parquet.Decimal(int(t.Scale), int(t.Precision()), parquet.Int64Type)
		default:
			n = parquet.Decimal(int(t.Scale), catalog.MaxNumericPrecision, parquet.FixedLenByteArrayType(16))
		}
	case catalog.Bytea:
		n = parquet.Leaf(parquet.ByteArrayType)
	case catalog.JSON, catalog.JSONB:
		n = parquet.JSON()
	case catalog.Date:
		n = parquet.Date()
	case catalog.Time:
		n = parquet.TimeAdjusted(parquet.Microsecond, false)
	case catalog.Timestamp:
		n = parquet.TimestampAdjusted(parquet.Microsecond, false)
	case catalog.TimestampTZ:
		n = parquet.TimestampAdjusted(parquet.Microsecond, true)
	case catalog.UUID:
		n = parquet.UUID()
	case catalog.Interval:
		// Parquet's INTERVAL has millisecond resolution, PostgreSQL's
		// microseconds: the value is its ISO 8601 duration text
		// ("P1Y2M3DT4H5M6.789S"), exact, and a string every engine reads.
		n = parquet.String()
	default:
		n = parquet.String()
	}
	if enc == nil {
		enc = defaultEncoding(layoutOf(t))
	}
	if enc != nil {
		n = parquet.Encoded(n, enc)
	}
	if !notNull {
		n = parquet.Optional(n)
	}
	return n
}

// defaultEncoding is the encoding of a column laid out as p unless the
// segment writer chooses another (chooseEncodings); nil is PLAIN.
func defaultEncoding(p physical) encoding.Encoding {
	switch p {
	case physInt32, physInt64, physInt16, physDecimal32, physDecimal64:
		// Keys, dates and timestamps are often near-sorted, and numerics
		// (prices, quantities, rates) span a small range: deltas pack
		// them into a few bits before zstd sees them, which makes zstd's
		// work a fraction of what plain 4- or 8-byte values cost.
		return &parquet.DeltaBinaryPacked
	case physBytes, physVarNumeric, physInterval:
		// Falls back to plain pages when the dictionary outgrows the
		// writer's DictionaryMaxBytes.
		return &parquet.RLEDictionary
	}
	return nil
}

// segmentSchema is the Parquet schema of a segment of tbl: one column per
// table column, named like it and in table order, then the required
// _row_id column.
func segmentSchema(tbl *catalog.Table) *parquet.Schema { return encodedSegmentSchema(tbl, nil, nil) }

// encodedSegmentSchema is segmentSchema with encs[i] as column i's
// encoding instead of its layout's default where encs is not nil and
// encs[i] is not nil, and column i optional as optional[i] says where
// optional is not nil (a segment whose rows hold no NULL in a nullable
// column writes it required: segmentWriter.requireWhereNoNull), else
// unless the table says it is never NULL.
func encodedSegmentSchema(tbl *catalog.Table, encs []encoding.Encoding, optional []bool) *parquet.Schema {
	g := make(orderedGroup, 0, len(tbl.Columns)+1)
	for i, c := range tbl.Columns {
		var enc encoding.Encoding
		if encs != nil {
			enc = encs[i]
		}
		notNull := columnNotNull(tbl, i)
		if optional != nil {
			notNull = !optional[i]
		}
		g = append(g, &namedNode{segmentCompressed(encodedParquetNode(c.Type, notNull, enc), c.Type), c.Name})
	}
	g = append(g, &namedNode{parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked), rowIDColumn})
	return parquet.NewSchema("pqdb", g)
}

// columnNotNull reports whether column i of tbl can never hold NULL: it is
// declared NOT NULL or is part of the primary key.
func columnNotNull(tbl *catalog.Table, i int) bool {
	if tbl.Columns[i].NotNull {
		return true
	}
	for _, k := range tbl.PrimaryKey {
		if k == i {
			return true
		}
	}
	return false
}

// orderedGroup is a Parquet group node whose fields keep the order they
// were given in (parquet.Group sorts them by name), so segment columns
// appear in table order to other engines.
type orderedGroup []parquet.Field

type namedNode struct {
	parquet.Node
	name string
}

func (f *namedNode) Name() string { return f.name }

func (f *namedNode) Value(base reflect.Value) reflect.Value {
	// Segments are written column by column, never from Go values; map
	// lookup mirrors parquet.Group for completeness.
	if base.Kind() == reflect.Interface {
		base = base.Elem()
	}
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return reflect.Value{}
}

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return g.group().String() }
func (g orderedGroup) Type() parquet.Type          { return g.group().Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return g.group().GoType() }
func (g orderedGroup) group() parquet.Group {
	m := make(parquet.Group, len(g))
	for _, f := range g {
		m[f.Name()] = f
	}
	return m
}
