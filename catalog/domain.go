package catalog

import (
	"slices"
	"strings"
)

// Domain is what CREATE DOMAIN adds to its base type: a default and
// constraints every stored or cast value must meet. A column of a domain
// holds values of the base type (Column.Type is the base type and
// Column.Domain the domain's OID) and clients see the base type, as
// PostgreSQL's RowDescription reports it.
type Domain struct {
	Base Type `json:"base"`
	// Default is the DEFAULT expression as SQL text, used for a column of
	// the domain that has no default of its own; "" for none.
	Default string `json:"default,omitempty"`
	// NotNull forbids NULL values (23502 "domain d does not allow null
	// values").
	NotNull bool `json:"not_null,omitempty"`
	// Checks are the CHECK constraints over VALUE, in name order (the
	// order PostgreSQL checks them in).
	Checks []Check `json:"checks,omitempty"`
}

// AddCheck adds a constraint, keeping Checks in name order.
func (d *Domain) AddCheck(c Check) {
	d.Checks = append(d.Checks, c)
	slices.SortFunc(d.Checks, func(x, y Check) int { return strings.Compare(x.Name, y.Name) })
}

// CheckIndex is the position of the named constraint in Checks, or -1.
func (d *Domain) CheckIndex(name string) int {
	return slices.IndexFunc(d.Checks, func(c Check) bool { return c.Name == name })
}
