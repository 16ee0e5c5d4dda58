// Package parquettest writes Parquet files the way other engines do, with
// types and encodings pqdb's own writer never produces, for tests of
// reading external files (read_parquet, COPY ... FROM a Parquet file).
package parquettest

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"

	"github.com/parquet-go/parquet-go"
)

// ForeignColumns are the columns WriteForeign writes, by name: required
// and optional columns, an INT32 DATE, TIMESTAMP in milliseconds
// (adjusted to UTC) and nanoseconds (local), a dictionary-encoded
// STRING, INT(8), UINT(32), DECIMAL(12,3) on INT64, TIME in
// milliseconds on INT32, FLOAT, BOOLEAN, UUID and JSON.
var ForeignColumns = parquet.Group{
	"id":    parquet.Int(64),
	"day":   parquet.Date(),
	"ts_ms": parquet.Optional(parquet.Timestamp(parquet.Millisecond)),
	"ts_ns": parquet.TimestampAdjusted(parquet.Nanosecond, false),
	"name":  parquet.Optional(parquet.Encoded(parquet.String(), &parquet.RLEDictionary)),
	"small": parquet.Int(8),
	"u32":   parquet.Optional(parquet.Uint(32)),
	"price": parquet.Optional(parquet.Decimal(3, 12, parquet.Int64Type)),
	"t_ms":  parquet.Time(parquet.Millisecond),
	"f":     parquet.Leaf(parquet.FloatType),
	"ok":    parquet.Leaf(parquet.BooleanType),
	"uid":   parquet.UUID(),
	"doc":   parquet.Optional(parquet.JSON()),
}

// Row i of a foreign file holds: id i; day 2024-01-01 + i%366 days; ts_ms
// 2024-01-01 00:00:00.123 UTC + i seconds (NULL when i%5 == 4); ts_ns
// 2024-01-01 00:00:00.000001999 + i minutes; name "n<i%4>" (NULL when
// i%3 == 2); small i%100 - 50; u32 4000000000 + i (NULL when i%5 == 4);
// price i*1.001 (NULL when i%5 == 4); t_ms 12:00:00.250 + i ms; f i/4;
// ok i%2 == 0; uid 16 bytes of i; doc {"i": i} (NULL when i%5 == 4).
const (
	Day0   = 19723               // 2024-01-01 in days since 1970-01-01
	TsMs0  = 1704067200123       // 2024-01-01 00:00:00.123 UTC in ms
	TsNs0  = 1704067200000001999 // 2024-01-01 00:00:00.000001999 in ns
	TimeMs = 12*3600*1000 + 250  // 12:00:00.250 in ms
)

// WriteForeign writes rows rows in row groups of groupRows rows to path.
func WriteForeign(path string, rows, groupRows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	schema := parquet.NewSchema("foreign", ForeignColumns)
	w := parquet.NewWriter(f, schema, parquet.CreatedBy("parquettest", "1", ""))
	type leaf struct {
		name  string
		index int
		def   int
	}
	var leaves []leaf
	for name := range ForeignColumns {
		l, ok := schema.Lookup(name)
		if !ok {
			return fmt.Errorf("no column %s", name)
		}
		leaves = append(leaves, leaf{name, l.ColumnIndex, l.MaxDefinitionLevel})
	}
	sort.Slice(leaves, func(a, b int) bool { return leaves[a].index < leaves[b].index })
	for lo := 0; lo < rows; lo += groupRows {
		var batch []parquet.Row
		for i := lo; i < min(rows, lo+groupRows); i++ {
			row := make(parquet.Row, 0, len(leaves))
			for _, l := range leaves {
				v, null := value(l.name, i)
				if null {
					row = append(row, parquet.NullValue().Level(0, 0, l.index))
				} else {
					row = append(row, v.Level(0, l.def, l.index))
				}
			}
			batch = append(batch, row)
		}
		if _, err := w.WriteRows(batch); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return w.Close()
}

func value(name string, i int) (parquet.Value, bool) {
	nullable := i%5 == 4
	switch name {
	case "id":
		return parquet.Int64Value(int64(i)), false
	case "day":
		return parquet.Int32Value(int32(Day0 + i%366)), false
	case "ts_ms":
		return parquet.Int64Value(TsMs0 + int64(i)*1000), nullable
	case "ts_ns":
		return parquet.Int64Value(TsNs0 + int64(i)*60e9), false
	case "name":
		return parquet.ByteArrayValue([]byte(fmt.Sprintf("n%d", i%4))), i%3 == 2
	case "small":
		return parquet.Int32Value(int32(i%100 - 50)), false
	case "u32":
		return parquet.Int32Value(int32(uint32(4000000000 + i))), nullable
	case "price":
		return parquet.Int64Value(int64(i) * 1001), nullable
	case "t_ms":
		return parquet.Int32Value(int32(TimeMs + i)), false
	case "f":
		return parquet.FloatValue(float32(i) / 4), false
	case "ok":
		return parquet.BooleanValue(i%2 == 0), false
	case "uid":
		var u [16]byte
		binary.BigEndian.PutUint64(u[8:], uint64(i))
		return parquet.FixedLenByteArrayValue(u[:]), false
	case "doc":
		return parquet.ByteArrayValue([]byte(fmt.Sprintf(`{"i": %d}`, i))), nullable
	}
	panic("no column " + name)
}
