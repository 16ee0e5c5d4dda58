package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// Column is the index of r's column called name, or -1: code that reads
// a catalog's rows (the engine's object-name functions) finds its
// columns by PostgreSQL's names rather than by position.
func (r *Relation) Column(name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// CatalogRows are the rows of pg_catalog.name made from db, with the
// catalog to find their columns in; nil when there is no such catalog.
func CatalogRows(db Database, name string) (*Relation, [][]catalog.Datum, error) {
	r := Lookup(PgCatalog, name)
	if r == nil {
		return nil, nil, nil
	}
	rows, err := r.Rows(db)
	return r, rows, err
}
