package catalog

// The object identifier alias types (regclass, regtype, regproc,
// regprocedure, regnamespace, regrole) are oid with a different input and
// output: 'pg_class'::regclass is the OID 1259, which prints as pg_class.
//
// Design: a reg* value is its uint32 OID everywhere (Datum, Arrow
// column, binary wire form, comparisons, hashing, sorting), so that the
// executor treats it exactly as oid, which is what PostgreSQL does (it
// has no operators of its own: 'pg_class'::regclass = c.oid compares two
// oids). Only reading and printing names need the catalog, and the
// catalog is the session's, which the context-free codecs of this
// package do not know. So:
//   - the codecs here read and print the numeric OID (what PostgreSQL's
//     regclassin accepts as well, and what regclassout prints for an OID
//     that names nothing);
//   - the planner turns a cast from text into a call of the engine's
//     input function for the type (resolved once at bind time for a
//     literal, as PostgreSQL's parser does), and a cast to text into a
//     call of its output function;
//   - the engine prints reg* result columns in text format by name when
//     it encodes result rows.
// Values nested in arrays and records, and COPY TO, print the number.

// IsOIDKind reports whether k is oid or one of its alias types: the
// kinds whose values are an object's OID.
func IsOIDKind(k Kind) bool {
	switch k {
	case Oid, RegProc, RegProcedure, RegClass, RegType, RegNamespace, RegRole, RegOper, RegOperator, RegConfig, RegDictionary, RegCollation:
		return true
	}
	return false
}

// IsRegKind reports whether k is one of the reg* alias types of oid.
func IsRegKind(k Kind) bool { return k != Oid && IsOIDKind(k) }

// The reg* types, without modifiers.
var (
	TypeRegproc       = Type{Kind: RegProc, Typmod: -1}
	TypeRegprocedure  = Type{Kind: RegProcedure, Typmod: -1}
	TypeRegclass      = Type{Kind: RegClass, Typmod: -1}
	TypeRegtype       = Type{Kind: RegType, Typmod: -1}
	TypeRegnamespace  = Type{Kind: RegNamespace, Typmod: -1}
	TypeRegrole       = Type{Kind: RegRole, Typmod: -1}
	TypeRegoper       = Type{Kind: RegOper, Typmod: -1}
	TypeRegoperator   = Type{Kind: RegOperator, Typmod: -1}
	TypeRegconfig     = Type{Kind: RegConfig, Typmod: -1}
	TypeRegdictionary = Type{Kind: RegDictionary, Typmod: -1}
	TypeRegcollation  = Type{Kind: RegCollation, Typmod: -1}
)
