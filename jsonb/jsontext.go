package jsonb

import (
	"bytes"
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// The json type keeps its input text; its functions parse the text each
// time and return pieces of it verbatim (whitespace, key order, duplicate
// keys and number spelling as written), as PostgreSQL's do. Most of them
// unescape every string while parsing, as PostgreSQL's do, so a \u0000 or
// a lone surrogate anywhere in the document, which json_in lets through,
// is an error there; json_array_length and json_array_elements do not
// unescape and do not fail. Where PostgreSQL rejects the kind of the
// top-level value as soon as it sees its first token, so do these, before
// parsing the rest.

// JSONDoc is json text parsed into a tree of nodes pointing back into the
// text: what the json functions work on. A JSONDoc is reusable and, once
// warm, allocates nothing; it is not safe for concurrent use. The text
// must not change while the JSONDoc refers to it.
type JSONDoc struct {
	p    parser
	b    Builder
	text []byte
	root int32
}

// parse parses text with unescaping (escapes) or without.
func (d *JSONDoc) parse(text []byte, escapes bool) error {
	d.b.Reset()
	d.b.keepPairs = true
	d.text = text
	if err := d.p.runEscapes(text, modeTree, &d.b, escapes); err != nil {
		d.b.Reset()
		return err
	}
	d.root = d.b.root - 1
	return nil
}

// Parse parses json text for the JSONDoc's accessors.
func (d *JSONDoc) Parse(text []byte) error { return d.parse(text, true) }

func (d *JSONDoc) node(i int32) *bnode { return &d.b.nodes[i] }

// raw returns node i's text.
func (d *JSONDoc) raw(i int32) []byte {
	n := d.node(i)
	return d.text[n.spanStart:n.spanEnd]
}

// pairKey and pairValue return the key and the value node of pair j of
// object node i (the tree keeps pairs interleaved, in input order).
func (d *JSONDoc) pairKey(i int32, j int) []byte {
	k := d.node(d.b.kids[d.node(i).kids+int32(2*j)])
	return d.b.data[k.start:k.end]
}

func (d *JSONDoc) pairValue(i int32, j int) int32 { return d.b.kids[d.node(i).kids+int32(2*j+1)] }

func (d *JSONDoc) elem(i int32, j int) int32 { return d.b.kids[d.node(i).kids+int32(j)] }

// Len returns the number of elements or pairs of the top-level value.
func (d *JSONDoc) Len() int { return int(d.node(d.root).n) }

// Key returns the unescaped key of pair i of the top-level object.
func (d *JSONDoc) Key(i int) []byte { return d.pairKey(d.root, i) }

// Field returns the text of the value of pair i of the top-level object.
func (d *JSONDoc) Field(i int) []byte { return d.raw(d.pairValue(d.root, i)) }

// FieldText appends the value of pair i as json_each_text gives it (see
// AppendJSONAsText); ok false is SQL NULL.
func (d *JSONDoc) FieldText(dst []byte, i int) ([]byte, bool) {
	return d.appendAsText(dst, d.pairValue(d.root, i))
}

// Elem returns the text of element i of the top-level array.
func (d *JSONDoc) Elem(i int) []byte { return d.raw(d.elem(d.root, i)) }

// ElemText appends element i as json_array_elements_text gives it; the
// document must have been parsed with unescaping (ArrayElements with
// asText, or Parse).
func (d *JSONDoc) ElemText(dst []byte, i int) ([]byte, bool) {
	return d.appendAsText(dst, d.elem(d.root, i))
}

func (d *JSONDoc) appendAsText(dst []byte, i int32) ([]byte, bool) {
	n := d.node(i)
	switch n.kind {
	case nNull:
		return dst, false
	case nString:
		return append(dst, d.b.data[n.start:n.end]...), true
	}
	return append(dst, d.raw(i)...), true
}

// firstToken lexes the first token of text, to reject the top-level kind
// early as PostgreSQL does.
func firstToken(text []byte) token {
	var l lexer
	l.init(text, false, nil)
	if l.next() != errNone {
		return tokInvalid
	}
	return l.tok
}

func isScalarToken(t token) bool {
	return t == tokString || t == tokNumber || t == tokTrue || t == tokFalse || t == tokNull
}

// ObjectKeys parses text for json_object_keys, returning the number of
// keys (duplicates included, in input order; see Key).
func (d *JSONDoc) ObjectKeys(text []byte) (int, error) {
	return d.parseChecked(text, tokObjectStart, true, func(scalar bool) error {
		if scalar {
			return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", "json_object_keys")
		}
		return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an array", "json_object_keys")
	})
}

// Each parses text for json_each and json_each_text, returning the number
// of pairs (see Key, Field, FieldText).
func (d *JSONDoc) Each(text []byte) (int, error) {
	return d.parseChecked(text, tokObjectStart, true, func(scalar bool) error {
		if scalar {
			return pgerr.New(pgerr.InvalidParameterValue, "cannot deconstruct a scalar")
		}
		return pgerr.New(pgerr.InvalidParameterValue, "cannot deconstruct an array as an object")
	})
}

// ArrayElements parses text for json_array_elements, or
// json_array_elements_text when asText, returning the number of elements
// (see Elem, ElemText). Only the _text variant unescapes strings, so only
// it fails on a \u0000 (as in PostgreSQL).
func (d *JSONDoc) ArrayElements(text []byte, asText bool) (int, error) {
	return d.parseChecked(text, tokArrayStart, asText, func(scalar bool) error {
		fn := "json_array_elements"
		if asText {
			fn = "json_array_elements_text"
		}
		if scalar {
			return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", fn)
		}
		return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-array", fn)
	})
}

// parseChecked parses text whose top level must start with want: the
// other kind of container fails at once, a scalar once it is lexed, as
// PostgreSQL's callbacks fire. wrongKind makes the error.
func (d *JSONDoc) parseChecked(text []byte, want token, escapes bool, wrongKind func(scalar bool) error) (int, error) {
	first := firstToken(text)
	if (first == tokObjectStart || first == tokArrayStart) && first != want {
		return 0, wrongKind(false)
	}
	if err := d.parse(text, escapes); err != nil {
		return 0, err
	}
	if isScalarToken(first) {
		return 0, wrongKind(true)
	}
	return d.Len(), nil
}

var docPool = sync.Pool{New: func() any { return new(JSONDoc) }}

// getDoc and putDoc lend the package functions a JSONDoc; a returned one
// forgets the caller's text.
func getDoc() *JSONDoc { return docPool.Get().(*JSONDoc) }

func putDoc(d *JSONDoc) {
	d.text = nil
	docPool.Put(d)
}

// JSONArrayLength is json_array_length.
func JSONArrayLength(text []byte) (int, error) {
	first := firstToken(text)
	if first == tokObjectStart {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a non-array")
	}
	d := getDoc()
	defer putDoc(d)
	if err := d.parse(text, false); err != nil {
		return 0, err
	}
	if first != tokArrayStart {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a scalar")
	}
	return d.Len(), nil
}

// JSONTypeOf is json_typeof, which looks at the first token only.
func JSONTypeOf(text []byte) (string, error) {
	var l lexer
	l.init(text, false, nil)
	if e := l.next(); e != errNone {
		p := parser{lex: l}
		return "", p.fail(e)
	}
	switch l.tok {
	case tokObjectStart:
		return "object", nil
	case tokArrayStart:
		return "array", nil
	case tokString:
		return "string", nil
	case tokNumber:
		return "number", nil
	case tokTrue, tokFalse:
		return "boolean", nil
	case tokNull:
		return "null", nil
	}
	return "", pgerr.New(pgerr.InternalError, "unexpected json token: %d", l.tok)
}

// JSONField is json -> text: the text of the value of key in an object.
// With duplicate keys the last one wins.
func JSONField(text, key []byte) ([]byte, bool, error) {
	return JSONPath(text, [][]byte{key})
}

// JSONElement is json -> integer: the text of element i of an array
// (negative counts from the end). Unlike jsonb, a scalar has no elements.
func JSONElement(text []byte, i int) ([]byte, bool, error) {
	d := getDoc()
	defer putDoc(d)
	if err := d.Parse(text); err != nil {
		return nil, false, err
	}
	r, ok := d.element(d.root, i)
	if !ok {
		return nil, false, nil
	}
	return d.raw(r), true, nil
}

func (d *JSONDoc) element(i int32, idx int) (int32, bool) {
	n := d.node(i)
	if n.kind != nArray {
		return 0, false
	}
	cnt := int(n.n)
	if idx < 0 {
		if -idx > cnt {
			return 0, false
		}
		idx += cnt
	}
	if idx >= cnt {
		return 0, false
	}
	return d.elem(i, idx), true
}

// JSONPath is json #> text[]: the text of the value at path (see Path).
// An empty path gives the whole value, without surrounding white space.
// Where duplicate keys offer several ways down, the last complete match in
// document order wins, as in PostgreSQL's streaming search.
func JSONPath(text []byte, path [][]byte) ([]byte, bool, error) {
	d := getDoc()
	defer putDoc(d)
	if err := d.Parse(text); err != nil {
		return nil, false, err
	}
	r, ok := d.find(d.root, path)
	if !ok {
		return nil, false, nil
	}
	if len(path) == 0 && d.node(r).kind < nArray {
		// PostgreSQL's "hokey" whole-document scalar: from the start of
		// the input, leading white space included, to the token's end.
		return text[:d.node(r).spanEnd], true, nil
	}
	return d.raw(r), true, nil
}

func (d *JSONDoc) find(i int32, path [][]byte) (int32, bool) {
	if len(path) == 0 {
		return i, true
	}
	n := d.node(i)
	switch n.kind {
	case nObject:
		var found int32
		ok := false
		for j := 0; j < int(n.n); j++ {
			if bytes.Equal(d.pairKey(i, j), path[0]) {
				if r, rok := d.find(d.pairValue(i, j), path[1:]); rok {
					found, ok = r, true
				}
			}
		}
		return found, ok
	case nArray:
		idx, ok := strToInt32(path[0])
		if !ok || idx == -1<<31 {
			return 0, false
		}
		e, ok := d.element(i, idx)
		if !ok {
			return 0, false
		}
		return d.find(e, path[1:])
	}
	return 0, false
}

// AppendJSONAsText appends a json value's text (one value, as JSONField
// and friends return) as the text-returning operators give it (->>, #>>):
// a string unescaped, null as SQL NULL (ok false), anything else as
// written.
func AppendJSONAsText(dst, value []byte) ([]byte, bool, error) {
	switch firstToken(value) {
	case tokNull:
		return dst, false, nil
	case tokString:
		d := getDoc()
		defer putDoc(d)
		if err := d.Parse(value); err != nil {
			return dst, false, err
		}
		dst, ok := d.appendAsText(dst, d.root)
		return dst, ok, nil
	}
	return append(dst, value...), true, nil
}

// JSONStripNulls is json_strip_nulls: the value re-emitted without object
// fields whose value is null, and without white space; strings and keys
// are unescaped and escaped again, numbers kept as written.
func JSONStripNulls(dst, text []byte) ([]byte, error) {
	d := getDoc()
	defer putDoc(d)
	if err := d.Parse(text); err != nil {
		return dst, err
	}
	return d.appendStripped(dst, d.root), nil
}

func (d *JSONDoc) appendStripped(dst []byte, i int32) []byte {
	n := d.node(i)
	switch n.kind {
	case nString:
		return AppendQuoted(dst, d.b.data[n.start:n.end])
	case nArray:
		dst = append(dst, '[')
		for j := 0; j < int(n.n); j++ {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = d.appendStripped(dst, d.elem(i, j))
		}
		return append(dst, ']')
	case nObject:
		dst = append(dst, '{')
		first := true
		for j := 0; j < int(n.n); j++ {
			v := d.pairValue(i, j)
			if d.node(v).kind == nNull {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = AppendQuoted(dst, d.pairKey(i, j))
			dst = append(dst, ':')
			dst = d.appendStripped(dst, v)
		}
		return append(dst, '}')
	}
	return append(dst, d.raw(i)...)
}
