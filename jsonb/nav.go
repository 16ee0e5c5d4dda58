package jsonb

import (
	"math"

	"github.com/pqdb/pqdb/numeric"
)

// The navigation operators return a sub-slice of their operand: nothing
// is copied or decoded. ok false is SQL NULL.

// ObjectField is jsonb -> text: the value of key when v is an object that
// has it.
func ObjectField(v Value, key []byte) (Value, bool) { return v.Lookup(key) }

// ArrayElement is jsonb -> integer: element i of an array, counting from
// the end when i is negative. As in PostgreSQL a scalar behaves as a
// one-element array here ('1'::jsonb -> 0 is 1), though not in Path.
func ArrayElement(v Value, i int) (Value, bool) {
	n := 1
	switch v[0] & tagKindMask {
	case tagObject:
		return nil, false
	case tagArray:
		n = v.Len()
	}
	if i < 0 {
		if -i > n {
			return nil, false
		}
		i += n
	}
	if i >= n {
		return nil, false
	}
	if v.IsScalar() {
		return v, true
	}
	return v.Elem(i), true
}

// Path is jsonb #> text[]: follow path from v, a key for each object and
// an integer (negative from the end) for each array. A path element that
// is not an integer where an array is met, a missing key or index, or a
// scalar with path left, gives NULL; an empty path gives v itself. A NULL
// path element makes PostgreSQL return NULL before looking; the caller
// does that.
func Path(v Value, path [][]byte) (Value, bool) {
	cur := v
	for _, elem := range path {
		switch cur[0] & tagKindMask {
		case tagObject:
			i := cur.lookup(elem)
			if i < 0 {
				return nil, false
			}
			cur = cur.Field(i)
		case tagArray:
			idx, ok := strToInt32(elem)
			if !ok {
				return nil, false
			}
			n := cur.Len()
			if idx < 0 {
				if idx == math.MinInt32 || -idx > n {
					return nil, false
				}
				idx += n
			}
			if idx >= n {
				return nil, false
			}
			cur = cur.Elem(idx)
		default:
			return nil, false
		}
	}
	return cur, true
}

// AppendAsText appends v as the text-returning operators and functions
// give it (->>, #>>, jsonb_each_text, jsonb_array_elements_text): a string
// unquoted and unescaped, a number or boolean as printed, a container as
// its jsonb text. A JSON null is SQL NULL: ok is false and dst unchanged.
func AppendAsText(dst []byte, v Value) (out []byte, ok bool) {
	switch v[0] & tagKindMask {
	case tagNull:
		return dst, false
	case tagString:
		return append(dst, v[1:]...), true
	case tagNumber:
		return numeric.AppendText(dst, v[1:]), true
	case tagFalse:
		return append(dst, "false"...), true
	case tagTrue:
		return append(dst, "true"...), true
	}
	return AppendText(dst, v), true
}

// strToInt32 is PostgreSQL's strtoint in base 10 as the path functions
// use it: leading white space and a sign are allowed, nothing may follow
// the digits, and the value must fit in an int4.
func strToInt32(s []byte) (int, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	v := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if v <= math.MaxInt32+1 {
			v = v*10 + int(s[i]-'0')
		}
		i++
	}
	if i == start || i != len(s) {
		return 0, false
	}
	if neg {
		v = -v
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return v, true
}
