package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Release releases the batch's columns. Only the owner of a batch calls
// it: the operator that produced it, or whoever got it from Compact.
func (b *Batch) Release() {
	for _, c := range b.Cols {
		if c != nil {
			c.Release()
		}
	}
	b.Cols = nil
}

// Compact returns a dense copy of b (no selection vector) that the caller
// owns and must Release. When b has no selection its columns are shared
// (retained), not copied.
func Compact(mem memory.Allocator, b *Batch) *Batch {
	out := &Batch{Cols: make([]arrow.Array, len(b.Cols)), Len: b.NumRows()}
	if b.Sel == nil {
		for i, c := range b.Cols {
			c.Retain()
			out.Cols[i] = c
		}
		return out
	}
	for i, c := range b.Cols {
		out.Cols[i] = take(mem, kindTypeOf(c), c, b.Sel)
	}
	return out
}

// compactTyped is Compact with the SQL types known, so that columns keep
// their exact Arrow type (decimal scale, timestamp zone).
func compactTyped(mem memory.Allocator, types []catalog.Type, b *Batch) *Batch {
	out := &Batch{Cols: make([]arrow.Array, len(b.Cols)), Len: b.NumRows()}
	for i, c := range b.Cols {
		if b.Sel == nil {
			c.Retain()
			out.Cols[i] = c
			continue
		}
		out.Cols[i] = take(mem, types[i], c, b.Sel)
	}
	return out
}

// kindTypeOf recovers a catalog.Type that has c's physical layout and
// exact Arrow type; it is what Compact needs when the caller has no
// catalog types at hand.
func kindTypeOf(c arrow.Array) catalog.Type {
	switch dt := c.DataType().(type) {
	case *arrow.BooleanType:
		return catalog.TypeBool
	case *arrow.Int16Type:
		return catalog.TypeInt2
	case *arrow.Int32Type:
		return catalog.TypeInt4
	case *arrow.Int64Type:
		return catalog.TypeInt8
	case *arrow.Uint32Type:
		return catalog.TypeOid
	case *arrow.Float32Type:
		return catalog.TypeFloat4
	case *arrow.Float64Type:
		return catalog.TypeFloat8
	case *arrow.Decimal128Type:
		return catalog.UnconstrainedNumeric(dt.Scale)
	case *arrow.StringType:
		return catalog.TypeText
	case *arrow.BinaryType:
		return catalog.TypeBytea
	case *arrow.Date32Type:
		return catalog.TypeDate
	case *arrow.Time64Type:
		return catalog.TypeTime
	case *arrow.TimestampType:
		if dt.TimeZone != "" {
			return catalog.TypeTimestampTZ
		}
		return catalog.TypeTimestamp
	case *arrow.MonthDayNanoIntervalType:
		return catalog.TypeInterval
	case *arrow.FixedSizeBinaryType:
		return catalog.TypeUUID
	case *arrow.ListType:
		return catalog.ArrayOf(kindTypeOf(c.(*array.List).ListValues()))
	case *arrow.StructType:
		return recordTypeOfStruct(c.(*array.Struct))
	}
	return catalog.TypeText
}

// Drain opens op, hands every batch to fn, and closes op. A batch is
// valid only during its call to fn.
func Drain(ctx *Context, op Operator, fn func(*Batch) error) (err error) {
	defer op.Close()
	if err := op.Open(ctx); err != nil {
		return err
	}
	for {
		b, err := op.Next()
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if err := fn(b); err != nil {
			return err
		}
	}
}

// Collect runs op to completion and returns its rows as Datums. It is
// meant for tests and small results (catalog queries, subqueries).
func Collect(ctx *Context, op Operator) ([][]catalog.Datum, error) {
	types := op.Types()
	var rows [][]catalog.Datum
	err := Drain(ctx, op, func(b *Batch) error {
		rows = appendRows(rows, types, b)
		return nil
	})
	return rows, err
}

// appendRows appends the rows of b, of columns types, as datums.
func appendRows(rows [][]catalog.Datum, types []catalog.Type, b *Batch) [][]catalog.Datum {
	for _, r := range rowsOf(b) {
		row := make([]catalog.Datum, len(types))
		for c, t := range types {
			row[c] = datumAt(b.Cols[c], t, int(r))
		}
		rows = append(rows, row)
	}
	return rows
}

// evalAll evaluates exprs on b; on error it releases what it produced.
func evalAll(ctx *Context, exprs []Expr, b *Batch) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(exprs))
	for i, e := range exprs {
		a, err := e.Eval(ctx, b)
		if err != nil {
			releaseAll(out[:i])
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseAll(as []arrow.Array) {
	for i, a := range as {
		if a != nil {
			a.Release()
			as[i] = nil
		}
	}
}

func typesOf(exprs []Expr) []catalog.Type {
	ts := make([]catalog.Type, len(exprs))
	for i, e := range exprs {
		ts[i] = e.Type()
	}
	return ts
}

// maxBatchRows is the default bound on the rows of a batch; operators
// emit at most ctx.MaxBatchRows() rows, which a session may lower. Code
// that sizes scratch space or proves an overflow bound by it (partial
// sums, packed keys) must not assume that a batch is any smaller.
const maxBatchRows = DefaultBatchRows
