package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// Casts involving json and jsonb, as PostgreSQL 15's pg_cast and its I/O
// conversions allow them:
//
//   - string types (and unknown) to json: json_in, which checks the text
//     and keeps it; to jsonb: jsonb_in, which keeps the canonical text;
//   - json to jsonb reads the text as jsonb; jsonb to json is its text;
//   - json and jsonb to the string types print their text (the general
//     string cast, cast.go);
//   - jsonb to numeric, smallint, integer, bigint, real, double precision
//     and boolean take a top-level scalar of that kind (jsonb_numeric,
//     jsonb_int4, ...), 22023 otherwise;
//   - every other pair is 42846, json to any number included.

// jsonCastKernel returns the kernel of a cast from or to json or jsonb;
// ok is false for the pairs it leaves to castKernel (json and jsonb to
// the string types).
func jsonCastKernel(from, to catalog.Type) (k unaryKernel, ok bool, err error) {
	fk, tk := from.Kind, to.Kind
	fromText := from.IsString() || fk == catalog.Unknown
	switch {
	case !isJSONKind(fk) && !isJSONKind(tk):
		return nil, false, nil
	case isJSONKind(fk) && to.IsString():
		return nil, false, nil
	case tk == catalog.JSON && fromText:
		return textToJSON(from), true, nil
	case tk == catalog.JSONB && (fromText || fk == catalog.JSON):
		return textToJSONB(from), true, nil
	case fk == catalog.JSONB && tk == catalog.JSON:
		return nil, true, nil // jsonb's text is json
	case fk == catalog.JSONB:
		if k := jsonbToScalar(to); k != nil {
			return k, true, nil
		}
	}
	return nil, true, errCannotCast(from, to)
}

// castText is the text a string value casts from: char(n) with the
// padding its output function prints.
func castText(dst []byte, from catalog.Type, p []byte) []byte {
	dst = append(dst, p...)
	if from.Kind == catalog.Bpchar {
		dst = fitLength(dst, from)
	}
	return dst
}

func textToJSON(from catalog.Type) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		return mapToVarlen(mem, catalog.TypeJSON, xa, b, func(dst []byte, i int) ([]byte, error) {
			dst = castText(dst, from, x.bytes(i))
			return dst, jsonb.ValidateJSON(dst)
		})
	}
}

func textToJSONB(from catalog.Type) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		var parser jsonb.Parser
		var text, val []byte
		return mapToVarlen(mem, catalog.TypeJSONB, xa, b, func(dst []byte, i int) ([]byte, error) {
			text = castText(text[:0], from, x.bytes(i))
			var err error
			if val, err = parser.Append(val[:0], text); err != nil {
				return dst, err
			}
			return jsonb.AppendText(dst, jsonb.Value(val)), nil
		})
	}
}

// jsonbToScalar is the kernel of jsonb to a number type or boolean, nil
// for other types.
func jsonbToScalar(to catalog.Type) unaryKernel {
	switch to.Kind {
	case catalog.Bool:
		return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
			x := varlenViewOf(xa)
			var r jsonbReader
			out := newBoolBuilder(mem, b.Len)
			out.nullMask = combineNulls(mem, b.Len, xa)
			for _, i := range rowsOf(b) {
				if out.isNull(int(i)) {
					continue
				}
				v, err := jsonb.ToBool(r.value(x.bytes(int(i))))
				if err != nil {
					out.finish().Release()
					return nil, err
				}
				out.set(int(i), v)
			}
			return out.finish(), nil
		}
	case catalog.Int2:
		return jsonbToFixed(to, jsonb.ToInt16)
	case catalog.Int4:
		return jsonbToFixed(to, jsonb.ToInt32)
	case catalog.Int8:
		return jsonbToFixed(to, jsonb.ToInt64)
	case catalog.Float4:
		return jsonbToFixed(to, jsonb.ToFloat32)
	case catalog.Float8:
		return jsonbToFixed(to, jsonb.ToFloat64)
	case catalog.Numeric:
		toNumeric := func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
			x := varlenViewOf(xa)
			var r jsonbReader
			return mapToVarlen(mem, catalog.TypeNumeric, xa, b, func(dst []byte, i int) ([]byte, error) {
				n, err := jsonb.ToNumeric(r.value(x.bytes(i)))
				return append(dst, n...), err
			})
		}
		if to.IsVarNumeric() && to.Precision() < 0 {
			return toNumeric
		}
		// numeric(p,s): jsonb_numeric, then the numeric's own cast.
		return chainKernels(toNumeric, varNumericCast(catalog.TypeNumeric, to))
	}
	return nil
}

func jsonbToFixed[T fixedWidth](to catalog.Type, conv func(jsonb.Value) (T, error)) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		var r jsonbReader
		out := newFixedBuilder[T](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := conv(r.value(x.bytes(int(i))))
			if err != nil {
				out.finish(to).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(to), nil
	}
}

// chainKernels applies first, then second to its result.
func chainKernels(first, second unaryKernel) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		mid, err := first(mem, xa, b)
		if err != nil {
			return nil, err
		}
		defer mid.Release()
		return second(mem, mid, b)
	}
}
