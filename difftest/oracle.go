package difftest

import (
	"fmt"
	"strconv"
)

// An oracle turns a generated query into statements whose results must
// agree: with PostgreSQL (direct), or among themselves on pqdb (TLP,
// NoREC).

// tlpQueries are ternary logic partitioning's queries for q, a plain
// SELECT without DISTINCT, aggregates, set operations or LIMIT: Q, and Q
// with WHERE p, NOT p and p IS NULL added. The rows of Q are the
// multiset union of the other three.
func tlpQueries(q *Query, p string) (base *Query, parts []*Query) {
	base = q.clone()
	base.OrderBy, base.Limit, base.Offset = nil, -1, 0
	for _, w := range []string{p, "(NOT " + p + ")", "((" + p + ") IS NULL)"} {
		part := base.clone()
		part.Sel.Where = append(part.Sel.Where, w)
		parts = append(parts, part)
	}
	return base, parts
}

// tlpApplies says whether q has the shape TLP partitions.
func tlpApplies(q *Query) bool {
	return q.SetOp == "" && !q.Sel.Distinct && len(q.Sel.GroupBy) == 0 && q.Shape == "select" && q.Limit < 0
}

// norecQueries are NoREC's pair over q's FROM and WHERE: SELECT count(*)
// ... WHERE p, which the optimizer may rewrite, and SELECT sum(CASE WHEN p
// THEN 1 ELSE 0 END), which it evaluates per row.
func norecQueries(q *Query, p string) (opt, ref *Query) {
	opt = &Query{Limit: -1, Shape: "norec", Sel: q.Sel.clone(), Features: q.Features}
	opt.Sel.Distinct = false
	opt.Sel.GroupBy, opt.Sel.Having = nil, nil
	ref = &Query{Limit: -1, Shape: "norec", Sel: opt.Sel.clone(), Features: q.Features}
	opt.Sel.Items = []Expr{{SQL: "count(*)", T: tInt8}}
	opt.Sel.Where = append(opt.Sel.Where, p)
	ref.Sel.Items = []Expr{{SQL: "sum(CASE WHEN " + p + " THEN 1 ELSE 0 END)", T: tInt8}}
	return opt, ref
}

// countOf reads a one-value count result (NULL counts 0).
func countOf(r Result) (int64, error) {
	if len(r.Rows) != 1 || len(r.Rows[0]) != 1 {
		return 0, fmt.Errorf("want one value, got %d rows", len(r.Rows))
	}
	if r.Rows[0][0] == nullText {
		return 0, nil
	}
	return strconv.ParseInt(r.Rows[0][0], 10, 64)
}
