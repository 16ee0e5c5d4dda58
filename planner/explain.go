package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// Explanation is a plan lowered for EXPLAIN: one entry per operator that
// runs, recorded by the lowering itself, so EXPLAIN names what really
// runs (a hash join or a nested loop, a top-N sort under a LIMIT, a
// parallel aggregate) rather than what the logical plan suggests. Under
// EXPLAIN ANALYZE each entry holds the exec.Instrumented wrapper that
// counted its rows, loops and time.
type Explanation struct {
	root     *explainEntry
	plan     *ExplainPlan
	execTime time.Duration
	folded   bool
}

// explainEntry is one plan node as EXPLAIN prints it.
type explainEntry struct {
	// name is PostgreSQL's text name ("Seq Scan", "Hash Left Join");
	// nodeType and joinType are the JSON "Node Type" and "Join Type".
	name, nodeType, joinType string
	// target follows the name: " on t alias".
	target          string
	relation, alias string
	props           []explainProp
	// label, when set, heads the entry under its parent ("SubPlan 1",
	// "CTE t"): a plan that runs on behalf of its parent's expressions.
	label    string
	children []*explainEntry
	stats    *exec.Instrumented
	// scanned counts a scan's rows before its filters, for "Rows Removed
	// by Filter".
	scanned *exec.Instrumented
	// parallel marks an operator whose children are its pipelines, one
	// copy of the same plan each.
	parallel bool
	// gather marks a Gather: its pipelines' entries describe the node.
	gather bool
	// scanCounts counts the segments and row groups a scan read and
	// skipped under EXPLAIN ANALYZE; segments marks a table's scan, whose
	// segments are shown too.
	scanCounts *storage.ScanCounts
	segments   bool
	// index is the secondary index a scan reads through (index_scan.go),
	// with its filters split into the index's condition and the rest.
	index                    *catalog.Index
	indexConds, indexFilters []Expr
	// runtimeFilters are the columns a scan reads only the join's build
	// keys of (runtime_filter.go).
	runtimeFilters []string
	// planRows is the planner's estimate of the node's rows (0: none
	// shown; unknownRows: nothing known).
	planRows float64
}

type explainProp struct {
	key  string
	text string
	list []string // a list-valued property (Sort Key, Group Key)
	num  bool     // text is a number (JSON prints it bare)
	// json, when set, are the members JSON shows for what text shows as
	// one line (Sort Method: quicksort  Memory: 25kB).
	json []explainProp
}

func (e *explainEntry) prop(key, text string) {
	e.props = append(e.props, explainProp{key: key, text: text})
}

func (e *explainEntry) propNum(key string, n int64) {
	e.props = append(e.props, explainProp{key: key, text: itoa(n), num: true})
}

func (e *explainEntry) propList(key string, list []string) {
	e.props = append(e.props, explainProp{key: key, list: list})
}

// LowerExplain lowers the plan EXPLAIN x shows. With x.Analyze it also
// returns the parts of the statement for the caller to run, in order and
// each to its end, before rendering: the data-modifying WITH queries, then
// the main statement, each lowered and instrumented (ExplainPart);
// otherwise nothing runs.
func LowerExplain(x *ExplainPlan, cat Catalog, params []catalog.Datum, opts LowerOptions) ([]*ExplainPart, *Explanation, error) {
	l := &lowerer{cat: cat, params: params, opts: opts, explain: &explainer{analyze: x.Analyze, timing: x.Timing}}
	if est, ok := cat.(tableEstimates); ok && x.Costs {
		l.explain.estimates = &rowEstimator{cat: est}
	}
	ex := &Explanation{plan: x}
	inner := x.Inner
	var parts []*ExplainPart
	var ctes []*explainEntry
	if w, ok := inner.(*ModifyingWithPlan); ok {
		// PostgreSQL shows each data-modifying WITH query as an InitPlan
		// named "CTE name" of the main statement's top node.
		for _, c := range w.CTEs {
			e, op, err := l.explainStatement(c.Plan)
			if err != nil {
				return nil, nil, err
			}
			parts = append(parts, &ExplainPart{Plan: c.Plan, Op: op, head: e})
			e.label = "CTE " + c.Name
			ctes = append(ctes, e)
		}
		inner = w.Main
	}
	root, op, err := l.explainStatement(inner)
	if err != nil {
		return nil, nil, err
	}
	if root == nil {
		ex.root = &explainEntry{name: "Utility Statement (" + inner.planKind() + ")", nodeType: "Utility Statement"}
		return nil, ex, nil
	}
	main := &ExplainPart{Plan: inner, Op: op}
	if !isQuery(inner) {
		main.head = root
	}
	root.children = append(ctes, root.children...)
	ex.root = root
	if !x.Analyze {
		return nil, ex, nil
	}
	return append(parts, main), ex, nil
}

func isQuery(p Plan) bool {
	_, ok := p.(*QueryPlan)
	return ok
}

// ExplainPart is one part of a statement EXPLAIN ANALYZE runs: a query,
// whose instrumented plan Op the caller runs, or a data-modifying plan
// (an InsertPlan, UpdatePlan or DeletePlan), which the caller runs with Op
// as its source, in place of lowering Source, then reports through
// Modified.
type ExplainPart struct {
	Plan Plan
	Op   exec.Operator
	// head is the data-modifying plan's entry ("Insert on t").
	head *explainEntry
}

// Modified records the run of a data-modifying part: as PostgreSQL
// counts them, the rows it returned (its RETURNING rows, none without
// one), in one loop taking elapsed.
func (p *ExplainPart) Modified(returned int64, elapsed time.Duration) {
	if p.head != nil {
		p.head.stats = &exec.Instrumented{Loops: 1, Rows: returned, Startup: elapsed, Total: elapsed}
	}
}

// explainStatement lowers a query or data-modifying plan for EXPLAIN and
// returns its entry and operator; a nil entry for other statements.
func (l *lowerer) explainStatement(p Plan) (*explainEntry, exec.Operator, error) {
	var source Node
	var head *explainEntry
	switch p := p.(type) {
	case *QueryPlan:
		source = p.Root
	case *InsertPlan:
		head = modifyEntry("Insert", p.Table)
		if c := p.Conflict; c != nil {
			action := "NOTHING"
			if c.Update != nil {
				action = "UPDATE"
			}
			head.prop("Conflict Resolution", action)
			if c.Arbiters != nil {
				head.propList("Conflict Arbiter Indexes", c.Arbiters)
			}
		}
		source = p.Source
	case *UpdatePlan:
		head, source = modifyEntry("Update", p.Table), p.Source
	case *DeletePlan:
		head, source = modifyEntry("Delete", p.Table), p.Source
	default:
		return nil, nil, nil
	}
	l.explain.root = nil
	op, err := l.node(source)
	if err != nil {
		return nil, nil, err
	}
	root := l.explain.root
	if head != nil {
		head.children = []*explainEntry{root}
		root = head
	}
	return root, op, nil
}

func modifyEntry(op string, t *catalog.Table) *explainEntry {
	e := &explainEntry{name: op, nodeType: "ModifyTable", target: " on " + t.Name, relation: t.Name, alias: t.Name}
	e.prop("Operation", op)
	return e
}

// fold readies the entries for rendering, once.
func (ex *Explanation) fold() {
	if !ex.folded {
		ex.folded = true
		ex.root.foldParallel()
	}
}

// SetExecutionTime records how long the analyzed statement ran.
func (ex *Explanation) SetExecutionTime(d time.Duration) { ex.execTime = d }

// explainer records entries while a plan is lowered for EXPLAIN.
type explainer struct {
	analyze, timing bool
	// estimates, when COSTS is on and the catalog has estimates, gives
	// each entry its node's estimated rows.
	estimates *rowEstimator
	root, cur *explainEntry
	// label heads the next entry lowered (its parent's SubPlan or CTE).
	label    string
	subplans int
}

// lowered runs build, the lowering of plan node n, recording n's entry
// when explaining: the entries lowered meanwhile become its children, and
// under ANALYZE the operator build returns is instrumented.
func (l *lowerer) lowered(n Node, build func() (exec.Operator, error)) (exec.Operator, error) {
	x := l.explain
	if x == nil {
		return build()
	}
	e := &explainEntry{label: x.label}
	x.label = ""
	parent := x.cur
	x.cur = e
	op, err := build()
	x.cur = parent
	if err != nil {
		return nil, err
	}
	if !e.gather {
		describe(e, n)
	}
	if x.estimates != nil {
		e.planRows = x.estimates.rows(n)
	}
	if parent == nil {
		x.root = e
	} else {
		parent.children = append(parent.children, e)
	}
	if x.analyze {
		e.stats = exec.Instrument(op, x.timing)
		op = e.stats
	}
	return op, nil
}

// entry is the entry being lowered, for lowering decisions to record what
// they chose; nil when not explaining.
func (l *lowerer) entry() *explainEntry {
	if l.explain == nil {
		return nil
	}
	return l.explain.cur
}

// labelNext heads the next entry lowered with label.
func (l *lowerer) labelNext(label string) {
	if l.explain != nil {
		l.explain.label = label
	}
}

// nextSubPlan numbers a subquery plan as PostgreSQL does: "SubPlan 1",
// "SubPlan 2", ... in the order they are lowered.
func (l *lowerer) nextSubPlan() {
	if l.explain != nil {
		l.explain.subplans++
		l.explain.label = fmt.Sprintf("SubPlan %d", l.explain.subplans)
	}
}

// foldParallel folds the entries of the pipelines a parallel operator
// lowered (one identical subtree each) into the first, once the plan has
// run: EXPLAIN shows the pipeline once, each pipeline counted as one loop
// of its nodes.
func (e *explainEntry) foldParallel() {
	if e.parallel && len(e.children) > 1 {
		first := e.children[0]
		for _, c := range e.children[1:] {
			mergeEntry(first, c)
		}
		e.children = e.children[:1]
	}
	for _, c := range e.children {
		c.foldParallel()
	}
}

func mergeEntry(into, from *explainEntry) {
	if into.stats != nil && from.stats != nil {
		into.stats.Merge(from.stats)
	}
	if into.scanned != nil && from.scanned != nil {
		into.scanned.Merge(from.scanned)
	}
	if into.scanCounts != nil && from.scanCounts != nil {
		into.scanCounts.Merge(from.scanCounts)
	}
	for i := range min(len(into.children), len(from.children)) {
		mergeEntry(into.children[i], from.children[i])
	}
}

// describe fills in what EXPLAIN shows of n, keeping what lowering
// recorded (the name of the physical operator it chose).
func describe(e *explainEntry, n Node) {
	setName := func(name string) {
		if e.name == "" {
			e.name = name
		}
	}
	switch x := n.(type) {
	case *Scan:
		if x.Files != nil {
			setName("Parquet Scan")
		}
		if x.HistoryOf != nil {
			setName("Function Scan")
		}
		setName("Seq Scan")
		e.relation, e.alias = x.Table.Name, x.Alias
		if e.alias == "" {
			e.alias = x.Table.Name
		}
		e.target = " on " + aliased(x.Table.Name, x.Alias)
		if e.index != nil {
			e.target = " using " + e.index.Name + e.target
		}
		if x.AsOf != nil {
			e.target += " as of " + x.AsOf.String()
		}
		var cols []string
		for _, c := range x.Cols {
			cols = append(cols, x.Table.Columns[c].Name)
		}
		e.propList("Columns", cols)
		switch {
		case e.index != nil:
			e.prop("Index Cond", makeAnd(e.indexConds).String())
			if len(e.indexFilters) > 0 {
				e.prop("Filter", makeAnd(e.indexFilters).String())
			}
		case len(x.Filters) > 0:
			e.prop("Filter", makeAnd(x.Filters).String())
		}
		if len(e.runtimeFilters) > 0 {
			e.propList("Runtime Filter", e.runtimeFilters)
		}
	case *Written:
		setName("Written Rows")
	case *ModifiedRows:
		setName("CTE Scan")
		e.target = " on " + aliased(x.Name, x.Alias)
	case *Values:
		setName("Values Scan")
		e.propNum("Rows", int64(len(x.Rows)))
	case *Filter:
		setName("Filter")
		e.prop("Filter", x.Pred.String())
	case *Project:
		setName("Project")
		e.propList("Output", exprStrings(x.Exprs))
	case *Aggregate:
		if len(x.Groups) == 0 {
			setName("Aggregate")
		} else {
			setName("HashAggregate")
			e.propList("Group Key", exprStrings(x.Groups))
		}
		e.nodeType = "Aggregate"
		aggs := make([]Expr, len(x.Aggs))
		for i, a := range x.Aggs {
			aggs[i] = a
		}
		if len(aggs) > 0 {
			e.propList("Aggregates", exprStrings(aggs))
		}
	case *Join:
		// A nested loop runs when the condition has no equality to hash
		// on, so its whole condition is the join filter.
		var residual []Expr
		if x.Cond != nil {
			residual = splitAnd(x.Cond)
		}
		if e.nodeType == "Hash Join" {
			e.prop("Hash Cond", makeAnd(hashCondExprs(x.Cond, len(x.Left.Types()))).String())
			_, residual = splitJoinCond(x.Cond, len(x.Left.Types()))
		}
		if len(residual) > 0 {
			e.prop("Join Filter", makeAnd(residual).String())
		}
	case *LateralJoin:
		// The nested loop that re-runs its inner side per outer row.
		if c := x.residual(); c != nil {
			e.prop("Join Filter", c.String())
		}
	case *Sort:
		setName("Sort")
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = k.Expr.String()
			if k.Desc {
				keys[i] += " DESC"
			}
		}
		e.props = append([]explainProp{{key: "Sort Key", list: keys}}, e.props...)
	case *Limit:
		setName("Limit")
	case *LockRows:
		setName("LockRows")
	case *Distinct:
		setName("HashAggregate")
		e.nodeType = "Aggregate"
		e.prop("Distinct", "true")
	case *ProjectSet:
		calls := make([]string, len(x.Funcs))
		for i, f := range x.Funcs {
			calls[i] = f.String()
		}
		if v, ok := x.Input.(*Values); ok && x.FromItem && len(v.Rows) == 1 && len(v.Rows[0]) == 0 {
			// A function in FROM reading no other item.
			setName("Function Scan")
			e.target = " on " + strings.Join(calls, ", ")
			if len(e.children) > 0 {
				// The empty row it reads; subplans of its arguments stay.
				e.children = e.children[1:]
			}
		} else {
			setName("ProjectSet")
			e.propList("Functions", calls)
		}
	case *Window:
		setName("WindowAgg")
		if len(x.PartitionBy) > 0 {
			e.propList("Partition Key", exprStrings(x.PartitionBy))
		}
		if len(x.OrderBy) > 0 {
			e.prop("Order Key", sortKeysText(x.OrderBy))
		}
		calls := make([]string, len(x.Funcs))
		for i, f := range x.Funcs {
			calls[i] = f.String()
		}
		e.propList("Functions", calls)
	case *SetOp:
		name := map[SetOpKind]string{SetUnion: "Union", SetIntersect: "Intersect", SetExcept: "Except"}[x.Kind]
		if x.All {
			name += " All"
		}
		setName(name)
	case *RecursiveUnion:
		setName("Recursive Union")
	case *WorkTableScan:
		setName("WorkTable Scan")
		e.target = " on " + aliased(x.Name, x.Alias)
	case *CTEScan:
		setName("CTE Scan")
		e.target = " on " + aliased(x.Name, x.Alias)
	default:
		setName(fmt.Sprintf("%T", n))
	}
	if e.nodeType == "" {
		e.nodeType = e.name
	}
}

// setJoin records the join lowering chose, named as PostgreSQL names
// it: "Hash Join", "Hash Left Join", "Nested Loop", "Nested Loop Anti
// Join", ...
func (e *explainEntry) setJoin(hash bool, kind JoinKind) {
	e.joinType = map[JoinKind]string{JoinInner: "Inner", JoinCross: "Inner", JoinLeft: "Left", JoinFull: "Full", JoinSemi: "Semi", JoinAnti: "Anti"}[kind]
	if hash {
		e.nodeType = "Hash Join"
		e.name = "Hash Join"
		if e.joinType != "Inner" {
			e.name = "Hash " + e.joinType + " Join"
		}
		return
	}
	e.nodeType, e.name = "Nested Loop", "Nested Loop"
	if e.joinType != "Inner" {
		e.name += " " + e.joinType + " Join"
	}
}

func exprStrings(es []Expr) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

// hashCondExprs are the conjuncts of cond that splitJoinCond takes as hash
// keys, as written in the condition.
func hashCondExprs(cond Expr, nl int) []Expr {
	var out []Expr
	for _, c := range splitAnd(cond) {
		if k, _ := splitJoinCond(c, nl); len(k) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// aliased is a relation's name followed by its alias when that differs.
func aliased(name, alias string) string {
	if alias != "" && alias != name {
		return name + " " + alias
	}
	return name
}
