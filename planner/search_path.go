package planner

import (
	"slices"

	"github.com/pqdb/pqdb/pgerr"
)

// objectSchema is the schema an unqualified name means: the first schema
// on the search path that holds an object of that name, or, when none
// does, the first existing schema on the path (so that "does not exist"
// errors and new objects land where Postgres puts them).
func (b *binder) objectSchema(qualifier, name string) string {
	if qualifier != "" {
		return b.schemaAlias(qualifier)
	}
	path := b.searchPath
	if b.opts.System != nil && !slices.Contains(path, PgCatalogSchema) {
		// pg_catalog is searched first unless the path places it.
		path = append([]string{PgCatalogSchema}, path...)
	}
	if b.tempSchemaExists() {
		// The temporary schema comes first for relations.
		path = append([]string{b.opts.TempSchema}, path...)
	}
	for _, s := range path {
		if b.cat.Table(s, name) != nil || b.cat.View(s, name) != nil || b.cat.Index(s, name) != nil || b.cat.Sequence(s, name) != nil {
			return s
		}
	}
	if len(b.searchPath) > 0 {
		return b.searchPath[0]
	}
	return DefaultSchema
}

// creationSchema is where CREATE puts an object without a schema name:
// the first existing schema on the search path.
func (b *binder) creationSchema(qualifier string) (string, error) {
	if qualifier != "" {
		return b.schemaAlias(qualifier), nil
	}
	if len(b.searchPath) == 0 {
		return "", pgerr.New(pgerr.InvalidSchemaName, "no schema has been selected to create in")
	}
	return b.searchPath[0], nil
}

// existingSchemas keeps the schemas of path that exist, in order.
func existingSchemas(cat Catalog, path []string) []string {
	var out []string
	for _, s := range path {
		if cat != nil && cat.HasSchema(s) {
			out = append(out, s)
		}
	}
	return out
}
