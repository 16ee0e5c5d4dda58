package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// The functions that print an object's definition: pg_get_constraintdef,
// pg_get_indexdef, pg_get_viewdef and pg_get_expr. They find constraints
// and indexes by the OIDs pgcatalog gives them (oid.go), so that they
// answer for the rows of pg_constraint and pg_index. pqdb keeps CHECK,
// DEFAULT and view expressions as the SQL text they were written in, not
// as parse trees: they print that text, where PostgreSQL prints its
// deparsed tree (with casts and parentheses it adds, 'x'::text for 'x').

func (s *Session) definitionFuncs() map[string]planner.HostFunc {
	oid, text, i4, b := catalog.TypeOid, catalog.TypeText, catalog.TypeInt4, catalog.TypeBool
	return map[string]planner.HostFunc{
		"pg_get_constraintdef": {Args: []catalog.Type{oid, b}, MinArgs: 1, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				pretty := len(args) > 1 && args[1].(bool)
				return s.constraintDef(n, args[0].(uint32), pretty), nil
			})},
		"pg_get_indexdef": {Args: []catalog.Type{oid, i4, b}, MinArgs: 1, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				col := int32(0)
				if len(args) > 1 {
					col = args[1].(int32)
				}
				return s.indexDef(n, args[0].(uint32), int(col)), nil
			})},
		// The view by OID or by name; the second argument (pretty, or
		// a wrap column) changes nothing here.
		"pg_get_viewdef": {Args: []catalog.Type{catalog.TypeUnknown, catalog.TypeUnknown}, MinArgs: 1, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				var rel uint32
				switch v := args[0].(type) {
				case string:
					var err error
					if rel, err = n.regclassIn(v); err != nil {
						return nil, err
					}
				case uint32:
					rel = v
				default:
					return nil, nil
				}
				return s.viewDef(n, rel), nil
			})},
		"pg_get_expr": {Args: []catalog.Type{text, oid, b}, MinArgs: 2, Result: text,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				return args[0], nil
			}},
	}
}

// eachTable calls fn on every table of every schema, until it returns
// true: a derived OID (oid.go) says nothing of its owner's schema.
func (s *Session) eachTable(fn func(schema string, t *catalog.Table) bool) {
	snap := s.catalogView()
	for _, sc := range snap.Schemas() {
		for _, t := range snap.Tables(sc) {
			if fn(sc, t) {
				return
			}
		}
	}
}

// constraintDef is pg_get_constraintdef, or nil for an OID that is no
// constraint. The constraint is pg_constraint's (pgcatalog.Constraints),
// a domain's CHECK included.
func (s *Session) constraintDef(n *catalogNames, oid uint32, pretty bool) catalog.Datum {
	c := pgcatalog.ConstraintByOID(sessionDatabase{s: s, snap: s.catalogView()}, oid)
	if c == nil {
		return nil
	}
	columns := func(t *catalog.Table, attnums []int) string {
		names := make([]string, len(attnums))
		for i, a := range attnums {
			names[i] = t.Columns[a-1].Name
		}
		return quoteIdents(names)
	}
	switch c.Kind {
	case pgcatalog.ConstraintPrimaryKey:
		return "PRIMARY KEY (" + columns(c.Table, c.Columns) + ")"
	case pgcatalog.ConstraintUnique:
		return "UNIQUE (" + columns(c.Table, c.Columns) + ")"
	case pgcatalog.ConstraintCheck:
		expr := c.Check
		if !pretty {
			expr = "(" + expr + ")"
		}
		return "CHECK (" + expr + ")"
	}
	fk := c.ForeignKey
	ref := exec.QuoteIdent(fk.RefTable)
	if c.RefTable != nil {
		ref = n.regclassOut(uint32(c.RefTable.ID))
	}
	def := "FOREIGN KEY (" + quoteIdents(fk.Columns) + ") REFERENCES " + ref + "(" + quoteIdents(fk.RefColumns) + ")"
	return def + referentialAction(" ON UPDATE ", fk.OnUpdate) + referentialAction(" ON DELETE ", fk.OnDelete)
}

func referentialAction(clause string, action byte) string {
	switch action {
	case 'r':
		return clause + "RESTRICT"
	case 'c':
		return clause + "CASCADE"
	case 'n':
		return clause + "SET NULL"
	case 'd':
		return clause + "SET DEFAULT"
	}
	return "" // NO ACTION, the default, is not printed
}

func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, name := range names {
		q[i] = exec.QuoteIdent(name)
	}
	return strings.Join(q, ", ")
}

// indexDef is pg_get_indexdef(index [, column]): the CREATE INDEX
// statement, or with column > 0 that key column's name ("" past the
// last); nil for an OID that is no index.
func (s *Session) indexDef(n *catalogNames, oid uint32, column int) catalog.Datum {
	def := func(schema, name, table string, unique bool, cols []string) catalog.Datum {
		if column > 0 {
			if column <= len(cols) {
				return exec.QuoteIdent(cols[column-1])
			}
			return ""
		}
		create := "CREATE INDEX "
		if unique {
			create = "CREATE UNIQUE INDEX "
		}
		return create + exec.QuoteIdent(name) + " ON " + exec.QuoteIdent(schema) + "." + exec.QuoteIdent(table) +
			" USING btree (" + quoteIdents(cols) + ")"
	}
	snap := s.catalogView()
	for _, sc := range snap.Schemas() {
		for _, ix := range snap.Indexes(sc) {
			if uint32(ix.ID) == oid {
				return def(sc, ix.Name, ix.Table, ix.Unique, ix.Columns)
			}
		}
	}
	var out catalog.Datum
	s.eachTable(func(schema string, t *catalog.Table) bool {
		if len(t.PrimaryKey) > 0 && pgcatalog.PrimaryKeyIndexOID(t) == oid {
			cols := make([]string, len(t.PrimaryKey))
			for i, c := range t.PrimaryKey {
				cols[i] = t.Columns[c].Name
			}
			out = def(schema, pgcatalog.PrimaryKeyName(t), t.Name, true, cols)
			return true
		}
		return false
	})
	return out
}

// viewDef is pg_get_viewdef: the view's query as PostgreSQL prints one
// (a leading space, a closing semicolon), or nil for an OID that is no
// view.
func (s *Session) viewDef(n *catalogNames, oid uint32) catalog.Datum {
	c, ok := n.classes[oid]
	if !ok || c.kind != "v" {
		return nil
	}
	v := s.catalogView().View(n.namespaces[c.ns], c.name)
	if v == nil {
		v = pgcatalog.LookupView(n.namespaces[c.ns], c.name)
	}
	if v == nil {
		return nil
	}
	return " " + strings.TrimSuffix(strings.TrimSpace(v.SQL), ";") + ";"
}
