package exec

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/pgerr"
)

// The json functions that return records, called in FROM with a column
// definition list that names and types the record's fields:
//
//	json_to_record(json), jsonb_to_record(jsonb)         one row per
//	    input row (a NULL input gives a row of NULLs)
//	json_to_recordset(json), jsonb_to_recordset(jsonb)   one row per
//	    object of the array (a NULL input gives none)
//
// and their populate forms, whose fields are those of the type of their
// first argument, a table's row type (NULL::t): json(b)_populate_record
// (base, json), also a scalar function returning a record (a NULL json
// gives a NULL record), and json(b)_populate_recordset(base, json), in
// FROM. pqdb reads only a NULL base (the planner refuses others), whose
// fields then come only from the json.
//
// Each field is the value of the object's key of the field's name (the
// last of equal keys in json), converted as PostgreSQL's populate_record
// converts it: a JSON null or a missing key is NULL; for a json or jsonb
// field the value's JSON text; for an array field a JSON array's elements
// (each converted as a scalar; a nested array as the first element would
// make a multidimensional array, which pqdb refuses) or a string read as
// an array literal; for any other field the value's text (a string
// unescaped, anything else its JSON text: json's as written, jsonb's
// normalized) read by the field type's input function, with an
// assignment's length checks (varchar(n) too long is 22001). The values
// are gathered as text, then cast to the fields' types a batch at a time.

// RecordFunc describes one of them.
type RecordFunc struct {
	JSON     catalog.Type // the type the json argument is read as
	Set      bool         // one row per array element, not per input row
	Populate bool         // a base record argument gives the fields
}

var recordFuncs = map[string]RecordFunc{
	"json_to_record":           {JSON: catalog.TypeJSON},
	"jsonb_to_record":          {JSON: catalog.TypeJSONB},
	"json_to_recordset":        {JSON: catalog.TypeJSON, Set: true},
	"jsonb_to_recordset":       {JSON: catalog.TypeJSONB, Set: true},
	"json_populate_record":     {JSON: catalog.TypeJSON, Populate: true},
	"jsonb_populate_record":    {JSON: catalog.TypeJSONB, Populate: true},
	"json_populate_recordset":  {JSON: catalog.TypeJSON, Set: true, Populate: true},
	"jsonb_populate_recordset": {JSON: catalog.TypeJSONB, Set: true, Populate: true},
}

func init() {
	for name, f := range recordFuncs {
		if f.Populate && !f.Set {
			registerFunc(&funcDef{resolve: populateRecordResolve(name, f), build: func(args []Expr, result catalog.Type) (Expr, error) {
				return newPopulateRecordExpr(name, f, args, result)
			}, nonStrict: true}, name)
			continue
		}
		registerSetFunc(&setFuncDef{resolve: func([]catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if f.Populate {
				return nil, nil, pgerr.Unsupported("%s is supported only in FROM", name)
			}
			// Called anywhere but in FROM with a column definition list
			// (bind_column_definition.go), the record has no row type.
			return nil, nil, errNoRowType(name)
		}}, name)
	}
}

func errNoRowType(name string) error {
	e := pgerr.New(pgerr.FeatureNotSupported, "could not determine row type for result of %s", name)
	e.Hint = "Provide a non-null record argument, or call the function in the FROM clause using a column definition list."
	return e
}

// RecordFuncOf reports whether name is a function that returns records
// whose fields a column definition list (or its base argument's type)
// gives, and describes it.
func RecordFuncOf(name string) (RecordFunc, bool) {
	f, ok := recordFuncs[strings.ToLower(name)]
	return f, ok
}

// populateRecordResolve resolves json(b)_populate_record(base, json): a
// record with fields (a table's row type) and json; the result is of the
// base's type.
func populateRecordResolve(name string, f RecordFunc) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(ts []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
		if len(ts) != 2 || ts[0].Kind != catalog.Record && ts[0].Kind != catalog.Unknown ||
			ts[1].Kind != f.JSON.Kind && ts[1].Kind != catalog.Unknown {
			return catalog.Type{}, nil, errNoFunction(name, ts)
		}
		if ts[0].Kind != catalog.Record || len(ts[0].Fields()) == 0 {
			return catalog.Type{}, nil, errNoRowType(name)
		}
		if args != nil {
			// The base record's fields would stand for the keys the
			// json lacks: pqdb reads only a NULL base.
			if l, ok := args[0].(*literal); !ok || l.v != nil {
				return catalog.Type{}, nil, pgerr.Unsupported("%s with a base record other than NULL is not supported", name)
			}
		}
		return ts[0], []catalog.Type{ts[0], f.JSON}, nil
	}
}

// fieldMode is how a field's value is taken from the JSON.
type fieldMode uint8

const (
	fieldText  fieldMode = iota // the value as text, for the type's input function
	fieldJSON                   // the value's JSON text (json and jsonb fields)
	fieldArray                  // a JSON array's elements, as an array literal
)

// NewRecordSetFunc is a call in FROM of the record function name
// (RecordFuncOf) with fields, its column definition list's or its base
// record's. Every field's type must be one text casts to by assignment.
// The json is the last argument.
func NewRecordSetFunc(name string, args []Expr, fields []catalog.RecordField) (*SetFunc, error) {
	f, ok := recordFuncs[strings.ToLower(name)]
	if !ok || len(args) == 0 || args[len(args)-1].Type().Kind != f.JSON.Kind {
		return nil, internalf("%s called with the wrong arguments", name)
	}
	r, err := newRecordReader(name, f, fields)
	if err != nil {
		return nil, err
	}
	types := make([]catalog.Type, len(fields))
	for j, fd := range fields {
		types[j] = fd.Type
	}
	last := len(args) - 1
	return &SetFunc{name: name, args: args, types: types, expand: func(ctx *Context, arrs []arrow.Array, b *Batch) (setRows, error) {
		sb := newSetBuilder(ctx.Mem, r.texts, b.Len)
		a := newJSONArgs(arrs)
		valid := validityOf(arrs[last])
		for _, i := range rowsOf(b) {
			var n int32
			var err error
			switch {
			case !valid.valid(int(i)) && f.Set:
			case !valid.valid(int(i)):
				r.appendNulls(sb)
				n = 1
			default:
				n, err = r.rows(sb, a, last, int(i), f.Set)
			}
			if err != nil {
				sb.discard()
				return nil, err
			}
			sb.row(i, n)
		}
		set := sb.finish()
		typed, err := r.cast(ctx, set.cols, int(sb.n))
		if err != nil {
			return nil, err
		}
		set.cols, set.types = typed, types
		return set, nil
	}}, nil
}

// newPopulateRecordExpr is json(b)_populate_record(base, json) as a value:
// a record of the base's type (t), NULL where the json is.
func newPopulateRecordExpr(name string, f RecordFunc, args []Expr, t catalog.Type) (Expr, error) {
	r, err := newRecordReader(name, f, t.Fields())
	if err != nil {
		return nil, err
	}
	return &zonedExpr{args: args, t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
		return func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
			// The casts read the session's zone (timestamptz fields).
			return r.populate(&Context{Mem: mem, Location: loc}, arrs, b, t)
		}, nil
	}}, nil
}

// populate builds the records of json column arrs[1] for the rows of b.
func (r *recordReader) populate(ctx *Context, arrs []arrow.Array, b *Batch, t catalog.Type) (arrow.Array, error) {
	sb := newSetBuilder(ctx.Mem, r.texts, b.Len)
	a := newJSONArgs(arrs)
	valid := validityOf(arrs[1])
	nulls := nullMask{mem: ctx.Mem, n: b.Len}
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !valid.valid(i) {
			r.appendNulls(sb)
			nulls.setNull(i)
			continue
		}
		if _, err := r.rows(sb, a, 1, i, false); err != nil {
			sb.discard()
			nulls.release()
			return nil, err
		}
	}
	typed, err := r.cast(ctx, sb.finish().cols, b.Len)
	if err != nil {
		nulls.release()
		return nil, err
	}
	out := newStructArray(t, b.Len, &nulls, typed)
	releaseAll(typed)
	return out, nil
}

// recordReader converts JSON objects into the text of a record's fields,
// then casts the texts to the fields' types.
type recordReader struct {
	name   string
	fields []catalog.RecordField
	modes  []fieldMode
	texts  []catalog.Type // text, one per field
	casts  []Expr         // text column j to field j's type
	jsonb  bool
	doc    jsonb.JSONDoc // json: the object
	elems  jsonb.JSONDoc // json: the array of a recordset, an array field
	keys   map[string]int
	val    []byte
}

func newRecordReader(name string, f RecordFunc, fields []catalog.RecordField) (*recordReader, error) {
	r := &recordReader{name: strings.ToLower(name), fields: fields, jsonb: f.JSON.Kind == catalog.JSONB,
		modes: make([]fieldMode, len(fields)), texts: make([]catalog.Type, len(fields)), casts: make([]Expr, len(fields))}
	for j, fd := range fields {
		r.texts[j] = catalog.TypeText
		switch {
		case fd.Type.Kind == catalog.JSON || fd.Type.Kind == catalog.JSONB:
			r.modes[j] = fieldJSON
		case fd.Type.Kind == catalog.Array:
			r.modes[j] = fieldArray
		}
		c, err := CastAssign(ColumnRef(j, catalog.TypeText), fd.Type)
		if err != nil {
			return nil, err
		}
		r.casts[j] = c
	}
	return r, nil
}

// rows appends the rows of json argument k at row i.
func (r *recordReader) rows(sb *setBuilder, a *jsonArgs, k, i int, set bool) (int32, error) {
	if r.jsonb {
		return r.jsonbRows(sb, a.jsonb(k, i), set)
	}
	return r.jsonRows(sb, a.bytes(k, i), set)
}

// cast converts n rows of the gathered text columns (released) to the
// fields' types.
func (r *recordReader) cast(ctx *Context, texts []arrow.Array, n int) ([]arrow.Array, error) {
	typed, err := evalAll(ctx, r.casts, &Batch{Cols: texts, Len: n})
	releaseAll(texts)
	return typed, err
}

func (r *recordReader) appendNulls(sb *setBuilder) {
	for _, c := range sb.cols {
		c.appendNull()
	}
}

func (r *recordReader) errNotObject(kind string) error {
	if kind == "" {
		return pgerr.New(pgerr.InvalidParameterValue, "argument of %s must be an array of objects", r.name)
	}
	return pgerr.New(pgerr.InvalidParameterValue, "cannot call populate_composite on %s", kind)
}

func errExpectedArray(field string) error {
	e := pgerr.New(pgerr.InvalidTextRepresentation, "expected JSON array")
	e.Hint = "See the value of key \"" + field + "\"."
	return e
}

// jsonbRows appends the rows of one jsonb input: the object, or each
// object of the array (set).
func (r *recordReader) jsonbRows(sb *setBuilder, v jsonb.Value, set bool) (int32, error) {
	if !set {
		switch v.Kind() {
		case jsonb.KindObject:
			return 1, r.jsonbObject(sb, v)
		case jsonb.KindArray:
			return 0, r.errNotObject("an array")
		}
		return 0, r.errNotObject("a scalar")
	}
	if v.Kind() != jsonb.KindArray {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-array", r.name)
	}
	n := v.Len()
	for k := 0; k < n; k++ {
		e := v.Elem(k)
		if e.Kind() != jsonb.KindObject {
			return 0, r.errNotObject("")
		}
		if err := r.jsonbObject(sb, e); err != nil {
			return 0, err
		}
	}
	return int32(n), nil
}

func (r *recordReader) jsonbObject(sb *setBuilder, obj jsonb.Value) error {
	for j, f := range r.fields {
		col := sb.cols[j]
		v, ok := obj.Lookup([]byte(f.Name))
		if !ok || v.Kind() == jsonb.KindNull {
			col.appendNull()
			continue
		}
		switch r.modes[j] {
		case fieldJSON:
			r.val = jsonb.AppendText(r.val[:0], v)
		case fieldArray:
			switch v.Kind() {
			case jsonb.KindString:
				r.val = append(r.val[:0], v.Str()...)
			case jsonb.KindArray:
				var err error
				if r.val, err = jsonbArrayLiteral(r.val[:0], v); err != nil {
					return err
				}
			default:
				return errExpectedArray(f.Name)
			}
		default:
			r.val, _ = jsonb.AppendAsText(r.val[:0], v)
		}
		col.appendBytes(r.val)
	}
	return nil
}

// jsonbArrayLiteral appends the array literal of a JSON array's
// elements, each as text (NULL for a JSON null).
func jsonbArrayLiteral(dst []byte, v jsonb.Value) ([]byte, error) {
	n := v.Len()
	if n > 0 && v.Elem(0).Kind() == jsonb.KindArray {
		return nil, pgerr.Unsupported("multidimensional arrays are not supported")
	}
	dst = append(dst, '{')
	var text []byte
	for k := 0; k < n; k++ {
		if k > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		text, ok = jsonb.AppendAsText(text[:0], v.Elem(k))
		dst = appendArrayLiteralElem(dst, text, ok)
	}
	return append(dst, '}'), nil
}

// appendArrayLiteralElem appends one element of an array literal: NULL,
// or the text quoted, with quotes and backslashes escaped.
func appendArrayLiteralElem(dst, text []byte, ok bool) []byte {
	if !ok {
		return append(dst, "NULL"...)
	}
	dst = append(dst, '"')
	for _, c := range text {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// firstByte is the first byte of json text after white space, which
// tells the kind of its value.
func firstByte(text []byte) byte {
	for _, c := range text {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}

// jsonRows appends the rows of one json input.
func (r *recordReader) jsonRows(sb *setBuilder, text []byte, set bool) (int32, error) {
	if !set {
		switch firstByte(text) {
		case '{':
			return 1, r.jsonObject(sb, text)
		case '[':
			return 0, r.errNotObject("an array")
		}
		if err := r.doc.Parse(text); err != nil {
			return 0, err
		}
		return 0, r.errNotObject("a scalar")
	}
	switch firstByte(text) {
	case '{':
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an object", r.name)
	case '[':
	default:
		if err := r.doc.Parse(text); err != nil {
			return 0, err
		}
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", r.name)
	}
	n, err := r.elems.ArrayElements(text, false)
	if err != nil {
		return 0, err
	}
	for k := 0; k < n; k++ {
		if firstByte(r.elems.Elem(k)) != '{' {
			return 0, r.errNotObject("")
		}
	}
	// Each element is parsed in turn into doc; elems keeps the array.
	for k := 0; k < n; k++ {
		if err := r.jsonObject(sb, r.elems.Elem(k)); err != nil {
			return 0, err
		}
	}
	return int32(n), nil
}

func (r *recordReader) jsonObject(sb *setBuilder, text []byte) error {
	n, err := r.doc.Each(text)
	if err != nil {
		return err
	}
	if r.keys == nil {
		r.keys = map[string]int{}
	}
	clear(r.keys)
	for k := 0; k < n; k++ {
		r.keys[string(r.doc.Key(k))] = k // the last of equal keys wins
	}
	for j, f := range r.fields {
		col := sb.cols[j]
		k, ok := r.keys[f.Name]
		if !ok || firstByte(r.doc.Field(k)) == 'n' {
			col.appendNull()
			continue
		}
		raw := r.doc.Field(k)
		switch r.modes[j] {
		case fieldJSON:
			col.appendBytes(raw)
			continue
		case fieldArray:
			switch firstByte(raw) {
			case '"':
			case '[':
				if r.val, err = jsonArrayLiteral(r.val[:0], raw); err != nil {
					return err
				}
				col.appendBytes(r.val)
				continue
			default:
				return errExpectedArray(f.Name)
			}
		}
		r.val, _ = r.doc.FieldText(r.val[:0], k)
		col.appendBytes(r.val)
	}
	return nil
}

// jsonArrayLiteral is jsonbArrayLiteral for json text.
func jsonArrayLiteral(dst, raw []byte) ([]byte, error) {
	var d jsonb.JSONDoc
	n, err := d.ArrayElements(raw, true)
	if err != nil {
		return nil, err
	}
	if n > 0 && firstByte(d.Elem(0)) == '[' {
		return nil, pgerr.Unsupported("multidimensional arrays are not supported")
	}
	dst = append(dst, '{')
	var text []byte
	for k := 0; k < n; k++ {
		if k > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		text, ok = d.ElemText(text[:0], k)
		dst = appendArrayLiteralElem(dst, text, ok)
	}
	return append(dst, '}'), nil
}
