package engine

import (
	"context"
	"strings"
	"testing"
)

// TestKeptPlanRangeEstimates: a kept plan whose binding read the
// fraction of rows a range holds (the column statistics of flushed
// segments) is kept while the rows that fraction picks change little,
// flushes included, and bound again once they moved by more than a
// factor of two, even with the table's row count unchanged.
func TestKeptPlanRangeEstimates(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE kr_a (id int, v int); CREATE TABLE kr_b (id int);
		INSERT INTO kr_a SELECT g, g FROM generate_series(1, 10000) g; INSERT INTO kr_b SELECT g FROM generate_series(1, 10000) g`)
	// CHECKPOINT on its own: the statements of one Query message commit
	// together at its end.
	simple(t, s, "CHECKPOINT")
	stmts, err := s.Parse(`SELECT count(*) FROM kr_a JOIN kr_b USING (id) WHERE v > 9000 AND v <= 20000`)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[0].(*statement)
	if _, _, err := s.Describe(context.Background(), st, nil); err != nil {
		t.Fatal(err)
	}
	ranges := 0
	for _, r := range st.plan.estimates {
		if r.fraction != nil {
			ranges++
		}
	}
	if ranges == 0 {
		t.Fatalf("the plan kept no range estimate: %+v", st.plan.estimates)
	}
	run := func() string {
		t.Helper()
		w := &rowsWriter{}
		if _, err := s.Execute(context.Background(), st, nil, nil, nil, nil, w); err != nil {
			t.Fatal(err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(w.rows, " ")
	}
	kept := st.plan
	if got := run(); got != "1000" || st.plan != kept {
		t.Fatalf("first run: %s, bound again %v", got, st.plan != kept)
	}
	// 100 rows outside the range, flushed: the range holds 1000 of
	// 10100 rows instead of 10000.
	simple(t, s, `INSERT INTO kr_a SELECT g, g FROM generate_series(-99, 0) g`)
	simple(t, s, "CHECKPOINT")
	if got := run(); got != "1000" || st.plan != kept {
		t.Fatalf("after 100 more rows: %s, bound again %v", got, st.plan != kept)
	}
	// The same number of rows, but half of them moved into the range:
	// it picks 6000 rows where it picked 1000.
	simple(t, s, `UPDATE kr_a SET v = v + 10000 WHERE v BETWEEN 1 AND 5000`)
	simple(t, s, "CHECKPOINT")
	if got := run(); got != "6000" || st.plan == kept {
		t.Fatalf("after the range grew sixfold: %s, bound again %v", got, st.plan != kept)
	}
}
