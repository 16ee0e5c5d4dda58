package tpch

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// referenceRows are the first rows of every SF1 table as the TPC reference
// dbgen prints them (its .tbl format).
var referenceRows = map[string]string{
	"region": `0|AFRICA|lar deposits. blithely final packages cajole. regular waters are final requests. regular accounts are according to |
1|AMERICA|hs use ironic, even requests. s|
2|ASIA|ges. thinly even pinto beans ca|
3|EUROPE|ly final courts cajole furiously final excuse|
4|MIDDLE EAST|uickly special accounts cajole carefully blithely close requests. carefully final asymptotes haggle furiousl|
`,
	"nation": `0|ALGERIA|0| haggle. carefully final deposits detect slyly agai|
1|ARGENTINA|1|al foxes promise slyly according to the regular accounts. bold requests alon|
2|BRAZIL|1|y alongside of the pending deposits. carefully special packages are about the ironic forges. slyly special |
3|CANADA|1|eas hang ironic, silent packages. slyly regular packages are furiously over the tithes. fluffily bold|
4|EGYPT|4|y above the carefully unusual theodolites. final dugouts are quickly across the furiously regular d|
`,
	"supplier": `1|Supplier#000000001| N kD4on9OM Ipw3,gf0JBoQDd7tgrzrddZ|17|27-918-335-1736|5755.94|each slyly above the careful|
2|Supplier#000000002|89eJ5ksX3ImxJQBvxObC,|5|15-679-861-2259|4032.68| slyly bold instructions. idle dependen|
3|Supplier#000000003|q1,G3Pj6OjIuUYfUoH18BFTKP5aU9bEV3|1|11-383-516-1199|4192.40|blithely silent requests after the express dependencies are sl|
`,
	"customer": `1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|to the even, regular platelets. regular, ironic epitaphs nag e|
2|Customer#000000002|XSTf4,NCwDVaWNe6tEgvwfmRchLXak|13|23-768-687-3665|121.65|AUTOMOBILE|l accounts. blithely ironic theodolites integrate boldly: caref|
3|Customer#000000003|MG9kdTD2WBHm|1|11-719-748-3364|7498.12|AUTOMOBILE| deposits eat slyly ironic, even instructions. express foxes detect slyly. blithely even accounts abov|
`,
	"part": `1|goldenrod lavender spring chocolate lace|Manufacturer#1|Brand#13|PROMO BURNISHED COPPER|7|JUMBO PKG|901.00|ly. slyly ironi|
2|blush thistle blue yellow saddle|Manufacturer#1|Brand#13|LARGE BRUSHED BRASS|1|LG CASE|902.00|lar accounts amo|
3|spring green yellow purple cornsilk|Manufacturer#4|Brand#42|STANDARD POLISHED BRASS|21|WRAP CASE|903.00|egular deposits hag|
`,
	"partsupp": `1|2|3325|771.64|, even theodolites. regular, final theodolites eat after the carefully pending foxes. furiously regular deposits sleep slyly. carefully bold realms above the ironic dependencies haggle careful|
1|2502|8076|993.49|ven ideas. quickly even packages print. pending multipliers must have to are fluff|
1|5002|3956|337.09|after the fluffily ironic deposits? blithely special dependencies integrate furiously even excuses. blithely silent theodolites could have to haggle pending, express requests; fu|
1|7502|4069|357.84|al, regular dependencies serve carefully after the quickly final pinto beans. furiously even deposits sleep quickly final, silent pinto beans. fluffily reg|
2|3|8895|378.49|nic accounts. final accounts sleep furiously about the ironic, bold packages. regular, regular accounts|
`,
	"orders": `1|36901|O|173665.47|1996-01-02|5-LOW|Clerk#000000951|0|nstructions sleep furiously among |
2|78002|O|46929.18|1996-12-01|1-URGENT|Clerk#000000880|0| foxes. pending accounts at the pending, silent asymptot|
3|123314|F|193846.25|1993-10-14|5-LOW|Clerk#000000955|0|sly final accounts boost. carefully regular ideas cajole carefully. depos|
4|136777|O|32151.78|1995-10-11|5-LOW|Clerk#000000124|0|sits. slyly regular warthogs cajole. regular, regular theodolites acro|
5|44485|F|144659.20|1994-07-30|5-LOW|Clerk#000000925|0|quickly. bold deposits sleep slyly. packages use slyly|
`,
	"lineitem": `1|155190|7706|1|17|21168.23|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|DELIVER IN PERSON|TRUCK|egular courts above the|
1|67310|7311|2|36|45983.16|0.09|0.06|N|O|1996-04-12|1996-02-28|1996-04-20|TAKE BACK RETURN|MAIL|ly final dependencies: slyly bold |
1|63700|3701|3|8|13309.60|0.10|0.02|N|O|1996-01-29|1996-03-05|1996-01-31|TAKE BACK RETURN|REG AIR|riously. regular, express dep|
1|2132|4633|4|28|28955.64|0.09|0.06|N|O|1996-04-21|1996-03-30|1996-05-16|NONE|AIR|lites. fluffily even de|
1|24027|1534|5|24|22824.48|0.10|0.04|N|O|1996-03-30|1996-03-14|1996-04-01|NONE|FOB| pending foxes. slyly re|
1|15635|638|6|32|49620.16|0.07|0.02|N|O|1996-01-30|1996-02-07|1996-02-03|DELIVER IN PERSON|MAIL|arefully slyly ex|
2|106170|1191|1|38|44694.46|0.00|0.05|N|O|1997-01-28|1997-01-14|1997-02-02|TAKE BACK RETURN|RAIL|ven requests. deposits breach a|
3|4297|1798|1|45|54058.05|0.06|0.00|R|F|1994-02-02|1994-01-04|1994-02-23|NONE|AIR|ongside of the furiously brave acco|
`,
}

// tblDate and tblMoney format like dbgen's .tbl output.
func tblDate(days int32) string {
	return time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02")
}

func tblMoney(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// tblLines reads the first n rows of a generated file and renders them the way
// dbgen's .tbl output does.
func tblLines(t *testing.T, table string, n int) []string {
	t.Helper()
	path := fixture.files[table]
	var out []string
	var err error
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	switch table {
	case "region":
		var rows []Region
		rows, err = readAll[Region](path, n)
		for _, r := range rows {
			add("%d|%s|%s|", r.RegionKey, r.Name, r.Comment)
		}
	case "nation":
		var rows []Nation
		rows, err = readAll[Nation](path, n)
		for _, r := range rows {
			add("%d|%s|%d|%s|", r.NationKey, r.Name, r.RegionKey, r.Comment)
		}
	case "supplier":
		var rows []Supplier
		rows, err = readAll[Supplier](path, n)
		for _, r := range rows {
			add("%d|%s|%s|%d|%s|%s|%s|", r.SuppKey, r.Name, r.Address, r.NationKey, r.Phone, tblMoney(r.AcctBal), r.Comment)
		}
	case "customer":
		var rows []Customer
		rows, err = readAll[Customer](path, n)
		for _, r := range rows {
			add("%d|%s|%s|%d|%s|%s|%s|%s|", r.CustKey, r.Name, r.Address, r.NationKey, r.Phone, tblMoney(r.AcctBal), r.MktSegment, r.Comment)
		}
	case "part":
		var rows []Part
		rows, err = readAll[Part](path, n)
		for _, r := range rows {
			add("%d|%s|%s|%s|%s|%d|%s|%s|%s|", r.PartKey, r.Name, r.Mfgr, r.Brand, r.Type, r.Size, r.Container, tblMoney(r.RetailPrice), r.Comment)
		}
	case "partsupp":
		var rows []PartSupp
		rows, err = readAll[PartSupp](path, n)
		for _, r := range rows {
			add("%d|%d|%d|%s|%s|", r.PartKey, r.SuppKey, r.AvailQty, tblMoney(r.SupplyCost), r.Comment)
		}
	case "orders":
		var rows []Order
		rows, err = readAll[Order](path, n)
		for _, r := range rows {
			add("%d|%d|%s|%s|%s|%s|%s|%d|%s|", r.OrderKey, r.CustKey, r.OrderStatus, tblMoney(r.TotalPrice), tblDate(r.OrderDate), r.OrderPriority, r.Clerk, r.ShipPriority, r.Comment)
		}
	case "lineitem":
		for _, r := range fixture.lines[:n] {
			add("%d|%d|%d|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|",
				r.OrderKey, r.PartKey, r.SuppKey, r.LineNumber, r.Quantity/100,
				tblMoney(r.ExtendedPrice), tblMoney(r.Discount), tblMoney(r.Tax), r.ReturnFlag, r.LineStatus,
				tblDate(r.ShipDate), tblDate(r.CommitDate), tblDate(r.ReceiptDate), r.ShipInstruct, r.ShipMode, r.Comment)
		}
	default:
		t.Fatalf("no renderer for %s", table)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGeneratedRowsMatchReferenceDbgen(t *testing.T) {
	for _, table := range Tables {
		want := strings.Split(strings.TrimSuffix(referenceRows[table.Name()], "\n"), "\n")
		got := tblLines(t, table.Name(), len(want))
		if len(got) != len(want) {
			t.Fatalf("%s: read %d rows, want %d", table.Name(), len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s row %d:\ngot  %s\nwant %s", table.Name(), i+1, got[i], want[i])
			}
		}
	}
}

func TestGeneratedRowCounts(t *testing.T) {
	// The dimension tables are whole SF1 tables; orders stop at the limit.
	want := map[string]int64{
		"region": 5, "nation": 25, "supplier": 10000, "customer": 150000,
		"part": 200000, "partsupp": 800000, "orders": fixtureOrders,
	}
	for name, n := range want {
		if fixture.rows[name] != n {
			t.Errorf("%s: %d rows, want %d", name, fixture.rows[name], n)
		}
		if c, err := ParquetRowCount(fixture.files[name]); err != nil || c != n {
			t.Errorf("%s file: %d rows, %v; want %d", name, c, err, n)
		}
	}
}

func TestGenerateStopsAfterMaxOrders(t *testing.T) {
	last := fixture.lines[len(fixture.lines)-1]
	if got := makeSparseOrderKey(fixtureOrders); last.OrderKey != got {
		t.Errorf("last order key %d, want %d (order %d)", last.OrderKey, got, fixtureOrders)
	}
	// Every order has 1 to 7 lines.
	if n := len(fixture.lines); n < fixtureOrders || n > 7*fixtureOrders {
		t.Errorf("%d rows for %d orders", n, fixtureOrders)
	}
}

// makeSparseOrderKey mirrors dbgen's sparse order keys: 8 used out of every 32.
func makeSparseOrderKey(i int64) int64 {
	return (i>>3)<<5 | i&7
}

func TestGenerateRunsOncePerProcess(t *testing.T) {
	_, err := Generate(GenerateOptions{ScaleFactor: 1, MaxOrders: 1, BatchRows: 10}, Emitters{LineItem: func([]LineItem) error { return nil }})
	if err == nil || !strings.Contains(err.Error(), "already run") {
		t.Fatalf("second generation: err = %v, want an 'already run' error", err)
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	for _, opts := range []GenerateOptions{{ScaleFactor: 0, BatchRows: 1}, {ScaleFactor: 1, BatchRows: 0}} {
		if _, err := Generate(opts, Emitters{}); err == nil {
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
		if back := tblDate(got); back != s {
			t.Errorf("parseDays(%q) = %d, which is %s", s, got, back)
		}
	}
	for _, bad := range []string{"", "1996-3-13", "1996/03/13", "19a6-03-13"} {
		if _, err := parseDays(bad); err == nil {
			t.Errorf("parseDays(%q) succeeded", bad)
		}
	}
}
