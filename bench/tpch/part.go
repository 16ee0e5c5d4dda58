package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Part is one row of the TPC-H part table as it is stored in Parquet (the
// retail price in hundredths).
type Part struct {
	PartKey     int64  `parquet:"p_partkey"`
	Name        string `parquet:"p_name,string"`
	Mfgr        string `parquet:"p_mfgr,string,dict"`
	Brand       string `parquet:"p_brand,string,dict"`
	Type        string `parquet:"p_type,string,dict"`
	Size        int32  `parquet:"p_size"`
	Container   string `parquet:"p_container,string,dict"`
	RetailPrice int64  `parquet:"p_retailprice,decimal(2:15)"`
	Comment     string `parquet:"p_comment,string"`
}

// PartTable is part: 200,000 rows per scale factor.
var PartTable Table = &tableDef[Part]{
	name: "part",
	columns: []string{
		"p_partkey", "p_name", "p_mfgr", "p_brand", "p_type", "p_size", "p_container", "p_retailprice", "p_comment",
	},
	create: `CREATE TABLE part (
	p_partkey     bigint,
	p_name        varchar(55),
	p_mfgr        char(25),
	p_brand       char(10),
	p_type        varchar(25),
	p_size        integer,
	p_container   char(10),
	p_retailprice decimal(15,2),
	p_comment     varchar(23)
)`,
	values: func(r *Part, s *copyScratch, v []any) {
		v[0], v[1], v[2], v[3], v[4] = r.PartKey, r.Name, r.Mfgr, r.Brand, r.Type
		v[5], v[6], v[7], v[8] = r.Size, r.Container, s.cents(0, r.RetailPrice), r.Comment
	},
}

// partsOf makes the part row of one generated part.
func partsOf(item any, out []Part) ([]Part, error) {
	p, err := dbgenItem[dbgen.Part](item)
	if err != nil {
		return out, err
	}
	return append(out, Part{
		PartKey:     int64(p.PartKey),
		Name:        p.Name,
		Mfgr:        p.Mfgr,
		Brand:       p.Brand,
		Type:        p.Type,
		Size:        int32(p.Size),
		Container:   p.Container,
		RetailPrice: int64(p.RetailPrice),
		Comment:     p.Comment,
	}), nil
}
