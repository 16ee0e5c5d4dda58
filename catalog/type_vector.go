package catalog

import (
	"strings"
	"time"
)

// The vector types int2vector (pg_index.indkey, indoption, ...) and
// oidvector (pg_proc.proargtypes, ...): PostgreSQL's arrays of int2 and of
// oid that print their elements separated by spaces, with no braces, and
// are subscripted from 0. Clients read them as such: SQLAlchemy splits
// indkey::varchar on spaces, pgjdbc splits proargtypes and reads
// indoption[ordinal - 1]. pqdb keeps them as one-dimensional arrays of
// their element (Type.Vector set), so every array function and ANY work
// on them as on int2[] and oid[]; only their OID, name, input, output and
// subscripts differ. Their elements are never NULL.

// TypeInt2Vector and TypeOidVector are the vector types.
var (
	TypeInt2Vector = Type{Kind: Array, Elem: Int2, Typmod: -1, Vector: true}
	TypeOidVector  = Type{Kind: Array, Elem: Oid, Typmod: -1, Vector: true}
)

// vectorTypes are the vector types by OID, vectorOIDs their OIDs by name.
var (
	vectorTypes = map[uint32]Type{OIDInt2vector: TypeInt2Vector, OIDOidvector: TypeOidVector}
	vectorOIDs  = map[string]uint32{"int2vector": OIDInt2vector, "oidvector": OIDOidvector}
)

// LowerBound is the subscript of the first element of an array of type
// t: 0 for a vector, else 1.
func (t Type) LowerBound() int32 {
	if t.Vector {
		return 0
	}
	return 1
}

// vectorOID is the pg_type OID of a vector type.
func (t Type) vectorOID() uint32 {
	if t.Elem == Int2 {
		return OIDInt2vector
	}
	return OIDOidvector
}

// vectorName is the name format_type gives a vector type.
func (t Type) vectorName() string {
	if t.Elem == Int2 {
		return "int2vector"
	}
	return "oidvector"
}

// appendVectorText appends a vector's elements, as int2vectorout and
// oidvectorout print them: separated by single spaces.
func appendVectorText(buf []byte, t Type, v ArrayValue, loc *time.Location) []byte {
	et := t.ElemType()
	for i, e := range v {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = AppendDatumTextIn(buf, et, e, loc)
	}
	return buf
}

// parseVectorText reads a vector's text form: elements separated by
// spaces.
func parseVectorText(t Type, s string, loc *time.Location) (ArrayValue, error) {
	et := t.ElemType()
	fields := strings.Fields(s)
	out := make(ArrayValue, len(fields))
	for i, f := range fields {
		var err error
		if out[i], err = ParseTextIn(et, f, loc); err != nil {
			return nil, err
		}
	}
	return out, nil
}
