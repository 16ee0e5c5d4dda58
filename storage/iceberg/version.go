package iceberg

import (
	"fmt"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
)

// Version describes one published version of a pqdb table: what an
// Iceberg snapshot of it must list. It is a value the caller builds
// from its manifest; Publish does not keep it.
type Version struct {
	// Location is the table's directory as a key prefix in the bucket
	// ("ns/3/t/17", no leading or trailing '/'). The Iceberg metadata
	// goes to Location/metadata/.
	Location string
	// Number is pqdb's manifest version of the table: positive, and
	// greater than every number published before for this Location. It
	// is also the snapshot's id and the metadata file's number.
	Number int64
	// CommitTime is when the version was committed; the snapshot's
	// timestamp, which time travel by time uses.
	CommitTime time.Time
	// Columns are the table's columns that Iceberg readers see, in
	// table order. A column left out (an unsupported type) stays in the
	// Parquet files and is ignored by readers.
	Columns []Column
	// Ignored are the segments' columns that Iceberg readers skip
	// (their type has no Iceberg form yet: ForPostgres said
	// ErrUnsupportedType): in no schema, only in the name mapping, with
	// their own field ids, so that a reader can tell them apart from
	// the schema's columns. _row_id is mapped without being listed.
	Ignored []IgnoredColumn
	// Files are the table's live segments.
	Files []DataFile
	// Retain are the earlier versions whose snapshots stay (expire.go);
	// the others are expired. nil keeps every snapshot.
	Retain []int64
}

// IgnoredColumn is a column of the segments that is not in the Iceberg
// schema.
type IgnoredColumn struct {
	Name    string
	FieldID int
	// List says the column is a Parquet LIST, whose element a reader
	// must map to a field id too (ElementFieldID) to read the file.
	List bool
}

// Column is one column of the Iceberg schema.
type Column struct {
	// Name is the column's name in the table and in the segments'
	// Parquet schema: readers find the column by it, through the name
	// mapping, since segments carry no field ids.
	Name string
	// FieldID is the column's Iceberg field id: positive, unique in the
	// table, and never given to another column, even after this one is
	// dropped (pqdb's column ids serve).
	FieldID int
	Type    Type
	// Required is NOT NULL.
	Required bool
}

// DataFile is one live segment.
type DataFile struct {
	// Key is the segment's key in the bucket (under Location).
	Key string
	// Rows and Size are the segment's row count (deleted rows included)
	// and its size in bytes.
	Rows, Size int64
	// Deleted holds the positions (0-based row numbers in the file) of
	// its deleted rows; nil or empty when none is.
	Deleted *roaring.Bitmap
	// NullCounts, optional, maps a column's field id to its number of
	// NULLs in the file (deleted rows included).
	NullCounts map[int]int64
}

// validate checks what Publish relies on.
func (v *Version) validate() error {
	if v.Location == "" || strings.HasPrefix(v.Location, "/") || strings.HasSuffix(v.Location, "/") {
		return fmt.Errorf("iceberg: table location %q is not a plain key prefix", v.Location)
	}
	if v.Number <= 0 {
		return fmt.Errorf("iceberg: version number %d is not positive", v.Number)
	}
	ids := map[int]bool{RowIDFieldID: true}
	names := map[string]bool{rowIDColumn: true}
	column := func(name string, id int) error {
		if id <= 0 || ids[id] {
			return fmt.Errorf("iceberg: column %q: field id %d is not positive or not unique", name, id)
		}
		if name == "" || names[name] {
			return fmt.Errorf("iceberg: column name %q is empty, not unique or %s", name, rowIDColumn)
		}
		ids[id], names[name] = true, true
		return nil
	}
	for _, c := range v.Columns {
		if err := column(c.Name, c.FieldID); err != nil {
			return err
		}
		if _, err := c.Type.iceberg(c.FieldID); err != nil {
			return fmt.Errorf("iceberg: column %q: %w", c.Name, err)
		}
	}
	for _, c := range v.Ignored {
		if err := column(c.Name, c.FieldID); err != nil {
			return err
		}
	}
	keys := make(map[string]bool, len(v.Files))
	for _, f := range v.Files {
		if f.Key == "" || keys[f.Key] {
			return fmt.Errorf("iceberg: data file key %q is empty or listed twice", f.Key)
		}
		if f.Rows < 0 || f.Size < 0 {
			return fmt.Errorf("iceberg: data file %q: negative row count or size", f.Key)
		}
		if f.Deleted != nil && !f.Deleted.IsEmpty() && int64(f.Deleted.Maximum()) >= f.Rows {
			return fmt.Errorf("iceberg: data file %q: deleted position %d past its %d rows", f.Key, f.Deleted.Maximum(), f.Rows)
		}
		keys[f.Key] = true
	}
	return nil
}
