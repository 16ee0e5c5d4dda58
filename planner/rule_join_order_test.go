package planner

import (
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// sizedTables is a catalog of tables t(k, j, v int4) with the row counts
// rows gives (the tables it names); it tells the planner nothing of their
// sizes.
type sizedTables struct {
	noTables
	rows     map[string]int64
	distinct map[string]int64 // by "table.column"
	// ranges are the fractions of rows any range of a column holds, and
	// nulls of its NULLs, by "table.column".
	ranges, nulls map[string]float64
	// keys are the tables' primary keys, by table.
	keys map[string][]int
}

func (c sizedTables) Table(schema, name string) *catalog.Table {
	if _, ok := c.rows[name]; !ok || schema != DefaultSchema {
		return nil
	}
	cols := []catalog.Column{{Name: "k", Type: catalog.TypeInt4}, {Name: "j", Type: catalog.TypeInt4}, {Name: "v", Type: catalog.TypeInt4}}
	return &catalog.Table{ID: int64(len(name)), Schema: schema, Name: name, Columns: cols, PrimaryKey: c.keys[name]}
}

// sizedEstimates is sizedTables that tells the planner the row counts
// and the bounds of distinct values it has.
type sizedEstimates struct{ sizedTables }

func (c sizedEstimates) EstimatedRows(t *catalog.Table) int64 { return c.rows[t.Name] }
func (c sizedEstimates) EstimatedDistinct(t *catalog.Table, col int) (int64, bool) {
	n, ok := c.distinct[t.Name+"."+t.Columns[col].Name]
	return n, ok
}

func (c sizedEstimates) EstimatedRangeFraction(t *catalog.Table, col int, _ []storage.Predicate) (float64, bool) {
	f, ok := c.ranges[t.Name+"."+t.Columns[col].Name]
	return f, ok
}

func (c sizedEstimates) EstimatedNullFraction(t *catalog.Table, col int) (float64, bool) {
	f, ok := c.nulls[t.Name+"."+t.Columns[col].Name]
	return f, ok
}

// planJoins binds and optimizes sql and renders its join trees: a scan as
// its alias (with its filters), a join as (left ⋈[condition] right), or
// (left × right) when it has no condition, a Filter as filter[...](input),
// a subquery as subquery{...}; other nodes show their inputs only.
func planJoins(t *testing.T, cat Catalog, sql string) string {
	t.Helper()
	return renderJoins(boundRoot(t, cat, sql))
}

// boundRoot binds and optimizes the query sql against cat and returns its
// plan's root.
func boundRoot(t *testing.T, cat Catalog, sql string) Node {
	t.Helper()
	stmts, err := Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	bound, err := Bind(cat, stmts[0], nil, Options{SearchPath: []string{DefaultSchema}})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return bound.Plan.(*QueryPlan).Root
}

func renderJoins(n Node) string {
	switch x := n.(type) {
	case *Scan:
		if len(x.Filters) > 0 {
			return x.Alias + "[" + makeAnd(x.Filters).String() + "]"
		}
		return x.Alias
	case *Join:
		op := " ⋈ "
		switch {
		case x.Kind == JoinSemi:
			op = " semi "
		case x.Kind == JoinLeft:
			op = " left "
		case x.Cond == nil:
			op = " × "
		}
		if x.Cond != nil {
			op = op[:len(op)-1] + "[" + x.Cond.String() + "] "
		}
		return "(" + renderJoins(x.Left) + op + renderJoins(x.Right) + ")"
	case *Filter:
		return "filter[" + x.Pred.String() + "](" + renderJoins(x.Input) + ")"
	}
	var parts []string
	mapOwnExprs(n, func(e Expr) Expr {
		walkExpr(e, func(x Expr) {
			if s, ok := x.(*SubqueryExpr); ok {
				parts = append(parts, "subquery{"+renderJoins(s.Plan)+"}")
			}
		})
		return e
	})
	for _, in := range inputs(n) {
		parts = append(parts, renderJoins(in))
	}
	return strings.Join(parts, ", ")
}

func TestJoinOrder(t *testing.T) {
	rows := map[string]int64{"a": 1000, "b": 100, "c": 10, "f": 100000, "x": 50, "y": 5, "sup": 2000, "cus": 150000, "lin": 6000000}
	plain := sizedTables{rows: rows}
	sized := sizedEstimates{sizedTables{rows: rows}}
	// sup(k) is a key; cus and sup share 25 values of j.
	stats := sizedEstimates{sizedTables{rows: rows, distinct: map[string]int64{"sup.k": 2000, "sup.j": 25, "cus.j": 25, "lin.k": 2000}}}
	for _, c := range []struct {
		name, sql string
		cat       Catalog
		want      string
	}{
		// Without estimates the order written is kept, except that a
		// leaf joins only once an equality connects it.
		{name: "chain, no estimates", cat: plain,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.j = c.j",
			want: "((a ⋈[(k = k)] b) ⋈[(j = j)] c)"},
		// With estimates: from the smallest, each join's hash table on
		// its smaller input.
		{name: "chain", cat: sized,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.j = c.j",
			want: "(a ⋈[(k = k)] (b ⋈[(j = j)] c))"},
		{name: "star, no estimates", cat: plain,
			sql:  "SELECT * FROM a, b, c, f WHERE f.k = a.k AND f.j = b.k AND f.v = c.k",
			want: "(((a ⋈[(k = k)] f) ⋈[(j = k)] b) ⋈[(v = k)] c)"},
		{name: "star", cat: sized,
			sql:  "SELECT * FROM a, b, c, f WHERE f.k = a.k AND f.j = b.k AND f.v = c.k",
			want: "(((f ⋈[(v = k)] c) ⋈[(j = k)] b) ⋈[(k = k)] a)"},
		// Without statistics, a column has at most 200 values, so the
		// join with the smaller table looks smaller...
		{name: "many-to-many, no statistics", cat: sized,
			sql:  "SELECT * FROM cus, lin, sup WHERE cus.j = sup.j AND lin.k = sup.k",
			want: "(lin ⋈[(k = k)] (cus ⋈[(j = j)] sup))"},
		// ... but the statistics show that it multiplies rows (each sup
		// row meets 6000 cus rows) while lin's rows meet one sup row each.
		{name: "many-to-many", cat: stats,
			sql:  "SELECT * FROM cus, lin, sup WHERE cus.j = sup.j AND lin.k = sup.k",
			want: "((lin ⋈[(k = k)] sup) ⋈[(j = j)] cus)"},
		// TPC-H Q9's shape: each lin row has one ps row by ps's key
		// (k, j) and one o row, and a two-hundredth of the p rows pass
		// p's filter. Without the key, one equality alone looks like four
		// ps rows per lin row, so ps joins last, to the rows the others
		// keep...
		{name: "composite key, not declared", cat: q9Stats(nil),
			sql:  q9Shape,
			want: "(ps ⋈[((k = k) AND (j = j))] (o ⋈[(k = v)] (lin ⋈[(k = k)] p[(v = 3)])))"},
		// ... with it, p's rows find their ps rows first, and lin's rows
		// meet the few of those once.
		{name: "composite key", cat: q9Stats(map[string][]int{"p": {0}, "ps": {0, 1}, "o": {0}}),
			sql:  q9Shape,
			want: "(o ⋈[(k = v)] (lin ⋈[((k = k) AND (j = j))] (ps ⋈[(k = k)] p[(v = 3)])))"},
		// A cycle: the last leaf joins on both of its equalities.
		{name: "cycle", cat: plain,
			sql:  "SELECT * FROM a, b, c WHERE a.k = b.k AND b.j = c.j AND c.v = a.v",
			want: "((a ⋈[(k = k)] b) ⋈[((j = j) AND (v = v))] c)"},
		// Groups with no equality between them are crossed last, each
		// joined first.
		{name: "disconnected", cat: plain,
			sql:  "SELECT * FROM a, x, b, y WHERE a.k = b.k AND x.k = y.k",
			want: "((a ⋈[(k = k)] b) × (x ⋈[(k = k)] y))"},
		// The smaller group is the one materialized.
		{name: "disconnected, sized", cat: sized,
			sql:  "SELECT * FROM a, x, b, y WHERE a.k = b.k AND x.k = y.k",
			want: "((a ⋈[(k = k)] b) × (x ⋈[(k = k)] y))"},
		// A condition between the groups that is no equality is the
		// cross join's.
		{name: "inequality between groups", cat: plain,
			sql:  "SELECT * FROM a, x, b, y WHERE a.k = b.k AND x.k = y.k AND a.v < y.v",
			want: "((a ⋈[(k = k)] b) ⋈[(v < v)] (x ⋈[(k = k)] y))"},
		// Conditions on one table go into its scan.
		{name: "single-table filters", cat: plain,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.j = c.j AND c.v = 3 AND a.v > b.v",
			want: "((a ⋈[((k = k) AND (v > v))] b) ⋈[(j = j)] c[(v = 3)])"},
		// A volatile condition stays above the tree, which is still
		// reordered.
		{name: "volatile condition", cat: plain,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.j = c.j AND a.v < random() * 10",
			want: "filter[((v)::double precision < (random() * 10))](((a ⋈[(k = k)] b) ⋈[(j = j)] c))"},
		// A leaf calling a volatile function keeps the tree as written.
		{name: "volatile leaf", cat: plain,
			sql:  "SELECT * FROM (SELECT k, random() AS r FROM a) s, c, b WHERE s.k = b.k AND b.j = c.j",
			want: "((a × c) ⋈[((k = k) AND (j = j))] b)"},
		// Outer joins are leaves: the inner joins on either side of one
		// are reordered on their own.
		{name: "outer join is a leaf", cat: plain,
			sql:  "SELECT * FROM (a CROSS JOIN c JOIN b ON a.k = b.k AND b.j = c.j) LEFT JOIN (x CROSS JOIN b b2 JOIN y ON y.k = b2.k AND x.j = y.j) ON a.v = x.v",
			want: "(((a ⋈[(k = k)] b) ⋈[(j = j)] c) left[(v = v)] ((x ⋈[(j = j)] y) ⋈[(k = k)] b2))"},
		// A correlated subquery's tree is reordered, and a conjunct
		// reading the outer row (constant while the subquery runs) moves
		// like any other: into the scan or the join it reads.
		{name: "correlated subquery", cat: plain,
			sql:  "SELECT (SELECT count(*) FROM c, a, b WHERE b.k = o.k AND c.j = b.j + o.j AND a.v = c.v) FROM a o",
			want: "subquery{((c ⋈[(v = v)] a) ⋈[(j = (j + outer#1))] b[(k = outer#0)])}, o"},
		// A condition with a subquery stays above the tree (pushFilters
		// leaves it there), which is reordered.
		{name: "subquery condition", cat: plain,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.j = c.j AND (a.v = 1 OR EXISTS (SELECT FROM x WHERE x.k = c.k))",
			want: "filter[((v = 1) OR EXISTS(SubPlan))](((a ⋈[(k = k)] b) ⋈[(j = j)] c))"},
	} {
		got := planJoins(t, c.cat, c.sql)
		if got != c.want {
			t.Errorf("%s: %s\n got  %s\n want %s", c.name, c.sql, got, c.want)
		}
	}
}

// q9Shape joins as TPC-H Q9 joins part, partsupp, lineitem and orders.
const q9Shape = "SELECT * FROM p, ps, lin, o WHERE p.k = lin.k AND ps.k = lin.k AND ps.j = lin.j AND o.k = lin.v AND p.v = 3"

// q9Stats is TPC-H Q9's part (p), partsupp (ps), lineitem (lin) and
// orders (o) at SF1, with keys the primary keys of the tables it names.
func q9Stats(keys map[string][]int) sizedEstimates {
	return sizedEstimates{sizedTables{
		rows: map[string]int64{"p": 200000, "ps": 800000, "lin": 6000000, "o": 1500000},
		distinct: map[string]int64{"p.k": 200000, "ps.k": 200000, "ps.j": 10000, "lin.k": 200000, "lin.j": 10000,
			"lin.v": 1500000, "o.k": 1500000},
		keys: keys,
	}}
}

// TestJoinOrderKeepsUnmovableConditions: a tree whose join condition
// calls a volatile function or holds a subquery (pushFilters leaves none
// in an inner join, but the rule does not rely on it) keeps its order.
func TestJoinOrderKeepsUnmovableConditions(t *testing.T) {
	cat := sizedTables{rows: map[string]int64{"a": 1, "b": 1, "c": 1}}
	scan := func(name string) *Scan {
		return &Scan{Table: cat.Table(DefaultSchema, name), Alias: name, Cols: []int{0, 1, 2}}
	}
	col := func(i int) Expr { return &ColRef{Index: i, T: catalog.TypeInt4} }
	eq := func(l, r int) Expr { return &BinExpr{Op: exec.OpEq, L: col(l), R: col(r), T: catalog.TypeBool} }
	for _, odd := range []Expr{
		&BinExpr{Op: exec.OpLt, L: &FuncExpr{Name: "random", T: catalog.TypeFloat8}, R: &Const{Value: 0.5, T: catalog.TypeFloat8}, T: catalog.TypeBool},
		&SubqueryExpr{Mode: exec.SubqueryExists, Plan: scan("c"), OuterCols: []Expr{col(0)}, T: catalog.TypeBool},
	} {
		// (a × c) ⋈ b on a.k = b.k AND b.j = c.j AND odd
		tree := &Join{Kind: JoinInner, Left: &Join{Kind: JoinCross, Left: scan("a"), Right: scan("c")}, Right: scan("b"),
			Cond: makeAnd([]Expr{eq(0, 6), eq(7, 4), odd})}
		want := renderJoins(tree)
		if got := renderJoins(orderJoins(tree, nil)); got != want {
			t.Errorf("with %s: got %s, want %s", odd, got, want)
		}
	}
}
