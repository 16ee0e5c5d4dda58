package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Order is one row of the TPC-H orders table as it is stored in Parquet
// (money in hundredths, the date in days since 1970-01-01).
type Order struct {
	OrderKey      int64  `parquet:"o_orderkey"`
	CustKey       int64  `parquet:"o_custkey"`
	OrderStatus   string `parquet:"o_orderstatus,string,dict"`
	TotalPrice    int64  `parquet:"o_totalprice,decimal(2:15)"`
	OrderDate     int32  `parquet:"o_orderdate,date"`
	OrderPriority string `parquet:"o_orderpriority,string,dict"`
	Clerk         string `parquet:"o_clerk,string"`
	ShipPriority  int32  `parquet:"o_shippriority"`
	Comment       string `parquet:"o_comment,string"`
}

// OrdersTable is orders: 1.5 million rows per scale factor, generated
// together with their lineitems.
var OrdersTable Table = &tableDef[Order]{
	name: "orders",
	columns: []string{
		"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate",
		"o_orderpriority", "o_clerk", "o_shippriority", "o_comment",
	},
	create: `CREATE TABLE orders (
	o_orderkey      bigint,
	o_custkey       bigint,
	o_orderstatus   char(1),
	o_totalprice    decimal(15,2),
	o_orderdate     date,
	o_orderpriority char(15),
	o_clerk         char(15),
	o_shippriority  integer,
	o_comment       varchar(79)
)`,
	values: func(r *Order, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3], v[4] = r.OrderKey, r.CustKey, r.OrderStatus, s.cents(0, r.TotalPrice), s.date(0, r.OrderDate)
		v[5], v[6], v[7], v[8] = r.OrderPriority, r.Clerk, r.ShipPriority, r.Comment
	},
}

// ordersOf makes the orders row of one generated order.
func ordersOf(item any, out []Order) ([]Order, error) {
	o, err := dbgenItem[dbgen.Order](item)
	if err != nil {
		return out, err
	}
	date, err := parseDays(o.Date)
	if err != nil {
		return out, err
	}
	return append(out, Order{
		OrderKey:      int64(o.OKey),
		CustKey:       int64(o.CustKey),
		OrderStatus:   string(rune(o.Status)),
		TotalPrice:    int64(o.TotalPrice),
		OrderDate:     date,
		OrderPriority: o.OrderPriority,
		Clerk:         o.Clerk,
		ShipPriority:  int32(o.ShipPriority),
		Comment:       o.Comment,
	}), nil
}
