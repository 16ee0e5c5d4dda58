package exec

import (
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Casts to and from text go through catalog's input and output functions,
// the ones the wire protocol and COPY use, so a value prints and reads the
// same everywhere. Casts print with the server defaults (TimeZone UTC).
// Two differences from the type's I/O functions are intended:
//
//   - bool::text is true/false, where boolout prints t/f (PostgreSQL's
//     bool→text cast is the booltext function, not boolout).

// mapToVarlen builds a string column row by row in order; f appends the
// text of active, non-NULL row i.
func mapToVarlen(mem memory.Allocator, t catalog.Type, x arrow.Array, b *Batch, f func(dst []byte, i int) ([]byte, error)) (arrow.Array, error) {
	v := validityOf(x)
	out := newVarlenBuilder(mem, b.Len, 0)
	rows := selectionCursor{sel: b.Sel}
	var scratch []byte
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !v.valid(i) {
			out.appendNull()
			continue
		}
		var err error
		scratch, err = f(scratch[:0], i)
		if err != nil {
			out.finish(t).Release()
			return nil, err
		}
		out.appendBytes(scratch)
	}
	return out.finish(t), nil
}

// fitLength applies varchar(n) truncation and char(n) padding, counting
// characters, not bytes.
func fitLength(dst []byte, t catalog.Type) []byte {
	n := int(t.Length())
	if n < 0 {
		return dst
	}
	count, cut := 0, len(dst)
	for i := range string(dst) {
		if count == n {
			cut = i
			break
		}
		count++
	}
	if cut < len(dst) {
		return dst[:cut]
	}
	if t.Kind == catalog.Bpchar {
		chars := utf8.RuneCount(dst)
		for ; chars < n; chars++ {
			dst = append(dst, ' ')
		}
	}
	return dst
}

// stringToString casts between the string types: char(n) to another
// drops its padding, varchar(n) and char(n) fit their length. A cast that
// changes no value of a batch (text to text; char(15) phone numbers to
// text, which hold no trailing blank: TPC-H Q22) returns its input.
func stringToString(from, to catalog.Type) unaryKernel {
	trim := from.Kind == catalog.Bpchar && to.Kind != catalog.Bpchar
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		// Rows outside b.Sel may hold anything (Expr.Eval): the input's.
		if to.Length() < 0 && arrow.TypeEqual(xa.DataType(), to.ArrowType()) && (!trim || !x.anyTrailingBlank(xa.Len())) {
			xa.Retain()
			return xa, nil
		}
		return mapToVarlen(mem, to, xa, b, func(dst []byte, i int) ([]byte, error) {
			p := x.bytes(i)
			if trim {
				p = trimTrailingSpaces(p)
			}
			return fitLength(append(dst, p...), to), nil
		})
	}
}

// anyTrailingBlank reports whether a value of the n rows of v, NULL or
// not, ends in a blank.
func (v varlenView) anyTrailingBlank(n int) bool {
	for i := range n {
		if end := v.offsets[i+1]; end > v.offsets[i] && v.data[end-1] == ' ' {
			return true
		}
	}
	return false
}

// appendBoolCastText is bool::text.
func appendBoolCastText(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// toTextKernel prints from's values with from's output function, in zone
// loc. The encoder is resolved once per batch: it is bound to the column,
// not looked up per value, and is not shared between concurrent
// evaluations.
func toTextKernel(from, to catalog.Type, loc *time.Location) (unaryKernel, error) {
	if from.Kind == catalog.Bool {
		return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
			v := boolViewOf(xa)
			return mapToVarlen(mem, to, xa, b, func(dst []byte, i int) ([]byte, error) {
				return fitLength(appendBoolCastText(dst, v.value(i)), to), nil
			})
		}, nil
	}
	if _, err := catalog.NewColumnEncoder(from, catalog.FormatText, loc); err != nil {
		return nil, errCannotCast(from, to)
	}
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		enc, err := catalog.NewColumnEncoder(from, catalog.FormatText, loc)
		if err != nil {
			return nil, errCannotCast(from, to)
		}
		enc.Bind(xa)
		return mapToVarlen(mem, to, xa, b, func(dst []byte, i int) ([]byte, error) {
			return fitLength(enc.Append(dst, i), to), nil
		})
	}, nil
}

// fromTextKernel reads strings with to's input function in zone loc,
// decoding straight into a builder of to's Arrow type. Rows outside the
// selection are NULL.
func fromTextKernel(from, to catalog.Type, loc *time.Location) (unaryKernel, error) {
	if _, err := catalog.NewColumnDecoder(to, catalog.FormatText, loc); err != nil {
		return nil, errCannotCast(from, to)
	}
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		dec, err := catalog.NewColumnDecoder(to, catalog.FormatText, loc)
		if err != nil {
			return nil, errCannotCast(from, to)
		}
		x := varlenViewOf(xa)
		bld := array.NewBuilder(mem, to.ArrowType())
		defer bld.Release()
		bld.Reserve(b.Len)
		dec.Bind(bld)
		rows := selectionCursor{sel: b.Sel}
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || !x.valid(i) {
				dec.AppendNull()
				continue
			}
			if err := dec.Append(x.bytes(i)); err != nil {
				return nil, err
			}
		}
		return bld.NewArray(), nil
	}, nil
}
