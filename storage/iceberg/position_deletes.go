package iceberg

import (
	"bytes"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// A position delete file (Iceberg v2) lists deleted rows as (file_path,
// pos) pairs, sorted by file_path then pos. pqdb writes one per data
// file with deletions, holding all of that file's deleted positions,
// so the file names one path and its manifest entry can say so
// (referenced_data_file): readers then apply it to that file only.
// The two columns carry the field ids the spec reserves for them, which
// readers use to prune by the file's statistics.
const (
	filePathFieldID = 2147483546
	posFieldID      = 2147483545
)

var positionDeleteSchema = parquet.NewSchema("position_delete", parquet.Group{
	"file_path": parquet.FieldID(parquet.String(), filePathFieldID),
	"pos":       parquet.FieldID(parquet.Leaf(parquet.Int64Type), posFieldID),
})

// positionDeleteFile is the Parquet file of the deleted positions of the
// data file at dataURI, and its number of rows.
func positionDeleteFile(dataURI string, deleted *roaring.Bitmap) ([]byte, int64, error) {
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, positionDeleteSchema, parquet.Compression(&zstd.Codec{}))
	path := []byte(dataURI)
	rows := make([]parquet.Row, 0, 1024)
	flush := func() error {
		_, err := w.WriteRows(rows)
		rows = rows[:0]
		return err
	}
	for it := deleted.Iterator(); it.HasNext(); {
		// Group sorts its fields by name: file_path is column 0, pos 1.
		rows = append(rows, parquet.Row{
			parquet.ByteArrayValue(path).Level(0, 0, 0),
			parquet.Int64Value(int64(it.Next())).Level(0, 0, 1),
		})
		if len(rows) == cap(rows) {
			if err := flush(); err != nil {
				return nil, 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, 0, err
	}
	if err := w.Close(); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), int64(deleted.GetCardinality()), nil
}
