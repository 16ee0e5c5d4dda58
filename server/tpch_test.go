package server

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// lineitemRow is a TPC-H lineitem row in cents and basis points, so the
// test can compute the exact answers of Q1 and Q6 with integers.
type lineitemRow struct {
	qty, price, disc, tax int64 // hundredths
	flag, status          string
	ship                  string // date
}

func genLineitem(n int) []lineitemRow {
	rnd := rand.New(rand.NewSource(42))
	rows := make([]lineitemRow, n)
	for i := range rows {
		y, m, d := 1992+rnd.Intn(7), 1+rnd.Intn(12), 1+rnd.Intn(28)
		rows[i] = lineitemRow{
			qty:    int64(100 * (1 + rnd.Intn(50))),
			price:  int64(90000 + rnd.Intn(10000000)),
			disc:   int64(rnd.Intn(11)),
			tax:    int64(rnd.Intn(9)),
			flag:   []string{"A", "N", "R"}[rnd.Intn(3)],
			status: []string{"F", "O"}[rnd.Intn(2)],
			ship:   fmt.Sprintf("%04d-%02d-%02d", y, m, d),
		}
	}
	return rows
}

// dec renders v (scaled by 10^scale) as a numeric literal.
func dec(v int64, scale int) string {
	s := strconv.FormatInt(abs(v), 10)
	for len(s) <= scale {
		s = "0" + s
	}
	out := s[:len(s)-scale] + "." + s[len(s)-scale:]
	if v < 0 {
		out = "-" + out
	}
	return out
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestTPCHQ1Q6(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE lineitem (l_quantity numeric(15,2), l_extendedprice numeric(15,2),
		l_discount numeric(15,2), l_tax numeric(15,2), l_returnflag char(1), l_linestatus char(1), l_shipdate date)`)
	rows := genLineitem(3000)
	var sb strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&sb, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dec(r.qty, 2), dec(r.price, 2), dec(r.disc, 2), dec(r.tax, 2), r.flag, r.status, r.ship)
	}
	if _, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(sb.String()), "COPY lineitem FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	// Half the data in Parquet, half in the unflushed tail.
	mustExec(t, conn, "CHECKPOINT", "DELETE FROM lineitem WHERE l_shipdate = '1995-06-15'")
	kept := rows[:0]
	for _, r := range rows {
		if r.ship != "1995-06-15" {
			kept = append(kept, r)
		}
	}
	rows = kept

	// Q6 as written in the TPC-H specification.
	var q6 int64
	for _, r := range rows {
		if r.ship >= "1994-01-01" && r.ship < "1995-01-01" && r.disc >= 5 && r.disc <= 7 && r.qty < 2400 {
			q6 += r.price * r.disc
		}
	}
	got := rowsText(t, conn, `select sum(l_extendedprice * l_discount) as revenue from lineitem
		where l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year
		and l_discount between 0.06 - 0.01 and 0.06 + 0.01 and l_quantity < 24`)
	if want := dec(q6, 4); len(got) != 1 || got[0][0] != want {
		t.Fatalf("Q6: got %v, want %s", got, want)
	}

	// Q1 as written in the specification (DELTA = 90).
	type agg struct{ qty, base, disc, charge, discSum, n int64 }
	groups := map[string]*agg{}
	for _, r := range rows {
		if r.ship > "1998-09-02" {
			continue
		}
		k := r.flag + "|" + r.status
		g := groups[k]
		if g == nil {
			g = &agg{}
			groups[k] = g
		}
		g.qty += r.qty
		g.base += r.price
		g.disc += r.price * (100 - r.disc)
		g.charge += r.price * (100 - r.disc) * (100 + r.tax)
		g.discSum += r.disc
		g.n++
	}
	got = rowsText(t, conn, `select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty,
		sum(l_extendedprice) as sum_base_price, sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
		sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge, avg(l_quantity) as avg_qty,
		avg(l_extendedprice) as avg_price, avg(l_discount) as avg_disc, count(*) as count_order
		from lineitem where l_shipdate <= date '1998-12-01' - interval '90' day
		group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus`)
	if len(got) != len(groups) {
		t.Fatalf("Q1: %d groups, want %d: %v", len(got), len(groups), got)
	}
	for _, row := range got {
		g := groups[row[0]+"|"+row[1]]
		if g == nil {
			t.Fatalf("Q1: unexpected group %v", row)
		}
		want := []string{dec(g.qty, 2), dec(g.base, 2), dec(g.disc, 4), dec(g.charge, 6)}
		if !equalStrings(row[2:6], want) || row[9] != strconv.FormatInt(g.n, 10) {
			t.Errorf("Q1 group %s%s: got %v, want sums %v count %d", row[0], row[1], row, want, g.n)
		}
		avgQty, _ := strconv.ParseFloat(row[6], 64)
		if wantAvg := float64(g.qty) / 100 / float64(g.n); abs(int64((avgQty-wantAvg)*1e9)) > 1 {
			t.Errorf("Q1 avg_qty %s, want %v", row[6], wantAvg)
		}
	}
}

func equalStrings(a, b []string) bool {
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
