package tpch

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

// LineItemColumns names the columns in table order, as COPY sends them.
var LineItemColumns = []string{
	"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber",
	"l_quantity", "l_extendedprice", "l_discount", "l_tax",
	"l_returnflag", "l_linestatus",
	"l_shipdate", "l_commitdate", "l_receiptdate",
	"l_shipinstruct", "l_shipmode", "l_comment",
}

// CreateLineItem is the DDL of lineitem with the TPC-H column types.
const CreateLineItem = `CREATE TABLE lineitem (
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
)`
