package planner

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// deparse.go: the entry points that print a table's stored expressions
// and a view's query as PostgreSQL's catalog functions do. pqdb stores
// the text as written (it re-binds it); these bind it in the catalog of
// the moment and print the bound tree (deparse_expr.go,
// deparse_query.go). Nothing is cached: each call binds afresh, so
// the text always follows the catalog's DDL.

// deparseBinder is a binder for printing a stored definition of cat.
// A table's expressions read names as they did when written, in the
// table's schema first.
func deparseBinder(cat Catalog, opts Options) *binder {
	cat = withSystemCatalog(cat, opts.System)
	b := &binder{cat: cat, opts: opts, searchPath: existingSchemas(cat, opts.SearchPath), deparse: newDeparseNotes()}
	b.storedDefinition++ // its notices were told when it was defined
	return b
}

// recoverDeparse turns a panic while binding into an error, as Bind does.
func recoverDeparse(err *error) {
	if r := recover(); r != nil {
		*err = pgerr.FromPanic(r)
	}
}

// newDeparser is a deparser of what b binds; visible is the session's
// search path, pretty drops needless parentheses.
func newDeparser(b *binder, visible []string, pretty bool) *deparser {
	return &deparser{prettyParen: pretty, notes: b.deparse, hostFuncs: b.opts.HostFuncs,
		userTypes: b.cat.UserTypeByOID, visible: append([]string{PgCatalogSchema}, visible...)}
}

// tableDeparser is a deparser of expressions over a row of t.
func tableDeparser(b *binder, t *catalog.Table, visible []string, pretty bool) *deparser {
	d := newDeparser(b, visible, pretty)
	d.names = tableColumnNames(t)
	for i, c := range t.Columns {
		if c.Domain != 0 {
			if d.domains == nil {
				d.domains = map[int]catalog.Type{}
			}
			d.domains[i] = c.Type
		}
	}
	return d
}

// tableColumnNames are the printed names of t's columns, unqualified,
// as a table's own expressions name them.
func tableColumnNames(t *catalog.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = exec.QuoteIdent(c.Name)
	}
	return names
}

// DeparseDefault prints the DEFAULT of column col of t as pg_get_expr
// prints pg_attrdef.adbin; pretty drops needless parentheses.
func DeparseDefault(cat Catalog, t *catalog.Table, col int, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, opts))
	c := t.Columns[col]
	val, err := parseStoredExpr(c.Default)
	if err != nil {
		return "", err
	}
	e, err := b.bindDefault(val, c.Type)
	if err != nil {
		return "", err
	}
	d := tableDeparser(b, t, existingSchemas(b.cat, opts.SearchPath), pretty)
	d.expr(e, false)
	return d.text(), nil
}

// DeparseCheck prints the CHECK expression expr of t as
// pg_get_constraintdef prints it after CHECK, without the parentheses
// around it.
func DeparseCheck(cat Catalog, t *catalog.Table, expr string, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, opts))
	val, err := parseStoredExpr(expr)
	if err != nil {
		return "", err
	}
	e, err := b.bindCheckExpr(t, val)
	if err != nil {
		return "", err
	}
	d := tableDeparser(b, t, existingSchemas(b.cat, opts.SearchPath), pretty)
	d.expr(e, false)
	return d.text(), nil
}

// tableOptions are opts for binding an expression stored with table t:
// names read in t's schema first, where they were written (a DEFAULT's
// nextval('seq') names the sequence beside its table).
func tableOptions(t *catalog.Table, opts Options) Options {
	opts.SearchPath = append([]string{t.Schema}, opts.SearchPath...)
	in, ok := opts.HostFuncs[regInputFunc(catalog.RegClass)]
	if !ok {
		return opts
	}
	funcs := make(map[string]HostFunc, len(opts.HostFuncs))
	for name, f := range opts.HostFuncs {
		funcs[name] = f
	}
	fn := in.Fn
	in.Fn = func(ctx *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
		v, err := fn(ctx, args)
		if name, ok := args[0].(string); err != nil && ok && !strings.Contains(name, ".") {
			if v, err2 := fn(ctx, []catalog.Datum{exec.QuoteIdent(t.Schema) + "." + name}); err2 == nil {
				return v, nil
			}
		}
		return v, err
	}
	funcs[regInputFunc(catalog.RegClass)] = in
	opts.HostFuncs = funcs
	return opts
}

// DeparseDomainDefault prints the DEFAULT of domain u as PostgreSQL
// keeps it in pg_type.typdefault: 'x'::text for 'x'.
func DeparseDomainDefault(cat Catalog, u *catalog.UserType, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, opts)
	val, err := parseStoredExpr(u.Domain.Default)
	if err != nil {
		return "", err
	}
	e, err := b.bindDefault(val, u.Domain.Base)
	if err != nil {
		return "", err
	}
	d := newDeparser(b, existingSchemas(b.cat, opts.SearchPath), false)
	d.expr(e, false)
	return d.text(), nil
}

// DeparseDomainCheck prints the CHECK expression expr of domain u as
// pg_get_constraintdef prints it after CHECK: over VALUE.
func DeparseDomainCheck(cat Catalog, u *catalog.UserType, expr string, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	visible := opts.SearchPath
	opts.SearchPath = append([]string{u.Schema}, opts.SearchPath...)
	b := deparseBinder(cat, opts)
	val, err := parseStoredExpr(expr)
	if err != nil {
		return "", err
	}
	e, err := b.bindDomainConstraint(u.Domain.Base, val)
	if err != nil {
		return "", err
	}
	d := newDeparser(b, existingSchemas(b.cat, visible), pretty)
	d.names = []string{"VALUE"}
	d.expr(e, false)
	return d.text(), nil
}
