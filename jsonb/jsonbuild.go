package jsonb

import (
	"strconv"

	"github.com/pqdb/pqdb/pgerr"
)

// Text builders for the json (not jsonb) constructors. Their spacing is
// PostgreSQL's, which differs between functions:
//
//	json_build_object('a', 1, 'b', 2)   {"a" : 1, "b" : 2}
//	json_build_array(1, 'x')            [1, "x"]
//	json_object_agg(k, v)               { "a" : 1, "b" : 2 }
//	json_agg(v)                         [1, 2]
//
// Values are passed as JSON text already converted by the caller
// (to_json's job: numbers as printed, strings quoted with AppendQuoted,
// NULL as null, json verbatim); keys as their text, which these quote.

// JSONObjectBuilder writes json_build_object's text. The zero value is
// ready; Reset starts over.
type JSONObjectBuilder struct {
	buf []byte
	n   int
}

// Reset discards the pairs added so far.
func (o *JSONObjectBuilder) Reset() { o.buf, o.n = o.buf[:0], 0 }

// Add adds a pair: key is the key's text, value the value's JSON text.
func (o *JSONObjectBuilder) Add(key, value []byte) {
	if o.n > 0 {
		o.buf = append(o.buf, ", "...)
	}
	o.n++
	o.buf = AppendQuoted(o.buf, key)
	o.buf = append(o.buf, " : "...)
	o.buf = append(o.buf, value...)
}

// Finish appends the object's text to dst and resets the builder.
func (o *JSONObjectBuilder) Finish(dst []byte) []byte {
	dst = append(dst, '{')
	dst = append(dst, o.buf...)
	o.Reset()
	return append(dst, '}')
}

// AppendJSONBuildArray appends json_build_array's text for values (each
// the JSON text of one argument).
func AppendJSONBuildArray(dst []byte, values ...[]byte) []byte {
	dst = append(dst, '[')
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, v...)
	}
	return append(dst, ']')
}

// JSONAgg is json_agg's state. The zero value is an empty aggregate.
type JSONAgg struct {
	buf []byte
	n   int
}

// Add adds a row's value (JSON text; "null" for SQL NULL). structured
// says the argument's SQL type is an array or a composite: PostgreSQL
// then starts every value after the first on a new line.
func (a *JSONAgg) Add(value []byte, structured bool) {
	if a.n > 0 {
		a.buf = append(a.buf, ", "...)
		if structured {
			a.buf = append(a.buf, "\n "...)
		}
	}
	a.n++
	a.buf = append(a.buf, value...)
}

// AddNull adds a SQL NULL row.
func (a *JSONAgg) AddNull() {
	if a.n > 0 {
		a.buf = append(a.buf, ", "...)
	}
	a.n++
	a.buf = append(a.buf, "null"...)
}

// Rows returns the number of rows added; with none the aggregate is SQL
// NULL.
func (a *JSONAgg) Rows() int { return a.n }

// Reset empties the aggregate for reuse.
func (a *JSONAgg) Reset() { a.buf, a.n = a.buf[:0], 0 }

// Finish appends the aggregate's text to dst.
func (a *JSONAgg) Finish(dst []byte) []byte {
	dst = append(dst, '[')
	dst = append(dst, a.buf...)
	return append(dst, ']')
}

// JSONObjectAgg is json_object_agg's state. The zero value is an empty
// aggregate.
type JSONObjectAgg struct {
	buf []byte
	n   int
}

// Add adds a row's pair: key's text and the value's JSON text.
func (a *JSONObjectAgg) Add(key, value []byte) {
	if a.n > 0 {
		a.buf = append(a.buf, ", "...)
	}
	a.n++
	a.buf = AppendQuoted(a.buf, key)
	a.buf = append(a.buf, " : "...)
	a.buf = append(a.buf, value...)
}

// Rows returns the number of rows added; with none the aggregate is SQL
// NULL.
func (a *JSONObjectAgg) Rows() int { return a.n }

// Reset empties the aggregate for reuse.
func (a *JSONObjectAgg) Reset() { a.buf, a.n = a.buf[:0], 0 }

// Finish appends the aggregate's text to dst.
func (a *JSONObjectAgg) Finish(dst []byte) []byte {
	dst = append(dst, "{ "...)
	dst = append(dst, a.buf...)
	return append(dst, " }"...)
}

// Errors of the constructors that depend on SQL arguments, for the caller
// to raise before building: fn is the function's name, e.g.
// "jsonb_build_object", argPos the 1-based argument position.

// ErrBuildObjectOddArgs is json(b)_build_object with an odd number of
// arguments.
func ErrBuildObjectOddArgs(fn string) error {
	return &pgerr.Error{Code: pgerr.InvalidParameterValue, Message: "argument list must have even number of elements",
		Hint: "The arguments of " + fn + "() must consist of alternating keys and values."}
}

// ErrBuildObjectNullKey is jsonb_build_object with a NULL key (jsonb is
// true) or json_build_object with one.
func ErrBuildObjectNullKey(argPos int, jsonb bool) error {
	if jsonb {
		return pgerr.New(pgerr.InvalidParameterValue, "argument %d: key must not be null", argPos)
	}
	return &pgerr.Error{Code: pgerr.InvalidParameterValue, Message: "argument " + strconv.Itoa(argPos) + " cannot be null",
		Hint: "Object keys should be text."}
}

// ErrObjectAggNullKey is json(b)_object_agg with a NULL key.
func ErrObjectAggNullKey() error {
	return pgerr.New(pgerr.InvalidParameterValue, "field name must not be null")
}
