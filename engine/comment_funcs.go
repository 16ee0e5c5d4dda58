package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// commentFuncs read pg_description, which holds the descriptions of
// built-in objects and what COMMENT ON stored: obj_description(object
// [, catalog]) and col_description(relation, column number), by OID as
// in PostgreSQL (a regclass argument, 't'::regclass, is one).
// shobj_description reads comments on databases and roles, which pqdb
// does not keep: it is always NULL.
func (s *Session) commentFuncs() map[string]planner.HostFunc {
	oid, text := catalog.TypeOid, catalog.TypeText
	return map[string]planner.HostFunc{
		"obj_description": {Args: []catalog.Type{oid, catalog.TypeName}, MinArgs: 1, Result: text,
			Fn: s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || len(args) > 1 && args[1] == nil {
					return nil, nil
				}
				// Without a catalog name the OID is looked up in
				// every catalog (deprecated in PostgreSQL).
				cat := ""
				if len(args) > 1 {
					cat = args[1].(string)
				}
				return n.description(args[0].(uint32), cat, 0)
			})},
		"col_description": {Args: []catalog.Type{oid, catalog.TypeInt4}, MinArgs: 2, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				return n.description(args[0].(uint32), "pg_class", args[1].(int32))
			})},
		"shobj_description": {Args: []catalog.Type{oid, catalog.TypeName}, MinArgs: 2, Result: text,
			Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return nil, nil }},
	}
}
