package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// commentFuncs read what COMMENT ON stored: obj_description(object
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
				o := args[0].(uint32)
				if c, ok := n.classes[o]; ok && (cat == "" || cat == "pg_class") {
					return nonEmpty(s.relationComment(n.namespaces[c.ns], c.name, -1)), nil
				}
				if ns, ok := n.namespaces[o]; ok && (cat == "" || cat == "pg_namespace") {
					return nonEmpty(s.catalogView().SchemaComment(ns)), nil
				}
				return nil, nil
			})},
		"col_description": {Args: []catalog.Type{oid, catalog.TypeInt4}, MinArgs: 2, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				c, ok := n.classes[args[0].(uint32)]
				if !ok {
					return nil, nil
				}
				return nonEmpty(s.relationComment(n.namespaces[c.ns], c.name, int(args[1].(int32)))), nil
			})},
		"shobj_description": {Args: []catalog.Type{oid, catalog.TypeName}, MinArgs: 2, Result: text,
			Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return nil, nil }},
	}
}

func nonEmpty(s string) catalog.Datum {
	if s == "" {
		return nil
	}
	return s
}

// relationComment is the comment of the relation schema.name, or of its
// column number col (from 1) when col > 0.
func (s *Session) relationComment(schema, name string, col int) string {
	snap := s.catalogView()
	if t := snap.Table(schema, name); t != nil {
		if col > 0 {
			if col <= len(t.Columns) {
				return t.Columns[col-1].Comment
			}
			return ""
		}
		return t.Comment
	}
	if v := snap.View(schema, name); v != nil {
		if col > 0 {
			if col <= len(v.Columns) {
				return v.ColumnComments[v.Columns[col-1]]
			}
			return ""
		}
		return v.Comment
	}
	if q := snap.Sequence(schema, name); q != nil && col <= 0 {
		return q.Comment
	}
	if ix := snap.Index(schema, name); ix != nil && col <= 0 {
		return ix.Comment
	}
	return ""
}
