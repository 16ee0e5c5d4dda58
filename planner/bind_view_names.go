package planner

import pg_query "github.com/pganalyze/pg_query_go/v6"

// A view keeps the tables and views its query read when it was created,
// as PostgreSQL's does (it stores their OIDs): the stored query names
// each of them with its schema, whatever the search_path of the session
// that later reads the view, or of the one that created it. CREATE VIEW
// notes the schema every relation name resolved to while binding the
// query, and writes it into the parse tree before deparsing it for
// storage. (pg_get_viewdef prints the schema only where PostgreSQL
// would: deparse_query.go.)

// noteRelationSchema records that the relation name rv resolved to an
// object of schema, while a CREATE VIEW query is being bound.
func (b *binder) noteRelationSchema(rv *pg_query.RangeVar, schema string) {
	if b.relationSchemas != nil && rv.Schemaname == "" {
		b.relationSchemas[rv] = schema
	}
}

// qualifyRelations writes the recorded schemas into the parse tree.
func (b *binder) qualifyRelations() {
	for rv, schema := range b.relationSchemas {
		rv.Schemaname = schema
	}
	b.relationSchemas = nil
}
