package jsonb

import (
	"bytes"
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// The operators that make a new value (||, -, #-, jsonb_set, jsonb_insert,
// jsonb_strip_nulls) append it to dst and return the extended slice. They
// rebuild only the containers they change; untouched sub-values are copied
// as encoded bytes. Their scratch Builders come from a pool, so they do not
// allocate beyond growing dst.

var builderPool = sync.Pool{New: func() any { return new(Builder) }}

// build runs f on a pooled Builder and appends its value to dst.
func build(dst []byte, f func(b *Builder) error) ([]byte, error) {
	b := builderPool.Get().(*Builder)
	b.Reset()
	b.keepPairs = false
	err := f(b)
	if err == nil {
		dst = b.Finish(dst)
	}
	b.Reset()
	builderPool.Put(b)
	return dst, err
}

// addElements adds the elements of an array, or a scalar as itself (the
// raw scalar pseudo array's one element).
func (b *Builder) addElements(v Value) {
	if v.IsScalar() {
		b.Value(v)
		return
	}
	c := openContainer(v)
	for i := 0; i < c.n; i++ {
		b.Value(Value(c.child(i)))
	}
}

// addPairs adds the pairs of an object.
func (b *Builder) addPairs(v Value) {
	c := openContainer(v)
	for i := 0; i < c.n; i++ {
		b.Key(c.child(i))
		b.Value(Value(c.child(c.n + i)))
	}
}

// Concat is jsonb || jsonb: two objects merge (the right one's value wins
// for a shared key); two arrays concatenate; otherwise each side that is
// not an array (an object or a scalar) becomes an element of the result
// array.
func Concat(dst []byte, a, b Value) ([]byte, error) {
	return build(dst, func(bd *Builder) error {
		ao, bo := a[0]&tagKindMask == tagObject, b[0]&tagKindMask == tagObject
		if ao && bo {
			bd.BeginObject()
			bd.addPairs(a)
			bd.addPairs(b)
			return bd.End()
		}
		bd.BeginArray()
		if ao {
			bd.Value(a)
		} else {
			bd.addElements(a)
		}
		if bo {
			bd.Value(b)
		} else {
			bd.addElements(b)
		}
		return bd.End()
	})
}

func errDeleteFromScalar() error {
	return pgerr.New(pgerr.InvalidParameterValue, "cannot delete from scalar")
}

// DeleteKey is jsonb - text: drop key from an object, or every string
// element equal to key from an array. A scalar is 22023 "cannot delete
// from scalar".
func DeleteKey(dst []byte, v Value, key []byte) ([]byte, error) {
	return DeleteKeys(dst, v, [][]byte{key}, nil)
}

// DeleteKeys is jsonb - text[]: DeleteKey for each key; keys whose nulls
// entry is true (SQL NULLs; nulls may be nil) are ignored.
func DeleteKeys(dst []byte, v Value, keys [][]byte, nulls []bool) ([]byte, error) {
	if v.IsScalar() {
		return dst, errDeleteFromScalar()
	}
	if v.Len() == 0 || len(keys) == 0 {
		return append(dst, v...), nil
	}
	match := func(s []byte) bool {
		for i, k := range keys {
			if (nulls == nil || !nulls[i]) && bytes.Equal(s, k) {
				return true
			}
		}
		return false
	}
	return build(dst, func(b *Builder) error {
		c := openContainer(v)
		if v[0]&tagKindMask == tagObject {
			b.BeginObject()
			for i := 0; i < c.n; i++ {
				if k := c.child(i); !match(k) {
					b.Key(k)
					b.Value(Value(c.child(c.n + i)))
				}
			}
			return b.End()
		}
		b.BeginArray()
		for i := 0; i < c.n; i++ {
			e := c.child(i)
			if e[0] == tagString && match(e[1:]) {
				continue
			}
			b.Value(Value(e))
		}
		return b.End()
	})
}

// DeleteIndex is jsonb - integer: drop element i of an array (negative
// counts from the end; out of range changes nothing). 22023 for a scalar
// or an object.
func DeleteIndex(dst []byte, v Value, i int) ([]byte, error) {
	if v.IsScalar() {
		return dst, errDeleteFromScalar()
	}
	if v[0]&tagKindMask == tagObject {
		return dst, pgerr.New(pgerr.InvalidParameterValue, "cannot delete from object using integer index")
	}
	n := v.Len()
	if i < 0 {
		if -i > n {
			i = n
		} else {
			i += n
		}
	}
	if i >= n {
		return append(dst, v...), nil
	}
	return build(dst, func(b *Builder) error {
		c := openContainer(v)
		b.BeginArray()
		for j := 0; j < c.n; j++ {
			if j != i {
				b.Value(Value(c.child(j)))
			}
		}
		return b.End()
	})
}

// StripNulls is jsonb_strip_nulls: drop every object field whose value is
// null, at any depth; nulls in arrays stay.
func StripNulls(dst []byte, v Value) ([]byte, error) {
	if v.IsScalar() {
		return append(dst, v...), nil
	}
	return build(dst, func(b *Builder) error { return b.stripNulls(v) })
}

func (b *Builder) stripNulls(v Value) error {
	c := openContainer(v)
	if v[0]&tagKindMask == tagArray {
		b.BeginArray()
		for i := 0; i < c.n; i++ {
			if err := b.addStripped(Value(c.child(i))); err != nil {
				return err
			}
		}
		return b.End()
	}
	b.BeginObject()
	for i := 0; i < c.n; i++ {
		val := Value(c.child(c.n + i))
		if val[0] == tagNull {
			continue
		}
		b.Key(c.child(i))
		if err := b.addStripped(val); err != nil {
			return err
		}
	}
	return b.End()
}

func (b *Builder) addStripped(v Value) error {
	if v.IsScalar() {
		b.Value(v)
		return nil
	}
	return b.stripNulls(v)
}
