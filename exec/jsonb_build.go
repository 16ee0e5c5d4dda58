package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/pgerr"
)

// The constructors json_build_object, json_build_array, jsonb_build_object
// and jsonb_build_array (VARIADIC "any"; none is strict, all are stable
// as in pg_proc): every argument is converted as to_json or to_jsonb
// converts it (json_convert.go), an unknown literal as text, a NULL as
// JSON null. An object's keys must be non-NULL scalars, printed as JSON
// strings; jsonb_build_object sorts them and keeps the last of equal
// keys, json_build_object keeps them all as given. The json forms are
// spaced as PostgreSQL spaces them ({"a" : 1, "b" : 2} and [1, 2]).

func init() {
	build := func(name string, result catalog.Type, kernel func(name string, types []catalog.Type) jsonRowKernel) {
		registerFunc(&funcDef{
			resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
				want := make([]catalog.Type, len(types))
				for i, t := range types {
					want[i] = t
					if t.Kind == catalog.Unknown {
						want[i] = catalog.TypeText
					}
				}
				return result, want, nil
			},
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				return jsonRowFunc(args, result, kernel(name, typesOf(args))), nil
			},
			volatility: Stable,
			nonStrict:  true,
		}, name)
	}
	build("jsonb_build_object", catalog.TypeJSONB, buildJSONBObject)
	build("jsonb_build_array", catalog.TypeJSONB, buildJSONBArray)
	build("json_build_object", catalog.TypeJSON, buildJSONObject)
	build("json_build_array", catalog.TypeJSON, buildJSONArray)
}

// jsonRowKernel appends the result of row i, its arguments read through
// the converters.
type jsonRowKernel func(dst []byte, convs []*jsonConverter, i int) ([]byte, error)

// jsonRowFunc evaluates a constructor: a row that is selected is never
// NULL. Arguments of type timestamptz print in the session's zone.
func jsonRowFunc(args []Expr, t catalog.Type, kernel jsonRowKernel) Expr {
	types := typesOf(args)
	return &zonedExpr{args: args, t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
		return func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
			convs := make([]*jsonConverter, len(arrs))
			for k, a := range arrs {
				c, err := newJSONConverter(types[k], loc)
				if err != nil {
					return nil, err
				}
				c.bind(a)
				convs[k] = c
			}
			out := newVarlenBuilder(mem, b.Len, 0)
			rows := selectionCursor{sel: b.Sel}
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) {
					out.appendNull()
					continue
				}
				dst, err := kernel(out.space(16), convs, i)
				if err != nil {
					out.finish(t).Release()
					return nil, err
				}
				out.commit(dst)
			}
			return out.finish(t), nil
		}, nil
	}}
}

func errKeyNotScalar() error {
	return pgerr.New(pgerr.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
}

// objectKey checks argument k, a key, at row i and returns its text.
func objectKey(convs []*jsonConverter, k, i int, isJSONB bool) ([]byte, error) {
	c := convs[k]
	if c.isNull(i) {
		return nil, jsonb.ErrBuildObjectNullKey(k+1, isJSONB)
	}
	if !c.isScalar() {
		return nil, errKeyNotScalar()
	}
	return c.text(i), nil
}

func buildJSONBObject(name string, types []catalog.Type) jsonRowKernel {
	var b jsonb.Builder
	var val []byte
	return func(dst []byte, convs []*jsonConverter, i int) ([]byte, error) {
		if len(convs)%2 != 0 {
			return dst, jsonb.ErrBuildObjectOddArgs(name)
		}
		b.Reset()
		b.BeginObject()
		for k := 0; k < len(convs); k += 2 {
			key, err := objectKey(convs, k, i, true)
			if err != nil {
				return dst, err
			}
			b.Key(key)
			if err := convs[k+1].addJSONB(&b, i); err != nil {
				return dst, err
			}
		}
		if err := b.End(); err != nil {
			return dst, err
		}
		val = b.Finish(val[:0])
		return jsonb.AppendText(dst, jsonb.Value(val)), nil
	}
}

func buildJSONBArray(_ string, _ []catalog.Type) jsonRowKernel {
	var b jsonb.Builder
	var val []byte
	return func(dst []byte, convs []*jsonConverter, i int) ([]byte, error) {
		b.Reset()
		b.BeginArray()
		for _, c := range convs {
			if err := c.addJSONB(&b, i); err != nil {
				return dst, err
			}
		}
		if err := b.End(); err != nil {
			return dst, err
		}
		val = b.Finish(val[:0])
		return jsonb.AppendText(dst, jsonb.Value(val)), nil
	}
}

func buildJSONObject(name string, _ []catalog.Type) jsonRowKernel {
	var o jsonb.JSONObjectBuilder
	var value []byte
	return func(dst []byte, convs []*jsonConverter, i int) ([]byte, error) {
		if len(convs)%2 != 0 {
			return dst, jsonb.ErrBuildObjectOddArgs(name)
		}
		o.Reset()
		for k := 0; k < len(convs); k += 2 {
			key, err := objectKey(convs, k, i, false)
			if err != nil {
				return dst, err
			}
			value = convs[k+1].appendJSON(value[:0], i)
			o.Add(key, value)
		}
		return o.Finish(dst), nil
	}
}

func buildJSONArray(_ string, _ []catalog.Type) jsonRowKernel {
	var texts []byte
	var ends []int
	var values [][]byte
	return func(dst []byte, convs []*jsonConverter, i int) ([]byte, error) {
		texts, ends, values = texts[:0], ends[:0], values[:0]
		for _, c := range convs {
			texts = c.appendJSON(texts, i)
			ends = append(ends, len(texts))
		}
		start := 0
		for _, end := range ends {
			values = append(values, texts[start:end])
			start = end
		}
		return jsonb.AppendJSONBuildArray(dst, values...), nil
	}
}
