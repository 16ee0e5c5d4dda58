package jsonb

import (
	"bytes"

	"github.com/pqdb/pqdb/numeric"
)

// Contains is a @> b (and b <@ a), PostgreSQL's JsonbDeepContains:
//   - an object contains an object when each of the latter's keys is
//     present with a contained value (a scalar must be equal; a container
//     must be of the same kind and contained);
//   - an array contains an array when each element of the latter is
//     found in it: a scalar equal to some scalar element, a container
//     contained in some container element; order and duplicates do not
//     matter;
//   - at the top level a scalar counts as a one-element array, so an
//     array contains the scalars among its elements, and a scalar
//     contains an equal scalar, but never an array;
//   - an object never contains an array or scalar, nor the reverse.
func Contains(a, b Value) bool {
	ao, bo := a[0]&tagKindMask == tagObject, b[0]&tagKindMask == tagObject
	if ao != bo {
		return false
	}
	if ao {
		return objectContains(a, b)
	}
	as, bs := a.IsScalar(), b.IsScalar()
	switch {
	case as && !bs:
		return false
	case bs:
		return arrayHasScalar(a, as, b)
	}
	return arrayContains(a, b)
}

// containsNested compares two values met at the same place inside
// containers: scalars must be equal, containers must be of one kind and
// contain.
func containsNested(a, b Value) bool {
	ka, kb := a.Kind(), b.Kind()
	switch {
	case ka == KindObject && kb == KindObject:
		return objectContains(a, b)
	case ka == KindArray && kb == KindArray:
		return arrayContains(a, b)
	case ka >= KindArray || kb >= KindArray:
		return false
	}
	return scalarsEqual(a, b)
}

func objectContains(a, b Value) bool {
	ca, cb := openContainer(a), openContainer(b)
	// Keys are unique, so a smaller object cannot contain a bigger one.
	if ca.n < cb.n {
		return false
	}
	for i := 0; i < cb.n; i++ {
		j := a.lookup(cb.child(i))
		if j < 0 {
			return false
		}
		if !containsNested(Value(ca.child(ca.n+j)), Value(cb.child(cb.n+i))) {
			return false
		}
	}
	return true
}

func arrayContains(a, b Value) bool {
	cb := openContainer(b)
	for i := 0; i < cb.n; i++ {
		e := Value(cb.child(i))
		if e.IsScalar() {
			if !arrayHasScalar(a, false, e) {
				return false
			}
			continue
		}
		if !arrayHasContainer(a, e) {
			return false
		}
	}
	return true
}

// arrayHasScalar reports whether a (an array, or a top-level scalar when
// aScalar) has an element equal to the scalar s.
func arrayHasScalar(a Value, aScalar bool, s Value) bool {
	if aScalar {
		return scalarsEqual(a, s)
	}
	ca := openContainer(a)
	for i := 0; i < ca.n; i++ {
		if scalarsEqual(Value(ca.child(i)), s) {
			return true
		}
	}
	return false
}

// arrayHasContainer reports whether some container element of a
// contains e.
func arrayHasContainer(a, e Value) bool {
	ca := openContainer(a)
	for i := 0; i < ca.n; i++ {
		x := Value(ca.child(i))
		if !x.IsScalar() && containsNested(x, e) {
			return true
		}
	}
	return false
}

// scalarsEqual is equalsJsonbScalarValue; values of different kinds, or
// containers, are not equal.
func scalarsEqual(a, b Value) bool {
	if a[0] != b[0] {
		return false
	}
	switch a[0] {
	case tagString:
		return bytes.Equal(a[1:], b[1:])
	case tagNumber:
		return numeric.Compare(a[1:], b[1:]) == 0
	case tagNull, tagFalse, tagTrue:
		return true
	}
	return false
}

// Exists is jsonb ? text: whether key is a key of the object v, a string
// element of the array v, or the string v itself. Only the top level is
// searched.
func Exists(v Value, key []byte) bool {
	switch v[0] & tagKindMask {
	case tagObject:
		return v.lookup(key) >= 0
	case tagArray:
		c := openContainer(v)
		for i := 0; i < c.n; i++ {
			e := c.child(i)
			if e[0] == tagString && bytes.Equal(e[1:], key) {
				return true
			}
		}
		return false
	case tagString:
		return bytes.Equal(v[1:], key)
	}
	return false
}

// ExistsAny is jsonb ?| text[]: whether any of keys exists. PostgreSQL
// skips NULL elements of the array; the caller leaves them out.
func ExistsAny(v Value, keys [][]byte) bool {
	for _, k := range keys {
		if Exists(v, k) {
			return true
		}
	}
	return false
}

// ExistsAll is jsonb ?& text[]: whether all of keys exist (true for none).
// The caller leaves out NULL elements, as PostgreSQL skips them.
func ExistsAll(v Value, keys [][]byte) bool {
	for _, k := range keys {
		if !Exists(v, k) {
			return false
		}
	}
	return true
}
