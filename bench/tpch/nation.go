package tpch

import "github.com/pingcap/go-tpc/tpch/dbgen"

// Nation is one row of the TPC-H nation table as it is stored in Parquet.
type Nation struct {
	NationKey int32  `parquet:"n_nationkey"`
	Name      string `parquet:"n_name,string"`
	RegionKey int32  `parquet:"n_regionkey"`
	Comment   string `parquet:"n_comment,string"`
}

// NationTable is nation: always 25 rows.
var NationTable Table = &tableDef[Nation]{
	name:    "nation",
	columns: []string{"n_nationkey", "n_name", "n_regionkey", "n_comment"},
	create: `CREATE TABLE nation (
	n_nationkey integer,
	n_name      char(25),
	n_regionkey integer,
	n_comment   varchar(152)
)`,
	values: func(r *Nation, _ *copyScratch, v []any) {
		v[0], v[1], v[2], v[3] = r.NationKey, r.Name, r.RegionKey, r.Comment
	},
}

// nationsOf makes the row of one generated nation; dbgen calls the region key
// "Join".
func nationsOf(item any, out []Nation) ([]Nation, error) {
	n, err := dbgenItem[dbgen.Nation](item)
	if err != nil {
		return out, err
	}
	return append(out, Nation{NationKey: int32(n.Code), Name: n.Text, RegionKey: int32(n.Join), Comment: n.Comment}), nil
}
