package jsonb

import "github.com/pqdb/pqdb/numeric"

// Constructors of top-level scalar values, for the caller's to_jsonb-style
// conversions. Each appends the Value to dst and returns the extended
// slice.

// AppendNull appends the JSON null.
func AppendNull(dst []byte) []byte { return append(dst, tagNull) }

// AppendBool appends a JSON boolean.
func AppendBool(dst []byte, t bool) []byte {
	if t {
		return append(dst, tagTrue)
	}
	return append(dst, tagFalse)
}

// AppendString appends a JSON string with the given unescaped UTF-8
// content.
func AppendString(dst []byte, s []byte) []byte {
	dst = append(dst, tagString)
	return append(dst, s...)
}

// AppendNumeric appends a JSON number from a canonical numeric encoding.
// NaN and the infinities, which JSON cannot express, become the strings
// "NaN", "Infinity" and "-Infinity", as to_jsonb makes them.
func AppendNumeric(dst []byte, num []byte) []byte {
	if isSpecialNumeric(num) {
		dst = append(dst, tagString)
		return numeric.AppendText(dst, num)
	}
	dst = append(dst, tagNumber)
	return append(dst, num...)
}
