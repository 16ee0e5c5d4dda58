package catalog

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/pgerr"
)

// Binary forms, as PostgreSQL's send and receive functions write and read
// them: integers and floats big-endian, bool one byte, date int32 days
// and time/timestamp int64 microseconds from 2000-01-01, interval
// (int64 microseconds, int32 days, int32 months), uuid 16 bytes, strings
// and bytea raw, jsonb a version byte 1 before its text (codec_json.go),
// numeric in base-10000 digits (codec_numeric.go).

// ParseBinary is the receive function of t: it reads the binary form of a
// value (a binary-format parameter, a binary COPY field).
func ParseBinary(t Type, b []byte) (Datum, error) {
	fixed := func(n int) error { return fixedSize(b, n) }
	switch t.Kind {
	case Bool:
		if err := fixed(1); err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case Int2:
		if err := fixed(2); err != nil {
			return nil, err
		}
		return int16(binary.BigEndian.Uint16(b)), nil
	case Int4:
		if err := fixed(4); err != nil {
			return nil, err
		}
		return int32(binary.BigEndian.Uint32(b)), nil
	case Int8:
		if err := fixed(8); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	case Xid8, PgLsn:
		if err := fixed(8); err != nil {
			return nil, err
		}
		return OrderedUint64(binary.BigEndian.Uint64(b)), nil
	case Tid:
		return nilOnError(parseTidBinary(b))
	case PgNodeTree:
		return nil, errNodeTreeInput()
	case Oid, RegProc, RegProcedure, RegClass, RegType, RegNamespace, RegRole, RegOper, RegOperator, RegConfig, RegDictionary, RegCollation, Xid, Cid:
		if err := fixed(4); err != nil {
			return nil, err
		}
		return binary.BigEndian.Uint32(b), nil
	case Float4:
		if err := fixed(4); err != nil {
			return nil, err
		}
		return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	case Float8:
		if err := fixed(8); err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case Numeric:
		if t.IsVarNumeric() {
			return nilOnError(parseVarNumericBinary(t, b))
		}
		return nilOnError(parseNumericBinary(t, b))
	case Text, Unknown, Varchar, Bpchar, Name, Char, Enum:
		// enum_recv reads the label's bytes; whether it is one of the
		// enum's labels is checked where the labels are known (see
		// UserType.CheckLabel).
		s := string(b)
		if err := checkUTF8(s); err != nil {
			return nil, err
		}
		switch t.Kind {
		case Varchar, Bpchar, Name, Char:
			return nilOnError(checkLength(t, s))
		}
		return s, nil
	case JSON, JSONB:
		return nilOnError(recvJSON(t, b))
	case Bytea:
		return append([]byte(nil), b...), nil
	case Void:
		return "", nil
	case Array:
		return nilOnError(parseArrayBinary(t, b))
	case Record:
		return nil, errRecordInput()
	case UUID:
		if err := fixed(16); err != nil {
			return nil, err
		}
		var u [16]byte
		copy(u[:], b)
		return u, nil
	case Date:
		return nilOnError(dateRecv(b))
	case Time:
		if err := fixed(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
		if us < 0 || us > usPerDay {
			return nil, pgerr.New(pgerr.DatetimeValueOutOfRange, "time out of range")
		}
		return AdjustTime(t, us), nil
	case Timestamp, TimestampTZ:
		return nilOnError(timestampRecv(t, b))
	case Interval:
		if err := fixed(16); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(b))
		if us > math.MaxInt64/1000 || us < math.MinInt64/1000 {
			return nil, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
		}
		return AdjustInterval(t, arrow.MonthDayNanoInterval{
			Nanoseconds: us * 1000,
			Days:        int32(binary.BigEndian.Uint32(b[8:])),
			Months:      int32(binary.BigEndian.Uint32(b[12:])),
		}), nil
	}
	return nil, pgerr.Unsupported("type %s has no binary input function", t)
}

// fixedSize checks that a fixed-width binary value has n bytes.
func fixedSize(b []byte, n int) error {
	switch {
	case len(b) < n:
		return insufficientData()
	case len(b) > n:
		return trailingData()
	}
	return nil
}

// dateRecv reads a binary date: int32 days from 2000-01-01, in the range
// date_in accepts (as date_recv checks), or infinity.
func dateRecv(b []byte) (int32, error) {
	if err := fixedSize(b, 4); err != nil {
		return 0, err
	}
	d := int32(binary.BigEndian.Uint32(b))
	if d != DateInfinity && d != DateNegInfinity {
		if days := int64(d) + pgEpochDays; days < minDateDays || days > maxDateDays {
			return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range")
		}
	}
	return dateFromPG(d), nil
}

// timestampRecv reads a binary timestamp or timestamptz (t): int64
// microseconds from 2000-01-01, rounded to t's precision.
func timestampRecv(t Type, b []byte) (int64, error) {
	if err := fixedSize(b, 8); err != nil {
		return 0, err
	}
	us := int64(binary.BigEndian.Uint64(b))
	if us == TimestampInfinity || us == TimestampNegInfinity {
		return us, nil
	}
	if us > math.MaxInt64-pgEpochMicros || floorDiv(us, usPerDay)+pgEpochDays < minDateDays || floorDiv(us, usPerDay)+pgEpochDays >= maxTimestampDays {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range")
	}
	return AdjustTimestamp(t, us+pgEpochMicros), nil
}

func dateFromPG(d int32) int32 {
	switch d {
	case DateInfinity, DateNegInfinity:
		return d
	}
	return int32(int64(d) + pgEpochDays)
}

func dateToPG(d int32) int32 {
	switch d {
	case DateInfinity, DateNegInfinity:
		return d
	}
	return int32(int64(d) - pgEpochDays)
}

func timestampToPG(us int64) int64 {
	switch us {
	case TimestampInfinity, TimestampNegInfinity:
		return us
	}
	return us - pgEpochMicros
}

func appendIntervalBinary(buf []byte, v arrow.MonthDayNanoInterval) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(v.Nanoseconds/1000))
	buf = binary.BigEndian.AppendUint32(buf, uint32(v.Days))
	return binary.BigEndian.AppendUint32(buf, uint32(v.Months))
}

// AppendDatumBinary appends the binary form of d (not NULL) as t's send
// function writes it.
func AppendDatumBinary(buf []byte, t Type, d Datum) []byte {
	switch v := d.(type) {
	case bool:
		if v {
			return append(buf, 1)
		}
		return append(buf, 0)
	case int16:
		return binary.BigEndian.AppendUint16(buf, uint16(v))
	case int32:
		if t.Kind == Date {
			v = dateToPG(v)
		}
		return binary.BigEndian.AppendUint32(buf, uint32(v))
	case int64:
		switch t.Kind {
		case Timestamp, TimestampTZ:
			v = timestampToPG(v)
		case Xid8, PgLsn:
			return appendOrderedUint64Binary(buf, v)
		case Tid:
			return appendTidBinary(buf, v)
		}
		return binary.BigEndian.AppendUint64(buf, uint64(v))
	case uint32:
		return binary.BigEndian.AppendUint32(buf, v)
	case float32:
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(v))
	case float64:
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v))
	case decimal128.Num:
		return appendNumericBinary(buf, v, t.Scale)
	case string:
		if t.Kind == JSONB {
			return appendJSONBSend(buf, v)
		}
		if t.Kind == Bpchar {
			return appendBpcharText(buf, v, int(t.Length()))
		}
		return append(buf, v...)
	case []byte:
		return append(buf, v...)
	case [16]byte:
		return append(buf, v[:]...)
	case arrow.MonthDayNanoInterval:
		return appendIntervalBinary(buf, v)
	case ArrayValue:
		return appendArrayBinary(buf, t, v)
	case RecordValue:
		return appendRecordBinary(buf, t, v)
	}
	return buf
}
