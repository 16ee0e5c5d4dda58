package tpch

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// referenceLines are the first lineitem rows of SF1 as the TPC reference dbgen
// prints them.
const referenceLines = `1|155190|7706|1|17|21168.23|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|egular courts above the|
1|67310|7311|2|36|45983.16|0.09|0.06|N|O|1996-04-12|1996-02-28|1996-04-20|TAKE BACK RETURN|MAIL|ly final dependencies: slyly bold |
1|63700|3701|3|8|13309.60|0.10|0.02|N|O|1996-01-29|1996-03-05|1996-01-31|TAKE BACK RETURN|REG AIR|riously. regular, express dep|
1|2132|4633|4|28|28955.64|0.09|0.06|N|O|1996-04-21|1996-03-30|1996-05-16|NONE|AIR|lites. fluffily even de|
1|24027|1534|5|24|22824.48|0.10|0.04|N|O|1996-03-30|1996-03-14|1996-04-01|NONE|FOB| pending foxes. slyly re|
1|15635|638|6|32|49620.16|0.07|0.02|N|O|1996-01-30|1996-02-07|1996-02-03|DELIVER IN PERSON|MAIL|arefully slyly ex|
2|106170|1191|1|38|44694.46|0.00|0.05|N|O|1997-01-28|1997-01-14|1997-02-02|TAKE BACK RETURN|RAIL|ven requests. deposits breach a|
3|4297|1798|1|45|54058.05|0.06|0.00|R|F|1994-02-02|1994-01-04|1994-02-23|NONE|AIR|ongside of the furiously brave acco|
`

// dbgenText renders a stored row the way dbgen's .tbl output does.
func dbgenText(r LineItem) string {
	date := func(days int32) string {
		return time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02")
	}
	money := func(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
	return fmt.Sprintf("%d|%d|%d|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n",
		r.OrderKey, r.PartKey, r.SuppKey, r.LineNumber, r.Quantity/100,
		money(r.ExtendedPrice), money(r.Discount), money(r.Tax), r.ReturnFlag, r.LineStatus,
		date(r.ShipDate), date(r.CommitDate), date(r.ReceiptDate), r.ShipInstruct, r.ShipMode, r.Comment)
}

func TestGeneratedRowsMatchReferenceDbgen(t *testing.T) {
	want := strings.Split(strings.TrimSuffix(referenceLines, "\n"), "\n")
	if len(fixture.rows) < len(want) {
		t.Fatalf("fixture has %d rows", len(fixture.rows))
	}
	for i, line := range want {
		if got := dbgenText(fixture.rows[i]); got != line+"\n" {
			t.Errorf("row %d:\ngot  %swant %s", i+1, got, line+"\n")
		}
	}
}

func TestGenerateStopsAfterMaxOrders(t *testing.T) {
	last := fixture.rows[len(fixture.rows)-1]
	if got := makeSparseOrderKey(fixtureOrders); last.OrderKey != got {
		t.Errorf("last order key %d, want %d (order %d)", last.OrderKey, got, fixtureOrders)
	}
	// Every order has 1 to 7 lines.
	if n := len(fixture.rows); n < fixtureOrders || n > 7*fixtureOrders {
		t.Errorf("%d rows for %d orders", n, fixtureOrders)
	}
}

// makeSparseOrderKey mirrors dbgen's sparse order keys: 8 used out of every 32.
func makeSparseOrderKey(i int64) int64 {
	return (i>>3)<<5 | i&7
}

func TestGenerateRunsOncePerProcess(t *testing.T) {
	_, err := Generate(GenerateOptions{ScaleFactor: 1, MaxOrders: 1, BatchRows: 10}, func([]LineItem) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "already run") {
		t.Fatalf("second generation: err = %v, want an 'already run' error", err)
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	for _, opts := range []GenerateOptions{{ScaleFactor: 0, BatchRows: 1}, {ScaleFactor: 1, BatchRows: 0}} {
		if _, err := Generate(opts, func([]LineItem) error { return nil }); err == nil {
			t.Errorf("Generate(%+v) succeeded", opts)
		}
	}
}

func TestParseDays(t *testing.T) {
	for s, want := range map[string]int32{
		"1970-01-01": 0, "1970-01-02": 1, "1969-12-31": -1,
		"1992-01-01": 8035, "1998-12-01": 10561, "2000-02-29": 11016, "2000-03-01": 11017,
	} {
		got, err := parseDays(s)
		if err != nil || got != want {
			t.Errorf("parseDays(%q) = %d, %v; want %d", s, got, err, want)
		}
		if back := time.Unix(int64(got)*86400, 0).UTC().Format("2006-01-02"); back != s {
			t.Errorf("parseDays(%q) = %d, which is %s", s, got, back)
		}
	}
	for _, bad := range []string{"", "1996-3-13", "1996/03/13", "19a6-03-13"} {
		if _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q) succeeded", bad)
		}
	}
}
