package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Column defaults are kept as SQL text (catalog.Column.Default) and bound
// wherever a row is written without the column: INSERT's missing
// columns, DEFAULT in VALUES and in UPDATE's SET.

// deparseExpr prints a parse-tree expression as SQL.
func deparseExpr(n *pg_query.Node) (string, error) {
	sel := &pg_query.SelectStmt{TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}}}
	sql, err := pg_query.Deparse(&pg_query.ParseResult{Version: parseTreeVersion(), Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}}}}})
	if err != nil {
		return "", pgerr.New(pgerr.InternalError, "cannot store the expression: %v", err)
	}
	return strings.TrimPrefix(sql, "SELECT "), nil
}

// bindDefault binds a DEFAULT expression (no column may be read) and
// assigns it to type t.
func (b *binder) bindDefault(n *pg_query.Node, t catalog.Type) (Expr, error) {
	e, err := b.bindExpr(n, &scope{}, ctxDefault)
	if err != nil {
		if pe := pgerr.From(err); pe.Code == pgerr.UndefinedColumn {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot use column reference in DEFAULT expression").WithPosition(pe.Position)
		}
		return nil, err
	}
	return b.assign(e, t)
}

// columnDefault is the value column i of t takes in a row written without
// it: its DEFAULT expression, or NULL.
func (b *binder) columnDefault(t *catalog.Table, i int) (Expr, error) {
	c := t.Columns[i]
	def := c.Default
	if def == "" && c.Domain != 0 {
		// A column of a domain without a default of its own takes the
		// domain's, as it is when the row is written.
		u, err := b.columnDomain(c)
		if err != nil {
			return nil, err
		}
		def = u.Domain.Default
	}
	if def == "" {
		return &Const{T: c.Type}, nil
	}
	val, err := parseStoredExpr(def)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot read the DEFAULT of column \"%s\": %v", c.Name, err)
	}
	// Positions in errors would point into the default's text, not the
	// statement's.
	query := b.query
	b.query = ""
	defer func() { b.query = query }()
	defer b.bindingStored()()
	return b.bindDefault(val, c.Type)
}
