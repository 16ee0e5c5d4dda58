package exec

import (
	"sort"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// The aggregate kernel tests run over the rows of this view, whose
// results they compare with PostgreSQL 15's (psql -A -t -F'|', NULL
// printed as NULL), recorded next to each test:
//
//	create temp view d(id, g, x, f, s, dl, n) as values
//	  (1, 1, 5, 1.5::float8, 'a', ',', 1.50), (2, 2, -3, 2.25, 'b', ';', -0.333),
//	  (3, 1, 7, NULL, 'c', NULL, 12.0), (4, 1, NULL, 4.75, NULL, ',', NULL),
//	  (5, 2, 12, -1.5, 'd', ',', 7), (6, 3, NULL, NULL, NULL, '-', NULL),
//	  (7, 1, 5, 3.5, 'e', '+', 0.125), (8, 2, 6, 2.25, 'a', ',', 2.5),
//	  (9, 1, -2, 0.5, 'b', ',', 1e-3);
//
// The kernels fold rows in input order (id order here), so where the
// order matters the recording query says ORDER BY id.

var (
	tF8 = catalog.TypeFloat8
	tN  = catalog.TypeNumeric
	// id, g, x, f, s, dl, n
	aggTestTypes = []catalog.Type{tInt, tInt, tInt, tF8, tText, tText, tN}
)

const (
	colID = iota
	colG
	colX
	colF
	colS
	colDl
	colN
)

func aggCol(c int) Expr { return ColumnRef(c, aggTestTypes[c]) }

func aggTestRows(t *testing.T) [][]catalog.Datum {
	n := func(s string) catalog.Datum { return parseDatum(t, tN, s) }
	return [][]catalog.Datum{
		{int32(1), int32(1), int32(5), 1.5, "a", ",", n("1.50")},
		{int32(2), int32(2), int32(-3), 2.25, "b", ";", n("-0.333")},
		{int32(3), int32(1), int32(7), nil, "c", nil, n("12.0")},
		{int32(4), int32(1), nil, 4.75, nil, ",", nil},
		{int32(5), int32(2), int32(12), -1.5, "d", ",", n("7")},
		{int32(6), int32(3), nil, nil, nil, "-", nil},
		{int32(7), int32(1), int32(5), 3.5, "e", "+", n("0.125")},
		{int32(8), int32(2), int32(6), 2.25, "a", ",", n("2.5")},
		{int32(9), int32(1), int32(-2), 0.5, "b", ",", n("0.001")},
	}
}

// runAggs aggregates the test rows by g, in batches of per rows (each
// with a selection around a junk row), and returns the result rows
// printed as psql -A prints them, sorted.
func runAggs(t *testing.T, per int, aggs []Aggregate) []string {
	t.Helper()
	src := source(aggTestTypes, aggTestRows(t))
	src.sel, src.per = true, per
	return aggLines(t, NewHashAggregate(src, []Expr{aggCol(colG)}, aggs), aggs)
}

// runAggsParallel is runAggs with the rows split over pipelines whose
// partial states merge.
func runAggsParallel(t *testing.T, aggs func() []Aggregate) []string {
	t.Helper()
	rows := aggTestRows(t)
	var ins []Operator
	var groups [][]Expr
	var as [][]Aggregate
	for _, part := range [][][]catalog.Datum{rows[:2], rows[2:3], rows[3:7], rows[7:]} {
		src := source(aggTestTypes, part)
		src.per = 2
		ins = append(ins, src)
		groups = append(groups, []Expr{aggCol(colG)})
		as = append(as, aggs())
	}
	return aggLines(t, NewParallelHashAggregate(ins, groups, as), aggs())
}

func aggLines(t *testing.T, op Operator, aggs []Aggregate) []string {
	t.Helper()
	types := []catalog.Type{tInt}
	for _, a := range aggs {
		types = append(types, a.Type)
	}
	var out []string
	for _, l := range textRows(t, types, collect(t, op)) {
		out = append(out, strings.ReplaceAll(l, "\t", "|"))
	}
	return out
}

// pgLines are psql's output lines, sorted.
func pgLines(s string) []string {
	out := strings.Split(strings.TrimSpace(s), "\n")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	sort.Strings(out)
	return out
}

func assertLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}
