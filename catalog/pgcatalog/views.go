package pgcatalog

import (
	"sort"

	"github.com/pqdb/pqdb/catalog"
)

// The views of pg_catalog and information_schema are SQL over the
// system tables, bound like any view, each defined in the file of its
// family by a package variable: var _ = definesView(oid, schema, name,
// sql). OIDs of views are fixed in their definitions: PostgreSQL 15's
// (system_views_gen.go records them), never reused.
var views = map[string]*catalog.View{}

func definesView(oid uint32, schema, name, sql string) bool {
	key := schema + "." + name
	if views[key] != nil {
		panic("pgcatalog: view " + key + " defined twice")
	}
	views[key] = &catalog.View{ID: int64(oid), Schema: schema, Name: name, SQL: sql}
	return true
}

// LookupView returns the system view schema.name, or nil.
func LookupView(schema, name string) *catalog.View { return views[schema+"."+name] }

// Views lists the system views, by OID.
func Views() []*catalog.View {
	out := make([]*catalog.View, 0, len(views))
	for _, v := range views {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
