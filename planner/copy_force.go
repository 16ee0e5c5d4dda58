package planner

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgcopy"
	"github.com/pqdb/pqdb/pgerr"
)

// copyForce reads COPY's FORCE_QUOTE, FORCE_NOT_NULL and FORCE_NULL
// options (CSV only; the first for COPY TO, the others for COPY FROM)
// into per-column flags of opts, whose Columns are set, checking them in
// PostgreSQL's order and with its errors. known are the names of the
// table's (or query's) columns.
func copyForce(opts *pgcopy.Options, defs []*pg_query.DefElem, isFrom bool, table string, known []string) error {
	for _, d := range defs {
		what := strings.ReplaceAll(strings.TrimPrefix(d.Defname, "force_"), "_", " ")
		if opts.Format != pgcopy.CSV {
			return pgerr.Unsupported("COPY force %s available only in CSV mode", what)
		}
		if toOnly := d.Defname == "force_quote"; toOnly == isFrom {
			dir := "COPY FROM"
			if toOnly {
				dir = "COPY TO"
			}
			return pgerr.Unsupported("COPY force %s only available using %s", what, dir)
		}
	}
	for _, d := range defs {
		flags := make([]bool, len(opts.Columns))
		if d.Arg.GetAStar() != nil {
			for i := range flags {
				flags[i] = true
			}
		}
		for _, n := range d.Arg.GetList().GetItems() {
			name := n.GetString_().Sval
			if !slices.Contains(known, name) {
				if table == "" {
					return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", name)
				}
				return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, table)
			}
			i := slices.Index(opts.Columns, name)
			if i < 0 {
				return pgerr.New(pgerr.InvalidColumnReference, "%s column \"%s\" not referenced by COPY", strings.ToUpper(d.Defname), name)
			}
			flags[i] = true
		}
		switch d.Defname {
		case "force_quote":
			opts.ForceQuote = flags
		case "force_not_null":
			opts.ForceNotNull = flags
		default:
			opts.ForceNull = flags
		}
	}
	return nil
}
