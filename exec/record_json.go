package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// Records as JSON (composite_to_json, composite_to_jsonb): an object with
// one key per field, its name, in the fields' order; each value converted
// as to_json(b) converts it, a nested record as an object again. The json
// text has no spaces ({"a":1,"b":"x"}); row_to_json's pretty form puts
// each field after the first on a new line, indented by one space, but
// not those of nested records. jsonb keeps the last of fields with equal
// names, json all of them.
//
// row_to_json(record [, pretty boolean]) is strict and stable, as in
// pg_proc; to_json, to_jsonb, the json(b)_build_* functions and
// json(b)_agg take records through jsonConverter.

// recordJSON converts the rows of one record column.
type recordJSON struct {
	names  [][]byte
	fields []*jsonConverter
}

func newRecordJSON(t catalog.Type, loc *time.Location) (*recordJSON, error) {
	r := &recordJSON{}
	for _, f := range t.Fields() {
		c, err := newJSONConverter(f.Type, loc)
		if err != nil {
			return nil, err
		}
		r.names = append(r.names, []byte(f.Name))
		r.fields = append(r.fields, c)
	}
	return r, nil
}

func (r *recordJSON) bind(a arrow.Array) {
	for j, c := range r.fields {
		c.bind(structChild(a, j))
	}
}

// appendJSON appends non-NULL row i as a json object.
func (r *recordJSON) appendJSON(dst []byte, i int, pretty bool) []byte {
	dst = append(dst, '{')
	for j, c := range r.fields {
		if j > 0 {
			dst = append(dst, ',')
			if pretty {
				dst = append(dst, "\n "...)
			}
		}
		dst = jsonb.AppendQuoted(dst, r.names[j])
		dst = append(dst, ':')
		dst = c.appendJSON(dst, i)
	}
	return append(dst, '}')
}

// addJSONB adds non-NULL row i to b as a jsonb object.
func (r *recordJSON) addJSONB(b *jsonb.Builder, i int) error {
	b.BeginObject()
	for j, c := range r.fields {
		b.Key(r.names[j])
		if err := c.addJSONB(b, i); err != nil {
			return err
		}
	}
	return b.End()
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) < 1 || len(types) > 2 || types[0].Kind != catalog.Record ||
				len(types) == 2 && types[1].Kind != catalog.Bool && types[1].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("row_to_json", types)
			}
			want := []catalog.Type{types[0]}
			if len(types) == 2 {
				want = append(want, catalog.TypeBool)
			}
			return catalog.TypeJSON, want, nil
		},
		build:      func(args []Expr, _ catalog.Type) (Expr, error) { return rowToJSONExpr(args), nil },
		volatility: Stable,
	}, "row_to_json")
}

// rowToJSONExpr is row_to_json(record [, pretty]), timestamptz fields in
// the session's zone.
func rowToJSONExpr(args []Expr) Expr {
	t := args[0].Type()
	return &zonedExpr{args: args, t: catalog.TypeJSON, kernelFor: func(loc *time.Location) (funcKernel, error) {
		return func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
			conv, err := newRecordJSON(t, loc)
			if err != nil {
				return nil, err
			}
			conv.bind(arrs[0])
			recs := validityOf(arrs[0])
			var pretty boolView
			if len(arrs) > 1 {
				pretty = boolViewOf(arrs[1])
			}
			out := newVarlenBuilder(mem, b.Len, 0)
			rows := selectionCursor{sel: b.Sel}
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) || !recs.valid(i) || len(arrs) > 1 && !pretty.valid(i) {
					out.appendNull()
					continue
				}
				p := len(arrs) > 1 && pretty.value(i)
				out.commit(conv.appendJSON(out.space(16), i, p))
			}
			return out.finish(catalog.TypeJSON), nil
		}, nil
	}}
}
