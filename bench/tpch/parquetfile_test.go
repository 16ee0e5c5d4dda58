package tpch

import (
	"os"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

func TestParquetFileUsesStandardLogicalTypes(t *testing.T) {
	f, err := os.Open(fixture.path)
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
	want := map[string]string{
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
	}
	seen := 0
	for _, field := range pf.Schema().Fields() {
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
			t.Errorf("column %s is %s, want %s", field.Name(), got, expected)
		}
		if field.Optional() || field.Repeated() {
			t.Errorf("column %s is not REQUIRED", field.Name())
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d expected columns", seen, len(want))
	}
	if got := len(pf.Schema().Fields()); got != len(LineItemColumns) {
		t.Errorf("%d columns, want %d", got, len(LineItemColumns))
	}
	for i, rg := range pf.Metadata().RowGroups {
		if rg.NumRows > RowGroupRows {
			t.Errorf("row group %d has %d rows, more than %d", i, rg.NumRows, RowGroupRows)
		}
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec != format.Zstd {
				t.Errorf("row group %d column %s uses codec %v, want ZSTD", i, strings.Join(cc.MetaData.PathInSchema, "."), cc.MetaData.Codec)
			}
		}
	}
}

func TestParquetRowCountReadsFooter(t *testing.T) {
	n, err := ParquetRowCount(fixture.path)
	if err != nil || n != int64(len(fixture.rows)) {
		t.Fatalf("ParquetRowCount = %d, %v; want %d", n, err, len(fixture.rows))
	}
	notParquet := t.TempDir() + "/x.parquet"
	if err := os.WriteFile(notParquet, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParquetRowCount(notParquet); err == nil {
		t.Error("ParquetRowCount accepted a file that is not Parquet")
	}
}
