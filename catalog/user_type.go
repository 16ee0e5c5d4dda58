package catalog

import "slices"

// UserType is a type created in a schema: an enum (CREATE TYPE ... AS
// ENUM, enum.go) or a domain (CREATE DOMAIN, domain.go). User types share
// one name space per schema with each other and with the row types of
// tables and views, as the rows of pg_type do.
type UserType struct {
	// ID is the type's OID, unique within the store. The type's array
	// type (mood[], _mood) has OID ID+1.
	ID     int64  `json:"id"`
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Labels are an enum's values in their sort order (empty for an enum
	// without values); Domain is nil for an enum.
	Labels []EnumLabel `json:"labels,omitempty"`
	// Domain is set for a domain.
	Domain *Domain `json:"domain,omitempty"`
	// Comment is the type's COMMENT ON TYPE (or DOMAIN) text; "" for
	// none.
	Comment string `json:"comment,omitempty"`
}

// IsDomain reports whether u is a domain rather than an enum.
func (u *UserType) IsDomain() bool { return u.Domain != nil }

// Type is the type values of u have: the enum type, or a domain's base
// type (a value of a domain is a value of its base type that passed the
// domain's constraints).
func (u *UserType) Type() Type {
	if u.Domain != nil {
		return u.Domain.Base
	}
	return Type{Kind: Enum, Typmod: -1, Enum: EnumRef{OID: uint32(u.ID), Name: u.Name}}
}

// Clone returns a copy of u whose labels and domain may be changed
// without changing u.
func (u *UserType) Clone() *UserType {
	c := *u
	c.Labels = slices.Clone(u.Labels)
	if u.Domain != nil {
		d := *u.Domain
		d.Checks = slices.Clone(u.Domain.Checks)
		c.Domain = &d
	}
	return &c
}

// OIDs lists every OID u holds: its own, its array type's and its
// labels', so that a store that reopens never hands one out again.
func (u *UserType) OIDs() []int64 {
	out := []int64{u.ID, u.ID + 1}
	for _, l := range u.Labels {
		out = append(out, l.OID)
	}
	return out
}
