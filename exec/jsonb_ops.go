package exec

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// The json and jsonb operators, registered as the functions pg_operator
// binds them to (the planner's bind_jsonb.go picks one by the operand
// types), which are also callable by name as in PostgreSQL:
//
//	jsonb -> text      jsonb_object_field         json -> text      json_object_field
//	jsonb -> int       jsonb_array_element        json -> int       json_array_element
//	jsonb ->> text     jsonb_object_field_text    json ->> text     json_object_field_text
//	jsonb ->> int      jsonb_array_element_text   json ->> int      json_array_element_text
//	jsonb #> text[]    jsonb_extract_path         json #> text[]    json_extract_path
//	jsonb #>> text[]   jsonb_extract_path_text    json #>> text[]   json_extract_path_text
//	jsonb @> jsonb     jsonb_contains             jsonb <@ jsonb    jsonb_contained
//	jsonb ? text       jsonb_exists               jsonb ?| text[]   jsonb_exists_any
//	jsonb ?& text[]    jsonb_exists_all           jsonb || jsonb    jsonb_concat
//	jsonb - text       jsonb_delete               jsonb - int       jsonb_delete
//	jsonb - text[]     jsonb_delete               jsonb #- text[]   jsonb_delete_path
//
// (The path functions, which also take their path as variadic text
// arguments, are in jsonb_funcs.go and json_funcs.go.) All are strict and
// immutable. Navigation returns NULL where the key, index or path is
// missing; ->> and #>> give a JSON null as SQL NULL.

func init() {
	jsonbOp := func(name, sig string, result catalog.Type, build func(args []Expr) Expr) {
		registerFunc(&funcDef{
			resolve: signatures(name, result, sig),
			build:   func(args []Expr, _ catalog.Type) (Expr, error) { return build(args), nil },
		}, name)
	}
	jsonbOp("jsonb_object_field", "JT", catalog.TypeJSONB, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			return found(jsonb.ObjectField(a.jsonb(0, i), a.bytes(1, i))).appendText(dst)
		})
	})
	jsonbOp("jsonb_object_field_text", "JT", catalog.TypeText, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			return found(jsonb.ObjectField(a.jsonb(0, i), a.bytes(1, i))).appendAsText(dst)
		})
	})
	jsonbOp("jsonb_array_element", "JI", catalog.TypeJSONB, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			return found(jsonb.ArrayElement(a.jsonb(0, i), a.int(1, i))).appendText(dst)
		})
	})
	jsonbOp("jsonb_array_element_text", "JI", catalog.TypeText, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			return found(jsonb.ArrayElement(a.jsonb(0, i), a.int(1, i))).appendAsText(dst)
		})
	})
	jsonbOp("jsonb_contains", "JJ", catalog.TypeBool, func(args []Expr) Expr {
		return jsonBoolFunc(args, func(a *jsonArgs, i int) bool { return jsonb.Contains(a.jsonb(0, i), a.jsonb(1, i)) })
	})
	jsonbOp("jsonb_contained", "JJ", catalog.TypeBool, func(args []Expr) Expr {
		return jsonBoolFunc(args, func(a *jsonArgs, i int) bool { return jsonb.Contains(a.jsonb(1, i), a.jsonb(0, i)) })
	})
	jsonbOp("jsonb_exists", "JT", catalog.TypeBool, func(args []Expr) Expr {
		return jsonBoolFunc(args, func(a *jsonArgs, i int) bool { return jsonb.Exists(a.jsonb(0, i), a.bytes(1, i)) })
	})
	jsonbOp("jsonb_exists_any", "JA", catalog.TypeBool, func(args []Expr) Expr {
		return jsonBoolFunc(args, func(a *jsonArgs, i int) bool {
			return jsonb.ExistsAny(a.jsonb(0, i), a.nonNullElems(1, i))
		})
	})
	jsonbOp("jsonb_exists_all", "JA", catalog.TypeBool, func(args []Expr) Expr {
		return jsonBoolFunc(args, func(a *jsonArgs, i int) bool {
			return jsonb.ExistsAll(a.jsonb(0, i), a.nonNullElems(1, i))
		})
	})
	jsonbOp("jsonb_concat", "JJ", catalog.TypeJSONB, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			x, y := a.jsonb(0, i), a.jsonb(1, i)
			return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.Concat(s, x, y) })
		})
	})
	jsonbOp("jsonb_delete_path", "JA", catalog.TypeJSONB, func(args []Expr) Expr {
		return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			v := a.jsonb(0, i)
			path, nulls, _ := a.textArray(1, i)
			return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.DeletePath(s, v, path, nulls) })
		})
	})
	registerFunc(&funcDef{
		resolve: jsonbDeleteResolve,
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			if len(args) > 2 {
				return jsonVariadicFunc(args, 1, catalog.TypeJSONB, jsonbDeleteKernel(args)), nil
			}
			return jsonFunc(args, catalog.TypeJSONB, jsonbDeleteKernel(args)), nil
		},
		params: []string{"from_json", "path_elems"},
		// Strict in its document only when called with the VARIADIC
		// keys as arguments: a NULL key is skipped, not a NULL result.
		// The kernels apply the strictness of each form themselves.
		nonStrict: true,
	}, "jsonb_delete")

	jsonOp := func(name, sig string, result catalog.Type, f func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error)) {
		registerFunc(&funcDef{
			resolve: signatures(name, result, sig),
			build:   func(args []Expr, _ catalog.Type) (Expr, error) { return jsonFunc(args, result, f), nil },
		}, name)
	}
	jsonOp("json_object_field", "jT", catalog.TypeJSON, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONField(a.bytes(0, i), a.bytes(1, i))).appendTo(dst, false)
	})
	jsonOp("json_object_field_text", "jT", catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONField(a.bytes(0, i), a.bytes(1, i))).appendTo(dst, true)
	})
	jsonOp("json_array_element", "jI", catalog.TypeJSON, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONElement(a.bytes(0, i), a.int(1, i))).appendTo(dst, false)
	})
	jsonOp("json_array_element_text", "jI", catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONElement(a.bytes(0, i), a.int(1, i))).appendTo(dst, true)
	})
}

// jsonbFound is what a jsonb navigation found: v when ok.
type jsonbFound struct {
	v  jsonb.Value
	ok bool
}

func found(v jsonb.Value, ok bool) jsonbFound { return jsonbFound{v, ok} }

// appendText appends the value's text (NULL when nothing was found).
func (f jsonbFound) appendText(dst []byte) ([]byte, bool, error) {
	if !f.ok {
		return dst, false, nil
	}
	return jsonb.AppendText(dst, f.v), true, nil
}

// appendAsText appends the value as ->> gives it (a JSON null is NULL).
func (f jsonbFound) appendAsText(dst []byte) ([]byte, bool, error) {
	if !f.ok {
		return dst, false, nil
	}
	out, ok := jsonb.AppendAsText(dst, f.v)
	return out, ok, nil
}

// jsonFound is what a json navigation found: a piece of the text when ok.
type jsonFound struct {
	piece []byte
	ok    bool
	err   error
}

func foundJSON(piece []byte, ok bool, err error) jsonFound { return jsonFound{piece, ok, err} }

// appendTo appends the piece as written or, with asText, as ->> gives it.
func (f jsonFound) appendTo(dst []byte, asText bool) ([]byte, bool, error) {
	if f.err != nil || !f.ok {
		return dst, false, f.err
	}
	if asText {
		return jsonb.AppendJSONAsText(dst, f.piece)
	}
	return append(dst, f.piece...), true, nil
}

// nonNullElems is text[] argument k at row i without its NULL elements,
// which ?| and ?& skip.
func (a *jsonArgs) nonNullElems(k, i int) [][]byte {
	elems, nulls, anyNull := a.textArray(k, i)
	if !anyNull {
		return elems
	}
	out := elems[:0]
	for j, e := range elems {
		if !nulls[j] {
			out = append(out, e)
		}
	}
	return out
}

// jsonbDeleteResolve resolves jsonb_delete's overloads: (jsonb, text) a
// key, (jsonb, integer) an index, and (jsonb, VARIADIC text[]) keys,
// given as an array or as two or more text arguments.
func jsonbDeleteResolve(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
	if len(types) > 2 {
		return variadicTextResolve("jsonb_delete", 'J', catalog.TypeJSONB, 2)(types, nil)
	}
	return signatures("jsonb_delete", catalog.TypeJSONB, "JT", "JI", "JA")(types, nil)
}

func jsonbDeleteKernel(args []Expr) func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
	switch {
	case len(args) > 2:
		return func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			v := a.jsonb(0, i)
			keys, nulls, _ := a.variadicText(1, len(args), i)
			return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.DeleteKeys(s, v, keys, nulls) })
		}
	case args[1].Type().Kind == catalog.Int4:
		return func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			v, idx := a.jsonb(0, i), a.int(1, i)
			return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.DeleteIndex(s, v, idx) })
		}
	case args[1].Type().Kind == catalog.Array:
		return func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
			v := a.jsonb(0, i)
			keys, nulls, _ := a.textArray(1, i)
			return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.DeleteKeys(s, v, keys, nulls) })
		}
	}
	return func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
		v, keys := a.jsonb(0, i), a.oneText(1, i)
		return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.DeleteKeys(s, v, keys, nil) })
	}
}
