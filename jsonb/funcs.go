package jsonb

import "github.com/pqdb/pqdb/pgerr"

// TypeOf is jsonb_typeof: "object", "array", "string", "number",
// "boolean" or "null".
func TypeOf(v Value) string { return v.Kind().String() }

// ArrayLength is jsonb_array_length.
func ArrayLength(v Value) (int, error) {
	switch v[0] & tagKindMask {
	case tagArray:
		return v.Len(), nil
	case tagObject:
		return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a non-array")
	}
	return 0, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a scalar")
}

// The set-returning functions walk v with Len and Key/Field or Elem,
// which are O(1) and allocate nothing; these check v first, with
// PostgreSQL's errors. Pairs come in stored key order (shorter keys
// first), as PostgreSQL returns them.

// CheckObjectKeys is jsonb_object_keys' check: v must be an object.
func CheckObjectKeys(v Value) error {
	switch v[0] & tagKindMask {
	case tagObject:
		return nil
	case tagArray:
		return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an array", "jsonb_object_keys")
	}
	return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", "jsonb_object_keys")
}

// CheckEach is the check of jsonb_each and jsonb_each_text (funcName):
// v must be an object.
func CheckEach(v Value, funcName string) error {
	if v[0]&tagKindMask == tagObject {
		return nil
	}
	return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-object", funcName)
}

// CheckArrayElements is the check of jsonb_array_elements and
// jsonb_array_elements_text: v must be an array.
func CheckArrayElements(v Value) error {
	switch v[0] & tagKindMask {
	case tagArray:
		return nil
	case tagObject:
		return pgerr.New(pgerr.InvalidParameterValue, "cannot extract elements from an object")
	}
	return pgerr.New(pgerr.InvalidParameterValue, "cannot extract elements from a scalar")
}
