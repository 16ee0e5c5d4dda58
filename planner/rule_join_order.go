package planner

import (
	"slices"

	"github.com/pqdb/pqdb/exec"
)

// orderJoins chooses the order of inner joins. The binder joins a FROM
// list left-deep in the order written, and pushFilters turns each cross
// join into an inner join only where a WHERE conjunct spans its two
// sides, so "FROM part, supplier, lineitem WHERE p_partkey = l_partkey
// AND s_suppkey = l_suppkey" crossed part with supplier in a nested loop
// before lineitem could connect them.
//
// The story: every maximal tree of inner and cross joins (what is not one,
// an outer, semi, anti or lateral join, a subquery, a Filter, is a leaf,
// reordered inside itself) is taken apart into its leaves and the
// conjuncts of its joins' conditions. A new left-deep order is built
// greedily: it starts from the smallest leaf that has an equality with
// another, then repeatedly adds the leaf with an equality to the leaves
// joined so far (a hash key of the join that adds it) whose join is
// estimated smallest (join_estimate.go; the smaller leaf, then the order
// written, breaks ties), so no cross product is taken while a connected
// leaf remains. When none is connected, the leaves left start another
// group the same way, and the groups are crossed at the end. Each join
// builds its hash table on its smaller estimated input (the right one,
// lowerer.join). pushInto then puts every conjunct at the lowest join
// where all its columns exist (a conjunct of one leaf into the leaf), and
// a Project above restores the columns' order as written, so nothing
// above the tree changes (a Project or Aggregate right above absorbs it).
//
// Why the answer stays the same: inner and cross joins are commutative
// and associative, and a conjunct over the columns of some leaves rejects
// the same rows wherever it is evaluated above them. Only conjuncts the
// rule can move freely are moved: a tree with a condition that calls a
// volatile or host function or holds a subquery, or a leaf that does, is
// left as it is (where such rows are produced or how often a function
// runs is part of the answer). pushFilters left no such conjunct in an
// inner join; it stays in a Filter above, which is not part of the tree.
// Outer references (correlated columns) are constants while the plan
// runs, so conjuncts reading them move like any other.
func orderJoins(n Node, cat tableEstimates) Node {
	o := &joinOrderer{est: rowEstimator{cat: cat}, restores: map[*Project]bool{}}
	return o.walk(n)
}

// joinOrderer runs the rule over one plan.
type joinOrderer struct {
	est rowEstimator
	// restores are the Projects the rule put above reordered trees.
	restores map[*Project]bool
}

func isInnerJoin(n Node) bool {
	j, ok := n.(*Join)
	return ok && (j.Kind == JoinInner || j.Kind == JoinCross)
}

// walk reorders every inner join tree of n, top-down, and lets the nodes
// right above a reordered tree absorb its restoring Project: a Filter
// lets it pass above, a Project or Aggregate reads through it.
func (o *joinOrderer) walk(n Node) Node {
	if isInnerJoin(n) {
		return o.reorder(n.(*Join))
	}
	n = mapInputs(n, o.walk)
	switch x := n.(type) {
	case *Filter:
		if r := o.restoreBelow(x.Input); r != nil {
			x.Pred = remapCols(x.Pred, restoreMap(r))
			x.Input, r.Input = r.Input, x
			return r
		}
	case *Project:
		if r := o.restoreBelow(x.Input); r != nil {
			m := restoreMap(r)
			mapOwnExprs(x, func(e Expr) Expr { return remapCols(e, m) })
			x.Input = r.Input
		}
	case *Aggregate:
		if r := o.restoreBelow(x.Input); r != nil {
			m := restoreMap(r)
			mapOwnExprs(x, func(e Expr) Expr { return remapCols(e, m) })
			x.Input = r.Input
		}
	}
	return n
}

func (o *joinOrderer) restoreBelow(n Node) *Project {
	if p, ok := n.(*Project); ok && o.restores[p] {
		return p
	}
	return nil
}

// restoreMap maps each column of a restoring Project to the column of its
// input it passes.
func restoreMap(p *Project) map[int]int {
	m := make(map[int]int, len(p.Exprs))
	for i, e := range p.Exprs {
		m[i] = e.(*ColRef).Index
	}
	return m
}

// joinLeaf is one input of an inner join tree.
type joinLeaf struct {
	node          Node
	offset, width int // its columns in the tree's output as written
	rows          float64
}

// joinCond is one conjunct of the tree's join conditions, over the tree's
// output as written.
type joinCond struct {
	expr   Expr
	leaves []int // the leaves it reads, ascending
	// For an equality whose operands read disjoint, nonempty sets of
	// leaves (a hash key where one set is joined to the other): the
	// operands and the leaves each reads.
	operands [2]Expr
	sides    [2][]int
}

// joinStep is a join tree over the leaves: a leaf, or a join of two.
type joinStep struct {
	leaf        int
	left, right *joinStep
}

// joinTree is one inner join tree taken apart.
type joinTree struct {
	leaves []joinLeaf
	conds  []*joinCond
	width  int
	// movable is false when a condition must stay where it is.
	movable bool
}

// reorder rebuilds the inner join tree rooted at root in the rule's order.
func (o *joinOrderer) reorder(root *Join) Node {
	types := root.Types()
	t := &joinTree{movable: true}
	_, shape := o.collect(root, t)
	if !t.movable {
		return root
	}
	for i := range t.leaves {
		if planVolatile(t.leaves[i].node) {
			return root
		}
	}
	t.forgetPartialEstimates()
	t.classify()
	written := len(t.conds)
	o.deriveEqualities(t)
	chosen := o.order(t)
	if sameShape(chosen, shape) && len(t.conds) == written {
		return root
	}
	t.dropImpliedEqualities(chosen)
	n, layout := t.build(chosen)
	m := map[int]int{}
	at := 0
	for _, i := range layout {
		l := t.leaves[i]
		for k := 0; k < l.width; k++ {
			m[l.offset+k] = at + k
		}
		at += l.width
	}
	conds := make([]Expr, len(t.conds))
	for i, c := range t.conds {
		conds[i] = remapCols(c.expr, m)
	}
	n = pushInto(n, conds)
	if !slices.IsSorted(layout) {
		exprs := make([]Expr, 0, t.width)
		for _, l := range t.leaves {
			for k := 0; k < l.width; k++ {
				i := l.offset + k
				exprs = append(exprs, &ColRef{Index: m[i], T: types[i], Name: outputName(l.node, k)})
			}
		}
		p := &Project{Input: n, Exprs: exprs}
		o.restores[p] = true
		n = p
	}
	return n
}

// collect takes the tree apart into t, reordering the trees inside its
// leaves, and returns the tree as written (its leaves rewritten) and its
// shape.
func (o *joinOrderer) collect(n Node, t *joinTree) (Node, *joinStep) {
	if !isInnerJoin(n) {
		n = o.walk(n)
		w := len(n.Types())
		t.leaves = append(t.leaves, joinLeaf{node: n, offset: t.width, width: w, rows: o.est.rows(n)})
		t.width += w
		return n, &joinStep{leaf: len(t.leaves) - 1}
	}
	j := n.(*Join)
	offset := t.width
	var left, right *joinStep
	j.Left, left = o.collect(j.Left, t)
	j.Right, right = o.collect(j.Right, t)
	if j.Cond != nil {
		for _, c := range splitAnd(j.Cond) {
			if hasSubquery(c) || hasVolatile(c) || hasHostCall(c) {
				t.movable = false
			}
			t.conds = append(t.conds, &joinCond{expr: shiftCols(c, offset)})
		}
	}
	return j, &joinStep{left: left, right: right}
}

// forgetPartialEstimates drops the leaves' estimates unless every leaf
// has one: a choice between a known and an unknown size is a guess, so
// the order written decides wherever any size is unknown (a function in
// FROM, a working table, the rows ON CONFLICT proposes).
func (t *joinTree) forgetPartialEstimates() {
	for _, l := range t.leaves {
		if l.rows == unknownRows {
			for i := range t.leaves {
				t.leaves[i].rows = unknownRows
			}
			return
		}
	}
}

// classify finds the leaves each condition reads, and the sides of those
// that can be hash keys.
func (t *joinTree) classify() {
	for _, c := range t.conds {
		c.leaves = t.leavesOf(c.expr)
		b, ok := c.expr.(*BinExpr)
		if !ok || b.Op != exec.OpEq {
			continue
		}
		l, r := t.leavesOf(b.L), t.leavesOf(b.R)
		if len(l) > 0 && len(r) > 0 && !intersects(l, r) {
			c.operands, c.sides = [2]Expr{b.L, b.R}, [2][]int{l, r}
		}
	}
}

// leavesOf lists, ascending, the leaves whose columns e reads.
func (t *joinTree) leavesOf(e Expr) []int {
	used := map[int]bool{}
	colsUsed(e, used)
	var out []int
	for i, l := range t.leaves {
		for k := l.offset; k < l.offset+l.width; k++ {
			if used[k] {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

func intersects(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func within(leaves []int, in []bool) bool {
	for _, i := range leaves {
		if !in[i] {
			return false
		}
	}
	return true
}

// keyJoins reports whether c is a hash key of the join that adds leaf r
// to the leaves in: one operand reads only r, the other only leaves in.
func (c *joinCond) keyJoins(in []bool, r int) (rSide int, ok bool) {
	if c.sides[0] == nil {
		return 0, false
	}
	for s := 0; s < 2; s++ {
		if len(c.sides[s]) == 1 && c.sides[s][0] == r && within(c.sides[1-s], in) {
			return s, true
		}
	}
	return 0, false
}

// joinGroup is a group of leaves joined so far: its join tree and rows.
type joinGroup struct {
	step *joinStep
	rows float64
	in   []bool
	// cost is the sum of the rows of its joins (join_order_dp.go).
	cost float64
}

// order chooses the join tree: groups of leaves connected by equalities,
// each built greedily and then by dynamic programming where that finds a
// cheaper order (join_order_dp.go), crossed in the order they were built.
func (o *joinOrderer) order(t *joinTree) *joinStep {
	done := make([]bool, len(t.leaves))
	var all *joinGroup
	for left := len(t.leaves); left > 0; {
		g := t.seed(done)
		done[g.step.leaf] = true
		left--
		for left > 0 {
			r, rows := o.bestNext(t, g, done)
			if r < 0 {
				break
			}
			t.join(g, r, rows)
			done[r] = true
			left--
		}
		if step, rows := o.dpOrder(t, g); step != nil {
			g.step, g.rows = step, rows
		}
		if all == nil {
			all = g
			continue
		}
		rows := all.rows * g.rows
		for _, c := range t.conds {
			if !within(c.leaves, all.in) && !within(c.leaves, g.in) && within(c.leaves, or(all.in, g.in)) {
				rows *= defaultInequalSel
			}
		}
		all = &joinGroup{step: buildSide(all.step, all.rows, g.step, g.rows), rows: atLeastOne(rows), in: or(all.in, g.in)}
	}
	return all.step
}

func or(a, b []bool) []bool {
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] || b[i]
	}
	return out
}

// seed starts a group with the smallest leaf not yet joined that has an
// equality with another such leaf, or else the smallest leaf left (the
// first written among equals).
func (t *joinTree) seed(done []bool) *joinGroup {
	best, bestEdge := -1, false
	for i, l := range t.leaves {
		if done[i] {
			continue
		}
		edge := t.hasEdge(i, done)
		if best < 0 || edge && !bestEdge || edge == bestEdge && l.rows < t.leaves[best].rows {
			best, bestEdge = i, edge
		}
	}
	in := make([]bool, len(t.leaves))
	in[best] = true
	return &joinGroup{step: &joinStep{leaf: best}, rows: t.leaves[best].rows, in: in}
}

// hasEdge reports whether leaf i has an equality with a single other leaf
// not yet joined.
func (t *joinTree) hasEdge(i int, done []bool) bool {
	for _, c := range t.conds {
		if c.sides[0] == nil || len(c.sides[0]) != 1 || len(c.sides[1]) != 1 {
			continue
		}
		a, b := c.sides[0][0], c.sides[1][0]
		if a == i && !done[b] || b == i && !done[a] {
			return true
		}
	}
	return false
}

// bestNext picks the leaf to join to g next: among those with an equality
// to g's leaves, the one whose join is estimated smallest, then the
// smaller, then the first written. It returns -1 when none is connected.
func (o *joinOrderer) bestNext(t *joinTree, g *joinGroup, done []bool) (int, float64) {
	best, bestRows := -1, 0.0
	for r := range t.leaves {
		if done[r] {
			continue
		}
		rows, ok := o.joinRows(t, g, r)
		if !ok {
			continue
		}
		if best < 0 || rows < bestRows || rows == bestRows && t.leaves[r].rows < t.leaves[best].rows {
			best, bestRows = r, rows
		}
	}
	return best, bestRows
}

// joinRows estimates the rows of joining leaf r to g; ok is false when no
// equality connects them. Each equality keeps 1/max(distinct values of its
// two operands) of the pairs, and the most selective one is taken alone
// (a composite key's columns are not independent); any other condition
// placed at the join keeps a third. Equalities that cover a primary key
// of either side keep 1/(its table's rows) (keySelectivity).
func (o *joinOrderer) joinRows(t *joinTree, g *joinGroup, r int) (float64, bool) {
	lr := t.leaves[r]
	in := slices.Clone(g.in)
	in[r] = true
	keySel, keyed, other := 1.0, false, 1.0
	var rCols, gCols []nodeColumn
	for _, c := range t.conds {
		if !slices.Contains(c.leaves, r) || within(c.leaves, g.in) || !within(c.leaves, in) {
			continue
		}
		s, ok := c.keyJoins(g.in, r)
		if !ok {
			other *= defaultInequalSel
			continue
		}
		keyed = true
		rx := shiftCols(c.operands[s], -lr.offset)
		dr := o.est.distinct(lr.node, rx, lr.rows)
		rCols = append(rCols, nodeColumn{lr.node, rx})
		dg := g.rows
		if gs := c.sides[1-s]; len(gs) == 1 {
			l := t.leaves[gs[0]]
			gx := shiftCols(c.operands[1-s], -l.offset)
			dg = min(dg, o.est.distinct(l.node, gx, l.rows))
			gCols = append(gCols, nodeColumn{l.node, gx})
		}
		keySel = min(keySel, 1/max(dr, dg, 1))
	}
	if !keyed {
		return 0, false
	}
	keySel = min(keySel, o.est.keySelectivity(rCols), o.est.keySelectivity(gCols))
	if g.rows == unknownRows || lr.rows == unknownRows {
		return unknownRows, true
	}
	return atLeastOne(g.rows * lr.rows * keySel * other), true
}

// join adds leaf r to g, building on the smaller side.
func (t *joinTree) join(g *joinGroup, r int, rows float64) {
	g.step = buildSide(g.step, g.rows, &joinStep{leaf: r}, t.leaves[r].rows)
	g.rows = rows
	g.cost += rows
	g.in[r] = true
}

// buildSide joins a to b with the smaller estimated input on the right,
// where the hash join builds (and a nested loop materializes); a stays on
// the left when it is not known to be smaller.
func buildSide(a *joinStep, aRows float64, b *joinStep, bRows float64) *joinStep {
	if aRows < bRows {
		return &joinStep{left: b, right: a}
	}
	return &joinStep{left: a, right: b}
}

func sameShape(a, b *joinStep) bool {
	if a.left == nil || b.left == nil {
		return a.left == nil && b.left == nil && a.leaf == b.leaf
	}
	return sameShape(a.left, b.left) && sameShape(a.right, b.right)
}

// build makes the join nodes of s (cross joins: pushInto adds their
// conditions) and returns them with the order of the leaves' columns in
// their output.
func (t *joinTree) build(s *joinStep) (Node, []int) {
	if s.left == nil {
		return t.leaves[s.leaf].node, []int{s.leaf}
	}
	l, ll := t.build(s.left)
	r, rl := t.build(s.right)
	return &Join{Kind: JoinCross, Left: l, Right: r}, append(ll, rl...)
}

// outputName names column k of n, for EXPLAIN: the scanned column it
// carries up through filters, column projections and joins; "" for
// others.
func outputName(n Node, k int) string {
	switch x := n.(type) {
	case *Scan:
		if k < len(x.Cols) {
			return x.Table.Columns[x.Cols[k]].Name
		}
	case *Filter:
		return outputName(x.Input, k)
	case *Project:
		if c, ok := x.Exprs[k].(*ColRef); ok {
			return c.Name
		}
	case *Join:
		if nl := len(x.Left.Types()); k < nl {
			return outputName(x.Left, k)
		} else if x.Kind != JoinSemi && x.Kind != JoinAnti {
			return outputName(x.Right, k-nl)
		}
	}
	return ""
}
