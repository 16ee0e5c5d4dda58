package tpch

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// actualRows reads the row count of an EXPLAIN ANALYZE node line.
var actualRows = regexp.MustCompile(`\(actual time=[0-9.]+\.\.[0-9.]+ rows=([0-9]+) loops=[0-9]+\)`)

// TestExplainAnalyzeShowsWhatRan runs EXPLAIN ANALYZE on each of the 22
// queries over the fixture: every operator of the plan carries its actual
// rows and loops (or "never executed"), the top one's rows are the rows the
// query returns, and the timing summary closes the plan.
func TestExplainAnalyzeShowsWhatRan(t *testing.T) {
	srv := fixtureServer(t)
	ctx := context.Background()
	for _, q := range Queries {
		res, _, err := srv.Run(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		plan, _, err := srv.Run(ctx, Query{Name: q.Name + " EXPLAIN ANALYZE", SQL: "EXPLAIN ANALYZE " + q.SQL})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range plan.Rows {
			lines = append(lines, r[0].Text)
		}
		text := strings.Join(lines, "\n")
		if len(lines) < 3 {
			t.Fatalf("%s: plan too short:\n%s", q.Name, text)
		}
		top := actualRows.FindStringSubmatch(lines[0])
		if top == nil || top[1] != fmt.Sprint(len(res.Rows)) {
			t.Errorf("%s: the top operator should show rows=%d:\n%s", q.Name, len(res.Rows), text)
		}
		operators := 0
		for _, l := range lines[1:] {
			if !strings.Contains(l, "->  ") {
				continue
			}
			operators++
			if !actualRows.MatchString(l) && !strings.Contains(l, "(never executed)") {
				t.Errorf("%s: operator without actual rows: %q", q.Name, l)
			}
		}
		if operators == 0 {
			t.Errorf("%s: no operators below the top:\n%s", q.Name, text)
		}
		if !strings.HasPrefix(lines[len(lines)-2], "Planning Time: ") || !strings.HasPrefix(lines[len(lines)-1], "Execution Time: ") {
			t.Errorf("%s: no timing summary:\n%s", q.Name, text)
		}
		if q.Name == "Q9" {
			t.Logf("EXPLAIN ANALYZE of Q9 over the fixture:\n%s", text)
		}
	}
}
