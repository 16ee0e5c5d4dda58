package planner

// dpMaxLeaves is the most leaves a connected group may have for its order
// to be chosen by dynamic programming; a larger group keeps the greedy
// order (2^n subsets grow too fast past it).
const dpMaxLeaves = 10

// dpOrder chooses the order of the leaves of g, a connected group built
// greedily, by dynamic programming
// over its subsets: the cheapest left-deep order that adds one leaf at a
// time through an equality with the leaves before it, where a plan costs
// the sum of the rows its joins produce (the rows every join above reads
// and the hash tables hold). The greedy order looks one join ahead: TPC-H
// Q5 joined lineitem to the region's 2,000 suppliers (1.2 M rows) before
// the year's orders of the region's customers, which keep 180 k.
//
// Each step builds on its smaller side as the greedy order does. It
// returns nil, keeping the greedy order, when the group is too large or
// small to choose, some size is unknown, or no order is cheaper.
func (o *joinOrderer) dpOrder(t *joinTree, g *joinGroup) (*joinStep, float64) {
	var leaves []int
	for i, ok := range g.in {
		if ok {
			if t.leaves[i].rows == unknownRows {
				return nil, 0
			}
			leaves = append(leaves, i)
		}
	}
	n := len(leaves)
	if n < 3 || n > dpMaxLeaves {
		return nil, 0
	}
	type plan struct {
		step       *joinStep
		rows, cost float64
		in         []bool
	}
	best := make([]*plan, 1<<n)
	for k, i := range leaves {
		one := make([]bool, len(t.leaves))
		one[i] = true
		best[1<<k] = &plan{step: &joinStep{leaf: i}, rows: t.leaves[i].rows, in: one}
	}
	// Subsets in increasing order: each is extended after every subset
	// that leads to it, since a subset's number exceeds its parts'.
	for mask := 1; mask < len(best); mask++ {
		p := best[mask]
		if p == nil {
			continue
		}
		for k, r := range leaves {
			if mask&(1<<k) != 0 {
				continue
			}
			rows, ok := o.joinRows(t, &joinGroup{rows: p.rows, in: p.in}, r)
			if !ok {
				continue
			}
			next := mask | 1<<k
			cost := p.cost + rows
			if q := best[next]; q != nil && q.cost <= cost {
				continue
			}
			in := make([]bool, len(t.leaves))
			copy(in, p.in)
			in[r] = true
			best[next] = &plan{step: buildSide(p.step, p.rows, &joinStep{leaf: r}, t.leaves[r].rows), rows: rows, cost: cost, in: in}
		}
	}
	all := best[len(best)-1]
	if all == nil || all.cost >= g.cost {
		return nil, 0
	}
	return all.step, all.rows
}
