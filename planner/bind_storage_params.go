package planner

import (
	"math"
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// heapStorageParams are the storage parameters PostgreSQL 15 knows for a
// table (CREATE TABLE ... WITH (...), ALTER TABLE ... SET (...)).
// checkStorageParams accepts fillfactor, and pqdb's own sort_key, and
// refuses the others, which steer autovacuum, TOAST and parallel scans
// that pqdb does not have.
var heapStorageParams = map[string]bool{
	"fillfactor": true, "toast_tuple_target": true, "parallel_workers": true,
	"autovacuum_enabled": true, "autovacuum_vacuum_threshold": true,
	"autovacuum_vacuum_insert_threshold": true, "autovacuum_analyze_threshold": true,
	"autovacuum_vacuum_cost_delay": true, "autovacuum_vacuum_cost_limit": true,
	"autovacuum_freeze_min_age": true, "autovacuum_freeze_max_age": true,
	"autovacuum_freeze_table_age": true, "autovacuum_multixact_freeze_min_age": true,
	"autovacuum_multixact_freeze_max_age": true, "autovacuum_multixact_freeze_table_age": true,
	"log_autovacuum_min_duration": true, "autovacuum_vacuum_scale_factor": true,
	"autovacuum_vacuum_insert_scale_factor": true, "autovacuum_analyze_scale_factor": true,
	"user_catalog_table": true, "vacuum_index_cleanup": true, "vacuum_truncate": true,
}

// heapOnlyStorageParams are those a TOAST table (WITH (toast.name = ...))
// does not have.
var heapOnlyStorageParams = map[string]bool{
	"fillfactor": true, "toast_tuple_target": true, "parallel_workers": true, "user_catalog_table": true,
}

// sortKeyParam is pqdb's own storage parameter: WITH (sort_key = 'a, b')
// names the columns by which storage writes each new segment's rows
// (catalog.Table.SortKey), so that row-group statistics over them are
// tight. Without it the primary key orders them.
const sortKeyParam = "sort_key"

// checkStorageParams checks the storage parameters of CREATE TABLE ...
// WITH (...) as PostgreSQL does, refuses those pqdb cannot honour, and
// sets t's sort key from sort_key.
//
// fillfactor is accepted (after PostgreSQL's checks of its value) and has
// no effect: it is the share of each heap page that INSERT fills, leaving
// the rest for the new versions UPDATE writes to the same page. pqdb
// writes new row versions to the end of the table's tail and later to
// new Parquet segments, never into the space of an older one, so there is
// no page free space to reserve. The table's rows, and what every
// statement sees of them, are the same whatever the value.
// (pg_class.reloptions does not show it.)
func (b *binder) checkStorageParams(t *catalog.Table, defs []*pg_query.Node) error {
	// PostgreSQL looks at namespaces and OIDS before the parameters.
	var params []*pg_query.DefElem
	for _, n := range defs {
		d := n.GetDefElem()
		if d.Defnamespace != "" && d.Defnamespace != "toast" {
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter namespace \"%s\"", d.Defnamespace)
		}
		if d.Defnamespace == "" && d.Defname == "oids" {
			if oids, err := defElemBool(d); err != nil || oids {
				return pgerr.Unsupported("tables declared WITH OIDS are not supported")
			}
			continue // WITH (OIDS = FALSE) is still accepted
		}
		params = append(params, d)
	}
	seen := map[string]bool{}
	for _, d := range params {
		if d.Defname == sortKeyParam && d.Defnamespace == "" {
			if seen[d.Defname] {
				return pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", d.Defname)
			}
			seen[d.Defname] = true
			key, err := sortKey(t, d)
			if err != nil {
				return err
			}
			t.SortKey = key
			continue
		}
		if !heapStorageParams[d.Defname] || d.Defnamespace != "" && heapOnlyStorageParams[d.Defname] {
			return pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter \"%s\"", d.Defname)
		}
		if d.Defnamespace != "" {
			return pgerr.Unsupported("TOAST storage parameter \"%s\" is not supported", d.Defname)
		}
		if d.Defname != "fillfactor" {
			return pgerr.Unsupported("storage parameter \"%s\" is not supported", d.Defname)
		}
		if seen[d.Defname] {
			return pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" specified more than once", d.Defname)
		}
		seen[d.Defname] = true
		if _, err := intStorageParam(d, 10, 100); err != nil {
			return err
		}
	}
	return nil
}

// intStorageParam reads an integer storage parameter as PostgreSQL's
// parse_int does (surrounding spaces allowed, a fraction rounded to
// the nearest integer) and checks it is within [lo, hi].
func intStorageParam(d *pg_query.DefElem, lo, hi int64) (int64, error) {
	text := "true" // a parameter without a value is Boolean true
	if d.Arg != nil {
		if f := d.Arg.GetFloat(); f != nil {
			text = f.Fval
		} else {
			text = defElemString(d)
		}
	}
	v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < math.MinInt32 || f > math.MaxInt32 {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for integer option \"%s\": %s", d.Defname, text)
		}
		v = int64(math.RoundToEven(f))
	}
	if v < lo || v > hi {
		e := pgerr.New(pgerr.InvalidParameterValue, "value %s out of bounds for option \"%s\"", text, d.Defname)
		e.Detail = "Valid values are between \"" + strconv.FormatInt(lo, 10) + "\" and \"" + strconv.FormatInt(hi, 10) + "\"."
		return 0, e
	}
	return v, nil
}

// sortKey parses the value of sort_key: column names separated by
// commas, each an identifier as in SQL (folded to lower case unless
// double-quoted), every one a column of t of a type segments can be
// sorted by (storage.SortableType), none twice.
func sortKey(t *catalog.Table, d *pg_query.DefElem) ([]string, error) {
	text := defElemString(d)
	var key []string
	for _, part := range splitSortKey(text) {
		name, ok := sortKeyIdent(strings.TrimSpace(part))
		if !ok {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid value for option \"%s\": %s", sortKeyParam, text)
		}
		c := t.ColumnIndex(name)
		if c < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in sort_key does not exist", name)
		}
		if ty := t.Columns[c].Type; !storage.SortableType(ty) {
			return nil, pgerr.Unsupported("sort_key column \"%s\" is of type %s, by which segments cannot be sorted", name, ty)
		}
		if slices.Contains(key, name) {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "column \"%s\" appears twice in sort_key", name)
		}
		key = append(key, name)
	}
	return key, nil
}

// splitSortKey splits text at the commas outside double quotes.
func splitSortKey(text string) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				parts = append(parts, text[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, text[start:])
}

// sortKeyIdent reads one identifier: "quoted" (with "" for a quote) or
// plain, folded to lower case.
func sortKeyIdent(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if s[0] != '"' {
		if strings.ContainsAny(s, "\" \t\n") {
			return "", false
		}
		return strings.ToLower(s), true
	}
	if len(s) < 2 || s[len(s)-1] != '"' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	if inner == "" || strings.Count(strings.ReplaceAll(inner, `""`, ""), `"`) > 0 {
		return "", false
	}
	return strings.ReplaceAll(inner, `""`, `"`), true
}

// alterStorageParams binds ALTER TABLE ... SET (...) and RESET (...).
// SET checks its parameters as CREATE TABLE's WITH does; RESET, as in
// PostgreSQL, accepts any name. Only sort_key changes the table.
func (b *binder) alterStorageParams(st *AlterTableStep, cmd *pg_query.AlterTableCmd, reset bool) error {
	defs := cmd.Def.GetList().GetItems()
	if !reset {
		return b.checkStorageParams(st.Table, defs)
	}
	for _, n := range defs {
		if d := n.GetDefElem(); d.Defnamespace == "" && d.Defname == sortKeyParam {
			st.Table.SortKey = nil
		}
	}
	return nil
}
