package planner

import (
	"math"
	"testing"
)

// firstScan binds sql against cat and returns the first scan of its
// plan, after the optimizer pushed its filters into it.
func firstScan(t *testing.T, cat Catalog, sql string) *Scan {
	t.Helper()
	root := boundRoot(t, cat, sql)
	var find func(Node) *Scan
	find = func(n Node) *Scan {
		if s, ok := n.(*Scan); ok {
			return s
		}
		for _, in := range inputs(n) {
			if s := find(in); s != nil {
				return s
			}
		}
		return nil
	}
	s := find(root)
	if s == nil {
		t.Fatalf("%s: no scan", sql)
	}
	return s
}

// TestScanSelectivityUsesStatistics: a scan's filters are estimated
// from the catalog's column statistics where it has them: an equality
// keeps 1/NDV of the non-NULL rows, an IN list k/NDV, a range (both of
// its sides together) the catalog's fraction, IS NULL the NULL
// fraction; without them, PostgreSQL's defaults.
func TestScanSelectivityUsesStatistics(t *testing.T) {
	stats := sizedEstimates{sizedTables{
		rows:     map[string]int64{"lin": 1_000_000},
		distinct: map[string]int64{"lin.j": 4, "lin.v": 50},
		ranges:   map[string]float64{"lin.k": 0.01},
		nulls:    map[string]float64{"lin.v": 0.5},
	}}
	plain := sizedEstimates{sizedTables{rows: map[string]int64{"lin": 1_000_000}}}
	for _, c := range []struct {
		where       string
		want, plain float64
	}{
		{"j = 1", 250_000, 5000},
		{"j <> 1", 750_000, 995_000},
		{"j IN (1, 2)", 500_000, 10_000},
		{"j NOT IN (1, 2)", 500_000, 990_000},
		{"v = 7", 10_000, 5000}, // half of the rows are NULL
		{"v IS NULL", 500_000, 5000},
		{"v IS NOT NULL", 500_000, 995_000},
		// One range of k: the catalog's fraction once, not per side.
		{"k >= 10 AND k < 20", 10_000, 1_000_000.0 / 9},
		{"k BETWEEN 10 AND 20", 10_000, 1_000_000.0 / 9},
		{"k > 10", 10_000, 1_000_000.0 / 3},
		{"k > 10 AND j = 1", 2500, 1_000_000.0 / 3 / 200},
		{"(k > 10 OR j = 1)", 260_000, 1_000_000.0/3 + 5000},
		// A cast that keeps order sees through to the column.
		{"k::bigint < 5", 10_000, 1_000_000.0 / 3},
	} {
		sql := "SELECT * FROM lin WHERE " + c.where
		if got := (rowEstimator{cat: stats}).rows(firstScan(t, stats, sql)); math.Abs(got-c.want) > 0.5 {
			t.Errorf("%s: %.1f rows, want %.1f", c.where, got, c.want)
		}
		if got := (rowEstimator{cat: plain}).rows(firstScan(t, plain, sql)); math.Abs(got-c.plain) > 0.5 {
			t.Errorf("%s without statistics: %.1f rows, want %.1f", c.where, got, c.plain)
		}
	}
}

// TestJoinOrderFromRangeFraction: a narrow range of a big table's
// column makes it the smaller input, so the join's hash table is built
// on it; without the range's statistics the default third of the rows
// leaves it the bigger one.
func TestJoinOrderFromRangeFraction(t *testing.T) {
	rows := map[string]int64{"cus": 150_000, "lin": 6_000_000}
	sql := "SELECT * FROM lin, cus WHERE lin.k = cus.k AND lin.v >= 10 AND lin.v < 20"
	if got, want := planJoins(t, sizedEstimates{sizedTables{rows: rows}}, sql), "(lin[((v >= 10) AND (v < 20))] ⋈[(k = k)] cus)"; got != want {
		t.Errorf("without statistics: %s, want %s", got, want)
	}
	stats := sizedEstimates{sizedTables{rows: rows, ranges: map[string]float64{"lin.v": 0.001}}}
	if got, want := planJoins(t, stats, sql), "(cus ⋈[(k = k)] lin[((v >= 10) AND (v < 20))])"; got != want {
		t.Errorf("with a range fraction: %s, want %s", got, want)
	}
}

// TestJoinEstimateUnderCompositeKey: a join on every column of a table's
// primary key gives each row of the other side one row of that table, as
// many as the other side has when nothing filters the keyed side, where
// the most selective equality alone (ps.k, 200,000 values for 800,000
// rows) gives four.
func TestJoinEstimateUnderCompositeKey(t *testing.T) {
	for _, c := range []struct {
		name string
		keys map[string][]int
		want float64
	}{
		{"declared", map[string][]int{"ps": {0, 1}}, 6_000_000},
		{"not declared", nil, 24_000_000},
	} {
		root := boundRoot(t, q9Stats(c.keys), "SELECT * FROM lin JOIN ps ON ps.k = lin.k AND ps.j = lin.j")
		var join *Join
		var find func(Node)
		find = func(n Node) {
			if j, ok := n.(*Join); ok && join == nil {
				join = j
			}
			for _, in := range inputs(n) {
				find(in)
			}
		}
		find(root)
		if join == nil {
			t.Fatalf("%s: no join", c.name)
		}
		if got := (rowEstimator{cat: q9Stats(c.keys)}).rows(join); math.Abs(got-c.want) > 1 {
			t.Errorf("%s: estimated %v rows, want %v", c.name, got, c.want)
		}
	}
}
