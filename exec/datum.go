package exec

import (
	"bytes"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Row-at-a-time functions over catalog.Datum. They serve the places that
// are per-row by nature (correlated subqueries, VALUES, results), never a
// kernel's loop.

// compareDatums orders two non-NULL values of type t like the comparison
// kernels do.
func compareDatums(t catalog.Type, a, b catalog.Datum) int {
	switch x := a.(type) {
	case catalog.ArrayValue:
		return compareArrayDatums(t, x, b.(catalog.ArrayValue))
	case catalog.RecordValue:
		return compareRecordDatums(t, x, b.(catalog.RecordValue))
	case bool:
		return boolToInt(x) - boolToInt(b.(bool))
	case int16:
		return cmpOrdered(x, b.(int16))
	case int32:
		return cmpOrdered(x, b.(int32))
	case int64:
		return cmpOrdered(x, b.(int64))
	case uint32:
		return cmpOrdered(x, b.(uint32))
	case float32:
		return floatCmp(x, b.(float32))
	case float64:
		return floatCmp(x, b.(float64))
	case decimal128.Num:
		return x.Cmp(b.(decimal128.Num))
	case arrow.MonthDayNanoInterval:
		return intervalCmp(x, b.(arrow.MonthDayNanoInterval))
	case [16]byte:
		y := b.([16]byte)
		return bytes.Compare(x[:], y[:])
	case []byte:
		if t.IsVarNumeric() {
			return numeric.Compare(x, b.([]byte))
		}
		return bytes.Compare(x, b.([]byte))
	case string:
		y := b.(string)
		if t.Kind == catalog.JSONB {
			return compareJSONBTexts(x, y)
		}
		if t.Kind == catalog.Bpchar {
			x, y = strings.TrimRight(x, " "), strings.TrimRight(y, " ")
		}
		return strings.Compare(x, y)
	}
	return 0
}

// datumsToArray builds a column from Datums of type t.
func datumsToArray(mem memory.Allocator, t catalog.Type, vals []catalog.Datum) (arrow.Array, error) {
	n := len(vals)
	switch physicalOf(t) {
	case physList:
		return arrayDatumsToList(mem, t, vals)
	case physStruct:
		return recordDatumsToStruct(mem, t, vals)
	case physBool:
		b := newBoolBuilder(mem, n)
		for i, v := range vals {
			if v == nil {
				b.setNull(i)
				continue
			}
			x, ok := v.(bool)
			if !ok {
				b.finish().Release()
				return nil, datumMismatch(t, v)
			}
			b.set(i, x)
		}
		return b.finish(), nil
	case physVarlen:
		b := newVarlenBuilder(mem, n, 0)
		for _, v := range vals {
			switch x := v.(type) {
			case nil:
				b.appendNull()
			case string:
				b.appendString(x)
			case []byte:
				b.appendBytes(x)
			default:
				b.finish(t).Release()
				return nil, datumMismatch(t, v)
			}
		}
		return b.finish(t), nil
	}
	switch t.Kind {
	case catalog.Int2:
		return datumsFixed[int16](mem, t, vals)
	case catalog.Int4, catalog.Date:
		return datumsFixed[int32](mem, t, vals)
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return datumsFixed[int64](mem, t, vals)
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return datumsFixed[uint32](mem, t, vals)
	case catalog.Float4:
		return datumsFixed[float32](mem, t, vals)
	case catalog.Float8:
		return datumsFixed[float64](mem, t, vals)
	case catalog.Numeric:
		return datumsFixed[decimal128.Num](mem, t, vals)
	case catalog.Interval:
		return datumsFixed[arrow.MonthDayNanoInterval](mem, t, vals)
	}
	return datumsFixed[[16]byte](mem, t, vals)
}

func datumsFixed[T fixedWidth](mem memory.Allocator, t catalog.Type, vals []catalog.Datum) (arrow.Array, error) {
	b := newFixedBuilder[T](mem, len(vals))
	for i, v := range vals {
		if v == nil {
			b.setNull(i)
			continue
		}
		x, ok := v.(T)
		if !ok {
			b.finish(t).Release()
			return nil, datumMismatch(t, v)
		}
		b.vals[i] = x
	}
	return b.finish(t), nil
}
