package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// LineItem is one row of the TPC-H lineitem table as it is stored in Parquet.
// Decimal columns hold hundredths (DECIMAL(15,2) fits an INT64), dates hold
// days since 1970-01-01.
type LineItem struct {
	OrderKey      int64  `parquet:"l_orderkey"`
	PartKey       int64  `parquet:"l_partkey"`
	SuppKey       int64  `parquet:"l_suppkey"`
	LineNumber    int32  `parquet:"l_linenumber"`
	Quantity      int64  `parquet:"l_quantity,decimal(2:15)"`
	ExtendedPrice int64  `parquet:"l_extendedprice,decimal(2:15)"`
	Discount      int64  `parquet:"l_discount,decimal(2:15)"`
	Tax           int64  `parquet:"l_tax,decimal(2:15)"`
	ReturnFlag    string `parquet:"l_returnflag,string,dict"`
	LineStatus    string `parquet:"l_linestatus,string,dict"`
	ShipDate      int32  `parquet:"l_shipdate,date"`
	CommitDate    int32  `parquet:"l_commitdate,date"`
	ReceiptDate   int32  `parquet:"l_receiptdate,date"`
	ShipInstruct  string `parquet:"l_shipinstruct,string,dict"`
	ShipMode      string `parquet:"l_shipmode,string,dict"`
	Comment       string `parquet:"l_comment,string"`
}

// LineItemTable is lineitem, the fact table: about 6 million rows per scale
// factor.
var LineItemTable Table = &tableDef[LineItem]{
	name: "lineitem",
	columns: []string{
		"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber",
		"l_quantity", "l_extendedprice", "l_discount", "l_tax",
		"l_returnflag", "l_linestatus",
		"l_shipdate", "l_commitdate", "l_receiptdate",
		"l_shipinstruct", "l_shipmode", "l_comment",
	},
	create: `CREATE TABLE lineitem (
	l_orderkey      bigint,
	l_partkey       bigint,
	l_suppkey       bigint,
	l_linenumber    integer,
	l_quantity      decimal(15,2),
	l_extendedprice decimal(15,2),
	l_discount      decimal(15,2),
	l_tax           decimal(15,2),
	l_returnflag    char(1),
	l_linestatus    char(1),
	l_shipdate      date,
	l_commitdate    date,
	l_receiptdate   date,
	l_shipinstruct  char(25),
	l_shipmode      char(10),
	l_comment       varchar(44)
)`,
	values: func(r *LineItem, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3] = r.OrderKey, r.PartKey, r.SuppKey, r.LineNumber
		v[4], v[5], v[6], v[7] = s.cents(0, r.Quantity), s.cents(1, r.ExtendedPrice), s.cents(2, r.Discount), s.cents(3, r.Tax)
		v[8], v[9] = r.ReturnFlag, r.LineStatus
		v[10], v[11], v[12] = s.date(0, r.ShipDate), s.date(1, r.CommitDate), s.date(2, r.ReceiptDate)
		v[13], v[14], v[15] = r.ShipInstruct, r.ShipMode, r.Comment
	},
}

// convertLine maps dbgen's representation (quantity in units, money and rates
// in hundredths, dates as text) to the stored one.
func convertLine(l *dbgen.LineItem) (LineItem, error) {
	ship, err := parseDays(l.SDate)
	if err != nil {
		return LineItem{}, err
	}
	commit, err := parseDays(l.CDate)
	if err != nil {
		return LineItem{}, err
	}
	receipt, err := parseDays(l.RDate)
	if err != nil {
		return LineItem{}, err
	}
	return LineItem{
		OrderKey:      int64(l.OKey),
		PartKey:       int64(l.PartKey),
		SuppKey:       int64(l.SuppKey),
		LineNumber:    int32(l.LCnt),
		Quantity:      int64(l.Quantity) * 100,
		ExtendedPrice: int64(l.EPrice),
		Discount:      int64(l.Discount),
		Tax:           int64(l.Tax),
		ReturnFlag:    string(rune(l.RFlag)),
		LineStatus:    string(rune(l.LStatus)),
		ShipDate:      ship,
		CommitDate:    commit,
		ReceiptDate:   receipt,
		ShipInstruct:  l.ShipInstruct,
		ShipMode:      l.ShipMode,
		Comment:       l.Comment,
	}, nil
}

// lineItemsOf makes the lineitem rows of one generated order.
func lineItemsOf(item any, out []LineItem) ([]LineItem, error) {
	order, err := dbgenItem[dbgen.Order](item)
	if err != nil {
		return out, err
	}
	for i := range order.Lines {
		row, err := convertLine(&order.Lines[i])
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
	return out, nil
}
