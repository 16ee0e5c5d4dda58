package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Customer is one row of the TPC-H customer table as it is stored in Parquet
// (the account balance in hundredths).
type Customer struct {
	CustKey    int64  `parquet:"c_custkey"`
	Name       string `parquet:"c_name,string"`
	Address    string `parquet:"c_address,string"`
	NationKey  int32  `parquet:"c_nationkey"`
	Phone      string `parquet:"c_phone,string"`
	AcctBal    int64  `parquet:"c_acctbal,decimal(2:15)"`
	MktSegment string `parquet:"c_mktsegment,string,dict"`
	Comment    string `parquet:"c_comment,string"`
}

// CustomerTable is customer: 150,000 rows per scale factor.
var CustomerTable Table = &tableDef[Customer]{
	name: "customer",
	columns: []string{
		"c_custkey", "c_name", "c_address", "c_nationkey", "c_phone", "c_acctbal", "c_mktsegment", "c_comment",
	},
	create: `CREATE TABLE customer (
	c_custkey    bigint,
	c_name       varchar(25),
	c_address    varchar(40),
	c_nationkey  integer,
	c_phone      char(15),
	c_acctbal    decimal(15,2),
	c_mktsegment char(10),
	c_comment    varchar(117)
)`,
	values: func(r *Customer, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3] = r.CustKey, r.Name, r.Address, r.NationKey
		v[4], v[5], v[6], v[7] = r.Phone, s.cents(0, r.AcctBal), r.MktSegment, r.Comment
	},
}

// customersOf makes the row of one generated customer.
func customersOf(item any, out []Customer) ([]Customer, error) {
	c, err := dbgenItem[dbgen.Cust](item)
	if err != nil {
		return out, err
	}
	return append(out, Customer{
		CustKey:    int64(c.CustKey),
		Name:       c.Name,
		Address:    c.Address,
		NationKey:  int32(c.NationCode),
		Phone:      c.Phone,
		AcctBal:    int64(c.Acctbal),
		MktSegment: c.MktSegment,
		Comment:    c.Comment,
	}), nil
}
