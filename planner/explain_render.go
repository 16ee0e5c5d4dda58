package planner

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pqdb/pqdb/exec"
)

// Text renders the explanation as EXPLAIN prints it in PostgreSQL's text
// format with COSTS OFF: one line per node, children under "->", details
// on their own lines, then the summary.
func (ex *Explanation) Text() []string {
	ex.fold()
	var lines []string
	ex.textEntry(ex.root, 0, true, &lines)
	if ex.plan.Summary {
		lines = append(lines, "Planning Time: "+millis(ex.plan.Planning)+" ms")
		if ex.plan.Analyze {
			lines = append(lines, "Execution Time: "+millis(ex.execTime)+" ms")
		}
	}
	return lines
}

// textEntry renders e with its header at column indent (after "->  "
// unless it is the root) and its details six columns further in, as
// PostgreSQL's explain.c lays them out.
func (ex *Explanation) textEntry(e *explainEntry, indent int, root bool, lines *[]string) {
	pad := strings.Repeat(" ", indent)
	header := e.name + e.target + estimateText(e) + ex.actualText(e)
	detail := pad + "  "
	if !root {
		header = "->  " + header
		detail = pad + strings.Repeat(" ", 6)
	}
	*lines = append(*lines, pad+header)
	for _, p := range ex.props(e, true) {
		v := p.text
		if p.list != nil {
			v = strings.Join(p.list, ", ")
		}
		*lines = append(*lines, detail+p.key+": "+v)
	}
	for _, c := range e.children {
		if c.label != "" {
			*lines = append(*lines, detail+c.label)
			ex.textEntry(c, len(detail)+2, false, lines)
			continue
		}
		ex.textEntry(c, len(detail), false, lines)
	}
}

// estimateText is the "  (rows=N)" part of a header with COSTS on: the
// planner's estimate where PostgreSQL prints "(cost=... rows=N width=W)";
// nothing for a node the planner knows nothing of.
func estimateText(e *explainEntry) string {
	if e.planRows == 0 || e.planRows == unknownRows {
		return ""
	}
	return "  (rows=" + strconv.FormatInt(planRows(e.planRows), 10) + ")"
}

// planRows rounds an estimate as PostgreSQL prints one: a whole number of
// rows, at least one.
func planRows(r float64) int64 {
	if r >= math.MaxInt64 {
		return math.MaxInt64
	}
	return max(1, int64(math.Round(r)))
}

// actualText is the " (actual ...)" part of a header under ANALYZE: per
// loop averages, as PostgreSQL prints them.
func (ex *Explanation) actualText(e *explainEntry) string {
	s := e.stats
	if s == nil {
		return ""
	}
	if s.Loops == 0 {
		return " (never executed)"
	}
	rows := strconv.FormatInt(perLoop(s.Rows, s.Loops), 10)
	loops := strconv.FormatInt(s.Loops, 10)
	if !ex.plan.Timing {
		return " (actual rows=" + rows + " loops=" + loops + ")"
	}
	return " (actual time=" + millis(s.Startup/time.Duration(s.Loops)) + ".." + millis(s.Total/time.Duration(s.Loops)) +
		" rows=" + rows + " loops=" + loops + ")"
}

// props are e's details, with what ANALYZE measured added: the rows a
// scan's or a filter's predicate removed, per loop (in text, only when it
// removed any, as PostgreSQL prints them), and, in all, the segments, row
// groups and pages a scan read and skipped (row groups by statistics,
// bloom filters or dictionaries, rows by dictionary codes, pages by the
// page index), the bytes of pages it read and
// how often it found a segment open in the store's cache, and how many of
// those bytes the cache's blocks served. A parallel operator that fell
// back to its serial plan says so (Serial Fallback): that plan's
// operators are not shown, and the pipelines' counts stop where the
// fallback stopped them.
func (ex *Explanation) props(e *explainEntry, text bool) []explainProp {
	if e.stats == nil || e.stats.Loops == 0 {
		return e.props
	}
	props := ex.filterProps(e, text)
	props = append(props[:len(props):len(props)], memoryProps(e.stats.MemoryReport(), e.nodeType)...)
	if e.stats.RanSerially() {
		props = append(props, explainProp{key: "Serial Fallback", text: "true", num: true})
	}
	c := e.scanCounts
	if c == nil {
		return props
	}
	count := func(key string, n int64) explainProp {
		return explainProp{key: key, text: strconv.FormatInt(n, 10), num: true}
	}
	if e.segments {
		props = append(props, count("Segments Read", c.Segments.Load()), count("Segments Skipped", c.SegmentsSkipped.Load()))
	}
	props = append(props, count("Row Groups Read", c.RowGroups.Load()), count("Row Groups Skipped", c.RowGroupsSkipped.Load()))
	if e.segments {
		props = append(props, count("Row Groups Skipped by Bloom Filter", c.RowGroupsBloomSkipped.Load()),
			count("Row Groups Skipped by Dictionary", c.RowGroupsDictionarySkipped.Load()),
			count("Rows Removed by Dictionary", c.RowsDictionaryFiltered.Load()))
	}
	props = append(props, count("Pages Read", c.Pages.Load()), count("Pages Skipped", c.PagesSkipped.Load()), count("Bytes Read", c.BytesRead.Load()))
	if e.segments {
		props = append(props, count("Segment Cache Hits", c.FileCacheHits.Load()), count("Segments Opened", c.FileOpens.Load()),
			count("Bytes Read from Cache", c.BytesCached.Load()), count("Pages Decoded from Cache", c.PagesCached.Load()))
	}
	if e.index != nil {
		props = append(props, count("Index Files Read", c.IndexFiles.Load()), count("Index Pages Read", c.IndexPages.Load()))
	}
	return props
}

// memoryProps are what a sort or hash node reports of its memory and
// temporary files under ANALYZE, as PostgreSQL prints them: one line in
// text ("Sort Method: external merge  Disk: 1216kB", "Batches: 85
// Memory Usage: 161kB  Disk Usage: 3464kB"), separate members in JSON.
func memoryProps(r exec.MemoryReport, nodeType string) []explainProp {
	kb := func(n int64) string { return strconv.FormatInt((n+1023)/1024, 10) }
	num := func(key, text string) explainProp { return explainProp{key: key, text: text, num: true} }
	switch r.Kind {
	case exec.ReportSort:
		method, space, used := "quicksort", "Memory", r.PeakMemory
		if r.Spilled {
			method, space, used = "external merge", "Disk", r.DiskBytes
		}
		return []explainProp{{key: "Sort Method", text: method + "  " + space + ": " + kb(used) + "kB",
			json: []explainProp{{key: "Sort Method", text: method}, num("Sort Space Used", kb(used)), {key: "Sort Space Type", text: space}}}}
	case exec.ReportHash:
		batches := strconv.Itoa(r.Batches)
		text := batches + "  Memory Usage: " + kb(r.PeakMemory) + "kB"
		batchesKey := "Hash Batches"
		if nodeType == "Aggregate" {
			batchesKey = "HashAgg Batches"
		}
		members := []explainProp{num(batchesKey, batches), num("Peak Memory Usage", kb(r.PeakMemory))}
		if r.Spilled {
			text += "  Disk Usage: " + kb(r.DiskBytes) + "kB"
			members = append(members, num("Disk Usage", kb(r.DiskBytes)))
		}
		return []explainProp{{key: "Batches", text: text, json: members}}
	}
	return nil
}

// filterProps are e's details with the rows its predicate removed.
func (ex *Explanation) filterProps(e *explainEntry, text bool) []explainProp {
	var in int64 = -1
	switch {
	case e.scanned != nil:
		in = e.scanned.Rows
	case e.nodeType == "Filter" && len(e.children) == 1 && e.children[0].stats != nil:
		in = e.children[0].stats.Rows
	}
	if in < 0 || text && in == e.stats.Rows {
		return e.props
	}
	out := make([]explainProp, 0, len(e.props)+1)
	for _, p := range e.props {
		out = append(out, p)
		if p.key == "Filter" {
			out = append(out, explainProp{key: "Rows Removed by Filter", text: strconv.FormatInt(perLoop(in-e.stats.Rows, e.stats.Loops), 10), num: true})
		}
	}
	return out
}

// perLoop is PostgreSQL's rounded per-loop average of a count.
func perLoop(n, loops int64) int64 { return (n + loops/2) / loops }

// millis formats a duration as milliseconds with three decimals.
func millis(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Nanoseconds())/1e6, 'f', 3, 64)
}

// JSON renders the explanation as EXPLAIN (FORMAT JSON) does: one value,
// an array holding one object with the plan tree under "Plan" and the
// summary beside it, laid out as PostgreSQL lays it out.
func (ex *Explanation) JSON() string {
	ex.fold()
	top := jsonObject{{"Plan", ex.jsonEntry(ex.root, "")}}
	if ex.plan.Summary {
		top = append(top, jsonMember{"Planning Time", millis(ex.plan.Planning)})
	}
	if ex.plan.Analyze {
		top = append(top, jsonMember{"Triggers", jsonArray{}})
		if ex.plan.Summary {
			top = append(top, jsonMember{"Execution Time", millis(ex.execTime)})
		}
	}
	var b strings.Builder
	writeJSON(&b, jsonArray{top}, 0)
	return b.String()
}

func (ex *Explanation) jsonEntry(e *explainEntry, relationship string) jsonObject {
	o := jsonObject{{"Node Type", quote(e.nodeType)}}
	if relationship != "" {
		o = append(o, jsonMember{"Parent Relationship", quote(relationship)})
	}
	if e.label != "" {
		o = append(o, jsonMember{"Subplan Name", quote(e.label)})
	}
	if e.joinType != "" {
		o = append(o, jsonMember{"Join Type", quote(e.joinType)})
	}
	if e.index != nil {
		o = append(o, jsonMember{"Index Name", quote(e.index.Name)})
	}
	if e.relation != "" {
		o = append(o, jsonMember{"Relation Name", quote(e.relation)}, jsonMember{"Alias", quote(e.alias)})
	}
	if e.planRows != 0 && e.planRows != unknownRows {
		o = append(o, jsonMember{"Plan Rows", strconv.FormatInt(planRows(e.planRows), 10)})
	}
	if s := e.stats; s != nil {
		rows := int64(0)
		if s.Loops > 0 {
			if ex.plan.Timing {
				o = append(o, jsonMember{"Actual Startup Time", millis(s.Startup / time.Duration(s.Loops))},
					jsonMember{"Actual Total Time", millis(s.Total / time.Duration(s.Loops))})
			}
			rows = perLoop(s.Rows, s.Loops)
		}
		o = append(o, jsonMember{"Actual Rows", strconv.FormatInt(rows, 10)}, jsonMember{"Actual Loops", strconv.FormatInt(s.Loops, 10)})
	}
	var props []explainProp
	for _, p := range ex.props(e, false) {
		if p.json != nil {
			props = append(props, p.json...)
			continue
		}
		props = append(props, p)
	}
	for _, p := range props {
		switch {
		case p.list != nil:
			parts := make([]string, len(p.list))
			for i, s := range p.list {
				parts[i] = quote(s)
			}
			o = append(o, jsonMember{p.key, "[" + strings.Join(parts, ", ") + "]"})
		case p.num:
			o = append(o, jsonMember{p.key, p.text})
		default:
			o = append(o, jsonMember{p.key, quote(p.text)})
		}
	}
	if len(e.children) > 0 {
		plans := make(jsonArray, len(e.children))
		for i, c := range e.children {
			plans[i] = ex.jsonEntry(c, relationshipOf(e, c, i))
		}
		o = append(o, jsonMember{"Plans", plans})
	}
	return o
}

// relationshipOf is a child's "Parent Relationship": a subquery's plan is
// a SubPlan, a WITH query's an InitPlan, the inputs of a set operation
// its Members, and otherwise the first input is the Outer and the second
// the Inner, as in PostgreSQL.
func relationshipOf(parent, child *explainEntry, i int) string {
	switch {
	case strings.HasPrefix(child.label, "SubPlan"):
		return "SubPlan"
	case strings.HasPrefix(child.label, "CTE"):
		return "InitPlan"
	case strings.HasPrefix(parent.nodeType, "Union") || strings.HasPrefix(parent.nodeType, "Intersect") || strings.HasPrefix(parent.nodeType, "Except"):
		return "Member"
	case i == 0:
		return "Outer"
	}
	return "Inner"
}

// quote is s as a JSON string, with <, > and & as themselves (PostgreSQL
// escapes only what JSON requires).
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonObject, jsonArray and raw strings (JSON text of a scalar, or of a
// one-line array) are the ordered JSON values EXPLAIN writes: members
// keep the order PostgreSQL prints them in.
type (
	jsonObject []jsonMember
	jsonArray  []any
	jsonMember struct {
		key string
		val any
	}
)

// writeJSON lays v out as PostgreSQL's explain does: one member per line,
// two spaces per level, an empty array's brackets on two lines.
func writeJSON(b *strings.Builder, v any, depth int) {
	pad := func(d int) { b.WriteString(strings.Repeat("  ", d)) }
	switch x := v.(type) {
	case string:
		b.WriteString(x)
	case jsonObject:
		b.WriteString("{")
		for i, m := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n")
			pad(depth + 1)
			b.WriteString(quote(m.key) + ": ")
			writeJSON(b, m.val, depth+1)
		}
		b.WriteString("\n")
		pad(depth)
		b.WriteString("}")
	case jsonArray:
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n")
			pad(depth + 1)
			writeJSON(b, e, depth+1)
		}
		b.WriteString("\n")
		pad(depth)
		b.WriteString("]")
	}
}
