package planner

import pg_query "github.com/pganalyze/pg_query_go/v6"

// ExprColumnNames lists the columns the stored expression expr (a
// CHECK's) names, each once, in the order they first appear: the
// columns pg_constraint.conkey lists for a CHECK. Unreadable text names
// none.
func ExprColumnNames(expr string) []string {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	columnRefNames(tree, func(_ *pg_query.ColumnRef, name string, star bool) {
		if !star && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	})
	return out
}
