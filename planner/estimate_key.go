package planner

import "slices"

// A join on all the columns of a table's primary key matches each row of
// the other side with at most one row of that table. The estimates take
// each equality alone and keep the most selective, since a composite
// key's columns are not independent; for TPC-H Q9's lineitem-partsupp
// join on (partkey, suppkey) that one is the partkey, which put four
// partsupp rows behind every lineitem row where there is one, and the
// join order joined partsupp last, to the most rows. Under a covered key
// the equalities together keep 1/(the table's rows) of the pairs: the
// estimate of a foreign key joined to its key, as for a one-column key.

// nodeColumn is an expression over the output of a plan node.
type nodeColumn struct {
	node Node
	x    Expr
}

// keySelectivity returns 1/(the table's rows) when cols, the operands on
// one side of a join's equalities, are columns of one scan (through the
// nodes distinctThrough follows) that cover its table's primary key; 1
// otherwise.
func (e rowEstimator) keySelectivity(cols []nodeColumn) float64 {
	if e.cat == nil || len(cols) < 2 {
		return 1 // one column is distinctThrough's
	}
	covered := map[*Scan][]int{}
	for _, c := range cols {
		s, ref := scanColumnThrough(c.node, c.x)
		if s == nil || ref.Index >= len(s.Cols) {
			continue
		}
		covered[s] = append(covered[s], s.Cols[ref.Index])
	}
	sel := 1.0
	for s, got := range covered {
		if s.Table == nil || s.Files != nil || !s.Table.PrimaryKeyCovered(func(k int) bool { return slices.Contains(got, k) }) {
			continue
		}
		if rows := e.cat.EstimatedRows(s.Table); rows > 0 {
			sel = min(sel, 1/float64(rows))
		}
	}
	return sel
}
