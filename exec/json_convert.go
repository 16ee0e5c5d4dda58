package exec

import (
	"bytes"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// SQL values become JSON as PostgreSQL's to_json and to_jsonb make them
// (datum_to_json and datum_to_jsonb, by json_categorize_type's
// categories), for to_json(b), the json(b)_build_* functions and the
// json(b)_agg aggregates:
//
//   - boolean is true or false;
//   - the number types (int2, int4, int8, float4, float8, numeric) are
//     numbers as their output function prints them; a value that is no
//     JSON number (NaN, Infinity) is a string;
//   - date, timestamp and timestamptz are strings in XSD form,
//     "2020-01-01T10:00:00+00:00" (timestamptz in the session's zone, as
//     casts print it);
//   - json is itself, jsonb its text (to_jsonb parses both);
//   - an array is a JSON array of its elements converted alike;
//   - a record is a JSON object of its fields converted alike, keyed by
//     the fields' names (composite_to_json; record_json.go);
//   - anything else (text, char(n) with its padding, uuid, bytea,
//     interval, time, oid, ...) is a string of its output text.
//
// A column is converted by a jsonConverter bound to it, which reuses its
// buffers from row to row.

// jsonCategory is json_categorize_type's category of a SQL type.
type jsonCategory uint8

const (
	jsonCatOther jsonCategory = iota
	jsonCatBool
	jsonCatNumber
	jsonCatDate
	jsonCatTimestamp
	jsonCatTimestampTZ
	jsonCatJSON
	jsonCatJSONB
	jsonCatArray
	jsonCatComposite
)

func jsonCategoryOf(t catalog.Type) jsonCategory {
	switch t.Kind {
	case catalog.Bool:
		return jsonCatBool
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Float4, catalog.Float8, catalog.Numeric:
		return jsonCatNumber
	case catalog.Date:
		return jsonCatDate
	case catalog.Timestamp:
		return jsonCatTimestamp
	case catalog.TimestampTZ:
		return jsonCatTimestampTZ
	case catalog.JSON:
		return jsonCatJSON
	case catalog.JSONB:
		return jsonCatJSONB
	case catalog.Array:
		return jsonCatArray
	case catalog.Record:
		return jsonCatComposite
	}
	return jsonCatOther
}

// jsonConverter converts the rows of one column of type t.
type jsonConverter struct {
	t     catalog.Type
	cat   jsonCategory
	valid validity
	bools boolView
	str   varlenView            // json, jsonb and the string types
	enc   catalog.ColumnEncoder // the output function of the others
	list  listView              // arrays
	elem  *jsonConverter        // arrays: the elements' converter
	rec   *recordJSON           // records: the fields' converters
	out   []byte                // scratch: the output text of a value
	iso   []byte                // scratch: a timestamp's ISO text
	num   []byte                // scratch: a numeric encoding
	read  jsonbReader           // jsonb values
	parse jsonb.Parser          // json values read as jsonb
	val   []byte                // scratch: a json value read as jsonb
}

// newJSONConverter returns the converter of values of type t, which
// prints timestamptz values in zone loc, or 0A000 for a type pqdb cannot
// print.
func newJSONConverter(t catalog.Type, loc *time.Location) (*jsonConverter, error) {
	c := &jsonConverter{t: t, cat: jsonCategoryOf(t)}
	switch {
	case c.cat == jsonCatArray:
		elem, err := newJSONConverter(t.ElemType(), loc)
		if err != nil {
			return nil, err
		}
		c.elem = elem
	case c.cat == jsonCatComposite:
		rec, err := newRecordJSON(t, loc)
		if err != nil {
			return nil, err
		}
		c.rec = rec
	case c.cat == jsonCatBool, c.cat == jsonCatJSON, c.cat == jsonCatJSONB:
	case physicalOf(t) == physVarlen && t.Kind != catalog.Bpchar && t.Kind != catalog.Bytea && !t.IsVarNumeric():
		// text, varchar, name, unknown: the value is its output text
	default:
		enc, err := catalog.NewColumnEncoder(t, catalog.FormatText, loc)
		if err != nil {
			return nil, pgerr.Unsupported("type %s cannot be converted to JSON", t)
		}
		c.enc = enc
	}
	return c, nil
}

// bind points c at column a.
func (c *jsonConverter) bind(a arrow.Array) {
	c.valid = validityOf(a)
	switch {
	case c.cat == jsonCatArray:
		c.list = listViewOf(a)
		c.elem.bind(c.list.values)
	case c.cat == jsonCatComposite:
		c.rec.bind(a)
	case c.cat == jsonCatBool:
		c.bools = boolViewOf(a)
	case c.enc != nil:
		c.enc.Bind(a)
		if c.t.IsVarNumeric() {
			c.str = varlenViewOf(a) // the numeric encodings, for jsonb
		}
	default:
		c.str = varlenViewOf(a)
	}
}

func (c *jsonConverter) isNull(i int) bool { return !c.valid.valid(i) }

// isScalar reports whether values of c's type may be object keys: arrays,
// records, json and jsonb may not.
func (c *jsonConverter) isScalar() bool {
	return c.cat != jsonCatArray && c.cat != jsonCatComposite && c.cat != jsonCatJSON && c.cat != jsonCatJSONB
}

// text returns the output text of non-NULL row i of a scalar type, as a
// JSON string or key holds it (dates and timestamps in XSD form); valid
// until the next call.
func (c *jsonConverter) text(i int) []byte {
	switch {
	case c.cat == jsonCatBool:
		c.out = appendBoolCastText(c.out[:0], c.bools.value(i))
	case c.enc == nil:
		return c.str.bytes(i)
	case c.cat == jsonCatTimestamp || c.cat == jsonCatTimestampTZ:
		c.iso = c.enc.Append(c.iso[:0], i)
		c.out = appendXSDTimestamp(c.out[:0], c.iso, c.cat == jsonCatTimestampTZ)
	default:
		c.out = c.enc.Append(c.out[:0], i)
	}
	return c.out
}

// appendJSON appends row i as json text (to_json; "null" for NULL).
func (c *jsonConverter) appendJSON(dst []byte, i int) []byte {
	if c.isNull(i) {
		return append(dst, "null"...)
	}
	switch c.cat {
	case jsonCatBool:
		return appendBoolCastText(dst, c.bools.value(i))
	case jsonCatJSON, jsonCatJSONB:
		return append(dst, c.str.bytes(i)...)
	case jsonCatArray:
		// array_to_json: no space after the commas.
		dst = append(dst, '[')
		lo, hi := c.list.bounds(i)
		for j := lo; j < hi; j++ {
			if j > lo {
				dst = append(dst, ',')
			}
			dst = c.elem.appendJSON(dst, j)
		}
		return append(dst, ']')
	case jsonCatComposite:
		return c.rec.appendJSON(dst, i, false)
	case jsonCatNumber:
		if s := c.text(i); isJSONNumber(s) {
			return append(dst, s...)
		}
	}
	return jsonb.AppendQuoted(dst, c.text(i))
}

// addJSONB adds row i to b as to_jsonb converts it (a JSON null for
// NULL). Reading a json value as jsonb may fail (\u0000, a too large
// number), as may an array too large for a jsonb container.
func (c *jsonConverter) addJSONB(b *jsonb.Builder, i int) error {
	if c.isNull(i) {
		b.Null()
		return nil
	}
	switch c.cat {
	case jsonCatBool:
		b.Bool(c.bools.value(i))
	case jsonCatJSONB:
		b.Value(c.read.value(c.str.bytes(i)))
	case jsonCatJSON:
		var err error
		if c.val, err = c.parse.Append(c.val[:0], c.str.bytes(i)); err != nil {
			return err
		}
		b.Value(c.val)
	case jsonCatArray:
		b.BeginArray()
		lo, hi := c.list.bounds(i)
		for j := lo; j < hi; j++ {
			if err := c.elem.addJSONB(b, j); err != nil {
				return err
			}
		}
		return b.End()
	case jsonCatComposite:
		return c.rec.addJSONB(b, i)
	case jsonCatNumber:
		if c.t.IsVarNumeric() {
			b.Numeric(c.str.bytes(i)) // NaN and infinities become strings
			return nil
		}
		s := c.text(i)
		if bytes.IndexByte(s, 'N') < 0 && bytes.IndexByte(s, 'n') < 0 {
			var err error
			if c.num, err = numeric.ParseBytes(c.num[:0], s); err == nil {
				b.Numeric(c.num)
				return nil
			}
		}
		b.String(s)
	default:
		b.String(c.text(i))
	}
	return nil
}

// isJSONNumber is IsValidJsonNumber: whether s is a JSON number as it
// stands (float8's 1e+300 is, NaN and Infinity are not).
func isJSONNumber(s []byte) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start || s[start] == '0' && i-start > 1 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == f {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return false
		}
	}
	return i == len(s)
}

// appendXSDTimestamp rewrites a timestamp's ISO output ("2020-01-01
// 10:00:00+00", "... BC") in the XSD form JSON gets: a T between date and
// time, and a zone offset with its minutes ("+00:00"). Infinities stay.
func appendXSDTimestamp(dst, iso []byte, zone bool) []byte {
	sp := bytes.IndexByte(iso, ' ')
	if sp < 0 {
		return append(dst, iso...) // infinity, -infinity
	}
	dst = append(dst, iso[:sp]...)
	dst = append(dst, 'T')
	rest := iso[sp+1:]
	era := []byte(nil)
	if e := bytes.IndexByte(rest, ' '); e >= 0 {
		rest, era = rest[:e], rest[e:]
	}
	if zone {
		if z := bytes.LastIndexAny(rest, "+-"); z >= 0 {
			dst = append(dst, rest...)
			if bytes.IndexByte(rest[z:], ':') < 0 {
				dst = append(dst, ":00"...)
			}
			return append(dst, era...)
		}
	}
	dst = append(dst, rest...)
	return append(dst, era...)
}
