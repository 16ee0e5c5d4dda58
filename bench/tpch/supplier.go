package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Supplier is one row of the TPC-H supplier table as it is stored in Parquet
// (the account balance in hundredths).
type Supplier struct {
	SuppKey   int64  `parquet:"s_suppkey"`
	Name      string `parquet:"s_name,string"`
	Address   string `parquet:"s_address,string"`
	NationKey int32  `parquet:"s_nationkey"`
	Phone     string `parquet:"s_phone,string"`
	AcctBal   int64  `parquet:"s_acctbal,decimal(2:15)"`
	Comment   string `parquet:"s_comment,string"`
}

// SupplierTable is supplier: 10,000 rows per scale factor.
var SupplierTable Table = &tableDef[Supplier]{
	name:    "supplier",
	columns: []string{"s_suppkey", "s_name", "s_address", "s_nationkey", "s_phone", "s_acctbal", "s_comment"},
	create: `CREATE TABLE supplier (
	s_suppkey   bigint,
	s_name      char(25),
	s_address   varchar(40),
	s_nationkey integer,
	s_phone     char(15),
	s_acctbal   decimal(15,2),
	s_comment   varchar(101)
)`,
	values: func(r *Supplier, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3] = r.SuppKey, r.Name, r.Address, r.NationKey
		v[4], v[5], v[6] = r.Phone, s.cents(0, r.AcctBal), r.Comment
	},
}

// suppliersOf makes the row of one generated supplier.
func suppliersOf(item any, out []Supplier) ([]Supplier, error) {
	s, err := dbgenItem[dbgen.Supp](item)
	if err != nil {
		return out, err
	}
	return append(out, Supplier{
		SuppKey:   int64(s.SuppKey),
		Name:      s.Name,
		Address:   s.Address,
		NationKey: int32(s.NationCode),
		Phone:     s.Phone,
		AcctBal:   int64(s.Acctbal),
		Comment:   s.Comment,
	}), nil
}
