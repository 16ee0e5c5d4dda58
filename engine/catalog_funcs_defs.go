package engine

import (
	"slices"
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
// as parse trees: they bind that text in the session's catalog and print
// it as PostgreSQL's ruleutils.c prints its trees (planner/deparse*.go),
// with the casts and parentheses it adds ('x'::text for 'x'). A text that
// no longer binds prints as it is stored.

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
				pretty := len(args) > 2 && args[2].(bool)
				return s.indexDef(n, args[0].(uint32), int(col), pretty), nil
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
				pretty := false
				if len(args) > 1 {
					switch v := args[1].(type) {
					case bool:
						pretty = v
					case int32, int64, string:
						pretty = true // a wrap column: pretty-printed
					}
				}
				return s.viewDef(n, rel, pretty), nil
			})},
		"pg_get_expr": {Args: []catalog.Type{text, oid, b}, MinArgs: 2, Result: text,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || args[1] == nil {
					return nil, nil
				}
				pretty := len(args) > 2 && args[2] != nil && args[2].(bool)
				return s.exprDef(args[0].(string), args[1].(uint32), pretty), nil
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
		return "CHECK (" + s.constraintCheckDef(s.catalogView(), c, pretty) + ")"
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

// indexDef is pg_get_indexdef(index [, column [, pretty]]): the CREATE
// INDEX statement, or with column > 0 that column (key or INCLUDE; ""
// past the last); nil for an OID that is no index.
func (s *Session) indexDef(n *catalogNames, oid uint32, column int, pretty bool) catalog.Datum {
	snap := s.catalogView()
	def := func(schema string, ix *catalog.Index) catalog.Datum {
		t := snap.Table(schema, ix.Table)
		if column > 0 {
			if column <= len(ix.Columns) && t != nil {
				return s.indexColumnDef(snap, t, ix, column-1, pretty)
			}
			if all := append(slices.Clone(ix.Columns), ix.Include...); column <= len(all) {
				return exec.QuoteIdent(all[column-1])
			}
			return ""
		}
		create := "CREATE INDEX "
		if ix.Unique {
			create = "CREATE UNIQUE INDEX "
		}
		keys := make([]string, len(ix.Columns))
		for i, c := range ix.Columns {
			keys[i] = exec.QuoteIdent(c)
			if t != nil {
				keys[i] = s.indexColumnDef(snap, t, ix, i, pretty)
			}
			if opclass := ix.Opclass(i); opclass != "" {
				keys[i] += " " + exec.QuoteIdent(opclass)
			}
			keys[i] += catalog.IndexOptionSQL(ix.Option(i))
		}
		table := exec.QuoteIdent(schema) + "." + exec.QuoteIdent(ix.Table)
		if pretty && t != nil {
			// Pretty-printed, the table is qualified only where the
			// search path does not find it (generate_relation_name).
			table = n.regclassOut(uint32(t.ID))
		}
		def := create + exec.QuoteIdent(ix.Name) + " ON " + table +
			" USING " + ix.AccessMethod() + " (" + strings.Join(keys, ", ") + ")"
		if len(ix.Include) > 0 {
			def += " INCLUDE (" + quoteIdents(ix.Include) + ")"
		}
		if ix.Predicate != "" && t != nil {
			def += " WHERE " + s.indexPredicateDef(snap, t, ix, pretty)
		}
		return def
	}
	for _, sc := range snap.Schemas() {
		for _, ix := range snap.Indexes(sc) {
			if uint32(ix.ID) == oid {
				return def(sc, ix)
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
			out = def(schema, &catalog.Index{Name: t.PrimaryKeyConstraint(), Table: t.Name, Columns: cols, Unique: true})
			return true
		}
		return false
	})
	return out
}

// viewDef is pg_get_viewdef: the view's query as PostgreSQL prints one
// (a leading space, a closing semicolon), or nil for an OID that is no
// view.
func (s *Session) viewDef(n *catalogNames, oid uint32, pretty bool) catalog.Datum {
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
	return s.viewText(s.catalogView(), v, pretty)
}

// viewText is view v's query as pg_get_viewdef prints it, or, where it
// no longer binds, its stored text in the same frame.
func (s *Session) viewText(cat planner.Catalog, v *catalog.View, pretty bool) string {
	if text, err := planner.DeparseView(cat, v, pretty, s.bindOptions()); err == nil {
		return text
	}
	return " " + strings.TrimSuffix(strings.TrimSpace(v.SQL), ";") + ";"
}

// indexColumnDef is the i-th key column of ix, an index of t, as
// pg_get_indexdef prints it; its stored text where that no longer binds.
func (s *Session) indexColumnDef(cat planner.Catalog, t *catalog.Table, ix *catalog.Index, i int, pretty bool) string {
	text, err := planner.DeparseIndexColumn(cat, t, ix, i, pretty, s.bindOptions())
	if err != nil {
		if e, ok := ix.KeyExpr(i); ok {
			return "(" + e.SQL + ")"
		}
		return exec.QuoteIdent(ix.Columns[i])
	}
	return text
}

// indexPredicateDef is the predicate of ix, an index of t, as pg_get_expr
// prints pg_index.indpred and pg_get_indexdef after WHERE.
func (s *Session) indexPredicateDef(cat planner.Catalog, t *catalog.Table, ix *catalog.Index, pretty bool) string {
	text, err := planner.DeparseIndexPredicate(cat, t, ix, pretty, s.bindOptions())
	if err != nil {
		return storedCheck(ix.Predicate, pretty)
	}
	return text
}

// indexExprsDef is the expressions of ix, an index of t, as pg_get_expr
// prints pg_index.indexprs.
func (s *Session) indexExprsDef(cat planner.Catalog, t *catalog.Table, ix *catalog.Index, pretty bool) string {
	text, err := planner.DeparseIndexExprs(cat, t, ix, pretty, s.bindOptions())
	if err != nil {
		return ix.ExprsText()
	}
	return text
}

// exprDef is pg_get_expr(expr, relid): expr, a DEFAULT (pg_attrdef.adbin)
// or CHECK (pg_constraint.conbin) of the table relid, printed as
// PostgreSQL prints the expression's tree. The text says which: the
// DEFAULT of the first column that has it, else a CHECK.
func (s *Session) exprDef(expr string, relid uint32, pretty bool) string {
	t := s.catalogView().TableByID(int64(relid))
	if t == nil {
		return expr
	}
	// pg_index.indexprs and indpred, of t's indexes.
	for _, ix := range s.catalogView().Indexes(t.Schema) {
		switch {
		case ix.Table != t.Name:
		case ix.Predicate == expr:
			return s.indexPredicateDef(s.catalogView(), t, ix, pretty)
		case len(ix.Exprs) > 0 && ix.ExprsText() == expr:
			return s.indexExprsDef(s.catalogView(), t, ix, pretty)
		}
	}
	for i, c := range t.Columns {
		if c.Default == expr {
			return s.defaultDef(s.catalogView(), t, i, pretty)
		}
	}
	return s.checkDef(s.catalogView(), t, expr, pretty)
}

// defaultDef is column col of t's DEFAULT as pg_get_expr prints it, or
// its stored text where that no longer binds.
func (s *Session) defaultDef(cat planner.Catalog, t *catalog.Table, col int, pretty bool) string {
	text, err := planner.DeparseDefault(cat, t, col, pretty, s.bindOptions())
	if err != nil {
		return t.Columns[col].Default
	}
	return text
}

// checkDef is the CHECK expression expr of t as pg_get_constraintdef
// prints it between CHECK's parentheses.
func (s *Session) checkDef(cat planner.Catalog, t *catalog.Table, expr string, pretty bool) string {
	text, err := planner.DeparseCheck(cat, t, expr, pretty, s.bindOptions())
	if err != nil {
		return storedCheck(expr, pretty)
	}
	return text
}

// storedCheck is the stored text of a CHECK that no longer binds, with
// the parentheses a deparsed one has unless pretty.
func storedCheck(expr string, pretty bool) string {
	if pretty {
		return expr
	}
	return "(" + expr + ")"
}

// constraintCheckDef is the expression of CHECK constraint c, a table's
// or a domain's, as pg_get_constraintdef prints it between CHECK's
// parentheses.
func (s *Session) constraintCheckDef(cat planner.Catalog, c *pgcatalog.Constraint, pretty bool) string {
	if c.Table != nil {
		return s.checkDef(cat, c.Table, c.Check, pretty)
	}
	text, err := planner.DeparseDomainCheck(cat, c.Domain, c.Check, pretty, s.bindOptions())
	if err != nil {
		return storedCheck(c.Check, pretty)
	}
	return text
}

// DeparseDefault and DeparseCheck print stored expressions for the
// system catalogs (information_schema.columns.column_default,
// check_constraints.check_clause) as pg_get_expr does.
func (d sessionDatabase) DeparseDefault(t *catalog.Table, col int) string {
	return d.s.defaultDef(d.snap, t, col, false)
}

// DeparseDomainDefault is domain u's DEFAULT as pg_type.typdefault
// holds it, or its stored text when it no longer binds.
func (d sessionDatabase) DeparseDomainDefault(u *catalog.UserType) string {
	text, err := planner.DeparseDomainDefault(d.snap, u, d.s.bindOptions())
	if err != nil {
		return u.Domain.Default
	}
	return text
}

func (d sessionDatabase) DeparseCheck(c *pgcatalog.Constraint) string {
	return d.s.constraintCheckDef(d.snap, c, false)
}

func (d sessionDatabase) DeparseView(v *catalog.View) string { return d.s.viewText(d.snap, v, false) }
