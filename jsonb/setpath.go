package jsonb

import (
	"bytes"

	"github.com/pqdb/pqdb/pgerr"
)

// jsonb_set, jsonb_insert and #- share PostgreSQL's setPath walk
// (jsonfuncs.c): it copies the value, descending along the path, and at
// the path's last element replaces, inserts or deletes.

type pathOp uint8

const (
	opCreate       pathOp = 1 << iota // jsonb_set with create_missing
	opDelete                          // #-
	opReplace                         // jsonb_set without create_missing
	opInsertBefore                    // jsonb_insert
	opInsertAfter                     // jsonb_insert with insert_after

	opCreateOrInsert = opInsertBefore | opInsertAfter | opCreate
)

// Set is jsonb_set(v, path, newVal, createMissing): replace the value at
// path; when createMissing, a missing last key is added to its object and
// an array index past either end adds newVal at that end. Path elements
// whose nulls entry is true are SQL NULLs (nulls may be nil); reaching one
// is 22004. A scalar v is 22023 "cannot set path in scalar".
func Set(dst []byte, v Value, path [][]byte, nulls []bool, newVal Value, createMissing bool) ([]byte, error) {
	if v.IsScalar() {
		return dst, pgerr.New(pgerr.InvalidParameterValue, "cannot set path in scalar")
	}
	if (v.Len() == 0 && !createMissing) || len(path) == 0 {
		return append(dst, v...), nil
	}
	op := opReplace
	if createMissing {
		op = opCreate
	}
	return runSetPath(dst, v, path, nulls, newVal, op)
}

// Insert is jsonb_insert(v, path, newVal, insertAfter): insert newVal into
// the array at path's index (before it, or after it when insertAfter), or
// add it to the object at path's last key, which must not exist yet
// (22023 "cannot replace existing key").
func Insert(dst []byte, v Value, path [][]byte, nulls []bool, newVal Value, insertAfter bool) ([]byte, error) {
	if v.IsScalar() {
		return dst, pgerr.New(pgerr.InvalidParameterValue, "cannot set path in scalar")
	}
	if len(path) == 0 {
		return append(dst, v...), nil
	}
	op := opInsertBefore
	if insertAfter {
		op = opInsertAfter
	}
	return runSetPath(dst, v, path, nulls, newVal, op)
}

// DeletePath is jsonb #- text[]: remove the field or element at path.
func DeletePath(dst []byte, v Value, path [][]byte, nulls []bool) ([]byte, error) {
	if v.IsScalar() {
		return dst, pgerr.New(pgerr.InvalidParameterValue, "cannot delete path in scalar")
	}
	if v.Len() == 0 || len(path) == 0 {
		return append(dst, v...), nil
	}
	return runSetPath(dst, v, path, nulls, nil, opDelete)
}

func runSetPath(dst []byte, v Value, path [][]byte, nulls []bool, newVal Value, op pathOp) ([]byte, error) {
	w := pathWalk{path: path, nulls: nulls, newVal: newVal, op: op}
	return build(dst, func(b *Builder) error {
		w.b = b
		return w.set(v, 0)
	})
}

type pathWalk struct {
	b      *Builder
	path   [][]byte
	nulls  []bool
	newVal Value
	op     pathOp
}

func (w *pathWalk) isNull(level int) bool { return w.nulls != nil && w.nulls[level] }

// set is setPath: copy v, which sits at path level level.
func (w *pathWalk) set(v Value, level int) error {
	if w.isNull(level) {
		return pgerr.New(pgerr.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	switch v[0] & tagKindMask {
	case tagArray:
		w.b.BeginArray()
		if err := w.setArray(v, level); err != nil {
			return err
		}
		return w.b.End()
	case tagObject:
		w.b.BeginObject()
		if err := w.setObject(v, level); err != nil {
			return err
		}
		return w.b.End()
	}
	w.b.Value(v)
	return nil
}

// setObject is setPathObject.
func (w *pathWalk) setObject(v Value, level int) error {
	c := openContainer(v)
	last := level == len(w.path)-1
	key := w.path[level]
	done := false
	if c.n == 0 && w.op&opCreateOrInsert != 0 && last {
		w.b.Key(key)
		w.b.Value(w.newVal)
	}
	for i := 0; i < c.n; i++ {
		k := c.child(i)
		val := Value(c.child(c.n + i))
		if !done && bytes.Equal(k, key) {
			done = true
			if last {
				if w.op&(opInsertBefore|opInsertAfter) != 0 {
					return &pgerr.Error{Code: pgerr.InvalidParameterValue, Message: "cannot replace existing key",
						Hint: "Try using the function jsonb_set to replace key value."}
				}
				if w.op&opDelete == 0 {
					w.b.Key(k)
					w.b.Value(w.newVal)
				}
				continue
			}
			w.b.Key(k)
			if err := w.set(val, level+1); err != nil {
				return err
			}
			continue
		}
		if w.op&opCreateOrInsert != 0 && !done && last && i == c.n-1 {
			w.b.Key(key)
			w.b.Value(w.newVal)
		}
		w.b.Key(k)
		w.b.Value(val)
	}
	return nil
}

// setArray is setPathArray.
func (w *pathWalk) setArray(v Value, level int) error {
	c := openContainer(v)
	n := c.n
	last := level == len(w.path)-1
	idx, ok := strToInt32(w.path[level])
	if !ok {
		return pgerr.New(pgerr.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", level+1, w.path[level])
	}
	const before = -1 << 40 // PostgreSQL's INT_MIN: in front of the first element
	if idx < 0 {
		if -idx > n {
			idx = before
		} else {
			idx += n
		}
	}
	if idx > n {
		idx = n
	}
	done := false
	if (idx == before || n == 0) && last && w.op&opCreateOrInsert != 0 {
		w.b.Value(w.newVal)
		done = true
	}
	for i := 0; i < n; i++ {
		e := Value(c.child(i))
		if i != idx {
			w.b.Value(e)
			continue
		}
		done = true
		if !last {
			if err := w.set(e, level+1); err != nil {
				return err
			}
			continue
		}
		if w.op&(opInsertBefore|opCreate) != 0 {
			w.b.Value(w.newVal)
		}
		if w.op&(opInsertBefore|opInsertAfter) != 0 {
			w.b.Value(e)
		}
		if w.op&(opInsertAfter|opReplace) != 0 {
			w.b.Value(w.newVal)
		}
	}
	if w.op&opCreateOrInsert != 0 && !done && last {
		w.b.Value(w.newVal)
	}
	return nil
}
