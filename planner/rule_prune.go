package planner

import (
	"maps"
	"slices"
)

// pruneColumns rewrites the plan so that every node produces only the
// columns something above it reads; above all, scans read only the
// Parquet columns the query uses. It works top-down: a node is asked for a
// set of its output columns and returns a node producing at least those,
// with the map from each surviving old output index to its new index.
func pruneColumns(n Node) Node {
	need := map[int]bool{}
	for i := range n.Types() {
		need[i] = true
	}
	out, _ := prune(n, need)
	return out
}

func identity(n int) map[int]int {
	m := make(map[int]int, n)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	return m
}

func all(n int) map[int]bool {
	m := make(map[int]bool, n)
	for i := 0; i < n; i++ {
		m[i] = true
	}
	return m
}

func prune(n Node, need map[int]bool) (Node, map[int]int) {
	switch x := n.(type) {
	case *Scan:
		want := map[int]bool{}
		for i := range need {
			want[i] = true
		}
		for _, f := range x.Filters {
			colsUsed(f, want)
		}
		var cols []int
		m := map[int]int{}
		for i, c := range x.Cols {
			if want[i] {
				m[i] = len(cols)
				cols = append(cols, c)
			}
		}
		if x.RowID {
			m[len(x.Cols)] = len(cols)
		}
		for i, f := range x.Filters {
			x.Filters[i] = remapCols(f, m)
		}
		x.Cols = cols
		return dropFilterOnlyColumns(x, need, m)
	case *Filter:
		want := copySet(need)
		colsUsed(x.Pred, want)
		in, m := prune(x.Input, want)
		x.Input = in
		x.Pred = remapCols(x.Pred, m)
		return x, m
	case *Project:
		var keep []int
		for i := range x.Exprs {
			if need[i] {
				keep = append(keep, i)
			}
		}
		want := map[int]bool{}
		for _, i := range keep {
			colsUsed(x.Exprs[i], want)
		}
		in, cm := prune(x.Input, want)
		in, cm = foldColumnProject(in, cm)
		x.Input = in
		m := map[int]int{}
		exprs := make([]Expr, 0, len(keep))
		for _, i := range keep {
			m[i] = len(exprs)
			exprs = append(exprs, remapCols(x.Exprs[i], cm))
		}
		x.Exprs = exprs
		return x, m
	case *Aggregate:
		want := map[int]bool{}
		for _, g := range x.Groups {
			colsUsed(g, want)
		}
		for _, a := range x.Aggs {
			for _, e := range a.exprs() {
				colsUsed(e, want)
			}
		}
		in, cm := prune(x.Input, want)
		x.Input = in
		for i, g := range x.Groups {
			x.Groups[i] = remapCols(g, cm)
		}
		for i, a := range x.Aggs {
			x.Aggs[i] = a.withExprs(applyAll(a.exprs(), func(e Expr) Expr { return remapCols(e, cm) }))
		}
		return x, identity(len(x.Groups) + len(x.Aggs))
	case *Join:
		want := copySet(need)
		if x.Cond != nil {
			colsUsed(x.Cond, want)
		}
		var m map[int]int
		x.Left, x.Right, m = pruneJoinInputs(x.Left, x.Right, want)
		if x.Cond != nil {
			x.Cond = remapCols(x.Cond, m)
		}
		return x, m
	case *LateralJoin:
		return pruneLateralJoin(x, need)
	case *Sort:
		want := copySet(need)
		for _, k := range x.Keys {
			colsUsed(k.Expr, want)
		}
		in, m := prune(x.Input, want)
		x.Input = in
		for i, k := range x.Keys {
			x.Keys[i].Expr = remapCols(k.Expr, m)
		}
		return x, m
	case *Limit:
		in, m := prune(x.Input, need)
		x.Input = in
		return x, m
	case *LockRows:
		want := copySet(need)
		for _, t := range x.Targets {
			want[t.RowID] = true
		}
		in, m := prune(x.Input, want)
		x.Input = in
		for i := range x.Targets {
			x.Targets[i].RowID = m[x.Targets[i].RowID]
		}
		return x, m
	case *ProjectSet:
		return pruneProjectSet(x, need)
	case *Window:
		// The functions see whole partitions of the input, so no row is
		// dropped here; the input needs the columns asked for plus those
		// the keys and arguments read. Every function is kept.
		nIn := len(x.Input.Types())
		want := map[int]bool{}
		for i := range need {
			if i < nIn {
				want[i] = true
			}
		}
		x.forEachExpr(func(e Expr) { colsUsed(e, want) })
		in, cm := prune(x.Input, want)
		x.Input = in
		x.mapExprs(func(e Expr) Expr { return remapCols(e, cm) })
		m := map[int]int{}
		for o, nw := range cm {
			m[o] = nw
		}
		newIn := len(in.Types())
		for j := range x.Funcs {
			m[nIn+j] = newIn + j
		}
		return x, m
	case *Distinct:
		w := len(x.Input.Types())
		in, m := prune(x.Input, all(w))
		x.Input = in
		return x, m
	case *SetOp:
		w := len(x.Left.Types())
		x.Left, _ = prune(x.Left, all(w))
		x.Right, _ = prune(x.Right, all(w))
		return x, identity(w)
	case *RecursiveUnion, *CTEScan:
		// Every reference of a WITH query reads the same rows, all its
		// columns; its plan is pruned inside.
		return pruneRecursive(x), identity(len(x.Types()))
	}
	return n, identity(len(n.Types()))
}

// pruneJoinInputs prunes the two inputs of a join whose output is left's
// columns followed by right's to the columns of want, and returns them
// with the map from old to new output indexes.
func pruneJoinInputs(left, right Node, want map[int]bool) (Node, Node, map[int]int) {
	nl := len(left.Types())
	lw, rw := map[int]bool{}, map[int]bool{}
	for i := range want {
		if i < nl {
			lw[i] = true
		} else {
			rw[i-nl] = true
		}
	}
	l, lm := prune(left, lw)
	r, rm := prune(right, rw)
	l, lm = dropConditionOnlyColumns(l, lw, lm)
	r, rm = dropConditionOnlyColumns(r, rw, rm)
	newNL := len(l.Types())
	m := map[int]int{}
	for o, nw := range lm {
		m[o] = nw
	}
	for o, nw := range rm {
		m[o+nl] = nw + newNL
	}
	return l, r, m
}

// dropConditionOnlyColumns puts above n, a join under another join (its
// columns pruned, m mapping the old output positions to its new ones), a
// Project that passes on only the columns need asks for, when n keeps
// others for its own condition alone: the join above then does not carry
// them, nor hold them in its hash table when it builds on n (TPC-H Q9's
// p_partkey and s_suppkey, equal to the l_partkey and l_suppkey kept, in
// the lineitem rows that orders probes).
func dropConditionOnlyColumns(n Node, need map[int]bool, m map[int]int) (Node, map[int]int) {
	j, ok := n.(*Join)
	if !ok || len(m) == len(need) {
		return n, m
	}
	types := j.Types()
	kept := map[int]int{}
	var exprs []Expr
	for _, old := range slices.Sorted(maps.Keys(m)) {
		if !need[old] {
			continue
		}
		pos := m[old]
		kept[old] = len(exprs)
		exprs = append(exprs, &ColRef{Index: pos, T: types[pos], Name: outputName(j, pos)})
	}
	if len(exprs) == 0 || len(exprs) == len(types) {
		return n, m
	}
	return &Project{Input: j, Exprs: exprs}, kept
}

func copySet(s map[int]bool) map[int]bool {
	c := make(map[int]bool, len(s))
	for k := range s {
		c[k] = true
	}
	return c
}

// foldColumnProject merges into the Project above it a pruned input
// that is a Project of plain column references (dropFilterOnlyColumns
// puts one above a filtered scan): the Project above reads the
// referenced columns directly, through cm composed with the references,
// and one operator less runs per batch.
func foldColumnProject(in Node, cm map[int]int) (Node, map[int]int) {
	p, ok := in.(*Project)
	if !ok {
		return in, cm
	}
	refs := make([]int, len(p.Exprs))
	for i, e := range p.Exprs {
		c, ok := e.(*ColRef)
		if !ok {
			return in, cm
		}
		refs[i] = c.Index
	}
	through := make(map[int]int, len(cm))
	for old, mid := range cm {
		through[old] = refs[mid]
	}
	return p.Input, through
}

// dropFilterOnlyColumns puts above scan s (its columns pruned, m mapping
// the old output positions to its new ones) a Project that passes on
// only the columns need asks for, when s reads others for its filters
// alone: those are dropped as soon as the filters ran instead of being
// carried through the joins, hash tables and sorts above (TPC-H Q13's
// o_comment, read for NOT LIKE and copied with every joined row
// otherwise). A scan of row ids keeps its shape.
func dropFilterOnlyColumns(s *Scan, need map[int]bool, m map[int]int) (Node, map[int]int) {
	if s.RowID || len(s.Filters) == 0 {
		return s, m
	}
	kept := map[int]int{}
	var exprs []Expr
	for _, old := range slices.Sorted(maps.Keys(m)) {
		pos := m[old]
		if !need[old] {
			continue
		}
		c := s.Table.Columns[s.Cols[pos]]
		kept[old] = len(exprs)
		exprs = append(exprs, &ColRef{Index: pos, T: c.Type, Name: c.Name})
	}
	if len(exprs) == len(s.Cols) {
		return s, m
	}
	return &Project{Input: s, Exprs: exprs}, kept
}
