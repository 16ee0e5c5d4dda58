package tpch

import (
	"os"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// wantParquetTypes is the physical and logical type of every column kind in
// the generated files: integer keys, DECIMAL(15,2) money, DATE, STRING.
var wantParquetTypes = map[string]map[string]string{
	"lineitem": {
		"l_orderkey":      "INT64 INT(64,true)",
		"l_linenumber":    "INT32 INT(32,true)",
		"l_quantity":      "INT64 DECIMAL(15,2)",
		"l_extendedprice": "INT64 DECIMAL(15,2)",
		"l_discount":      "INT64 DECIMAL(15,2)",
		"l_tax":           "INT64 DECIMAL(15,2)",
		"l_returnflag":    "BYTE_ARRAY STRING",
		"l_shipdate":      "INT32 DATE",
		"l_receiptdate":   "INT32 DATE",
		"l_comment":       "BYTE_ARRAY STRING",
	},
	"orders":   {"o_orderkey": "INT64 INT(64,true)", "o_totalprice": "INT64 DECIMAL(15,2)", "o_orderdate": "INT32 DATE", "o_shippriority": "INT32 INT(32,true)", "o_clerk": "BYTE_ARRAY STRING"},
	"customer": {"c_custkey": "INT64 INT(64,true)", "c_nationkey": "INT32 INT(32,true)", "c_acctbal": "INT64 DECIMAL(15,2)", "c_phone": "BYTE_ARRAY STRING"},
	"part":     {"p_partkey": "INT64 INT(64,true)", "p_size": "INT32 INT(32,true)", "p_retailprice": "INT64 DECIMAL(15,2)", "p_type": "BYTE_ARRAY STRING"},
	"partsupp": {"ps_partkey": "INT64 INT(64,true)", "ps_availqty": "INT32 INT(32,true)", "ps_supplycost": "INT64 DECIMAL(15,2)"},
	"supplier": {"s_suppkey": "INT64 INT(64,true)", "s_acctbal": "INT64 DECIMAL(15,2)", "s_name": "BYTE_ARRAY STRING"},
	"nation":   {"n_nationkey": "INT32 INT(32,true)", "n_regionkey": "INT32 INT(32,true)", "n_name": "BYTE_ARRAY STRING"},
	"region":   {"r_regionkey": "INT32 INT(32,true)", "r_name": "BYTE_ARRAY STRING"},
}

func TestParquetFilesUseStandardLogicalTypes(t *testing.T) {
	for _, table := range Tables {
		f, err := os.Open(fixture.files[table.Name()])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		want := wantParquetTypes[table.Name()]
		seen := 0
		var names []string
		for _, field := range pf.Schema().Fields() {
			names = append(names, field.Name())
			if field.Optional() || field.Repeated() {
				t.Errorf("%s.%s is not REQUIRED", table.Name(), field.Name())
			}
			expected, ok := want[field.Name()]
			if !ok {
				continue
			}
			seen++
			got := field.Type().Kind().String()
			if lt := field.Type().LogicalType(); lt != nil {
				got += " " + lt.String()
			}
			if got != expected {
				t.Errorf("%s.%s is %s, want %s", table.Name(), field.Name(), got, expected)
			}
		}
		if seen != len(want) {
			t.Errorf("%s: found %d of the %d expected columns", table.Name(), seen, len(want))
		}
		if strings.Join(names, ",") != strings.Join(table.Columns(), ",") {
			t.Errorf("%s: file columns %v, table columns %v", table.Name(), names, table.Columns())
		}
		for i, rg := range pf.Metadata().RowGroups {
			if rg.NumRows > RowGroupRows {
				t.Errorf("%s row group %d has %d rows, more than %d", table.Name(), i, rg.NumRows, RowGroupRows)
			}
			for _, cc := range rg.Columns {
				if cc.MetaData.Codec != format.Zstd {
					t.Errorf("%s row group %d column %s uses codec %v, want ZSTD", table.Name(), i, strings.Join(cc.MetaData.PathInSchema, "."), cc.MetaData.Codec)
				}
			}
		}
	}
}

func TestParquetRowCountReadsFooter(t *testing.T) {
	n, err := ParquetRowCount(fixture.files["lineitem"])
	if err != nil || n != int64(len(fixture.lines)) {
		t.Fatalf("ParquetRowCount = %d, %v; want %d", n, err, len(fixture.lines))
	}
	notParquet := t.TempDir() + "/x.parquet"
	if err := os.WriteFile(notParquet, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParquetRowCount(notParquet); err == nil {
		t.Error("ParquetRowCount accepted a file that is not Parquet")
	}
}
