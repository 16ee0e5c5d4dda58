package catalog

import "github.com/pqdb/pqdb/pgerr"

// Arrays: a Type of Kind Array carries its element's kind in Elem and the
// element's modifier in Typmod and Scale, so int4[] and varchar(10)[] stay
// small comparable values. pqdb keeps one-dimensional arrays with lower
// bound 1 (PostgreSQL's default); a multi-dimensional value or one with
// other bounds is refused with 0A000 wherever it would enter. The vector
// types int2vector and oidvector are such arrays that start at 0
// (type_vector.go).
//
// An array's Datum is an ArrayValue, its Arrow form a List of the
// element's Arrow type, its Parquet form a standard LIST column. An array
// of records (record[], OID 2287) keeps the element's fields in Record,
// as the record type does; like a record it is never stored.

// ArrayValue is the Datum of an array: its elements, each a Datum of the
// element type (nil is a NULL element).
type ArrayValue []Datum

// ArrayOf returns the type of one-dimensional arrays of elem.
func ArrayOf(elem Type) Type {
	return Type{Kind: Array, Elem: elem.Kind, Typmod: elem.Typmod, Scale: elem.Scale, Enum: elem.Enum, Record: elem.Record}
}

// ElemType is the element type of an array type.
func (t Type) ElemType() Type {
	return Type{Kind: t.Elem, Typmod: t.Typmod, Scale: t.Scale, Enum: t.Enum, Record: t.Record}
}

// IsArray reports whether t is an array type.
func (t Type) IsArray() bool { return t.Kind == Array }

// arrayOIDs maps an element type's OID to its array type's (pg_type's
// typarray) and arrayElemOIDs the other way, from the generated rows.
var arrayOIDs, arrayElemOIDs = func() (map[uint32]uint32, map[uint32]uint32) {
	arr, elem := map[uint32]uint32{}, map[uint32]uint32{}
	for _, r := range PgTypes {
		if r.Typarray != 0 {
			arr[r.OID] = r.Typarray
			elem[r.Typarray] = r.OID
		}
	}
	return arr, elem
}()

// arrayByName resolves elem[] (or _elem) written as name, with the
// warning about elem's modifiers (ResolveTypeName).
func arrayByName(elem, name string, typmods []int32) (Type, *pgerr.Error, error) {
	if elem == "" || elem == "unknown" {
		return Type{}, nil, pgerr.New(pgerr.UndefinedObject, "type %q does not exist", name)
	}
	e, warn, err := ResolveTypeName(elem, typmods)
	if err != nil {
		if pgerr.CodeOf(err) == pgerr.UndefinedObject {
			return Type{}, nil, pgerr.New(pgerr.UndefinedObject, "type %q does not exist", name)
		}
		return Type{}, nil, err
	}
	t, err := ArrayOfChecked(e)
	return t, warn, err
}

// ArrayOfChecked is ArrayOf for an element type that must have an array
// type pqdb supports.
func ArrayOfChecked(elem Type) (Type, error) {
	switch elem.Kind {
	case Array:
		return elem, nil
	case Record:
		if elem.Record == nil {
			// the pseudo-type record written by name: no fields to
			// read or print elements with
			return Type{}, pgerr.Unsupported("arrays of type %s are not supported", elem)
		}
	case Unknown, Void:
		return Type{}, pgerr.Unsupported("arrays of type %s are not supported", elem)
	}
	return ArrayOf(elem), nil
}

// errMultiDim refuses a multi-dimensional array value.
func errMultiDim() *pgerr.Error {
	return pgerr.Unsupported("multidimensional arrays are not supported")
}
