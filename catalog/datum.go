package catalog

// A Datum is one SQL value outside a column (a literal, a parameter, a
// bound in a scan predicate, an outer-row value). Its Go representation
// depends only on the Kind of its type, and nil is NULL:
//
//	Bool                          bool
//	Int2, Int4, Int8              int16, int32, int64
//	Oid, the reg* types, Xid, Cid uint32
//	Xid8, PgLsn                   int64, the unsigned value with its top
//	                              bit flipped (OrderedUint64)
//	Tid                           int64, block<<16 | offset (TidDatum)
//	Float4, Float8                float32, float64
//	Numeric                       decimal128.Num, scaled by Type.Scale;
//	                              []byte in the numeric package's
//	                              encoding when Type.Scale is VariableScale
//	Text, Varchar, Bpchar, Name,
//	Char, Aclitem, PgNodeTree,
//	JSON, JSONB, Unknown          string
//	Bytea                         []byte
//	Date                          int32, days since 1970-01-01
//	Time                          int64, microseconds since midnight
//	Timestamp, TimestampTZ        int64, microseconds since 1970-01-01 00:00 UTC
//	Interval                      arrow.MonthDayNanoInterval
//	UUID                          [16]byte
//	Array                         ArrayValue: one Datum of the element
//	                              type per element (nil for NULL)
//
// This is the same representation the Arrow column of that type holds, so
// moving a Datum in or out of a column never converts.
type Datum = any
