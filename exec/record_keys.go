package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Records compare, sort, group and hash by one normalized key per row, as
// arrays do (array_keys.go): the ascending, NULLS LAST sort keys of its
// fields in order. Under bytes.Compare this is PostgreSQL's record order
// (record_cmp, btrecordcmp): field by field, a NULL field above every
// value and equal to another NULL, which is also the equality record_eq
// and DISTINCT, GROUP BY and hashing use (unlike ROW(...) = ROW(...),
// which the planner expands into a comparison per field). A record has a
// fixed number of fields, each key prefix-free, so the concatenation is
// prefix-free too.

// recordKeysOf computes the keys of the rows of a Struct column; a NULL
// row has an empty key.
func recordKeysOf(t catalog.Type, a arrow.Array) *arrayKeys {
	n := a.Len()
	fields := t.Fields()
	keys := make([]SortKey, len(fields))
	cols := make([]arrow.Array, len(fields))
	for j, f := range fields {
		keys[j] = SortKey{Expr: Literal(nil, f.Type)}
		cols[j] = structChild(a, j)
	}
	fk := encodeSortKeys(keys, cols, n)
	v := validityOf(a)
	if v.bits == nil {
		return &arrayKeys{arena: fk.arena, offsets: fk.offsets}
	}
	out := &arrayKeys{offsets: make([]int32, n+1)}
	for i := 0; i < n; i++ {
		if v.valid(i) {
			out.arena = append(out.arena, fk.key(i)...)
		}
		out.offsets[i+1] = int32(len(out.arena))
	}
	return out
}

// compositeKeysOf is the normalized key of each row of an array or record
// column.
func compositeKeysOf(t catalog.Type, a arrow.Array) *arrayKeys {
	if t.Kind == catalog.Record {
		return recordKeysOf(t, a)
	}
	return arrayKeysOf(t, a)
}

// recordCompare is the comparison kernel of two records whose fields are
// of the same types (the planner checks), by record_cmp's order.
func recordCompare(op BinaryOp, lt, rt catalog.Type) binaryKernel {
	return keyCompare(op, func(a arrow.Array) *arrayKeys { return recordKeysOf(lt, a) },
		func(a arrow.Array) *arrayKeys { return recordKeysOf(rt, a) })
}

// compareRecordDatums orders two non-NULL RecordValues of type t.
func compareRecordDatums(t catalog.Type, a, b catalog.RecordValue) int {
	fields := t.Fields()
	for i := 0; i < len(a) && i < len(b) && i < len(fields); i++ {
		switch x, y := a[i], b[i]; {
		case x == nil && y == nil:
		case x == nil:
			return 1
		case y == nil:
			return -1
		default:
			if c := compareDatums(fields[i].Type, x, y); c != 0 {
				return c
			}
		}
	}
	return len(a) - len(b)
}

// CheckRecordsComparable reports whether records of types l and r can be
// compared, with record_eq's and record_cmp's errors where they cannot:
// as many fields, each pair of the same type (its modifier aside), which
// has a comparison (an untyped literal's unknown has none).
func CheckRecordsComparable(l, r catalog.Type) error {
	lf, rf := l.Fields(), r.Fields()
	if len(lf) != len(rf) {
		return pgerr.New(pgerr.DatatypeMismatch, "cannot compare record types with different numbers of columns")
	}
	for i := range lf {
		if lf[i].Type.OID() != rf[i].Type.OID() {
			return pgerr.New(pgerr.DatatypeMismatch, "cannot compare dissimilar column types %s and %s at record column %d", lf[i].Type, rf[i].Type, i+1)
		}
		if lf[i].Type.Kind == catalog.Unknown {
			return pgerr.New(pgerr.UndefinedFunction, "could not identify an equality operator for type unknown")
		}
		if lf[i].Type.Kind == catalog.Record {
			if err := CheckRecordsComparable(lf[i].Type, rf[i].Type); err != nil {
				return err
			}
		}
	}
	return nil
}
