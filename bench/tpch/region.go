package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Region is one row of the TPC-H region table as it is stored in Parquet.
type Region struct {
	RegionKey int32  `parquet:"r_regionkey"`
	Name      string `parquet:"r_name,string"`
	Comment   string `parquet:"r_comment,string"`
}

// RegionTable is region: always 5 rows.
var RegionTable Table = &tableDef[Region]{
	name:    "region",
	columns: []string{"r_regionkey", "r_name", "r_comment"},
	create: `CREATE TABLE region (
	r_regionkey integer,
	r_name      char(25),
	r_comment   varchar(152)
)`,
	values: func(r *Region, _ *copyScratch, v []any) {
		v[0], v[1], v[2] = r.RegionKey, r.Name, r.Comment
	},
}

// regionsOf makes the row of one generated region.
func regionsOf(item any, out []Region) ([]Region, error) {
	r, err := dbgenItem[dbgen.Region](item)
	if err != nil {
		return out, err
	}
	return append(out, Region{RegionKey: int32(r.Code), Name: r.Text, Comment: r.Comment}), nil
}
