package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// PartSupp is one row of the TPC-H partsupp table as it is stored in Parquet
// (the supply cost in hundredths).
type PartSupp struct {
	PartKey    int64  `parquet:"ps_partkey"`
	SuppKey    int64  `parquet:"ps_suppkey"`
	AvailQty   int32  `parquet:"ps_availqty"`
	SupplyCost int64  `parquet:"ps_supplycost,decimal(2:15)"`
	Comment    string `parquet:"ps_comment,string"`
}

// PartSuppTable is partsupp: four suppliers for every part, 800,000 rows per
// scale factor, generated together with part.
var PartSuppTable Table = &tableDef[PartSupp]{
	name:    "partsupp",
	columns: []string{"ps_partkey", "ps_suppkey", "ps_availqty", "ps_supplycost", "ps_comment"},
	create: `CREATE TABLE partsupp (
	ps_partkey    bigint,
	ps_suppkey    bigint,
	ps_availqty   integer,
	ps_supplycost decimal(15,2),
	ps_comment    varchar(199)
)`,
	values: func(r *PartSupp, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3], v[4] = r.PartKey, r.SuppKey, r.AvailQty, s.cents(0, r.SupplyCost), r.Comment
	},
}

// partSuppsOf makes the partsupp rows of one generated part.
func partSuppsOf(item any, out []PartSupp) ([]PartSupp, error) {
	p, err := dbgenItem[dbgen.Part](item)
	if err != nil {
		return out, err
	}
	for _, ps := range p.S {
		out = append(out, PartSupp{
			PartKey:    int64(ps.PartKey),
			SuppKey:    int64(ps.SuppKey),
			AvailQty:   int32(ps.Qty),
			SupplyCost: int64(ps.SCost),
			Comment:    ps.Comment,
		})
	}
	return out, nil
}
