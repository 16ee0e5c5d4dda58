package planner

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// GROUP BY with GROUPING SETS, ROLLUP and CUBE, and GROUPING(...).
//
// The GROUP BY clause expands as PostgreSQL's expand_grouping_sets does:
// each item is a list of grouping sets (a plain expression is one set of
// one expression; ROLLUP (a, b) is (a, b), (a), (); CUBE (a, b) every
// subset; GROUPING SETS the sets it lists, nested ROLLUP, CUBE and
// GROUPING SETS flattened), and the clause is the cartesian product of
// its items, each set the concatenation of one set per item. GROUP BY
// DISTINCT drops repeated sets; otherwise each repeat yields its rows
// again.
//
// The query's Aggregate is bound as usual, with Groups the distinct
// expressions of every set. When there is more than one set, the plan
// computes one Aggregate per set, each grouped by its set's expressions,
// and appends their rows (UNION ALL): a row carries NULL in the group
// columns its set does not group by. The input is read once: each
// Aggregate reads it through a CTE Scan of one shared evaluation (or its
// own copy, when the input reads the enclosing query's row and so must be
// re-run per outer row). EXPLAIN shows that plan: an Append of one
// HashAggregate per grouping set.
//
// GROUPING(a, b, ...) binds to a GroupingRef, which never survives
// binding: it becomes a column holding, in each set's rows, the bit mask
// of its arguments not grouped by that set (the first argument the most
// significant bit), a constant per Aggregate.

// GroupingRef is GROUPING(Args) while the binder builds the grouping.
type GroupingRef struct {
	Args    []Expr
	ArgLocs []int32 // where each argument was written, for errors
	Loc     int32
}

func (e *GroupingRef) Type() catalog.Type { return catalog.TypeInt4 }

func (e *GroupingRef) String() string { return "GROUPING(" + joinExprs(e.Args, ", ") + ")" }

// maxGroupingSets is PostgreSQL's limit on the expanded sets.
const maxGroupingSets = 4096

// bindGroupingFunc binds GROUPING(...) where aggregates are allowed.
func (b *binder) bindGroupingFunc(g *pg_query.GroupingFunc, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxSelect, ctxHaving, ctxOrderBy, ctxWindowArg, ctxWindowDef:
	case ctxAggArg:
		return nil, b.errAt(pgerr.GroupingError, g.Location, "aggregate function calls cannot be nested")
	default:
		return nil, b.errAt(pgerr.GroupingError, g.Location, "grouping operations are not allowed in %s", contextName[ctx])
	}
	if len(g.Args) > 31 {
		return nil, b.errAt(pgerr.TooManyArguments, g.Location, "GROUPING must have fewer than 32 arguments")
	}
	ref := &GroupingRef{Loc: g.Location}
	for _, a := range g.Args {
		e, err := b.bindExpr(a, sc, ctxWindowArg)
		if err != nil {
			return nil, err
		}
		ref.Args = append(ref.Args, b.resolveUnknown(e))
		ref.ArgLocs = append(ref.ArgLocs, exprLocation(a, g.Location))
	}
	return ref, nil
}

func hasGrouping(e Expr) bool { return contains[*GroupingRef](e) }

// groupingSets is an expanded GROUP BY clause: its distinct expressions
// and each set as indexes into them (nil when the clause is plain
// expressions, one set of all of them).
type groupingSets struct {
	groups []Expr
	sets   [][]int
}

// bindGroupClause binds and expands a GROUP BY clause; bindItem binds one
// expression of it (an output column name or position, or an expression
// over the FROM row).
func (b *binder) bindGroupClause(s *pg_query.SelectStmt, bindItem func(*pg_query.Node) (Expr, error)) (*groupingSets, error) {
	gs := &groupingSets{}
	index := map[string]int{}
	add := func(n *pg_query.Node) (int, error) {
		e, err := bindItem(n)
		if err != nil {
			return 0, err
		}
		k := exprKey(e)
		if i, ok := index[k]; ok {
			return i, nil
		}
		index[k] = len(gs.groups)
		gs.groups = append(gs.groups, e)
		return len(gs.groups) - 1, nil
	}
	hasSets := false
	product := [][]int{{}}
	for _, item := range s.GroupClause {
		var sets [][]int
		if g := item.GetGroupingSet(); g != nil {
			hasSets = true
			var err error
			if sets, err = b.expandGroupingSet(g, add); err != nil {
				return nil, err
			}
		} else {
			i, err := add(item)
			if err != nil {
				return nil, err
			}
			sets = [][]int{{i}}
		}
		next := make([][]int, 0, len(product)*len(sets))
		for _, p := range product {
			for _, set := range sets {
				next = append(next, append(slices.Clone(p), set...))
			}
		}
		if len(next) > maxGroupingSets {
			return nil, b.errAt(pgerr.StatementTooComplex, exprLocation(item, -1), "too many grouping sets present (maximum %d)", maxGroupingSets)
		}
		product = next
	}
	if !hasSets {
		return gs, nil
	}
	for i, set := range product {
		set = slices.Clone(set)
		slices.Sort(set)
		product[i] = slices.Compact(set)
	}
	if s.GroupDistinct {
		seen := map[string]bool{}
		kept := product[:0]
		for _, set := range product {
			k := setKey(set)
			if !seen[k] {
				seen[k] = true
				kept = append(kept, set)
			}
		}
		product = kept
	}
	gs.sets = product
	return gs, nil
}

func setKey(set []int) string {
	parts := make([]string, len(set))
	for i, x := range set {
		parts[i] = itoa(int64(x))
	}
	return strings.Join(parts, ",")
}

// expandGroupingSet lists the sets of a GROUPING SETS, ROLLUP, CUBE or ()
// item; add binds an expression and returns its index.
func (b *binder) expandGroupingSet(g *pg_query.GroupingSet, add func(*pg_query.Node) (int, error)) ([][]int, error) {
	// simple is one element of a ROLLUP or CUBE, or a plain set of
	// GROUPING SETS: an expression or a parenthesized list of them.
	simple := func(n *pg_query.Node) ([]int, error) {
		if r := n.GetRowExpr(); r != nil && r.RowFormat == pg_query.CoercionForm_COERCE_IMPLICIT_CAST {
			var set []int
			for _, a := range r.Args {
				i, err := add(a)
				if err != nil {
					return nil, err
				}
				set = append(set, i)
			}
			return set, nil
		}
		i, err := add(n)
		if err != nil {
			return nil, err
		}
		return []int{i}, nil
	}
	switch g.Kind {
	case pg_query.GroupingSetKind_GROUPING_SET_EMPTY:
		return [][]int{{}}, nil
	case pg_query.GroupingSetKind_GROUPING_SET_ROLLUP, pg_query.GroupingSetKind_GROUPING_SET_CUBE:
		var elems [][]int
		for _, n := range g.Content {
			e, err := simple(n)
			if err != nil {
				return nil, err
			}
			elems = append(elems, e)
		}
		var out [][]int
		if g.Kind == pg_query.GroupingSetKind_GROUPING_SET_ROLLUP {
			for k := len(elems); k >= 0; k-- {
				out = append(out, slices.Concat(elems[:k]...))
			}
			return out, nil
		}
		if len(elems) > 12 {
			return nil, b.errAt(pgerr.ProgramLimitExceeded, g.Location, "CUBE is limited to 12 elements")
		}
		for mask := 0; mask < 1<<len(elems); mask++ {
			set := []int{}
			for i, e := range elems {
				if mask&(1<<i) != 0 {
					set = append(set, e...)
				}
			}
			out = append(out, set)
		}
		return out, nil
	}
	// GROUPING SETS (...)
	var out [][]int
	for _, n := range g.Content {
		if inner := n.GetGroupingSet(); inner != nil {
			sets, err := b.expandGroupingSet(inner, add)
			if err != nil {
				return nil, err
			}
			out = append(out, sets...)
			continue
		}
		set, err := simple(n)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

// finishGrouping completes an Aggregate whose expressions the aggRewriter
// has rewritten: it replaces the GROUPING calls of exprs and having by
// their columns and, for grouping sets, builds the plan of one Aggregate
// per set. It returns the node that stands for the Aggregate.
func (b *binder) finishGrouping(agg *Aggregate, gs *groupingSets, groupKeys map[string]int, exprs []Expr, having *Expr) (Node, error) {
	// The distinct GROUPING calls, each a column after the aggregates.
	var refs []*GroupingRef
	refCol := map[string]int{}
	var err error
	resolve := func(e Expr) Expr {
		return mapExpr(e, func(n Expr) Expr {
			g, ok := n.(*GroupingRef)
			if !ok || err != nil {
				return n
			}
			for i, a := range g.Args {
				if _, ok := groupKeys[exprKey(a)]; !ok {
					err = b.errAt(pgerr.GroupingError, g.ArgLocs[i], "arguments to GROUPING must be grouping expressions of the associated query level")
					return n
				}
			}
			if gs.sets == nil {
				// Plain GROUP BY: every argument is grouped.
				return &Const{Value: int32(0), T: catalog.TypeInt4}
			}
			k := exprKey(g)
			c, ok := refCol[k]
			if !ok {
				c = len(agg.Groups) + len(agg.Aggs) + len(refs)
				refCol[k] = c
				refs = append(refs, g)
			}
			return &ColRef{Index: c, T: catalog.TypeInt4, Name: g.String()}
		})
	}
	for i, e := range exprs {
		exprs[i] = resolve(e)
	}
	if *having != nil {
		*having = resolve(*having)
	}
	if err != nil {
		return nil, err
	}
	if gs.sets == nil {
		return agg, nil
	}
	return b.groupingSetsPlan(agg, gs, groupKeys, refs), nil
}

// groupingSetsPlan is the UNION ALL of one Aggregate per grouping set,
// each projected to agg's output (groups, then aggregates) followed by
// the values of the GROUPING calls refs.
func (b *binder) groupingSetsPlan(agg *Aggregate, gs *groupingSets, groupKeys map[string]int, refs []*GroupingRef) Node {
	shared := !nodeReadsOuter(agg.Input)
	id := cteIDs.Add(1)
	var out Node
	for _, set := range gs.sets {
		input := agg.Input
		if shared {
			input = &CTEScan{Name: "grouping sets", Alias: "grouping sets", ID: id, Plan: clonePlan(agg.Input)}
		} else if out != nil {
			input = clonePlan(agg.Input)
		}
		groups := make([]Expr, len(set))
		pos := map[int]int{}
		for i, g := range set {
			groups[i], pos[g] = agg.Groups[g], i
		}
		a := &Aggregate{Input: input, Groups: groups, Aggs: slices.Clone(agg.Aggs)}
		if len(groups) == 0 && len(a.Aggs) == 0 {
			// The grand total of a query without aggregates is still one
			// row; an Aggregate without any column would emit none.
			a.Aggs = []*AggRef{{Agg: exec.AggCountStar, T: catalog.TypeInt8}}
		}
		exprs := make([]Expr, 0, len(agg.Groups)+len(agg.Aggs)+len(refs))
		for g, e := range agg.Groups {
			if p, ok := pos[g]; ok {
				exprs = append(exprs, &ColRef{Index: p, T: e.Type(), Name: e.String()})
			} else {
				exprs = append(exprs, &Const{T: e.Type()})
			}
		}
		for i, x := range agg.Aggs {
			exprs = append(exprs, &ColRef{Index: len(set) + i, T: x.T, Name: x.String()})
		}
		for _, r := range refs {
			mask := int32(0)
			for _, arg := range r.Args {
				mask <<= 1
				if _, ok := pos[groupKeys[exprKey(arg)]]; !ok {
					mask |= 1
				}
			}
			exprs = append(exprs, &Const{Value: mask, T: catalog.TypeInt4})
		}
		var branch Node = &Project{Input: a, Exprs: exprs}
		if out == nil {
			out = branch
			continue
		}
		out = &SetOp{Kind: SetUnion, All: true, Left: out, Right: branch}
	}
	return out
}
