package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// The json functions: json is its text, reparsed by each call, and the
// results are pieces of the text as written (jsonb.JSONDoc). Strict and
// immutable except to_json, which is stable as in pg_proc:
//
//	json_typeof(json) text                   json_array_length(json) int
//	json_extract_path(json, VARIADIC text[]) json (also #>)
//	json_extract_path_text(json, VARIADIC text[]) text (also #>>)
//	json_strip_nulls(json) json              to_json(anyelement) json
//
// row_to_json takes a record (record_json.go).

func init() {
	registerFunc(&funcDef{
		resolve: signatures("json_typeof", catalog.TypeText, "j"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				kind, err := jsonb.JSONTypeOf(a.bytes(0, i))
				return append(dst, kind...), true, err
			}), nil
		},
	}, "json_typeof")
	registerFunc(&funcDef{
		resolve: signatures("json_array_length", catalog.TypeInt4, "j"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonIntFunc(args, func(a *jsonArgs, i int) (int32, error) {
				n, err := jsonb.JSONArrayLength(a.bytes(0, i))
				return int32(n), err
			}), nil
		},
	}, "json_array_length")
	registerPathFunc("json_extract_path", 'j', catalog.TypeJSON, func(dst []byte, a *jsonArgs, i int, path [][]byte) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONPath(a.bytes(0, i), path)).appendTo(dst, false)
	})
	registerPathFunc("json_extract_path_text", 'j', catalog.TypeText, func(dst []byte, a *jsonArgs, i int, path [][]byte) ([]byte, bool, error) {
		return foundJSON(jsonb.JSONPath(a.bytes(0, i), path)).appendTo(dst, true)
	})
	registerFunc(&funcDef{
		resolve: signatures("json_strip_nulls", catalog.TypeJSON, "j"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeJSON, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				out, err := jsonb.JSONStripNulls(dst, a.bytes(0, i))
				return out, true, err
			}), nil
		},
	}, "json_strip_nulls")
	registerFunc(&funcDef{
		resolve:    anyElementResolve("to_json", catalog.TypeJSON),
		build:      func(args []Expr, _ catalog.Type) (Expr, error) { return toJSONExpr(args[0]), nil },
		volatility: Stable,
	}, "to_json")
}

// toJSONExpr is to_json(arg), a timestamptz in the session's zone.
func toJSONExpr(arg Expr) Expr {
	t := arg.Type()
	return &zonedExpr{args: []Expr{arg}, t: catalog.TypeJSON, kernelFor: func(loc *time.Location) (funcKernel, error) {
		return func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
			conv, err := newJSONConverter(t, loc)
			if err != nil {
				return nil, err
			}
			conv.bind(arrs[0])
			out := newVarlenBuilder(mem, b.Len, 0)
			rows := selectionCursor{sel: b.Sel}
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) || conv.isNull(i) {
					out.appendNull()
					continue
				}
				out.commit(conv.appendJSON(out.space(16), i))
			}
			return out.finish(catalog.TypeJSON), nil
		}, nil
	}}
}
