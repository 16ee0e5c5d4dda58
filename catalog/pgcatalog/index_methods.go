package pgcatalog

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// AccessMethodOID is the pg_am OID of the access method named name
// (btree, hash, gist, gin, spgist, brin, heap), or 0 for none.
func AccessMethodOID(name string) uint32 { return accessMethods()[name] }

var accessMethods = sync.OnceValue(func() map[string]uint32 {
	rows, err := sharedBKIRows("pg_am")
	if err != nil {
		panic(err)
	}
	out := map[string]uint32{}
	for _, r := range rows {
		out[r[1].(string)] = r[0].(uint32) // oid, amname, ...
	}
	return out
})

// DefaultOpclass is the OID of the operator class an index of access
// method am (a name, as pg_am.amname) gives a column of type t when it
// names none (pg_opclass.opcdefault), or 0 when there is none, for which
// PostgreSQL refuses the index.
func DefaultOpclass(am string, t catalog.Type) uint32 {
	return defaultOpclass(AccessMethodOID(am), t)
}

// defaultOpclass is DefaultOpclass by access method OID. Types without an
// operator class of their own take that of the type they are
// binary-coercible to, as PostgreSQL's GetDefaultOpClass does: varchar
// text's, enums anyenum's, arrays anyarray's.
func defaultOpclass(am uint32, t catalog.Type) uint32 {
	return forType(defaultOpclasses().byMethod[am], t)
}

// indexKeyType is the type an index column of type t stores in an index
// of access method am under operator class opclass: a hash index stores
// int4 hash codes (its amkeytype), a gin index over jsonb text keys and
// one over an array its elements (pg_opclass.opckeytype); most store t
// itself.
func indexKeyType(am, opclass uint32, t catalog.Type) catalog.Type {
	if am == AccessMethodOID("hash") {
		return catalog.TypeInt4
	}
	switch key := defaultOpclasses().keyType[opclass]; key {
	case 0:
		return t
	case catalog.OIDAnyelement:
		if t.IsArray() {
			return t.ElemType()
		}
		return t
	default:
		if kt, ok := catalog.TypeByOID(key); ok {
			return kt
		}
		return t
	}
}

// Opclass finds the operator class name of access method am (names as
// pg_opclass.opcname and pg_am.amname): its OID and whether it indexes
// values of type t (its input type is t's, or the type t is
// binary-coercible to). The OID is 0 when there is no such class.
func Opclass(am, name string, t catalog.Type) (oid uint32, accepts bool) {
	c, ok := defaultOpclasses().byName[opclassName{AccessMethodOID(am), name}]
	if !ok {
		return 0, false
	}
	return c.oid, forType(map[uint32]uint32{c.intype: c.oid}, t) != 0
}

// opclasses are the bki's operator classes: the default ones by access
// method and input type, every one by method and name, and every one's
// key type.
type opclasses struct {
	byMethod map[uint32]map[uint32]uint32
	byName   map[opclassName]struct{ oid, intype uint32 }
	keyType  map[uint32]uint32
}

type opclassName struct {
	am   uint32
	name string
}

var defaultOpclasses = sync.OnceValue(func() opclasses {
	rows, err := sharedBKIRows("pg_opclass")
	if err != nil {
		panic(err)
	}
	out := opclasses{byMethod: map[uint32]map[uint32]uint32{}, keyType: map[uint32]uint32{},
		byName: map[opclassName]struct{ oid, intype uint32 }{}}
	for _, r := range rows {
		// oid, opcmethod, opcname, opcnamespace, opcowner, opcfamily,
		// opcintype, opcdefault, opckeytype
		oid, am := r[0].(uint32), r[1].(uint32)
		if r[7] == true {
			if out.byMethod[am] == nil {
				out.byMethod[am] = map[uint32]uint32{}
			}
			out.byMethod[am][r[6].(uint32)] = oid
		}
		out.keyType[oid] = r[8].(uint32)
		out.byName[opclassName{am, r[2].(string)}] = struct{ oid, intype uint32 }{oid, r[6].(uint32)}
	}
	return out
})
