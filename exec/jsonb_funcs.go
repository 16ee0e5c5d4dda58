package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/pgerr"
)

// The jsonb functions (PostgreSQL 15's jsonfuncs.c and jsonb.c), strict
// and immutable except to_jsonb, which is stable as in pg_proc:
//
//	jsonb_typeof(jsonb) text                 jsonb_array_length(jsonb) int
//	jsonb_extract_path(jsonb, VARIADIC text[]) jsonb (also #>)
//	jsonb_extract_path_text(jsonb, VARIADIC text[]) text (also #>>)
//	jsonb_set(jsonb, text[], jsonb, create_if_missing bool = true) jsonb
//	jsonb_insert(jsonb, text[], jsonb, insert_after bool = false) jsonb
//	jsonb_strip_nulls(jsonb) jsonb           jsonb_pretty(jsonb) text
//	to_jsonb(anyelement) jsonb
//
// The variadic path is given either as text arguments or, as #> and #>>
// give it, as one text[]; a NULL path element makes the result NULL.

func init() {
	registerFunc(&funcDef{
		resolve: signatures("jsonb_typeof", catalog.TypeText, "J"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				return append(dst, jsonb.TypeOf(a.jsonb(0, i))...), true, nil
			}), nil
		},
	}, "jsonb_typeof")
	registerFunc(&funcDef{
		resolve: signatures("jsonb_array_length", catalog.TypeInt4, "J"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonIntFunc(args, func(a *jsonArgs, i int) (int32, error) {
				n, err := jsonb.ArrayLength(a.jsonb(0, i))
				return int32(n), err
			}), nil
		},
	}, "jsonb_array_length")
	registerPathFunc("jsonb_extract_path", 'J', catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int, path [][]byte) ([]byte, bool, error) {
		return found(jsonb.Path(a.jsonb(0, i), path)).appendText(dst)
	})
	registerPathFunc("jsonb_extract_path_text", 'J', catalog.TypeText, func(dst []byte, a *jsonArgs, i int, path [][]byte) ([]byte, bool, error) {
		return found(jsonb.Path(a.jsonb(0, i), path)).appendAsText(dst)
	})
	registerFunc(&funcDef{
		resolve: signatures("jsonb_set", catalog.TypeJSONB, "JAJ", "JAJB"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				v, repl := a.jsonb(0, i), a.jsonb(2, i)
				path, nulls, _ := a.textArray(1, i)
				create := len(args) < 4 || a.bool(3, i)
				return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.Set(s, v, path, nulls, repl, create) })
			}), nil
		},
		params:   []string{"jsonb_in", "path", "replacement", "create_if_missing"},
		defaults: []FuncDefault{{Value: true, Type: catalog.TypeBool}},
	}, "jsonb_set")
	registerFunc(&funcDef{
		resolve: signatures("jsonb_insert", catalog.TypeJSONB, "JAJ", "JAJB"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				v, repl := a.jsonb(0, i), a.jsonb(2, i)
				path, nulls, _ := a.textArray(1, i)
				after := len(args) == 4 && a.bool(3, i)
				return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.Insert(s, v, path, nulls, repl, after) })
			}), nil
		},
		params:   []string{"jsonb_in", "path", "replacement", "insert_after"},
		defaults: []FuncDefault{{Value: false, Type: catalog.TypeBool}},
	}, "jsonb_insert")
	registerFunc(&funcDef{
		resolve: signatures("jsonb_strip_nulls", catalog.TypeJSONB, "J"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeJSONB, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				v := a.jsonb(0, i)
				return a.appendNew(dst, func(s []byte) ([]byte, error) { return jsonb.StripNulls(s, v) })
			}), nil
		},
	}, "jsonb_strip_nulls")
	registerFunc(&funcDef{
		resolve: signatures("jsonb_pretty", catalog.TypeText, "J"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return jsonFunc(args, catalog.TypeText, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				return jsonb.AppendPretty(dst, a.jsonb(0, i)), true, nil
			}), nil
		},
	}, "jsonb_pretty")
	registerFunc(&funcDef{
		resolve:    anyElementResolve("to_jsonb", catalog.TypeJSONB),
		build:      func(args []Expr, _ catalog.Type) (Expr, error) { return toJSONBExpr(args[0]), nil },
		volatility: Stable,
	}, "to_jsonb")
}

// registerPathFunc registers a path function of a json (first 'j') or
// jsonb (first 'J') document: f appends the result for the path at row i.
func registerPathFunc(name string, first rune, result catalog.Type, f func(dst []byte, a *jsonArgs, i int, path [][]byte) ([]byte, bool, error)) {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 2 && types[1].Kind == catalog.Array {
				return signatures(name, result, string(first)+"A")(types, nil)
			}
			return variadicTextResolve(name, first, result, 2)(types, nil)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			if len(args) == 2 && args[1].Type().Kind == catalog.Array {
				return jsonFunc(args, result, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
					path, _, anyNull := a.textArray(1, i)
					if anyNull {
						return dst, false, nil
					}
					return f(dst, a, i, path)
				}), nil
			}
			return jsonVariadicFunc(args, 1, result, func(dst []byte, a *jsonArgs, i int) ([]byte, bool, error) {
				path, _, anyNull := a.variadicText(1, len(args), i)
				if anyNull {
					return dst, false, nil
				}
				return f(dst, a, i, path)
			}), nil
		},
		params: []string{"from_json", "path_elems"},
	}, name)
}

// variadicTextResolve resolves f(first, VARIADIC text[]) called with the
// array's elements as arguments: at least min arguments, the first of the
// letter's type (see signatures), the others strings or unknown.
func variadicTextResolve(name string, first rune, result catalog.Type, min int) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) < min {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		sig := []rune{first}
		for range types[1:] {
			sig = append(sig, 'T')
		}
		return signatures(name, result, string(sig))(types, nil)
	}
}

// anyElementResolve resolves f(anyelement): any type but an unknown
// literal (42804, as PostgreSQL cannot choose a type for it).
func anyElementResolve(name string, result catalog.Type) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != 1 {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		if types[0].Kind == catalog.Unknown {
			return catalog.Type{}, nil, errUnknownPolymorphic()
		}
		return result, types, nil
	}
}

func errUnknownPolymorphic() error {
	return pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
}

// toJSONBExpr is to_jsonb(arg), a timestamptz in the session's zone.
func toJSONBExpr(arg Expr) Expr {
	t := arg.Type()
	return &zonedExpr{args: []Expr{arg}, t: catalog.TypeJSONB, kernelFor: func(loc *time.Location) (funcKernel, error) {
		return func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
			conv, err := newJSONConverter(t, loc)
			if err != nil {
				return nil, err
			}
			conv.bind(arrs[0])
			var bld jsonb.Builder
			var val []byte
			out := newVarlenBuilder(mem, b.Len, 0)
			rows := selectionCursor{sel: b.Sel}
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) || conv.isNull(i) {
					out.appendNull()
					continue
				}
				bld.Reset()
				if err := conv.addJSONB(&bld, i); err != nil {
					out.finish(catalog.TypeJSONB).Release()
					return nil, err
				}
				val = bld.Finish(val[:0])
				out.commit(jsonb.AppendText(out.space(16), jsonb.Value(val)))
			}
			return out.finish(catalog.TypeJSONB), nil
		}, nil
	}}
}
