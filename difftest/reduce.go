package difftest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Data reduction: a finding's query usually needs only a few rows. The
// reducer copies the live rows of the tables the query names (as
// PostgreSQL has them) into a scratch schema on both servers, checks the
// difference still shows there, then drops chunks of rows (delta
// debugging) while it does. The result is a self-contained script.

var reTableName = regexp.MustCompile(`\bt[0-9]+\b`)

// tablesOf lists the tables sql names.
func tablesOf(s *Schema, sql string) []*Table {
	seen := map[string]bool{}
	var out []*Table
	for _, m := range reTableName.FindAllString(sql, -1) {
		if t := s.Table(m); t != nil && !seen[m] {
			seen[m] = true
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// rowLiteral prints a row PostgreSQL returned as a VALUES tuple.
func rowLiteral(t *Table, row []string) string {
	vals := make([]string, len(row))
	for i, v := range row {
		switch {
		case v == nullText:
			vals[i] = "NULL"
		case t.Cols[i].Type.Kind == KInt || t.Cols[i].Type.Kind == KNumeric || t.Cols[i].Type.Kind == KFloat:
			vals[i] = v
		default:
			vals[i] = quote(v)
		}
	}
	return "(" + strings.Join(vals, ", ") + ")"
}

// reproScript is the statements that make tables holding rows[t] (with
// CHECKPOINT on pqdb after flushed tables).
func reproScript(tables []*Table, rows map[string][]string) []Step {
	var steps []Step
	for _, t := range tables {
		steps = append(steps, Step{SQL: t.DDL()})
		rs := rows[t.Name]
		for lo := 0; lo < len(rs); lo += 500 {
			steps = append(steps, Step{SQL: fmt.Sprintf("INSERT INTO %s VALUES %s", t.Name, strings.Join(rs[lo:min(lo+500, len(rs))], ", "))})
		}
		if t.Flushed {
			steps = append(steps, Step{SQL: "CHECKPOINT", PqdbOnly: true})
		}
	}
	return steps
}

// reduceData shrinks the rows behind a finding. It returns the script,
// or nil when the difference does not show in a scratch copy (it then
// depends on how the original load laid rows out). While it searches,
// it fills the scratch tables with INSERT ... SELECT from the loaded
// ones (fast); the script it returns, with the rows as VALUES, is
// checked once at the end.
func (rn *Runner) reduceData(q *Query, c ExecConfig, o outcome, budget int) ([]Step, outcome) {
	tables := tablesOf(rn.Schema, q.SQL())
	if len(tables) == 0 {
		return nil, o
	}
	ids := map[string][]string{}
	lits := map[string]map[string]string{}
	for _, t := range tables {
		r := rn.PG.Run("SELECT * FROM " + t.Name + " ORDER BY id")
		if r.Err != nil {
			return nil, o
		}
		lits[t.Name] = map[string]string{}
		for _, row := range r.Rows {
			ids[t.Name] = append(ids[t.Name], row[0])
			lits[t.Name][row[0]] = rowLiteral(t, row)
		}
	}
	same := func(co outcome) bool {
		return co.class == o.class && co.failed() && (co.class != "pqdb-error" || co.pq.Code == o.pq.Code)
	}
	copyScript := func(ids map[string][]string, from string) []Step {
		var steps []Step
		for _, t := range tables {
			steps = append(steps, Step{SQL: t.DDL()})
			if len(ids[t.Name]) > 0 {
				steps = append(steps, Step{SQL: fmt.Sprintf("INSERT INTO %s SELECT * FROM %s.%s WHERE id IN (%s)", t.Name, from, t.Name, strings.Join(ids[t.Name], ", "))})
			}
			if t.Flushed {
				steps = append(steps, Step{SQL: "CHECKPOINT", PqdbOnly: true})
			}
		}
		return steps
	}
	attempt := func(ids map[string][]string) (outcome, bool) {
		budget--
		co, err := rn.inScratch(copyScript(ids, "public"), q, c)
		if err != nil {
			return co, false
		}
		return co, same(co)
	}
	co, ok := attempt(ids)
	if !ok {
		return nil, o
	}
	o = co
	// Delta debugging per table: drop chunks, halving the chunk size.
	for _, t := range tables {
		chunk := (len(ids[t.Name]) + 1) / 2
		for chunk >= 1 && budget > 0 {
			removed := false
			for start := 0; start < len(ids[t.Name]) && budget > 0; {
				cur := ids[t.Name]
				end := min(start+chunk, len(cur))
				trial := map[string][]string{}
				for k, v := range ids {
					trial[k] = v
				}
				trial[t.Name] = append(append([]string(nil), cur[:start]...), cur[end:]...)
				if co, ok := attempt(trial); ok {
					ids, o, removed = trial, co, true
					continue
				}
				start = end
			}
			if !removed || chunk > 1 {
				chunk /= 2
			}
		}
	}
	rows := map[string][]string{}
	for _, t := range tables {
		for _, id := range ids[t.Name] {
			rows[t.Name] = append(rows[t.Name], lits[t.Name][id])
		}
	}
	script := reproScript(tables, rows)
	if co, err := rn.inScratch(script, q, c); err == nil && same(co) {
		return script, co
	}
	return nil, o
}

var scratchN int

// inScratch runs the script in a fresh schema on both servers and the
// query there, then drops the schema.
func (rn *Runner) inScratch(script []Step, q *Query, c ExecConfig) (outcome, error) {
	scratchN++
	name := fmt.Sprintf("difftest_scratch%d", scratchN)
	defer func() {
		for _, conn := range []*Conn{rn.PG, rn.PQ} {
			conn.Run("SET search_path = public")
			conn.Run("DROP SCHEMA IF EXISTS " + name + " CASCADE")
		}
	}()
	// Load under the default execution settings (one row per batch
	// makes an INSERT slow); direct sets c again for the query.
	rn.PQ.Reset("pqdb.batch_rows", "max_parallel_workers_per_gather")
	for _, conn := range []*Conn{rn.PG, rn.PQ} {
		for _, s := range append([]Step{{SQL: "CREATE SCHEMA " + name}, {SQL: "SET search_path = " + name}}, script...) {
			if s.PqdbOnly && conn == rn.PG {
				continue
			}
			if r := conn.Run(s.SQL); r.Err != nil {
				return outcome{}, fmt.Errorf("%s: %s: %v", conn.Name, s.SQL, r.Err)
			}
		}
	}
	return rn.direct(q, c), nil
}

// reproText prints a script, the settings (the session's TimeZone on
// both servers when not UTC) and the query.
func reproText(script []Step, c ExecConfig, zone, sql string) string {
	var b strings.Builder
	if zone != "UTC" {
		fmt.Fprintf(&b, "SET TimeZone = %s;\n", quote(zone))
	}
	for _, s := range script {
		b.WriteString(s.SQL + ";")
		if s.PqdbOnly {
			b.WriteString(" -- pqdb only")
		}
		b.WriteString("\n")
	}
	if c.BatchRows > 0 {
		fmt.Fprintf(&b, "SET pqdb.batch_rows = %d; -- pqdb only\n", c.BatchRows)
	}
	if c.Workers >= 0 {
		fmt.Fprintf(&b, "SET max_parallel_workers_per_gather = %d; SET pqdb.parallel_min_rows = 1; -- pqdb only\n", c.Workers)
	}
	b.WriteString(sql + ";\n")
	return b.String()
}
