package planner

import pg_query "github.com/pganalyze/pg_query_go/v6"

// copyFreeze reads COPY's FREEZE option, which copyOptions has checked
// is Boolean. PostgreSQL 15 accepts it on COPY TO and ignores it there;
// on COPY FROM the engine checks that the table was created or truncated
// in the current subtransaction (engine/copy_freeze.go).
func copyFreeze(defs []*pg_query.Node) bool {
	freeze := false
	for _, o := range defs {
		if d := o.GetDefElem(); d.Defname == "freeze" {
			freeze, _ = defElemBool(d)
		}
	}
	return freeze
}
