package catalog

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// ParseText is the input function of t: it reads the text form of a value
// (a literal, a text-format parameter, a COPY field) into its Datum. A
// timestamptz without an explicit zone is read in UTC; use ParseTextIn to
// read it in the session's TimeZone.
func ParseText(t Type, s string) (Datum, error) { return ParseTextIn(t, s, time.UTC) }

// ParseTextIn is ParseText with the session time zone loc, which
// timestamptz values without a zone, and now/today, are read in.
func ParseTextIn(t Type, s string, loc *time.Location) (Datum, error) {
	switch t.Kind {
	case Bool:
		return nilOnError(ParseBool(s))
	case Int2:
		v, err := parseInt(t, s, 16)
		if err != nil {
			return nil, err
		}
		return int16(v), nil
	case Int4:
		v, err := parseInt(t, s, 32)
		if err != nil {
			return nil, err
		}
		return int32(v), nil
	case Int8:
		return nilOnError(parseInt(t, s, 64))
	case Oid, RegProc, RegProcedure, RegClass, RegType, RegNamespace, RegRole, RegOper, RegOperator, RegConfig, RegDictionary, RegCollation:
		// A reg* type's names are read where the catalog is known
		// (type_reg.go); here, as in its input function, only a
		// numeric OID.
		return nilOnError(parseOid(s))
	case Float4:
		v, err := parseFloat(t, s, 32)
		if err != nil {
			return nil, err
		}
		return float32(v), nil
	case Float8:
		return nilOnError(parseFloat(t, s, 64))
	case Numeric:
		if t.IsVarNumeric() {
			return nilOnError(parseVarNumericText(t, s))
		}
		v, err := parseNumericText(t, s)
		if err != nil {
			return nil, err
		}
		return v, nil
	case Text, Unknown, Enum:
		// An enum label is checked against its type's labels by the
		// caller, which knows them (UserType.CheckLabel).
		if err := checkUTF8(s); err != nil {
			return nil, err
		}
		return s, nil
	case Varchar, Bpchar, Name, Char:
		if err := checkUTF8(s); err != nil {
			return nil, err
		}
		return nilOnError(checkLength(t, s))
	case Aclitem:
		return nilOnError(aclitemIn(s))
	case Xid, Cid:
		return xidIn(s), nil
	case Xid8:
		return xid8In(s), nil
	case Tid:
		return nilOnError(tidIn(s))
	case PgLsn:
		return nilOnError(lsnIn(s))
	case PgNodeTree:
		return nil, errNodeTreeInput()
	case JSON, JSONB:
		if err := checkUTF8(s); err != nil {
			return nil, err
		}
		return nilOnError(parseJSONText(t, s))
	case Bytea:
		return nilOnError(parseBytea(s))
	case UUID:
		return nilOnError(parseUUID(s))
	case Date:
		return nilOnError(parseDate(s, loc))
	case Time:
		return nilOnError(parseTime(t, s))
	case Timestamp, TimestampTZ:
		return nilOnError(parseTimestamp(t, s, loc))
	case Interval:
		return nilOnError(parseInterval(t, s))
	case Array:
		return nilOnError(parseArrayText(t, s, loc))
	case Void:
		// void_in accepts anything.
		return "", nil
	case Record:
		return nil, errRecordInput()
	}
	return nil, pgerr.Unsupported("type %s has no input function", t)
}

// AppendDatumText appends the text form of d (not NULL) as t's output
// function prints it, with timestamptz in UTC; see AppendDatumTextIn.
func AppendDatumText(buf []byte, t Type, d Datum) []byte {
	return AppendDatumTextIn(buf, t, d, time.UTC)
}

// AppendDatumTextIn is AppendDatumText with timestamptz values printed in
// loc. A Datum whose Go type does not match t's Kind is a bug in the
// caller; it prints as nothing rather than crash the session.
func AppendDatumTextIn(buf []byte, t Type, d Datum, loc *time.Location) []byte {
	switch v := d.(type) {
	case bool:
		return appendBoolText(buf, v)
	case int16:
		return appendInt(buf, int64(v))
	case int32:
		switch t.Kind {
		case Date:
			return appendDateText(buf, v)
		}
		return appendInt(buf, int64(v))
	case int64:
		switch t.Kind {
		case Time:
			return appendTimeText(buf, v)
		case Timestamp:
			return appendTimestampText(buf, v)
		case TimestampTZ:
			return appendTimestamptzText(buf, v, loc)
		case Xid8:
			return appendXid8Text(buf, v)
		case Tid:
			return appendTidText(buf, v)
		case PgLsn:
			return appendLsnText(buf, v)
		}
		return appendInt(buf, v)
	case uint32:
		return appendInt(buf, int64(v))
	case float32:
		return appendFloatText(buf, float64(v), 32)
	case float64:
		return appendFloatText(buf, v, 64)
	case decimal128.Num:
		return appendNumericText(buf, v, t.Scale)
	case string:
		if t.Kind == Bpchar {
			return appendBpcharText(buf, v, int(t.Length()))
		}
		return append(buf, v...)
	case []byte:
		if t.IsVarNumeric() {
			return numeric.AppendText(buf, v)
		}
		return appendByteaText(buf, v)
	case [16]byte:
		return appendUUIDText(buf, v[:])
	case arrow.MonthDayNanoInterval:
		return appendIntervalText(buf, v)
	case ArrayValue:
		return appendArrayText(buf, t, v, loc)
	case RecordValue:
		return appendRecordText(buf, t, v, loc)
	}
	return buf
}

// nilOnError returns v as a Datum, or a nil Datum when err is set, so that
// a failed parse never hands out a zero value.
func nilOnError[T any](v T, err error) (Datum, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
