package storage

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/parquettest"
)

// TestParquetFilesForeign reads a file another writer made: the column
// types follow its annotations, values convert to pqdb's units, and
// predicates skip row groups by the file's own statistics.
func TestParquetFilesForeign(t *testing.T) {
	path := filepath.Join(t.TempDir(), "foreign.parquet")
	if err := parquettest.WriteForeign(path, 1000, 250); err != nil {
		t.Fatal(err)
	}
	pf, err := OpenParquetFiles("read_parquet", []string{path})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]catalog.Type{
		"id": catalog.TypeInt8, "day": catalog.TypeDate, "ts_ms": catalog.TypeTimestampTZ, "ts_ns": catalog.TypeTimestamp,
		"name": catalog.TypeText, "small": catalog.TypeInt2, "u32": catalog.TypeInt8, "price": catalog.NumericType(12, 3),
		"t_ms": catalog.TypeTime, "f": catalog.TypeFloat4, "ok": catalog.TypeBool, "uid": catalog.TypeUUID, "doc": catalog.TypeJSON,
	}
	col := map[string]int{}
	for i, c := range pf.Table.Columns {
		col[c.Name] = i
		if c.Type != want[c.Name] {
			t.Errorf("column %s: type %v, want %v", c.Name, c.Type, want[c.Name])
		}
	}
	if len(pf.Table.Columns) != len(want) || pf.Rows() != 1000 {
		t.Fatalf("%d columns, %d rows", len(pf.Table.Columns), pf.Rows())
	}

	scan := func(cols []int, preds []Predicate) (*ParquetScan, [][]any) {
		t.Helper()
		s, err := pf.Scan(cols, preds)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var rows [][]any
		for {
			rec, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				return s, rows
			}
			for r := 0; r < int(rec.NumRows()); r++ {
				var row []any
				for c := range cols {
					if rec.Column(c).IsNull(r) {
						row = append(row, nil)
					} else {
						row = append(row, rec.Column(c).GetOneForMarshal(r))
					}
				}
				rows = append(rows, row)
			}
		}
	}
	cols := []int{col["id"], col["ts_ms"], col["ts_ns"], col["u32"], col["t_ms"], col["small"], col["name"]}
	s, rows := scan(cols, nil)
	if len(rows) != 1000 || s.RowGroupsRead != 4 || s.RowGroupsSkipped != 0 {
		t.Fatalf("%d rows, %d groups read, %d skipped", len(rows), s.RowGroupsRead, s.RowGroupsSkipped)
	}
	if got := rows[3][0]; got != int64(3) {
		t.Fatalf("id %v", got)
	}
	// Row 3: microseconds from milliseconds, nanoseconds floored, uint32
	// widened, time from milliseconds.
	s2, err := pf.Scan([]int{col["ts_ms"], col["ts_ns"], col["u32"], col["t_ms"], col["small"]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s2.Next()
	if err != nil {
		t.Fatal(err)
	}
	if v := rec.Column(0).(*array.Timestamp).Value(3); int64(v) != (parquettest.TsMs0+3000)*1000 {
		t.Errorf("ts_ms %d", v)
	}
	if v := rec.Column(1).(*array.Timestamp).Value(3); int64(v) != (parquettest.TsNs0+3*60_000_000_000)/1000 {
		t.Errorf("ts_ns %d", v)
	}
	if v := rec.Column(2).(*array.Int64).Value(3); v != 4000000003 {
		t.Errorf("u32 %d", v)
	}
	if v := rec.Column(3).(*array.Time64).Value(3); int64(v) != (parquettest.TimeMs+3)*1000 {
		t.Errorf("t_ms %d", v)
	}
	if v := rec.Column(4).(*array.Int16).Value(3); v != -47 {
		t.Errorf("small %d", v)
	}
	if !rec.Column(0).IsNull(4) || !rec.Column(2).IsNull(4) {
		t.Errorf("row 4 should be NULL in ts_ms and u32")
	}
	s2.Close()

	// Pruning: id >= 600 skips the first two row groups (ids 0..499);
	// ts_ms (milliseconds in the file, microseconds in the predicate)
	// below row 100's skips the last three.
	s, rows = scan([]int{col["id"]}, []Predicate{{Column: col["id"], Op: Ge, Value: int64(600)}})
	if s.RowGroupsSkipped != 2 || s.RowGroupsRead != 2 || len(rows) != 500 {
		t.Fatalf("id >= 600: %d rows, %d read, %d skipped", len(rows), s.RowGroupsRead, s.RowGroupsSkipped)
	}
	s, _ = scan([]int{col["id"]}, []Predicate{{Column: col["ts_ms"], Op: Lt, Value: int64((parquettest.TsMs0 + 100*1000) * 1000)}})
	if s.RowGroupsSkipped != 3 || s.RowGroupsRead != 1 {
		t.Fatalf("ts_ms: %d read, %d skipped", s.RowGroupsRead, s.RowGroupsSkipped)
	}
	s, _ = scan([]int{col["name"]}, []Predicate{{Column: col["name"], Op: Eq, Value: "zzz"}})
	if s.RowGroupsSkipped != 4 {
		t.Fatalf("name = zzz: %d read, %d skipped", s.RowGroupsRead, s.RowGroupsSkipped)
	}
}
