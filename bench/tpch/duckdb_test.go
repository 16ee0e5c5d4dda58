package tpch

import (
	"context"
	"testing"
)

func openFixtureDuckDB(t *testing.T) *DuckDB {
	t.Helper()
	d, err := OpenDuckDB(context.Background(), fixture.files)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDuckDBReadsGeneratedParquet(t *testing.T) {
	ctx := context.Background()
	d := openFixtureDuckDB(t)
	for name, want := range fixture.rows {
		if n, err := d.Count(ctx, name); err != nil || n != want {
			t.Fatalf("DuckDB count of %s = %d, %v; want %d", name, n, err, want)
		}
	}
	var qtyType, dateType, flagType, price, ship, comment string
	err := d.db.QueryRowContext(ctx, `SELECT typeof(l_quantity), typeof(l_shipdate), typeof(l_returnflag),
		l_extendedprice::varchar, l_shipdate::varchar, l_comment
		FROM lineitem WHERE l_orderkey = 1 AND l_linenumber = 3`).Scan(&qtyType, &dateType, &flagType, &price, &ship, &comment)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{qtyType, dateType, flagType, price, ship, comment}
	want := []string{"DECIMAL(15,2)", "DATE", "VARCHAR", "13309.60", "1996-01-29", "riously. regular, express dep"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("DuckDB read %q, want %q", got[i], want[i])
		}
	}
}

func TestDuckDBAnswersEqualExactComputation(t *testing.T) {
	d := openFixtureDuckDB(t)
	for _, tc := range []struct {
		q    Query
		want Result
	}{
		{Q1, referenceQ1(fixture.lines)},
		{Q6, referenceQ6(fixture.lines)},
	} {
		got, _, err := d.Run(context.Background(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(tc.want.Rows) == 0 || tc.want.Rows[0][0].Null {
			t.Fatalf("%s: the fixture selects no rows, so the test proves nothing", tc.q.Name)
		}
		if diffs := Compare(tc.want, got); len(diffs) > 0 {
			t.Errorf("%s differs from the exact answer:\n%v\nDuckDB:\n%sexact:\n%s", tc.q.Name, diffs, got.Format(), tc.want.Format())
		}
	}
}

func TestDuckDBQ1HasAllFourGroups(t *testing.T) {
	d := openFixtureDuckDB(t)
	got, _, err := d.Run(context.Background(), Q1)
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, r := range got.Rows {
		groups = append(groups, r[0].Text+r[1].Text)
	}
	if len(groups) != 4 || groups[0] != "AF" || groups[1] != "NF" || groups[2] != "NO" || groups[3] != "RF" {
		t.Errorf("Q1 groups %v, want [AF NF NO RF]", groups)
	}
	for i, c := range got.Columns {
		wantApprox := c.Name == "avg_qty" || c.Name == "avg_price" || c.Name == "avg_disc"
		if c.Approximate != wantApprox {
			t.Errorf("column %d %s (%s): approximate = %v", i, c.Name, c.Type, c.Approximate)
		}
	}
}
