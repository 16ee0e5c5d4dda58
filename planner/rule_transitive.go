package planner

import (
	"maps"
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// Equalities derived transitively inside an inner join tree.
//
// The equalities between columns of a tree's leaves put those columns in
// classes whose members are equal in every row the tree produces. So
//
//   - two members in leaves that no equality of their class joins
//     directly are equal too: TPC-H Q5's c_nationkey = s_nationkey AND
//     s_nationkey = n_nationkey joins customer to nation, which lets the
//     join order take customers of the region before lineitem;
//   - a member compared with a constant in its leaf's scan makes every
//     other member equal to it: a.x = b.x AND a.x = 5 gives b.x = 5,
//     which b's scan uses to skip what it cannot hold.
//
// Both are implied by the tree's conditions, so adding them keeps its
// rows: a row they reject fails a condition already there. Only columns
// of one type whose equality is an equivalence of plain values (integers,
// dates, text) are taken, so the new comparisons need no cast and mean
// what the written ones do.

// transitiveKinds are the kinds whose columns join classes.
var transitiveKinds = map[catalog.Kind]bool{
	catalog.Int2: true, catalog.Int4: true, catalog.Int8: true,
	catalog.Date: true, catalog.Text: true,
}

// deriveEqualities adds to t the equalities its classes imply between
// leaves not yet joined by their class, and to its scan leaves the
// constants their classes' members are compared with; the leaves' row
// estimates are refreshed where a scan gained a filter.
func (o *joinOrderer) deriveEqualities(t *joinTree) {
	classes := columnClasses{}
	find := classes.find
	cols := map[int]*ColRef{} // tree column → a ColRef of it
	for _, c := range t.conds {
		l, r, ok := columnEquality(c.expr)
		if !ok {
			continue
		}
		cols[l.Index], cols[r.Index] = l, r
		classes.union(l.Index, r.Index)
	}
	if len(cols) == 0 {
		return
	}
	leafOf := func(col int) int {
		for i, l := range t.leaves {
			if col >= l.offset && col < l.offset+l.width {
				return i
			}
		}
		return -1
	}
	// Members of each class, by leaf: the first column of each leaf in it.
	byLeaf := map[int]map[int]*ColRef{}
	for col, ref := range cols {
		root, leaf := find(col), leafOf(col)
		if byLeaf[root] == nil {
			byLeaf[root] = map[int]*ColRef{}
		}
		if cur, ok := byLeaf[root][leaf]; !ok || ref.Index < cur.Index {
			byLeaf[root][leaf] = ref
		}
	}
	joined := map[[3]int]bool{} // class, leaf, leaf with a direct equality
	for _, c := range t.conds {
		if l, r, ok := columnEquality(c.expr); ok {
			a, b := leafOf(l.Index), leafOf(r.Index)
			joined[[3]int{find(l.Index), min(a, b), max(a, b)}] = true
		}
	}
	// In the order of the columns, so that a plan comes out the same
	// every time.
	for _, root := range slices.Sorted(maps.Keys(byLeaf)) {
		members := byLeaf[root]
		leaves := slices.Sorted(maps.Keys(members))
		for i, a := range leaves {
			for _, b := range leaves[i+1:] {
				if joined[[3]int{root, a, b}] {
					continue
				}
				joined[[3]int{root, a, b}] = true
				e := &BinExpr{Op: exec.OpEq, L: members[a], R: members[b], T: catalog.TypeBool}
				t.conds = append(t.conds, &joinCond{expr: e})
			}
		}
		o.spreadConstants(t, leaves, members)
	}
	t.classify()
}

// dropImpliedEqualities removes from t the equalities between columns
// that the join order s already makes equal where they would be placed:
// each condition lands at the lowest join of s holding its leaves
// (pushInto), and going up from the leaves, an equality of two columns
// that the equalities placed at or below that join already connect is
// implied by them, so it only costs a hash key and a runtime filter
// (TPC-H Q9: ps_partkey = l_partkey and p_partkey = l_partkey make the
// derived p_partkey = ps_partkey redundant at partsupp's join). Written
// conditions come before derived ones in t.conds, so they are the ones
// kept.
func (t *joinTree) dropImpliedEqualities(s *joinStep) {
	level := map[*joinCond]*joinStep{}
	for _, c := range t.conds {
		if _, _, ok := columnEquality(c.expr); ok {
			level[c] = lowestHolding(s, c.leaves)
		}
	}
	if len(level) < 2 {
		return
	}
	classes := columnClasses{}
	implied := map[*joinCond]bool{}
	var visit func(*joinStep)
	visit = func(step *joinStep) {
		if step.left != nil {
			visit(step.left)
			visit(step.right)
		}
		for _, c := range t.conds {
			if level[c] != step {
				continue
			}
			l, r, _ := columnEquality(c.expr)
			if !classes.union(l.Index, r.Index) {
				implied[c] = true
			}
		}
	}
	visit(s)
	t.conds = slices.DeleteFunc(t.conds, func(c *joinCond) bool { return implied[c] })
}

// lowestHolding is the lowest step of s whose leaves include all of
// leaves.
func lowestHolding(s *joinStep, leaves []int) *joinStep {
	for s.left != nil {
		switch {
		case holdsAll(s.left, leaves):
			s = s.left
		case holdsAll(s.right, leaves):
			s = s.right
		default:
			return s
		}
	}
	return s
}

func holdsAll(s *joinStep, leaves []int) bool {
	for _, l := range leaves {
		if !s.holds(l) {
			return false
		}
	}
	return true
}

func (s *joinStep) holds(leaf int) bool {
	if s.left == nil {
		return s.leaf == leaf
	}
	return s.left.holds(leaf) || s.right.holds(leaf)
}

// columnClasses is a union-find over a join tree's columns.
type columnClasses map[int]int

func (u columnClasses) find(c int) int {
	if _, ok := u[c]; !ok {
		u[c] = c
	}
	for u[c] != c {
		u[c] = u[u[c]]
		c = u[c]
	}
	return c
}

// union puts a and b in one class; false when they already were.
func (u columnClasses) union(a, b int) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	u[ra] = rb
	return true
}

// spreadConstants gives the scan leaf of every member of a class the
// equalities with constants that the scan of another member has.
func (o *joinOrderer) spreadConstants(t *joinTree, leaves []int, members map[int]*ColRef) {
	var consts []*Const
	for _, leaf := range leaves {
		ref := members[leaf]
		s, ok := t.leaves[leaf].node.(*Scan)
		if !ok {
			continue
		}
		for _, f := range s.Filters {
			if c, ok := constantEquality(f, ref.Index-t.leaves[leaf].offset); ok {
				consts = append(consts, c)
			}
		}
	}
	for _, c := range consts {
		for _, leaf := range leaves {
			ref := members[leaf]
			s, ok := t.leaves[leaf].node.(*Scan)
			if !ok {
				continue
			}
			col := &ColRef{Index: ref.Index - t.leaves[leaf].offset, T: ref.T, Name: ref.Name}
			before := len(s.Filters)
			s.Filters = appendConjunct(s.Filters, &BinExpr{Op: exec.OpEq, L: col, R: c, T: catalog.TypeBool})
			if len(s.Filters) > before {
				t.leaves[leaf].rows = o.est.rows(s)
			}
		}
	}
}

// columnEquality returns the two columns of an equality between columns
// of one transitive kind and type.
func columnEquality(e Expr) (l, r *ColRef, ok bool) {
	b, isBin := e.(*BinExpr)
	if !isBin || b.Op != exec.OpEq {
		return nil, nil, false
	}
	l, lok := b.L.(*ColRef)
	r, rok := b.R.(*ColRef)
	if !lok || !rok || l.T != r.T || !transitiveKinds[l.T.Kind] || l.Index == r.Index {
		return nil, nil, false
	}
	return l, r, true
}

// constantEquality returns the constant that filter f compares column
// col with for equality, of col's own type and not NULL.
func constantEquality(f Expr, col int) (*Const, bool) {
	b, ok := f.(*BinExpr)
	if !ok || b.Op != exec.OpEq {
		return nil, false
	}
	l, r := b.L, b.R
	if _, ok := l.(*Const); ok {
		l, r = r, l
	}
	ref, ok := l.(*ColRef)
	c, cok := r.(*Const)
	if !ok || !cok || ref.Index != col || c.T != ref.T || c.Value == nil {
		return nil, false
	}
	return c, true
}
