package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// The set-returning json and jsonb functions:
//
//	jsonb_array_elements(jsonb)      setof jsonb  (value)
//	jsonb_array_elements_text(jsonb) setof text   (value)
//	jsonb_each(jsonb)                setof (key text, value jsonb)
//	jsonb_each_text(jsonb)           setof (key text, value text)
//	jsonb_object_keys(jsonb)         setof text
//
// and the same for json, whose values are pieces of the text as written
// (json_each keeps a value's spacing, json_object_keys repeats duplicate
// keys). jsonb pairs come in jsonb's key order, json's in the text's. The
// wrong kind of value fails with PostgreSQL's 22023 errors; a JSON null
// is NULL in the _text forms.

// jsonSetFunc describes one of them: its columns, and what one row's
// value appends to them (the number of rows appended, or an error).
type jsonSetFunc struct {
	name    string
	arg     catalog.Type
	result  []catalog.Type
	columns []string
	rows    func(sb *setBuilder, a *jsonArgs, doc *jsonb.JSONDoc, i int) (int32, error)
}

func init() {
	text, jb, js := catalog.TypeText, catalog.TypeJSONB, catalog.TypeJSON
	for _, f := range []jsonSetFunc{
		{"jsonb_array_elements", jb, []catalog.Type{jb}, []string{"value"}, jsonbElements(false)},
		{"jsonb_array_elements_text", jb, []catalog.Type{text}, []string{"value"}, jsonbElements(true)},
		{"jsonb_each", jb, []catalog.Type{text, jb}, []string{"key", "value"}, jsonbEach(false)},
		{"jsonb_each_text", jb, []catalog.Type{text, text}, []string{"key", "value"}, jsonbEach(true)},
		{"jsonb_object_keys", jb, []catalog.Type{text}, nil, jsonbObjectKeys},
		{"json_array_elements", js, []catalog.Type{js}, []string{"value"}, jsonElements(false)},
		{"json_array_elements_text", js, []catalog.Type{text}, []string{"value"}, jsonElements(true)},
		{"json_each", js, []catalog.Type{text, js}, []string{"key", "value"}, jsonEach(false)},
		{"json_each_text", js, []catalog.Type{text, text}, []string{"key", "value"}, jsonEach(true)},
		{"json_object_keys", js, []catalog.Type{text}, nil, jsonObjectKeys},
	} {
		registerJSONSet(f)
	}
}

func registerJSONSet(f jsonSetFunc) {
	sig := "J"
	if f.arg.Kind == catalog.JSON {
		sig = "j"
	}
	resolve := signatures(f.name, f.arg, sig)
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			_, want, err := resolve(ts, nil)
			return want, f.result, err
		},
		columns: f.columns,
		build: func([]Expr, []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			return func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
				a := newJSONArgs(args)
				valid := validityOf(args[0])
				sb := newSetBuilder(ctx.Mem, f.result, b.Len)
				var doc jsonb.JSONDoc
				for _, i := range rowsOf(b) {
					if !valid.valid(int(i)) {
						continue
					}
					n, err := f.rows(sb, a, &doc, int(i))
					if err != nil {
						sb.discard()
						return nil, err
					}
					sb.row(i, n)
				}
				return sb.finish(), nil
			}
		},
	}, f.name)
}

// appendMaybe appends v, or NULL when ok is false.
func appendMaybe(b *varlenBuilder, v []byte, ok bool) {
	if ok {
		b.appendBytes(v)
	} else {
		b.appendNull()
	}
}

// appendJSONBValue appends v as jsonb, or asText as the _text forms give
// it (a JSON null is NULL).
func appendJSONBValue(b *varlenBuilder, a *jsonArgs, v jsonb.Value, asText bool) {
	if !asText {
		a.val = jsonb.AppendText(a.val[:0], v)
		b.appendBytes(a.val)
		return
	}
	var ok bool
	a.val, ok = jsonb.AppendAsText(a.val[:0], v)
	appendMaybe(b, a.val, ok)
}

func jsonbElements(asText bool) func(*setBuilder, *jsonArgs, *jsonb.JSONDoc, int) (int32, error) {
	return func(sb *setBuilder, a *jsonArgs, _ *jsonb.JSONDoc, i int) (int32, error) {
		v := a.jsonb(0, i)
		if err := jsonb.CheckArrayElements(v); err != nil {
			return 0, err
		}
		n := v.Len()
		for j := 0; j < n; j++ {
			appendJSONBValue(sb.cols[0], a, v.Elem(j), asText)
		}
		return int32(n), nil
	}
}

func jsonbEach(asText bool) func(*setBuilder, *jsonArgs, *jsonb.JSONDoc, int) (int32, error) {
	name := "jsonb_each"
	if asText {
		name = "jsonb_each_text"
	}
	return func(sb *setBuilder, a *jsonArgs, _ *jsonb.JSONDoc, i int) (int32, error) {
		v := a.jsonb(0, i)
		if err := jsonb.CheckEach(v, name); err != nil {
			return 0, err
		}
		n := v.Len()
		for j := 0; j < n; j++ {
			sb.cols[0].appendBytes(v.Key(j))
			appendJSONBValue(sb.cols[1], a, v.Field(j), asText)
		}
		return int32(n), nil
	}
}

func jsonbObjectKeys(sb *setBuilder, a *jsonArgs, _ *jsonb.JSONDoc, i int) (int32, error) {
	v := a.jsonb(0, i)
	if err := jsonb.CheckObjectKeys(v); err != nil {
		return 0, err
	}
	n := v.Len()
	for j := 0; j < n; j++ {
		sb.cols[0].appendBytes(v.Key(j))
	}
	return int32(n), nil
}

// appendJSONPiece appends a json value as written, or asText as the
// _text forms give it (text appends that form; a JSON null is NULL).
func appendJSONPiece(b *varlenBuilder, a *jsonArgs, asText bool, raw []byte, text func(dst []byte) ([]byte, bool)) {
	if !asText {
		b.appendBytes(raw)
		return
	}
	var ok bool
	a.val, ok = text(a.val[:0])
	appendMaybe(b, a.val, ok)
}

func jsonElements(asText bool) func(*setBuilder, *jsonArgs, *jsonb.JSONDoc, int) (int32, error) {
	return func(sb *setBuilder, a *jsonArgs, doc *jsonb.JSONDoc, i int) (int32, error) {
		n, err := doc.ArrayElements(a.bytes(0, i), asText)
		if err != nil {
			return 0, err
		}
		for j := 0; j < n; j++ {
			appendJSONPiece(sb.cols[0], a, asText, doc.Elem(j), func(dst []byte) ([]byte, bool) { return doc.ElemText(dst, j) })
		}
		return int32(n), nil
	}
}

func jsonEach(asText bool) func(*setBuilder, *jsonArgs, *jsonb.JSONDoc, int) (int32, error) {
	return func(sb *setBuilder, a *jsonArgs, doc *jsonb.JSONDoc, i int) (int32, error) {
		n, err := doc.Each(a.bytes(0, i))
		if err != nil {
			return 0, err
		}
		for j := 0; j < n; j++ {
			sb.cols[0].appendBytes(doc.Key(j))
			appendJSONPiece(sb.cols[1], a, asText, doc.Field(j), func(dst []byte) ([]byte, bool) { return doc.FieldText(dst, j) })
		}
		return int32(n), nil
	}
}

func jsonObjectKeys(sb *setBuilder, a *jsonArgs, doc *jsonb.JSONDoc, i int) (int32, error) {
	n, err := doc.ObjectKeys(a.bytes(0, i))
	if err != nil {
		return 0, err
	}
	for j := 0; j < n; j++ {
		sb.cols[0].appendBytes(doc.Key(j))
	}
	return int32(n), nil
}
