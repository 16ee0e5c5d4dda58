package planner

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// The schemas whose relations the engine makes from the catalog rather
// than storing them.
const (
	PgCatalogSchema         = "pg_catalog"
	InformationSchemaSchema = "information_schema"
)

// SystemCatalog serves the relations of pg_catalog and
// information_schema. Their tables are *catalog.Table with System set,
// bound and optimized like any other table; their rows come from
// SystemRecord when the plan runs, so a statement sees the catalog as its
// snapshot holds it. Their views are ordinary views over those tables.
type SystemCatalog interface {
	// SystemTable returns the table schema.name of a system schema, or
	// nil.
	SystemTable(schema, name string) *catalog.Table
	// SystemView returns the view schema.name of a system schema, or nil.
	SystemView(schema, name string) *catalog.View
	// SystemUserType returns the type schema.name of a system schema
	// (information_schema's domains), or nil.
	SystemUserType(schema, name string) *catalog.UserType
	// SystemRecord makes the rows of system table t, its columns cols.
	SystemRecord(t *catalog.Table, cols []int) (arrow.Record, error)
}

// IsSystemSchema reports whether name is pg_catalog or
// information_schema.
func IsSystemSchema(name string) bool {
	return name == PgCatalogSchema || name == InformationSchemaSchema
}

// systemCatalogView is a Catalog in which the system schemas exist.
type systemCatalogView struct {
	Catalog
	sys SystemCatalog
}

// withSystemCatalog returns cat with sys's schemas in it (cat itself when
// sys is nil).
func withSystemCatalog(cat Catalog, sys SystemCatalog) Catalog {
	if sys == nil || cat == nil {
		return cat
	}
	if _, ok := cat.(systemCatalogView); ok {
		return cat
	}
	return systemCatalogView{Catalog: cat, sys: sys}
}

func (c systemCatalogView) HasSchema(name string) bool {
	return IsSystemSchema(name) || c.Catalog.HasSchema(name)
}

func (c systemCatalogView) Table(schema, name string) *catalog.Table {
	if IsSystemSchema(schema) {
		return c.sys.SystemTable(schema, name)
	}
	return c.Catalog.Table(schema, name)
}

func (c systemCatalogView) UserType(schema, name string) *catalog.UserType {
	if IsSystemSchema(schema) {
		return c.sys.SystemUserType(schema, name)
	}
	return c.Catalog.UserType(schema, name)
}

func (c systemCatalogView) View(schema, name string) *catalog.View {
	if IsSystemSchema(schema) {
		return c.sys.SystemView(schema, name)
	}
	return c.Catalog.View(schema, name)
}

// FunctionImplemented reports whether a call of the function or
// aggregate name can be planned: a scalar function of exec's registry, a
// set-returning function, an aggregate or a window function. pg_proc
// lists PostgreSQL's functions for which this holds.
func FunctionImplemented(name string) bool {
	_, agg := aggregateFuncs[name]
	_, win := windowFuncs[name]
	return agg || win || exec.FuncExists(name) || exec.IsSetFunc(name)
}
