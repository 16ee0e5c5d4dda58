package pgcatalog

import (
	"sort"
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// systemDomain is one of information_schema's domains (cardinal_number,
// character_data, sql_identifier, time_stamp, yes_or_no), as PostgreSQL
// 15 has it (information_schema_pg_gen.go): information_schema's columns
// are of these types, so pg_attribute and information_schema.columns name
// them, while clients receive their base types.
type systemDomain struct {
	OID, Array uint32
	Name       string
	// BaseOID and Typmod are the base type (pg_type.typbasetype,
	// typtypmod).
	BaseOID uint32
	Typmod  int32
	NotNull bool
	Default string
	// Collation is typcollation: "C" for the character domains.
	Collation uint32
	Checks    []systemDomainCheck
}

// systemDomainCheck is a CHECK constraint of a system domain: its
// pg_constraint OID and name, and its expression over VALUE.
type systemDomainCheck struct {
	OID        uint32
	Name, Expr string
}

// base is the domain's base type with its modifier.
func (d *systemDomain) base() catalog.Type {
	t, ok := catalog.TypeByOID(d.BaseOID)
	if !ok {
		panic("pgcatalog: information_schema." + d.Name + " has a base type pqdb lacks")
	}
	t.Typmod = d.Typmod
	return t
}

// column is a column called name of the domain.
func (d *systemDomain) column(name string) catalog.Column {
	return catalog.Column{Name: name, Type: d.base(), Domain: int64(d.OID)}
}

// userType is the domain as the user types of a schema are kept, so that
// pg_type, pg_constraint and information_schema's views of domains list
// it as they list a user's.
func (d *systemDomain) userType() *catalog.UserType {
	dom := &catalog.Domain{Base: d.base(), Default: d.Default, NotNull: d.NotNull}
	for _, c := range d.Checks {
		dom.AddCheck(catalog.Check{Name: c.Name, Expr: c.Expr})
	}
	return &catalog.UserType{ID: int64(d.OID), Schema: InformationSchema, Name: d.Name, Domain: dom}
}

// systemDomains are information_schema's domains, by OID.
func systemDomains() []*systemDomain {
	out := make([]*systemDomain, 0, len(pgInformationSchemaDomains))
	for _, d := range pgInformationSchemaDomains {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// systemDomainByOID is the system domain oid, or nil.
func systemDomainByOID(oid uint32) *systemDomain {
	for _, d := range pgInformationSchemaDomains {
		if d.OID == oid {
			return d
		}
	}
	return nil
}

// systemDomainCheckOID is the pg_constraint OID of u's i-th CHECK when u
// is a system domain (PostgreSQL's), else the derived OID of a user
// domain's.
func systemDomainCheckOID(u *catalog.UserType, i int) (uint32, bool) {
	d := systemDomainByOID(uint32(u.ID))
	if d == nil {
		return 0, false
	}
	for _, c := range d.Checks {
		if c.Name == u.Domain.Checks[i].Name {
			return c.OID, true
		}
	}
	return 0, false
}

// systemDomainUserTypes are the system domains as user types, made once.
var systemDomainUserTypes = sync.OnceValue(func() []*catalog.UserType {
	var out []*catalog.UserType
	for _, d := range systemDomains() {
		out = append(out, d.userType())
	}
	return out
})

// eachDomain calls fn for every domain, with its schema's name:
// information_schema's first, then those of db's schemas.
func eachDomain(db Database, fn func(schema string, u *catalog.UserType)) {
	for _, u := range systemDomainUserTypes() {
		fn(InformationSchema, u)
	}
	for _, s := range db.Schemas() {
		for _, u := range db.UserTypes(s.Name) {
			if u.Domain != nil {
				fn(s.Name, u)
			}
		}
	}
}

// systemDomainConstraints are the CHECK constraints of information_schema's
// domains.
func systemDomainConstraints() []*Constraint {
	var out []*Constraint
	for _, u := range systemDomainUserTypes() {
		for i, ch := range u.Domain.Checks {
			out = append(out, &Constraint{OID: DomainCheckOID(u, i), Name: ch.Name, Namespace: InformationSchemaOID,
				Kind: ConstraintCheck, Domain: u, Check: ch.Expr})
		}
	}
	return out
}

// typeRows are the domain's pg_type rows: the domain and its array type.
func (d *systemDomain) typeRows() [][]catalog.Datum {
	u := d.userType()
	t := userTypeRow(u, InformationSchemaOID)
	t.array, t.collation = d.Array, d.Collation
	props := userTypeProps(u)
	props.collation = d.Collation
	return [][]catalog.Datum{t.datums(), arrayTypeRow(int64(d.Array), InformationSchemaOID, d.Name, d.OID, props).datums()}
}

// LookupUserType returns the type schema.name of a system schema
// (information_schema's domains), or nil.
func LookupUserType(schema, name string) *catalog.UserType {
	for _, u := range systemDomainUserTypes() {
		if u.Schema == schema && u.Name == name {
			return u
		}
	}
	return nil
}
