package catalog

import (
	"strings"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// maxVarcharLength is the longest varchar(n) or char(n) PostgreSQL
// accepts.
const maxVarcharLength = 10 * 1024 * 1024

// TypeByOID returns the type with the given pg_type OID, without a type
// modifier, if pqdb supports it.
func TypeByOID(oid uint32) (Type, bool) {
	if t, ok := vectorTypes[oid]; ok {
		return t, true
	}
	if elem, ok := arrayElemOIDs[oid]; ok {
		if e, ok := TypeByOID(elem); ok && !e.Vector {
			// pqdb has no arrays of vectors (int2vector[])
			return ArrayOf(e), true
		}
	}
	for k, info := range kindInfo {
		if info.oid == oid && Kind(k) != Array && Kind(k) != Enum {
			kind := Kind(k)
			if kind == Numeric {
				return TypeNumeric, true
			}
			return Type{Kind: kind, Typmod: -1}, true
		}
	}
	return Type{}, false
}

// typeNames maps the SQL names and aliases of the supported types (lower
// case, single spaces) to their kind.
var typeNames = map[string]Kind{
	"bool": Bool, "boolean": Bool,
	"int2": Int2, "smallint": Int2,
	"int4": Int4, "int": Int4, "integer": Int4,
	"int8": Int8, "bigint": Int8,
	"float4": Float4, "real": Float4,
	"float8": Float8, "double precision": Float8, "float": Float8,
	"numeric": Numeric, "decimal": Numeric,
	"text":    Text,
	"varchar": Varchar, "character varying": Varchar, "char varying": Varchar,
	"bpchar": Bpchar, "char": Bpchar, "character": Bpchar,
	"bytea": Bytea,
	"date":  Date,
	"time":  Time, "time without time zone": Time,
	"timestamp": Timestamp, "timestamp without time zone": Timestamp,
	"timestamptz": TimestampTZ, "timestamp with time zone": TimestampTZ,
	"interval": Interval,
	"uuid":     UUID,
	"json":     JSON, "jsonb": JSONB,
	"oid":     Oid,
	"regproc": RegProc, "regprocedure": RegProcedure, "regclass": RegClass,
	"regtype": RegType, "regnamespace": RegNamespace, "regrole": RegRole,
	"regoper": RegOper, "regoperator": RegOperator,
	"name":      Name,
	"aclitem":   Aclitem,
	"regconfig": RegConfig, "regdictionary": RegDictionary, "regcollation": RegCollation,
	"xid": Xid, "cid": Cid, "xid8": Xid8, "tid": Tid, "pg_lsn": PgLsn,
	"pg_node_tree": PgNodeTree,
	"unknown":      Unknown,
}

// TypeByName is ResolveTypeName for a caller that reports no warning (a
// name it wrote itself, or only asks whether the type exists).
func TypeByName(name string, typmods []int32) (Type, error) {
	t, _, err := ResolveTypeName(name, typmods)
	return t, err
}

// ResolveTypeName resolves a type name as written in SQL (int, integer,
// int4, double precision, character varying, ...; optionally qualified
// with pg_catalog) with its type modifiers, as in CREATE TABLE and CAST.
// warn, when not nil, is the WARNING PostgreSQL sends about a modifier it
// adjusted (TIMESTAMP(7) precision reduced to maximum allowed, 6); the
// caller sends it to the client.
func ResolveTypeName(name string, typmods []int32) (t Type, warn *pgerr.Error, err error) {
	n := strings.Join(strings.Fields(strings.ToLower(name)), " ")
	n = strings.TrimPrefix(n, "pg_catalog.")
	if base, ok := strings.CutSuffix(n, "[]"); ok {
		return arrayByName(strings.TrimSuffix(strings.TrimSpace(base), "[]"), name, typmods)
	}
	if strings.HasPrefix(n, "_") {
		return arrayByName(n[1:], name, typmods)
	}
	if t, ok := vectorTypes[vectorOIDs[n]]; ok {
		if len(typmods) > 0 {
			return Type{}, nil, pgerr.New(pgerr.SyntaxError, "type modifier is not allowed for type %q", n)
		}
		return t, nil, nil
	}
	kind, ok := typeNames[n]
	if !ok {
		return Type{}, nil, pgerr.New(pgerr.UndefinedObject, "type %q does not exist", name)
	}
	if kind == Time || kind == Timestamp || kind == TimestampTZ || kind == Interval {
		return datetimeByModifiers(kind, typmods)
	}
	t, err = typeByModifiers(kind, n, typmods)
	return t, nil, err
}

// typeByModifiers is the type of kind, named n, with the modifiers
// typmods, for the kinds whose modifiers never warn.
func typeByModifiers(kind Kind, n string, typmods []int32) (Type, error) {
	noModifiers := func(t Type) (Type, error) {
		if len(typmods) > 0 {
			return Type{}, pgerr.New(pgerr.SyntaxError, "type modifier is not allowed for type %q", n)
		}
		return t, nil
	}
	switch kind {
	case Numeric:
		return numericByModifiers(typmods)
	case Float8:
		if n != "float" || len(typmods) == 0 {
			return noModifiers(TypeFloat8)
		}
		if len(typmods) > 1 {
			return Type{}, pgerr.New(pgerr.SyntaxError, "type modifier is not allowed for type %q", n)
		}
		switch p := typmods[0]; {
		case p < 1:
			return Type{}, pgerr.New(pgerr.InvalidParameterValue, "precision for type float must be at least 1 bit")
		case p <= 24:
			return TypeFloat4, nil
		case p <= 53:
			return TypeFloat8, nil
		}
		return Type{}, pgerr.New(pgerr.InvalidParameterValue, "precision for type float must be less than 54 bits")
	case Varchar, Bpchar:
		typ := "varchar"
		if kind == Bpchar {
			typ = "char"
		}
		if len(typmods) == 0 {
			if kind == Bpchar && n != "bpchar" {
				return BpcharType(1), nil
			}
			return Type{Kind: kind, Typmod: -1}, nil
		}
		if len(typmods) > 1 {
			return Type{}, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
		}
		l := typmods[0]
		if l < 1 {
			return Type{}, pgerr.New(pgerr.InvalidParameterValue, "length for type %s must be at least 1", typ)
		}
		if l > maxVarcharLength {
			return Type{}, pgerr.New(pgerr.InvalidParameterValue, "length for type %s cannot exceed %d", typ, maxVarcharLength)
		}
		if kind == Bpchar {
			return BpcharType(l), nil
		}
		return VarcharType(l), nil
	}
	return noModifiers(Type{Kind: kind, Typmod: -1})
}

func numericByModifiers(typmods []int32) (Type, error) {
	switch len(typmods) {
	case 0:
		return TypeNumeric, nil
	case 1, 2:
	default:
		return Type{}, pgerr.New(pgerr.InvalidParameterValue, "invalid NUMERIC type modifier")
	}
	p := typmods[0]
	var s int32
	if len(typmods) == 2 {
		s = typmods[1]
	}
	if err := numeric.CheckTypmod(p, s); err != nil {
		return Type{}, err
	}
	return NumericType(p, s), nil
}
