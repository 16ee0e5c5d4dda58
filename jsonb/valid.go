package jsonb

import (
	"bytes"

	"github.com/pqdb/pqdb/numeric"
)

// Valid reports whether b is a canonical Value: every node well formed,
// containers with the narrowest offset width, object keys strictly in
// jsonb key order, numbers finite canonical numerics, strings and keys
// free of zero bytes (they are PostgreSQL text). Values this package
// makes are valid; use Valid on bytes of unknown origin before navigating
// them, as the accessors trust their input.
func Valid(b []byte) bool { return validNode(b, 0) }

func validNode(b []byte, depth int) bool {
	if len(b) == 0 || depth > MaxDepth {
		return false
	}
	switch b[0] {
	case tagNull, tagFalse, tagTrue:
		return len(b) == 1
	case tagNumber:
		num := b[1:]
		return numeric.Validate(num) == nil && numeric.IsCanonical(num) && !isSpecialNumeric(num)
	case tagString:
		return bytes.IndexByte(b[1:], 0) < 0
	}
	kind := b[0] & tagKindMask
	code := b[0] >> tagWidthShft
	if (kind != tagArray && kind != tagObject) || code > 2 {
		return false
	}
	w := 1 << code
	if len(b) < 1+w {
		return false
	}
	n := readWidth(b[1:], w)
	entries := n
	if kind == tagObject {
		entries = 2 * n
	}
	dataStart := 1 + w + entries*w
	if entries < 0 || dataStart > len(b) {
		return false
	}
	dsize := len(b) - dataStart
	if widthFor(dsize) != w {
		return false
	}
	c := container{v: b, w: w, n: n, table: 1 + w, data: dataStart}
	prev := 0
	for j := 0; j < entries; j++ {
		e := c.end(j)
		if e < prev || e > dsize {
			return false
		}
		prev = e
	}
	if prev != dsize {
		return false
	}
	first := 0
	if kind == tagObject {
		for j := 0; j < n; j++ {
			if j > 0 && compareKeys(c.child(j-1), c.child(j)) >= 0 || bytes.IndexByte(c.child(j), 0) >= 0 {
				return false
			}
		}
		first = n
	}
	for j := first; j < entries; j++ {
		if !validNode(c.child(j), depth+1) {
			return false
		}
	}
	return true
}
