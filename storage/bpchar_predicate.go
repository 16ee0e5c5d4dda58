package storage

import (
	"strings"
	"unicode/utf8"

	"github.com/pqdb/pqdb/catalog"
)

// Equality with a char(n) column.
//
// pqdb stores char(n) values padded with spaces to n characters, and
// char comparisons ignore trailing spaces, so 'ab' = 'ab   '. Two values
// of one char(n) column are equal exactly when their stored, padded bytes
// are, and those bytes are totally ordered: an equality or IN predicate
// whose values are padded the same way can be decided by statistics,
// bloom filters, dictionaries and the page index like one on text. An
// order comparison cannot ('a\x01' < 'a' as char, but not as padded
// bytes), nor can a column without a length (bpchar), whose values keep
// their own padding.

// bpcharEquality reports whether p on a column of type t is an equality
// decided on padded bytes, and returns its values padded (Eq's as the
// one value of an In). A value longer than n characters equals no stored
// value and is left out; with none left there is nothing to prune by.
func bpcharEquality(t catalog.Type, p Predicate) (values []catalog.Datum, ok bool) {
	n := int(t.Length())
	if t.Kind != catalog.Bpchar || n < 0 || p.Op != Eq && p.Op != In {
		return nil, false
	}
	in := p.Values
	if p.Op == Eq {
		in = []catalog.Datum{p.Value}
	}
	for _, v := range in {
		s, isString := v.(string)
		if v == nil {
			continue
		}
		if !isString {
			return nil, false
		}
		s = strings.TrimRight(s, " ")
		k := utf8.RuneCountInString(s)
		if k > n {
			continue
		}
		values = append(values, s+strings.Repeat(" ", n-k))
	}
	return values, true
}
