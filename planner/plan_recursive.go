package planner

import "github.com/pqdb/pqdb/catalog"

// The nodes of WITH RECURSIVE (bind_recursive.go binds them,
// lower_recursive.go lowers them):
//
//	CTEScan{Plan: RecursiveUnion{NonRec, Rec: ... WorkTableScan ...}}
//
// A recursive WITH query is evaluated once per statement however often it
// is named, as in PostgreSQL: every reference is a CTEScan carrying the
// same ID and an identical copy of the query's plan (so that the rewrite
// rules, which work on trees, optimize each copy alike), and lowering
// builds one producer per ID that all the references read. A query that
// reads values of the queries around its WITH (a WITH RECURSIVE in a
// correlated or LATERAL subquery) is the exception: each reference's copy
// reads them where the reference is, and runs as its own evaluation, once
// per run of the plan holding it (lower_recursive.go).

// CTEScan reads the rows of the WITH query Name, named Alias in the FROM
// clause. Plan is the query's plan; references with the same ID share one
// evaluation. A non-recursive query's references carry its use, which
// decides whether they are shared or inlined (rule_cte_inline.go).
type CTEScan struct {
	Name  string
	Alias string
	ID    int64
	Plan  Node
	use   *cteUse
}

// RecursiveUnion evaluates NonRec, then Rec over and over, each time with
// the rows the previous evaluation produced as its WorkTableScan (ID)
// input, until an evaluation produces no row. With All false a row equal
// to one produced before is dropped (and not fed back). Rec's columns have
// NonRec's types.
type RecursiveUnion struct {
	Name        string
	ID          int64
	NonRec, Rec Node
	All         bool
}

// WorkTableScan is the recursive reference inside the recursive term of
// the RecursiveUnion with the same ID: the rows of its previous
// iteration.
type WorkTableScan struct {
	Name  string
	Alias string
	ID    int64
	Typs  []catalog.Type
}

func (n *CTEScan) Types() []catalog.Type        { return n.Plan.Types() }
func (n *RecursiveUnion) Types() []catalog.Type { return n.NonRec.Types() }
func (n *WorkTableScan) Types() []catalog.Type  { return n.Typs }

// workTablesRead returns the IDs of the working tables that n reads
// without defining them (the recursive unions of the ones it defines are
// inside n), looking into subquery plans too.
func workTablesRead(n Node) map[int64]bool {
	read, defined := map[int64]bool{}, map[int64]bool{}
	collectWorkTables(n, read, defined)
	for id := range defined {
		delete(read, id)
	}
	return read
}

func collectWorkTables(n Node, read, defined map[int64]bool) {
	var walk func(Node)
	walk = func(n Node) {
		switch x := n.(type) {
		case *WorkTableScan:
			read[x.ID] = true
		case *RecursiveUnion:
			defined[x.ID] = true
		}
		for _, in := range inputs(n) {
			walk(in)
		}
	}
	walk(n)
	mapNodeExprs(n, func(e Expr) Expr {
		walkExpr(e, func(x Expr) {
			if s, ok := x.(*SubqueryExpr); ok {
				collectWorkTables(s.Plan, read, defined)
			}
		})
		return e
	})
}

// readsWorkTable reports whether n reads a working table it does not
// define: its rows then change from one iteration of a recursive union to
// the next.
func readsWorkTable(n Node) bool { return len(workTablesRead(n)) > 0 }

// pruneRecursive prunes the columns inside a RecursiveUnion's terms or a
// CTEScan's plan, which keep all their output columns: the recursive term
// reads every column of the working table, and the references of one WITH
// query share one evaluation.
func pruneRecursive(n Node) Node {
	return mapInputs(n, func(in Node) Node {
		out, _ := prune(in, all(len(in.Types())))
		return out
	})
}
