package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// User types (enums and domains, catalog.UserType) in expressions: how
// type names find them, and how values of an enum are checked against its
// labels, which the catalog of the statement holds (a Type names its enum
// but does not carry the labels).

// typeNameParts returns the dotted parts of a type name, without a
// leading pg_catalog.
func typeNameParts(names []*pg_query.Node) []string {
	var parts []string
	for i, n := range names {
		s := n.GetString_().GetSval()
		if i == 0 && s == "pg_catalog" && len(names) > 1 {
			continue
		}
		parts = append(parts, s)
	}
	return parts
}

// userTypeNamed resolves a type name that is no built-in type: a
// qualified name in its schema, an unqualified one in the first schema of
// the search path that has a type of that name. It returns nil when no
// user type has the name.
func (b *binder) userTypeNamed(parts []string) *catalog.UserType {
	if b.cat == nil {
		return nil
	}
	switch len(parts) {
	case 1:
		for _, s := range b.searchPath {
			if u := b.cat.UserType(s, parts[0]); u != nil {
				return u
			}
		}
	case 2:
		return b.cat.UserType(parts[0], parts[1])
	case 3:
		// database.schema.name, the database being the current one.
		return b.cat.UserType(parts[1], parts[2])
	}
	return nil
}

// domainOf returns the domain a type name names (without array bounds),
// or nil when it names another type.
func (b *binder) domainOf(tn *pg_query.TypeName) *catalog.UserType {
	if len(tn.ArrayBounds) > 0 {
		return nil
	}
	parts := typeNameParts(tn.Names)
	if len(parts) == 1 {
		if _, err := catalog.TypeByName(parts[0], nil); err == nil {
			return nil
		}
	}
	if u := b.userTypeNamed(parts); u != nil && u.IsDomain() {
		return u
	}
	return nil
}

// userTypeOf is typeFromName's last resort: the type of the user type a
// name names, which takes no modifiers.
func (b *binder) userTypeOf(tn *pg_query.TypeName) (catalog.Type, bool, error) {
	u := b.userTypeNamed(typeNameParts(tn.Names))
	if u == nil {
		return catalog.Type{}, false, nil
	}
	if len(tn.Typmods) > 0 {
		return catalog.Type{}, true, b.errAt(pgerr.SyntaxError, tn.Location, "type modifier is not allowed for type \"%s\"", u.Name)
	}
	return u.Type(), true, nil
}

// enumTypeIn returns the catalog entry of the enum t names (t is an enum
// type or an array of one).
func enumTypeIn(cat Catalog, t catalog.Type) (*catalog.UserType, error) {
	if cat != nil {
		if u := cat.UserTypeByOID(t.Enum.OID); u != nil && !u.IsDomain() {
			return u, nil
		}
	}
	return nil, pgerr.New(pgerr.UndefinedObject, "cache lookup failed for type %d", t.Enum.OID)
}

// checkEnumDatum is enum_in's check of a value of t (an enum or an array
// of one) read without the labels.
func (b *binder) checkEnumDatum(t catalog.Type, v catalog.Datum) error {
	if v == nil {
		return nil
	}
	u, err := enumTypeIn(b.cat, t)
	if err != nil {
		return err
	}
	return u.CheckValue(v)
}

// coerceToEnum converts e to t, an enum type or an array of one. An
// untyped literal is read and checked now, an untyped parameter takes
// the type (its value is checked when the statement runs); a string
// converts only in an explicit cast, as enum_in reads it (a constant is
// read now, anything else when the cast is lowered with the labels).
func (b *binder) coerceToEnum(e Expr, t catalog.Type, loc int32, explicit bool) (Expr, error) {
	from := e.Type()
	switch x := e.(type) {
	case *Const:
		if x.Value == nil {
			return &Const{T: t}, nil
		}
		if s, ok := x.Value.(string); ok && (from.Kind == catalog.Unknown || explicit && from.IsString()) {
			return b.readLiteral(x, s, t, loc, func(v catalog.Datum) error { return b.checkEnumDatum(t, v) })
		}
	case *Param:
		if from.Kind == catalog.Unknown {
			b.params[x.Index] = t
			return &Param{Index: x.Index, T: t}, nil
		}
	}
	if explicit && (from.IsString() || from.Kind == catalog.Unknown) {
		return &CastExpr{Arg: e, T: t}, nil
	}
	return nil, b.errAt(pgerr.CannotCoerce, loc, "cannot cast type %s to %s", noTypmod(from), t)
}

// sameEnum reports whether a and b are one enum type (or arrays of one).
func sameEnum(a, b catalog.Type) bool {
	return a.Kind == b.Kind && a.Elem == b.Elem && a.Enum == b.Enum
}

// checkComparison fails with 42883 when no operator op compares types l
// and r. Values of one enum compare with every operator: exec compares
// their labels for equality, and the lowerer orders them by their
// positions among the labels (lower_enum.go); arrays of enums compare
// only for equality.
func (b *binder) checkComparison(op string, l, r catalog.Type, loc int32) error {
	x := comparisonOps[op]
	if l.Kind == catalog.Enum && sameEnum(l, r) {
		return nil
	}
	if l.Kind == catalog.Array && l.HasEnum() && sameEnum(l, r) && x != exec.OpEq && x != exec.OpNe {
		return b.errAt(pgerr.FeatureNotSupported, loc, "operator %s on arrays of enum type %s is not supported", op, l.ElemType())
	}
	if _, ok := binaryResult(x, l, r); !ok {
		return b.noOperator(op, l, r, loc)
	}
	return nil
}
