package planner

import (
	"strings"
	"sync/atomic"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// WITH RECURSIVE, as PostgreSQL's parse_cte.c does it:
//
//   - Every query of a WITH RECURSIVE list sees every other one, later ones
//     too. The references between them must form no cycle except a query
//     naming itself (0A000 "mutual recursion between WITH items is not
//     implemented").
//   - A query that names itself is recursive: it must be "non-recursive
//     term UNION [ALL] recursive term", the non-recursive term must not
//     name it, and the recursive term must name it exactly once, and not
//     in a subquery expression, in the nullable side of an outer join,
//     under INTERSECT ALL or EXCEPT (42P19); no ORDER BY, LIMIT, OFFSET or
//     FOR UPDATE on the union (0A000). Aggregates are not allowed in the
//     query block whose FROM names it (42P19).
//   - The non-recursive term fixes the column types (an untyped literal is
//     text); the recursive term must produce values of those types, after
//     the usual implicit conversions of a UNION (42804 otherwise).
//
// A recursive query is bound once, where its WITH is, into a
// RecursiveUnion whose recursive term reads a WorkTableScan; every
// reference is a CTEScan sharing its ID (plan_recursive.go). One that
// reads values of the queries around its WITH (a WITH RECURSIVE in a
// LATERAL subquery walking a tree from each outer row) is bound once too,
// each reference reading those values where it is. The other queries of
// the list are bound in place at each reference, as those of a plain WITH
// are.

// recursiveCTE is the binding of a recursive WITH query, shared by the
// copies of its cte entry.
type recursiveCTE struct {
	id    int64
	state int // cteUnbound, cteBinding (its recursive term is being bound), cteBound
	names []string
	types []catalog.Type
	plan  Node // the RecursiveUnion, once bound
	// capture holds the values of the queries around its WITH that the
	// query reads (nil at the top level); each reference reads them
	// where it is (cte.readOuterAt) and runs its own evaluation.
	capture *outerCapture
	// selfBlock is the query block whose FROM names the query, where
	// aggregates are not allowed.
	selfBlock *pg_query.SelectStmt
}

const (
	cteUnbound = iota
	cteBinding
	cteBound
)

// cteIDs numbers recursive WITH queries: IDs only need to differ within a
// statement, and a process-wide counter makes them differ everywhere.
var cteIDs atomic.Int64

// pushRecursiveWith brings the queries of a WITH RECURSIVE clause into
// scope, every one visible to every other, after checking their
// references, and binds the recursive ones.
func (b *binder) pushRecursiveWith(w *pg_query.WithClause, outer *scope) (func(), error) {
	saved := len(b.ctes)
	pop := func() { b.ctes = b.ctes[:saved] }
	defs := make([]*pg_query.CommonTableExpr, len(w.Ctes))
	for i, n := range w.Ctes {
		defs[i] = n.GetCommonTableExpr()
	}
	order, recursive, err := b.withDependencies(defs)
	if err != nil {
		return nil, err
	}
	depth := saved + len(defs)
	for i, c := range defs {
		e := cte{def: c, depth: depth, outer: outer}
		if recursive[i] {
			e.rec = &recursiveCTE{id: cteIDs.Add(1)}
		}
		b.ctes = append(b.ctes, e)
	}
	for _, i := range order {
		if e := b.ctes[saved+i]; e.rec != nil {
			if e.rec.selfBlock, err = b.checkWellFormedRecursion(e.def); err != nil {
				pop()
				return nil, err
			}
		}
	}
	for _, i := range order {
		e := b.ctes[saved+i]
		if e.def.Ctequery.GetSelectStmt() == nil {
			// A data-modifying query, bound once, here: the queries it
			// reads come before it in order.
			if b.ctes[saved+i].mod, err = b.bindModifyingCTE(e.def); err != nil {
				pop()
				return nil, err
			}
			continue
		}
		if e.rec == nil {
			err := b.checkSearchCycle(e.def, false)
			if err == nil {
				err = b.checkCTE(e)
			}
			if err != nil {
				pop()
				return nil, err
			}
			continue
		}
		if err := b.bindRecursiveCTE(e); err != nil {
			pop()
			return nil, err
		}
	}
	return pop, nil
}

// checkSearchCycle rejects SEARCH and CYCLE clauses: on a query that is
// not recursive as PostgreSQL does, and otherwise because their sequence
// and path columns are arrays and records, which pqdb does not have.
func (b *binder) checkSearchCycle(c *pg_query.CommonTableExpr, recursive bool) error {
	if c.SearchClause == nil && c.CycleClause == nil {
		return nil
	}
	if !recursive {
		return b.errAt(pgerr.SyntaxError, c.Location, "WITH query is not recursive")
	}
	if c.SearchClause != nil {
		return b.errAt(pgerr.FeatureNotSupported, c.SearchClause.Location, "WITH RECURSIVE ... SEARCH is not supported: its sequence column is an array or a record, which pqdb does not have yet")
	}
	return b.errAt(pgerr.FeatureNotSupported, c.CycleClause.Location, "WITH RECURSIVE ... CYCLE is not supported: its path column is an array of records, which pqdb does not have yet")
}

// withDependencies finds which queries of a WITH RECURSIVE list name
// themselves and an order in which each comes after the others it names
// (PostgreSQL's makeDependencyGraph and TopologicalSort).
func (b *binder) withDependencies(defs []*pg_query.CommonTableExpr) ([]int, []bool, error) {
	index := map[string]int{}
	for i, c := range defs {
		index[c.Ctename] = i
	}
	deps := make([]map[int]bool, len(defs))
	recursive := make([]bool, len(defs))
	for i, c := range defs {
		deps[i] = map[int]bool{}
		var inner [][]string
		var walk func(m protoreflect.Message) bool
		walk = func(m protoreflect.Message) bool {
			switch x := m.Interface().(type) {
			case *pg_query.RangeVar:
				if x.Schemaname != "" || shadowed(inner, x.Relname) {
					return false
				}
				if j, ok := index[x.Relname]; ok {
					if j == i {
						recursive[i] = true
					} else {
						deps[i][j] = true
					}
				}
				return false
			case *pg_query.SelectStmt:
				if x.WithClause == nil {
					return true
				}
				names := withNames(x.WithClause)
				if x.WithClause.Recursive {
					inner = append(inner, names)
					for _, n := range x.WithClause.Ctes {
						walkRaw(n.GetCommonTableExpr().Ctequery.ProtoReflect(), walk)
					}
				} else {
					inner = append(inner, nil)
					for k, n := range x.WithClause.Ctes {
						walkRaw(n.GetCommonTableExpr().Ctequery.ProtoReflect(), walk)
						inner[len(inner)-1] = names[:k+1]
					}
				}
				walkChildren(m, walk)
				inner = inner[:len(inner)-1]
				return false
			case *pg_query.WithClause:
				return false
			}
			return true
		}
		walkRaw(c.Ctequery.ProtoReflect(), walk)
	}
	// Topological sort, as PostgreSQL's: at each position the first
	// remaining query that names no remaining one.
	items := make([]int, len(defs))
	for i := range items {
		items[i] = i
	}
	for i := range items {
		j := i
		for j < len(items) && len(deps[items[j]]) > 0 {
			j++
		}
		if j == len(items) {
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, defs[items[i]].Location, "mutual recursion between WITH items is not implemented")
		}
		items[i], items[j] = items[j], items[i]
		for _, k := range items[i+1:] {
			delete(deps[k], items[i])
		}
	}
	return items, recursive, nil
}

func withNames(w *pg_query.WithClause) []string {
	names := make([]string, len(w.Ctes))
	for i, n := range w.Ctes {
		names[i] = n.GetCommonTableExpr().Ctename
	}
	return names
}

// shadowed reports whether name is one of the queries of an inner WITH.
func shadowed(inner [][]string, name string) bool {
	for _, names := range inner {
		for _, n := range names {
			if n == name {
				return true
			}
		}
	}
	return false
}

// The places a recursive reference may not be, with their messages.
const (
	recursionOK = iota
	recursionNonRecursiveTerm
	recursionSublink
	recursionOuterJoin
	recursionIntersect
	recursionExcept
)

var recursionErrors = [...]string{
	recursionNonRecursiveTerm: "recursive reference to query \"%s\" must not appear within its non-recursive term",
	recursionSublink:          "recursive reference to query \"%s\" must not appear within a subquery",
	recursionOuterJoin:        "recursive reference to query \"%s\" must not appear within an outer join",
	recursionIntersect:        "recursive reference to query \"%s\" must not appear within INTERSECT",
	recursionExcept:           "recursive reference to query \"%s\" must not appear within EXCEPT",
}

// recursionCheck walks a recursive query's terms for its references
// (PostgreSQL's checkWellFormedRecursionWalker).
type recursionCheck struct {
	b       *binder
	name    string
	inner   [][]string
	context int
	refs    int
	blocks  []*pg_query.SelectStmt // the query blocks around the walk
	// selfBlock is the block whose FROM holds the reference.
	selfBlock *pg_query.SelectStmt
	err       error
}

// checkWellFormedRecursion checks the form of the recursive query c and
// returns the query block that names it.
func (b *binder) checkWellFormedRecursion(c *pg_query.CommonTableExpr) (*pg_query.SelectStmt, error) {
	stmt := c.Ctequery.GetSelectStmt()
	if stmt == nil {
		return nil, b.errAt(pgerr.InvalidRecursion, c.Location, "recursive query \"%s\" must not contain data-modifying statements", c.Ctename)
	}
	if stmt.Op != pg_query.SetOperation_SETOP_UNION {
		return nil, b.errAt(pgerr.InvalidRecursion, c.Location, "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term", c.Ctename)
	}
	rc := &recursionCheck{b: b, name: c.Ctename, context: recursionNonRecursiveTerm}
	rc.walk(stmt.Larg.ProtoReflect())
	if rc.err != nil {
		return nil, rc.err
	}
	rc.context, rc.refs = recursionOK, 0
	rc.walk(stmt.Rarg.ProtoReflect())
	if rc.err != nil {
		return nil, rc.err
	}
	if rc.refs != 1 {
		return nil, pgerr.New(pgerr.InternalError, "missing recursive reference")
	}
	switch {
	case len(stmt.SortClause) > 0:
		return nil, b.errAt(pgerr.FeatureNotSupported, rawLocation(stmt.SortClause[0]), "ORDER BY in a recursive query is not implemented")
	case stmt.LimitOffset != nil:
		return nil, b.errAt(pgerr.FeatureNotSupported, rawLocation(stmt.LimitOffset), "OFFSET in a recursive query is not implemented")
	case stmt.LimitCount != nil:
		return nil, b.errAt(pgerr.FeatureNotSupported, rawLocation(stmt.LimitCount), "LIMIT in a recursive query is not implemented")
	case len(stmt.LockingClause) > 0:
		return nil, b.errAt(pgerr.FeatureNotSupported, rawLocation(stmt.LockingClause[0]), "FOR UPDATE/SHARE in a recursive query is not implemented")
	}
	return rc.selfBlock, nil
}

func (rc *recursionCheck) walk(m protoreflect.Message) {
	if rc.err == nil && rc.visit(m) {
		walkChildren(m, rc.visit)
	}
}

// visit handles one node and reports whether to walk its children.
func (rc *recursionCheck) visit(m protoreflect.Message) bool {
	if rc.err != nil {
		return false
	}
	saved := rc.context
	switch x := m.Interface().(type) {
	case *pg_query.RangeVar:
		if x.Schemaname != "" || shadowed(rc.inner, x.Relname) || x.Relname != rc.name {
			return false
		}
		if rc.context != recursionOK {
			rc.err = rc.b.errAt(pgerr.InvalidRecursion, x.Location, recursionErrors[rc.context], rc.name)
			return false
		}
		if rc.refs++; rc.refs > 1 {
			rc.err = rc.b.errAt(pgerr.InvalidRecursion, x.Location, "recursive reference to query \"%s\" must not appear more than once", rc.name)
			return false
		}
		if len(rc.blocks) > 0 {
			rc.selfBlock = rc.blocks[len(rc.blocks)-1]
		}
		return false
	case *pg_query.SelectStmt:
		rc.blocks = append(rc.blocks, x)
		defer func() { rc.blocks = rc.blocks[:len(rc.blocks)-1] }()
		if x.WithClause == nil {
			rc.selectStmt(x)
			return false
		}
		names := withNames(x.WithClause)
		if x.WithClause.Recursive {
			rc.inner = append(rc.inner, names)
			for _, n := range x.WithClause.Ctes {
				rc.walk(n.GetCommonTableExpr().Ctequery.ProtoReflect())
			}
		} else {
			rc.inner = append(rc.inner, nil)
			for k, n := range x.WithClause.Ctes {
				rc.walk(n.GetCommonTableExpr().Ctequery.ProtoReflect())
				rc.inner[len(rc.inner)-1] = names[:k+1]
			}
		}
		rc.selectStmt(x)
		rc.inner = rc.inner[:len(rc.inner)-1]
		return false
	case *pg_query.WithClause:
		return false
	case *pg_query.JoinExpr:
		outer := func() {
			if saved == recursionOK {
				rc.context = recursionOuterJoin
			}
		}
		switch x.Jointype {
		case pg_query.JoinType_JOIN_LEFT:
			rc.walkNode(x.Larg)
			outer()
			rc.walkNode(x.Rarg)
		case pg_query.JoinType_JOIN_FULL:
			outer()
			rc.walkNode(x.Larg)
			rc.walkNode(x.Rarg)
		case pg_query.JoinType_JOIN_RIGHT:
			outer()
			rc.walkNode(x.Larg)
			rc.context = saved
			rc.walkNode(x.Rarg)
		default:
			rc.walkNode(x.Larg)
			rc.walkNode(x.Rarg)
		}
		rc.context = saved
		rc.walkNode(x.Quals)
		return false
	case *pg_query.SubLink:
		rc.context = recursionSublink
		rc.walkNode(x.Subselect)
		rc.context = saved
		rc.walkNode(x.Testexpr)
		return false
	}
	return true
}

func (rc *recursionCheck) walkNode(n *pg_query.Node) {
	if n != nil {
		rc.walk(n.ProtoReflect())
	}
}

// selectStmt walks a query block apart from its WITH clause
// (checkWellFormedSelectStmt): under INTERSECT ALL and EXCEPT (its right
// side, or both for EXCEPT ALL) a reference is not allowed.
func (rc *recursionCheck) selectStmt(s *pg_query.SelectStmt) {
	saved := rc.context
	if saved != recursionOK || s.Op == pg_query.SetOperation_SETOP_NONE || s.Op == pg_query.SetOperation_SETOP_UNION {
		walkChildren(s.ProtoReflect(), rc.visit)
		return
	}
	if s.Op == pg_query.SetOperation_SETOP_INTERSECT {
		if s.All {
			rc.context = recursionIntersect
		}
		rc.walk(s.Larg.ProtoReflect())
		rc.walk(s.Rarg.ProtoReflect())
	} else {
		if s.All {
			rc.context = recursionExcept
		}
		rc.walk(s.Larg.ProtoReflect())
		rc.context = recursionExcept
		rc.walk(s.Rarg.ProtoReflect())
	}
	rc.context = saved
	for _, n := range s.SortClause {
		rc.walkNode(n)
	}
	rc.walkNode(s.LimitOffset)
	rc.walkNode(s.LimitCount)
	for _, n := range s.LockingClause {
		rc.walkNode(n)
	}
}

// walkRaw calls visit for m and, while visit returns true, for the
// messages below it.
func walkRaw(m protoreflect.Message, visit func(protoreflect.Message) bool) {
	if visit(m) {
		walkChildren(m, visit)
	}
}

// walkChildren calls walkRaw(child, visit) for each message directly
// below m, in field order.
func walkChildren(m protoreflect.Message, visit func(protoreflect.Message) bool) {
	each := func(fd protoreflect.FieldDescriptor) {
		if fd.Message() == nil || fd.IsMap() {
			return
		}
		v := m.Get(fd)
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkRaw(l.Get(i).Message(), visit)
			}
			return
		}
		walkRaw(v.Message(), visit)
	}
	d := m.Descriptor()
	if od := d.Oneofs(); od.Len() == 1 && d.Fields().Len() == od.Get(0).Fields().Len() {
		// A Node: one of many message types.
		if fd := m.WhichOneof(od.Get(0)); fd != nil {
			each(fd)
		}
		return
	}
	fds := d.Fields()
	for i := 0; i < fds.Len(); i++ {
		if fd := fds.Get(i); m.Has(fd) {
			each(fd)
		}
	}
}

// rawLocation is where a parse-tree expression starts, as PostgreSQL's
// exprLocation reports it: the leftmost of an operator and its left
// operand, of a cast and its argument; -1 when unknown.
func rawLocation(n *pg_query.Node) int32 {
	if n == nil {
		return -1
	}
	leftmost := func(a, b int32) int32 {
		if a < 0 || b >= 0 && b < a {
			return b
		}
		return a
	}
	switch x := n.Node.(type) {
	case *pg_query.Node_AExpr:
		return leftmost(x.AExpr.Location, rawLocation(x.AExpr.Lexpr))
	case *pg_query.Node_TypeCast:
		return leftmost(x.TypeCast.Location, rawLocation(x.TypeCast.Arg))
	case *pg_query.Node_SortBy:
		return rawLocation(x.SortBy.Node)
	case *pg_query.Node_ResTarget:
		return rawLocation(x.ResTarget.Val)
	case *pg_query.Node_BoolExpr:
		if len(x.BoolExpr.Args) > 0 {
			return leftmost(x.BoolExpr.Location, rawLocation(x.BoolExpr.Args[0]))
		}
		return x.BoolExpr.Location
	}
	m := n.ProtoReflect()
	if od := m.Descriptor().Oneofs(); od.Len() == 1 {
		if fd := m.WhichOneof(od.Get(0)); fd != nil && fd.Message() != nil {
			inner := m.Get(fd).Message()
			if lf := inner.Descriptor().Fields().ByName("location"); lf != nil && lf.Kind() == protoreflect.Int32Kind {
				return int32(inner.Get(lf).Int())
			}
		}
	}
	return -1
}

// targetLocation is where the i-th select-list item of a query block
// starts, or -1 (a set operation, VALUES, *).
func targetLocation(s *pg_query.SelectStmt, i int) int32 {
	if s == nil || s.Op != pg_query.SetOperation_SETOP_NONE || i >= len(s.TargetList) {
		return -1
	}
	for _, t := range s.TargetList {
		if ref := t.GetResTarget().GetVal().GetColumnRef(); ref != nil && isStar(ref) {
			return -1
		}
	}
	return rawLocation(s.TargetList[i])
}

// levelAggregate returns the location of the first aggregate call of query
// block s at its own level (not in a subquery, not a window call), or -1.
func levelAggregate(s *pg_query.SelectStmt) int32 {
	found := int32(-1)
	var visit func(protoreflect.Message) bool
	visit = func(m protoreflect.Message) bool {
		if found >= 0 {
			return false
		}
		switch x := m.Interface().(type) {
		case *pg_query.SubLink, *pg_query.SelectStmt:
			return false
		case *pg_query.FuncCall:
			name := strings.ToLower(x.Funcname[len(x.Funcname)-1].GetString_().Sval)
			_, agg := aggregateFuncs[name]
			if x.Over == nil && (agg || x.AggStar || x.AggDistinct || len(x.AggOrder) > 0 || x.AggFilter != nil) {
				found = x.Location
				return false
			}
		}
		return true
	}
	for _, list := range [][]*pg_query.Node{s.TargetList, s.SortClause, {s.HavingClause}} {
		for _, n := range list {
			if n != nil {
				walkRaw(n.ProtoReflect(), visit)
			}
		}
	}
	return found
}

// bindRecursiveCTE binds the recursive query of e into its RecursiveUnion.
func (b *binder) bindRecursiveCTE(e cte) error {
	r := e.rec
	if r.state != cteUnbound {
		return nil
	}
	r.state = cteBinding
	saved := b.ctes
	b.ctes = b.ctes[:e.depth:e.depth]
	defer func() { b.ctes = saved }()
	c := e.def
	stmt := c.Ctequery.GetSelectStmt()
	pop, err := b.pushWith(stmt.WithClause, e.outer)
	if err != nil {
		return err
	}
	defer pop()

	r.capture = e.newCapture()
	nonRec, ncols, err := b.bindSelect(stmt.Larg, e.outer, r.capture)
	if err != nil {
		return err
	}
	if len(c.Aliascolnames) > len(ncols) {
		return b.errAt(pgerr.InvalidColumnReference, c.Location, "WITH query \"%s\" has %d columns available but %d columns specified", c.Ctename, len(ncols), len(c.Aliascolnames))
	}
	r.names = make([]string, len(ncols))
	r.types = make([]catalog.Type, len(ncols))
	for i, col := range ncols {
		r.names[i] = col.Name
		if i < len(c.Aliascolnames) {
			r.names[i] = c.Aliascolnames[i].GetString_().Sval
		}
		r.types[i] = col.Type
		switch {
		case col.Type.Kind == catalog.Unknown:
			r.types[i] = catalog.TypeText
		case col.Type.Kind == catalog.Numeric && col.Type.Typmod < 0:
			// PostgreSQL's numeric: values keep their own scales and
			// grow past 38 digits (fibonacci, factorials), which a
			// numeric of one fixed scale, as the non-recursive term's
			// literal may be, does not.
			r.types[i] = catalog.TypeNumeric
		}
	}

	// The recursive term reads the working table with the types found so
	// far. Where it computes a type that PostgreSQL sees as the same but
	// pqdb stores differently (commonType widens), the column widens and
	// the term is bound again over it.
	var rec Node
	for pass := 0; ; pass++ {
		var rcols []ResultColumn
		if rec, rcols, err = b.bindSelect(stmt.Rarg, e.outer, r.capture); err != nil {
			return err
		}
		if pass == 0 && r.selfBlock != nil {
			if loc := levelAggregate(r.selfBlock); loc >= 0 {
				return b.errAt(pgerr.InvalidRecursion, loc, "aggregate functions are not allowed in a recursive query's recursive term")
			}
		}
		if len(rcols) != len(r.types) {
			return b.errAt(pgerr.SyntaxError, targetLocation(stmt.Rarg, 0), "each UNION query must have the same number of columns")
		}
		rt := rec.Types()
		widened := false
		for i, want := range r.types {
			// As in PostgreSQL the union's column type comes from the
			// terms as written, where an untyped literal of the
			// non-recursive term is still unknown (and the query's
			// column, text, then mismatches a typed recursive term).
			in := []catalog.Type{want, rt[i]}
			if ncols[i].untyped {
				in[0] = catalog.TypeUnknown
			}
			if rcols[i].untyped {
				in[1] = catalog.TypeUnknown
			}
			t, err := commonType(in, "UNION")
			if err != nil {
				return withPos(err, position(b.query, targetLocation(stmt.Rarg, i)))
			}
			if t.Kind != want.Kind || t.Typmod != want.Typmod {
				pe := b.errAt(pgerr.DatatypeMismatch, targetLocation(stmt.Larg, i), "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall", c.Ctename, i+1, want, t)
				pe.Hint = "Cast the output of the non-recursive term to the correct type."
				return pe
			}
			if t != want && pass == 0 {
				r.types[i], widened = t, true
			}
		}
		if !widened {
			var exprs []Expr
			cast := false
			for i, t := range r.types {
				x, err := b.coerceBranch(rec, i, rcols[i].untyped, t, "UNION")
				if err != nil {
					return err
				}
				cast = cast || rt[i] != t
				exprs = append(exprs, x)
			}
			if cast {
				rec = &Project{Input: rec, Exprs: exprs}
			}
			break
		}
	}
	if nt := nonRec.Types(); !equalTypes(nt, r.types) {
		exprs := make([]Expr, len(nt))
		for i, t := range nt {
			if exprs[i], err = b.coerce(&ColRef{Index: i, T: t}, r.types[i], -1); err != nil {
				return err
			}
		}
		nonRec = &Project{Input: nonRec, Exprs: exprs}
	}
	if err := b.checkSearchCycle(c, true); err != nil {
		return err
	}
	r.plan = &RecursiveUnion{Name: c.Ctename, ID: r.id, NonRec: nonRec, Rec: rec, All: stmt.All}
	r.state = cteBound
	return nil
}

func equalTypes(a, b []catalog.Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// bindRecursiveRef binds a FROM-clause reference to the recursive query of
// e: its working table inside its own recursive term, a scan of its
// shared result elsewhere (of its own evaluation, reading the outer values
// from site, when the query reads any).
func (b *binder) bindRecursiveRef(e cte, rv *pg_query.RangeVar, site *scope) (Node, []scopeCol, error) {
	r := e.rec
	if r.state == cteUnbound {
		if err := b.bindRecursiveCTE(e); err != nil {
			return nil, nil, err
		}
	}
	alias := e.def.Ctename
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	cols := make([]scopeCol, len(r.names))
	for i, n := range r.names {
		cols[i] = scopeCol{table: alias, name: n, t: r.types[i]}
	}
	if err := applyColumnAliases(cols, rv.Alias); err != nil {
		return nil, nil, err
	}
	if r.state == cteBinding {
		return &WorkTableScan{Name: e.def.Ctename, Alias: alias, ID: r.id, Typs: append([]catalog.Type(nil), r.types...)}, cols, nil
	}
	plan := r.plan
	if r.capture != nil && len(r.capture.cols) > 0 {
		plan = e.readOuterAt(clonePlan(plan), r.capture, site)
	}
	return &CTEScan{Name: e.def.Ctename, Alias: alias, ID: r.id, Plan: plan}, cols, nil
}
