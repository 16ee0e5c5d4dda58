package jsonb

import (
	"bytes"

	"github.com/pqdb/pqdb/numeric"
)

// Compare returns -1, 0 or 1 as a sorts before, equal to or after b in
// PostgreSQL's jsonb btree order (compareJsonbContainers):
//
//   - values of different kinds sort object > array > boolean > number >
//     string > null;
//   - arrays with fewer elements sort first, then element by element;
//     objects with fewer pairs sort first, then pair by pair in stored key
//     order, key before value;
//   - strings compare bytewise (PostgreSQL's default collation of a C or
//     C.UTF-8 database), numbers by value, false before true;
//   - at the top level a scalar is, as in PostgreSQL's storage, a
//     one-element array that sorts below real arrays of one element: so a
//     top-level scalar sorts after the empty array and before any other
//     array.
//
// Equal values may differ in bytes: numbers equal in value but not in
// display scale (1.0 and 1) compare equal. AppendKey gives bytes that are
// equal exactly when Compare says so.
func Compare(a, b Value) int {
	as, bs := a.IsScalar(), b.IsScalar()
	if as != bs {
		// A raw scalar against a container: its pseudo array has one
		// element and loses to an array of as many; the element counts
		// decide otherwise; an object is above any array.
		if as {
			if b[0]&tagKindMask == tagArray && b.Len() == 0 {
				return 1
			}
			return -1
		}
		if a[0]&tagKindMask == tagArray && a.Len() == 0 {
			return -1
		}
		return 1
	}
	return compareNodes(a, b)
}

// Equal reports whether Compare(a, b) == 0 (jsonb's = operator).
func Equal(a, b Value) bool {
	if bytes.Equal(a, b) {
		return true
	}
	return Compare(a, b) == 0
}

func cmpInt(x, y int) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func compareNodes(a, b Value) int {
	ka, kb := a.Kind(), b.Kind()
	if ka != kb {
		return cmpInt(int(ka), int(kb))
	}
	switch ka {
	case KindNull:
		return 0
	case KindString:
		return bytes.Compare(a[1:], b[1:])
	case KindNumber:
		return numeric.Compare(a[1:], b[1:])
	case KindBool:
		return cmpInt(int(a[0]), int(b[0]))
	}
	ca, cb := openContainer(a), openContainer(b)
	if ca.n != cb.n {
		return cmpInt(ca.n, cb.n)
	}
	if ka == KindArray {
		for i := 0; i < ca.n; i++ {
			if c := compareNodes(Value(ca.child(i)), Value(cb.child(i))); c != 0 {
				return c
			}
		}
		return 0
	}
	for i := 0; i < ca.n; i++ {
		if c := bytes.Compare(ca.child(i), cb.child(i)); c != 0 {
			return c
		}
		if c := compareNodes(Value(ca.child(ca.n+i)), Value(cb.child(cb.n+i))); c != 0 {
			return c
		}
	}
	return 0
}
