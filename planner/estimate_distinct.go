package planner

import "github.com/pqdb/pqdb/exec"

// distinctThrough estimates the distinct values of x over the output of
// n, which produces rows rows, following a column down through the nodes
// that pass it on (projections, filters, sorts, limits, the sides of a
// join, an aggregate's group keys) to the scan that reads it, where the
// catalog's bound applies (scanColumnDistinct). Anything else, or a
// column lost on the way, is taken to be distinct in every row. Filters
// on the way are not taken to remove values: a join key's values thin out
// less than its rows, and overestimating distinct values only makes a
// join's estimate smaller, never a key look duplicated.
func (e rowEstimator) distinctThrough(n Node, x Expr, rows float64) float64 {
	if s, ref := scanColumnThrough(n, x); s != nil {
		if d, ok := e.scanColumnDistinct(s, ref); ok {
			return min(d, rows)
		}
	}
	return rows
}

// scanColumnThrough follows x, an expression over n's output, down to
// the scan whose column it reads and returns the scan and x as a column
// of its output; nil when x is not a column all the way down.
func scanColumnThrough(n Node, x Expr) (*Scan, *ColRef) {
	for depth := 0; depth < 64; depth++ {
		x = withoutCasts(x)
		ref, ok := x.(*ColRef)
		if !ok {
			return nil, nil
		}
		switch v := n.(type) {
		case *Scan:
			return v, ref
		case *Project:
			if ref.Index >= len(v.Exprs) {
				return nil, nil
			}
			n, x = v.Input, v.Exprs[ref.Index]
		case *Filter:
			n = v.Input
		case *Sort:
			n = v.Input
		case *Limit:
			n = v.Input
		case *Distinct:
			n = v.Input
		case *LockRows:
			n = v.Input
		case *Aggregate:
			if ref.Index >= len(v.Groups) {
				return nil, nil
			}
			n, x = v.Input, v.Groups[ref.Index]
		case *Join:
			nl := len(v.Left.Types())
			if ref.Index < nl {
				n = v.Left
			} else if v.Kind == JoinSemi || v.Kind == JoinAnti {
				return nil, nil
			} else {
				n, x = v.Right, &ColRef{Index: ref.Index - nl}
			}
		default:
			return nil, nil
		}
	}
	return nil, nil
}

// withoutCasts is x with the casts around it taken off: the value a
// column's statistics describe.
func withoutCasts(x Expr) Expr {
	for {
		c, ok := x.(*CastExpr)
		if !ok {
			return x
		}
		x = c.Arg
	}
}

// joinRows estimates an inner or outer join's rows from its l and r
// input rows as the join orderer does (rule_join_order.go): each equality
// between the sides keeps 1/max(distinct values of its two operands) of
// the pairs, the most selective taken alone, and any other condition
// keeps a third. Without an equality it is the cross product thinned by
// the other conditions. A left join keeps at least its left rows.
func (e rowEstimator) joinRows(j *Join, l, r float64) float64 {
	if l == unknownRows || r == unknownRows {
		return unknownRows
	}
	if j.Cond == nil {
		return atLeastOne(l * r)
	}
	nl := len(j.Left.Types())
	keySel, other := 1.0, 1.0
	var lCols, rCols []nodeColumn
	for _, c := range splitAnd(j.Cond) {
		if k, ok := c.(*Const); ok {
			if b, isBool := k.Value.(bool); isBool && b {
				continue
			}
		}
		b, ok := c.(*BinExpr)
		if ok && b.Op == exec.OpEq {
			ls, rs := side(b.L, nl), side(b.R, nl)
			lx, rx := b.L, b.R
			if ls == sideRight && rs == sideLeft {
				lx, rx, ls, rs = rx, lx, rs, ls
			}
			if ls == sideLeft && rs == sideRight {
				dl := e.distinctThrough(j.Left, lx, l)
				dr := e.distinctThrough(j.Right, shiftCols(rx, -nl), r)
				keySel = min(keySel, 1/max(dl, dr, 1))
				lCols = append(lCols, nodeColumn{j.Left, lx})
				rCols = append(rCols, nodeColumn{j.Right, shiftCols(rx, -nl)})
				continue
			}
		}
		other *= defaultInequalSel
	}
	keySel = min(keySel, e.keySelectivity(lCols), e.keySelectivity(rCols))
	rows := atLeastOne(l * r * keySel * other)
	if j.Kind == JoinLeft {
		rows = max(rows, l)
	}
	return rows
}

// groupRows estimates the groups an aggregate over rows input rows makes:
// the product of its keys' distinct values, at most one group per row.
func (e rowEstimator) groupRows(a *Aggregate, rows float64) float64 {
	if rows == unknownRows {
		return rows
	}
	groups := 1.0
	for _, g := range a.Groups {
		groups *= e.distinctThrough(a.Input, g, rows)
		if groups >= rows {
			return rows
		}
	}
	return atLeastOne(groups)
}
