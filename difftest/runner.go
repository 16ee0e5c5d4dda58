package difftest

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// ExecConfig is how pqdb runs a query: rows per batch and parallel
// workers (0 means the session default was left alone).
type ExecConfig struct {
	BatchRows int
	Workers   int
}

func (c ExecConfig) String() string {
	if c.BatchRows == 0 && c.Workers < 0 {
		return "defaults"
	}
	return fmt.Sprintf("pqdb.batch_rows=%d max_parallel_workers_per_gather=%d", c.BatchRows, c.Workers)
}

var batchRowsChoices = []int{1, 2, 3, 1023, 65536}

// maxCompareRows: bigger results are not compared (the generator aims
// far below).
const maxCompareRows = 200000

// Runner runs queries on both servers and collects statistics and
// findings.
type Runner struct {
	PG, PQ *Conn
	Schema *Schema
	Seed   uint64
	// LoadFile is where the data load was written, for the report.
	LoadFile string
	// TimeZone is the round's session TimeZone on both servers.
	TimeZone string
	// CanVary says which execution settings pqdb accepts.
	CanBatch, CanWorkers, CanMinRows bool
	// MaxShrink bounds the statements one shrink may run.
	MaxShrink int
	// ShrinkLeft bounds the statements all shrinks of the run may still
	// run.
	ShrinkLeft int
	// ReduceBudget bounds the attempts of one data reduction (0: none).
	ReduceBudget int

	// Debug, when set, logs generator gaps.
	Debug func(format string, args ...any)

	r        *rand.Rand
	Stats    Stats
	Findings []*Finding
	seen     map[string]bool
}

// Stats counts what happened.
type Stats struct {
	Queries      int
	Shapes       map[string]int
	Unsupported  map[string]int // 0A000 messages from pqdb
	UnsupFeature map[string]int // features of the queries pqdb rejected with 0A000
	BothErr      map[string]int // SQLSTATEs both servers gave
	PGRejected   map[string]int // queries PostgreSQL rejected (generator gaps)
	TLPChecked   int
	NoRECChecked int
	Failures     int
	Configs      map[string]int
	// Tolerated counts the differences SQL allows, by class (see
	// tolerated).
	Tolerated map[string]int
}

// Finding is one difference, shrunk.
type Finding struct {
	Oracle   string
	Class    string
	Config   ExecConfig
	Query    string
	Original string
	PG, PQ   Result
	Diff     string
	Features []string
	Key      string
	// Repro is a self-contained script (reduced data, settings, query),
	// when data reduction succeeded.
	Repro string
}

// NewRunner prepares a runner over loaded servers.
func NewRunner(pg, pq *Conn, s *Schema, seed uint64) *Runner {
	return &Runner{PG: pg, PQ: pq, Schema: s, Seed: seed, MaxShrink: 300, ShrinkLeft: 1 << 30,
		r: rand.New(rand.NewPCG(seed, 0x5eed)),
		Stats: Stats{Shapes: map[string]int{}, Unsupported: map[string]int{}, UnsupFeature: map[string]int{},
			BothErr: map[string]int{}, PGRejected: map[string]int{}, Configs: map[string]int{}, Tolerated: map[string]int{}},
		seen: map[string]bool{}}
}

// DetectSettings tries the execution settings once; those pqdb does not
// know (42704) are not varied.
func (rn *Runner) DetectSettings() []string {
	var missing []string
	try := func(name, val string) bool {
		r := rn.PQ.Run(fmt.Sprintf("SET %s = %s", name, val))
		if r.Err != nil {
			missing = append(missing, fmt.Sprintf("%s (%s)", name, errText(r)))
			return false
		}
		rn.PQ.Run("RESET " + name)
		return true
	}
	rn.CanBatch = try("pqdb.batch_rows", "1023")
	rn.CanWorkers = try("max_parallel_workers_per_gather", "2")
	rn.CanMinRows = try("pqdb.parallel_min_rows", "1")
	if rn.CanMinRows {
		// let small tables run in parallel too
		rn.PQ.Set("pqdb.parallel_min_rows", "1")
	}
	return missing
}

// pickConfig draws an execution configuration and applies it on pqdb.
func (rn *Runner) pickConfig() ExecConfig {
	c := ExecConfig{Workers: -1}
	if rn.CanBatch {
		c.BatchRows = batchRowsChoices[rn.r.IntN(len(batchRowsChoices))]
	}
	if rn.CanWorkers {
		c.Workers = rn.r.IntN(5)
	}
	rn.Stats.Configs[c.String()]++
	rn.apply(c)
	return c
}

func (rn *Runner) apply(c ExecConfig) {
	if c.BatchRows > 0 {
		rn.PQ.Set("pqdb.batch_rows", fmt.Sprint(c.BatchRows))
	}
	if c.Workers >= 0 {
		rn.PQ.Set("max_parallel_workers_per_gather", fmt.Sprint(c.Workers))
	}
}

// outcome classifies a comparison: "" when the servers agree.
type outcome struct {
	class string // "", "unsupported", "both-error", "eval-order", "pg-error", "pqdb-error", "error-codes", "rows"
	pg    Result
	pq    Result
	diff  string
}

// direct runs q on both servers under c and compares.
func (rn *Runner) direct(q *Query, c ExecConfig) outcome {
	sql := q.SQL()
	pg := rn.PG.Run(sql)
	rn.apply(c)
	pq := rn.PQ.Run(sql)
	o := outcome{pg: pg, pq: pq}
	switch {
	case pq.Code == "0A000" && pg.Code != "0A000":
		o.class = "unsupported"
	case pg.Err != nil && pq.Err != nil:
		if pg.Code == pq.Code {
			o.class = "both-error"
		} else {
			o.class = "error-codes"
			o.diff = fmt.Sprintf("postgres: %s\npqdb: %s\n", errText(pg), errText(pq))
		}
	case (pg.Err != nil) != (pq.Err != nil) && slices.Contains(q.Features, "division-may-fail") && (pg.Code == "22012" || pq.Code == "22012"):
		// SQL leaves open the order in which a plan evaluates WHERE
		// conjuncts and join inputs, so whether an unguarded division
		// meets a zero depends on the plan (PostgreSQL orders quals by
		// cost; pqdb evaluates a conjunction column by column).
		o.class = "eval-order"
	case pg.Err != nil:
		o.class = "pg-error"
		o.diff = fmt.Sprintf("postgres: %s\npqdb: %d rows\n", errText(pg), len(pq.Rows))
	case pq.Err != nil:
		o.class = "pqdb-error"
		o.diff = fmt.Sprintf("pqdb: %s\npostgres: %d rows\n", errText(pq), len(pg.Rows))
	case len(pg.Rows) > maxCompareRows:
		o.class = "too-big"
	case q.Ordered() && !rowsFollowOrder(pg, q.OrderBy) && !rowsFollowOrder(pq, q.OrderBy):
		o.class = "rows"
		o.diff = "pqdb's rows do not follow the ORDER BY\n" + sideBySide(pg.Rows, pq.Rows, 40)
	case q.Ordered() && (q.Limit >= 0 || q.Offset > 0) && !rowsFollowOrder(pg, q.OrderBy):
		// PostgreSQL's rows break its own ORDER BY (see rowsFollowOrder)
		// and pqdb's follow it: then LIMIT and OFFSET cut different rows
		// from the same set, and the two answers cannot be compared.
		o.class = "pg-misordered-limit"
	default:
		// Where PostgreSQL's own rows break its ORDER BY (see
		// rowsFollowOrder) and pqdb's follow it, only the rows compare.
		ordered := q.Ordered() && rowsFollowOrder(pg, q.OrderBy)
		if d := CompareResults(pg, pq, ordered); d != "" {
			o.class, o.diff = "rows", d
			switch {
			case CompareResults(pg, withOIDs(pq, pg.OIDs), ordered) == "":
				o.class = "types"
			case CompareResults(emptyRowsAsNull(pg), withOIDs(pq, pg.OIDs), ordered) == "":
				o.class = "empty-row-as-null"
			case CompareResults(numericNormalized(pg), numericNormalized(withOIDs(pq, pg.OIDs)), ordered) == "":
				o.class = "numeric-scale"
				if q.Dedups() && CompareResults(numericNormalized(pg), numericNormalized(pq), ordered) == "" {
					o.class = "numeric-representative"
				}
			case compareResults(pg, withOIDs(pq, pg.OIDs), ordered, true) == "":
				o.class = "numeric-precision"
			}
		}
	}
	return o
}

// tolerated says whether an outcome is a difference SQL allows: an
// evaluation-order one (see direct), or numeric-representative: the same
// rows once numerics drop trailing fractional zeros, from a query that
// keeps one of several equal rows, where either server may keep 1.50 or
// 1.5; float-sum-order, a float sum whose parallel plan added in another
// order than the serial plan, which agrees; or one no comparison can
// decide: pg-misordered-limit, PostgreSQL 15 sorting wrongly before a
// LIMIT, and pg-constant-grouping-key, PostgreSQL 15 reading a folded
// grouping key where the grouping set nulls it. A slow query, one that
// passed the timeout but agreed when given ten times as long, is counted
// here too: its answer is right.
func (o outcome) tolerated() bool {
	return o.class == "slow" || o.class == "pg-timeout" || o.class == "eval-order" || o.class == "numeric-representative" || o.class == "pg-misordered-limit" || o.class == "float-sum-order" || o.class == "pg-constant-grouping-key"
}

// failed says whether an outcome is a difference.
func (o outcome) failed() bool {
	if o.tolerated() {
		return false
	}
	return o.class == "error-codes" || o.class == "pqdb-error" || o.class == "rows" || o.class == "types" || o.class == "numeric-scale" || o.class == "empty-row-as-null" || o.class == "numeric-precision" ||
		(o.class == "pg-error" && !strings.HasPrefix(o.pg.Code, "42"))
}

// Check runs one generated query through the oracles.
func (rn *Runner) Check(q *Query, g *gen, sc *scope) {
	rn.Stats.Queries++
	rn.Stats.Shapes[q.Shape]++
	c := rn.pickConfig()
	o := rn.judge(q, c)
	if o.class == "eval-order" {
		return
	}
	switch o.class {
	case "unsupported":
		rn.Stats.Unsupported[errText(o.pq)]++
		for _, f := range q.Features {
			rn.Stats.UnsupFeature[f]++
		}
		return
	case "too-big":
		rn.Stats.BothErr["result too big to compare"]++
		return
	case "both-error":
		rn.Stats.BothErr[o.pg.Code]++
		if rn.Debug != nil && strings.HasPrefix(o.pg.Code, "42") {
			rn.Debug("both servers reject %s: %s", q.SQL(), errText(o.pg))
		}
		return
	case "pg-error":
		rn.Stats.PGRejected[errText(o.pg)]++
		if rn.Debug != nil {
			rn.Debug("postgres rejects %s: %s", q.SQL(), errText(o.pg))
		}
		if !o.failed() {
			return
		}
	}
	if o.failed() {
		rn.report("direct", q, c, o)
		return
	}
	if sc == nil {
		return
	}
	// One metamorphic oracle per query, on a fresh predicate.
	g.noSubq = g.oneIn(2)
	p := g.pred(sc, 1+g.r.IntN(2))
	// The partitions' queries carry the predicate's features too (an
	// unguarded division in it makes a 22012 an eval-order difference).
	q.Features = g.featureList()
	if tlpApplies(q) && g.oneIn(2) {
		rn.tlp(q, p)
	} else if q.SetOp == "" {
		rn.norec(q, p)
	}
}

// judge runs q on both servers under c, compares, and tells apart the
// differences that are not pqdb's wrong answer (counted as tolerated): a
// float sum's order under parallel workers, a query slow under load, and
// PostgreSQL 15's folded grouping keys.
func (rn *Runner) judge(q *Query, c ExecConfig) outcome {
	o := rn.direct(q, c)
	if o.failed() && c.Workers > 0 && slices.Contains(q.Features, "float-sum") {
		// Parallel workers add a float sum's values in another order than
		// one process does, so its last bits (and any comparison they
		// decide) may differ, in PostgreSQL's parallel plans as in pqdb's.
		// The answer of the serial plan must then be PostgreSQL's.
		serial := c
		serial.Workers = 0
		if rn.direct(q, serial).class == "" {
			o.class = "float-sum-order"
		}
		rn.apply(c)
	}
	if o.class == "pqdb-error" && o.pq.Code == "timeout" {
		// A large join at one or two rows per batch can pass the timeout
		// on a loaded machine: that is a matter of speed, not of the
		// answer. Given ten times as long, the answer must be
		// PostgreSQL's.
		t := rn.PQ.Timeout
		rn.PQ.Timeout = 10 * t
		if rn.direct(q, c).class == "" {
			o.class = "slow"
		}
		rn.PQ.Timeout = t
	}
	if o.class == "pg-error" && o.pg.Code == "57014" {
		// PostgreSQL itself ran out of time (EXCLUDE GROUP over a large
		// frame is quadratic there): there is no answer to compare with.
		o.class = "pg-timeout"
	}
	if o.failed() && o.class == "rows" && slices.Contains(q.Features, "grouping-sets") && rn.pgFoldsGroupingKey(q.SQL()) {
		o.class = "pg-constant-grouping-key"
	}
	if o.tolerated() {
		rn.Stats.Tolerated[o.class]++
	}
	return o
}

// tlp checks ternary logic partitioning on pqdb.
func (rn *Runner) tlp(q *Query, p string) {
	base, parts := tlpQueries(q, p)
	c := rn.pickConfig()
	b := rn.PQ.Run(base.SQL())
	if b.Err != nil {
		return
	}
	var union Result
	union.OIDs = b.OIDs
	for _, part := range parts {
		c2 := rn.pickConfig()
		r := rn.PQ.Run(part.SQL())
		if r.Err != nil {
			if r.Code != "0A000" {
				// PostgreSQL decides whether this is a difference.
				if o := rn.judge(part, c2); o.failed() {
					rn.report("tlp-part", part, c2, o)
				}
			}
			return
		}
		union.Rows = append(union.Rows, r.Rows...)
	}
	rn.Stats.TLPChecked++
	if d := CompareResults(b, union, false); d != "" {
		rn.metamorphicFailure("tlp", append([]*Query{base}, parts...), c, "TLP: rows of Q differ from the union of its partitions by "+p+"\n"+d)
	}
}

// norec compares count(*) WHERE p with sum(CASE WHEN p ...) on pqdb.
func (rn *Runner) norec(q *Query, p string) {
	opt, ref := norecQueries(q, p)
	c := rn.pickConfig()
	a := rn.PQ.Run(opt.SQL())
	c2 := rn.pickConfig()
	b := rn.PQ.Run(ref.SQL())
	if a.Err != nil || b.Err != nil {
		if (a.Err == nil) != (b.Err == nil) && a.Code != "0A000" && b.Code != "0A000" {
			for i, qq := range []*Query{opt, ref} {
				cc := []ExecConfig{c, c2}[i]
				if o := rn.judge(qq, cc); o.failed() {
					rn.report("norec-part", qq, cc, o)
					return
				}
			}
		}
		return
	}
	rn.Stats.NoRECChecked++
	x, err1 := countOf(a)
	y, err2 := countOf(b)
	if err1 != nil || err2 != nil || x != y {
		rn.metamorphicFailure("norec", []*Query{opt, ref}, c, fmt.Sprintf("NoREC: count(*) WHERE p = %s, sum(CASE WHEN p THEN 1 ELSE 0 END) = %s", rowsOne(a), rowsOne(b)))
	}
}

func rowsOne(r Result) string {
	if len(r.Rows) == 1 && len(r.Rows[0]) == 1 {
		return rowText(r.Rows[0])
	}
	return fmt.Sprintf("%d rows", len(r.Rows))
}

// metamorphicFailure finds which of the oracle's queries pqdb answers
// differently from PostgreSQL and reports that one; if none does, it
// reports the broken relation itself.
func (rn *Runner) metamorphicFailure(oracle string, qs []*Query, c ExecConfig, msg string) {
	for _, q := range qs {
		for _, cc := range []ExecConfig{c, rn.pickConfig()} {
			if o := rn.judge(q, cc); o.failed() {
				rn.report(oracle, q, cc, o)
				return
			}
		}
	}
	rn.Stats.Failures++
	f := &Finding{Oracle: oracle, Class: "relation", Config: c, Query: qs[0].SQL(), Original: qs[0].SQL(), Diff: msg + "\n(every query agreed with PostgreSQL when rerun: the difference depends on the execution configuration or is nondeterministic)"}
	for _, q := range qs[1:] {
		f.Query += ";\n" + q.SQL()
	}
	f.Key = oracle + "|relation|" + skeleton(qs[0].SQL())
	rn.add(f)
}

// report shrinks a failing query and records the finding.
func (rn *Runner) report(oracle string, q *Query, c ExecConfig, o outcome) {
	rn.Stats.Failures++
	orig := q.SQL()
	if o.pq.Code == "timeout" {
		// Each attempt to shrink a query that runs too long on pqdb
		// takes the whole timeout: report it as generated.
		f := &Finding{Oracle: oracle, Class: o.class, Config: c, Query: orig, Original: orig,
			PG: o.pg, PQ: o.pq, Diff: o.diff, Features: q.Features}
		f.Key = findingKey(o, f.Query)
		if !rn.seen[f.Key] {
			rn.add(f)
		}
		return
	}
	small, so := rn.shrink(q, c, o)
	f := &Finding{Oracle: oracle, Class: so.class, Config: c, Query: small.SQL(), Original: orig,
		PG: so.pg, PQ: so.pq, Diff: so.diff, Features: small.Features}
	f.Key = findingKey(so, f.Query)
	if rn.seen[f.Key] {
		return
	}
	if rn.ReduceBudget > 0 {
		if script, ro := rn.reduceData(small, c, so, rn.ReduceBudget); script != nil {
			f.Repro = reproText(script, c, rn.timeZone(), f.Query)
			f.Diff = ro.diff
		}
	}
	rn.add(f)
}

// findingKey tells findings apart: type differences by the types,
// numeric scale and precision differences by the constructs that make
// numerics, others by the blurred shape of the shrunk query.
func findingKey(o outcome, sql string) string {
	switch o.class {
	case "types":
		var lines []string
		for _, l := range strings.Split(o.diff, "\n") {
			if i := strings.Index(l, " type: "); i >= 0 {
				lines = append(lines, l[i:])
			}
		}
		sort.Strings(lines)
		return o.class + "|" + strings.Join(lines, ";")
	case "empty-row-as-null":
		return o.class
	case "numeric-scale", "numeric-precision":
		var cons []string
		for _, c := range []string{"avg(", "sum(", " / ", "UNION", "INTERSECT", "EXCEPT", "GREATEST", "LEAST", "CASE", "COALESCE", "NULLIF", "round(", "trunc(", " * ", "CAST", "min(", "max("} {
			if strings.Contains(sql, c) {
				cons = append(cons, strings.TrimSpace(c))
			}
		}
		return o.class + "|" + strings.Join(cons, ",")
	}
	return o.class + "|" + skeleton(sql)
}

func (rn *Runner) add(f *Finding) {
	if rn.seen[f.Key] {
		return
	}
	rn.seen[f.Key] = true
	rn.Findings = append(rn.Findings, f)
}

var (
	reAlias  = regexp.MustCompile(`\b[xs][0-9]+\b`)
	reString = regexp.MustCompile(`'(?:[^']|'')*'`)
	reNumber = regexp.MustCompile(`\b[0-9]+(\.[0-9]+)?\b`)
	reCol    = regexp.MustCompile(`\b(ia|ta|ts|tz|id|[ifnsbdj])[0-9]+\b`)
)

// skeleton is a query with names and literals blurred, to tell
// differences apart.
func skeleton(sql string) string {
	s := reString.ReplaceAllString(sql, "'?'")
	s = reAlias.ReplaceAllString(s, "A")
	s = reCol.ReplaceAllString(s, "$1")
	s = reNumber.ReplaceAllString(s, "N")
	s = regexp.MustCompile(`\bt[0-9]\b`).ReplaceAllString(s, "T")
	return s
}

// Report prints a finding as a reproduction.
func (rn *Runner) Report(f *Finding, withSchema bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "difference (%s oracle, %s) seed %d, TimeZone %s, %s\n", f.Oracle, f.Class, rn.Seed, rn.timeZone(), f.Config)
	if withSchema && f.Repro == "" {
		b.WriteString("schema:\n")
		for _, d := range rn.Schema.DDL() {
			b.WriteString("  " + d + ";\n")
		}
		if rn.LoadFile != "" {
			b.WriteString("data: " + rn.LoadFile + "\n")
		}
	}
	if f.Repro != "" {
		b.WriteString("reproduction (reduced data):\n" + f.Repro)
	} else if rn.timeZone() != "UTC" {
		b.WriteString("query (after SET TimeZone = " + quote(rn.timeZone()) + "):\n  " + f.Query + ";\n")
	} else {
		b.WriteString("query:\n  " + f.Query + ";\n")
	}
	if f.Original != f.Query {
		b.WriteString("shrunk from:\n  " + f.Original + ";\n")
	}
	b.WriteString(f.Diff)
	return b.String()
}

func (rn *Runner) timeZone() string {
	if rn.TimeZone == "" {
		return "UTC"
	}
	return rn.TimeZone
}

// Summary prints the statistics.
func (s *Stats) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d queries %v; TLP checks %d, NoREC checks %d; failures %d\n", s.Queries, s.Shapes, s.TLPChecked, s.NoRECChecked, s.Failures)
	dump := func(title string, m map[string]int) {
		if len(m) == 0 {
			return
		}
		b.WriteString(title + "\n")
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
		for _, k := range keys {
			fmt.Fprintf(&b, "  %6d  %s\n", m[k], k)
		}
	}
	dump("pqdb: feature not supported (0A000):", s.Unsupported)
	dump("features of the queries pqdb rejected with 0A000:", s.UnsupFeature)
	dump("errors on both servers (same SQLSTATE):", s.BothErr)
	dump("rejected by PostgreSQL (generator gaps):", s.PGRejected)
	dump("differences SQL allows (tolerated):", s.Tolerated)
	dump("execution configurations:", s.Configs)
	return b.String()
}
