package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// The functions psql's \df and \d call about functions and about
// objects pqdb does not have (triggers, rules, extended statistics,
// partitions, publications, tablespaces).

func (s *Session) procFuncs() map[string]planner.HostFunc {
	oid, text := catalog.TypeOid, catalog.TypeText
	procText := func(f func(n *catalogNames, p procObject) string) planner.HostFunc {
		return planner.HostFunc{Args: []catalog.Type{oid}, MinArgs: 1, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				if err := n.loadProcs(); err != nil {
					return nil, err
				}
				p, ok := n.procs[args[0].(uint32)]
				if !ok {
					return nil, nil
				}
				return f(n, p), nil
			})}
	}
	none := func(result catalog.Type, args ...catalog.Type) planner.HostFunc {
		return planner.HostFunc{Args: args, MinArgs: 1, Result: result,
			Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return nil, nil }}
	}
	return map[string]planner.HostFunc{
		"pg_get_function_result": procText((*catalogNames).functionResult),
		// The identity arguments are the arguments without their
		// defaults, which pqdb never prints.
		"pg_get_function_arguments":          procText((*catalogNames).functionArguments),
		"pg_get_function_identity_arguments": procText((*catalogNames).functionArguments),
		// pqdb has no triggers, rules, extended statistics or
		// publications:
		// the catalogs these read are empty, so they are never called
		// on an object, but the queries that name them must bind.
		"pg_get_triggerdef":               none(text, oid, catalog.TypeBool),
		"pg_get_statisticsobjdef_columns": none(text, oid),
		"pg_get_ruledef":                  none(text, oid, catalog.TypeBool),
		// No function of pg_proc has a SQL-standard body (BEGIN ATOMIC).
		"pg_get_function_sqlbody": none(text, oid),
		"pg_get_partkeydef":       none(text, oid),
		// Every tablespace is pg_default or pg_global, whose location
		// PostgreSQL prints as the empty string.
		"pg_tablespace_location": {Args: []catalog.Type{oid}, MinArgs: 1, Result: text,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				return "", nil
			}},
		"pg_relation_is_publishable": {Args: []catalog.Type{catalog.TypeRegclass}, MinArgs: 1, Result: catalog.TypeBool,
			Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return false, nil }},
	}
}

// functionResult is pg_get_function_result: the return type, SETOF for a
// set, TABLE(...) for a function with TABLE parameters.
func (n *catalogNames) functionResult(p procObject) string {
	var table []string
	for i, m := range p.modes {
		if m == "t" {
			table = append(table, n.functionArgument(p, i, p.allArgs[i]))
		}
	}
	if table != nil {
		return "TABLE(" + strings.Join(table, ", ") + ")"
	}
	out := n.formatType(p.ret, -1, false)
	if p.retset {
		out = "SETOF " + out
	}
	return out
}

// functionArguments is pg_get_function_arguments: each parameter with
// its mode and name. pqdb cannot print parameter defaults (pg_proc keeps
// them as parse trees), which PostgreSQL adds.
func (n *catalogNames) functionArguments(p procObject) string {
	types := p.args
	if p.allArgs != nil {
		types = p.allArgs
	}
	var out []string
	for i, t := range types {
		mode := "i"
		if i < len(p.modes) {
			mode = p.modes[i]
		}
		prefix := ""
		switch mode {
		case "t":
			continue // part of the result
		case "o":
			prefix = "OUT "
		case "b":
			prefix = "INOUT "
		case "v":
			prefix = "VARIADIC "
		}
		out = append(out, prefix+n.functionArgument(p, i, t))
	}
	return strings.Join(out, ", ")
}

// functionArgument is parameter i, of type t: its name (if it has one)
// and type.
func (n *catalogNames) functionArgument(p procObject, i int, t uint32) string {
	typ := n.formatType(t, -1, false)
	if i < len(p.argNames) && p.argNames[i] != "" {
		return exec.QuoteIdent(p.argNames[i]) + " " + typ
	}
	return typ
}
