package tpch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// RowGroupRows is the row-group size of the generated file, the same size pqdb
// aims for in its own segments.
const RowGroupRows = 128 * 1024

// LineItemFile is the conventional name of the generated file for a scale
// factor, e.g. lineitem-sf1.parquet.
func LineItemFile(dir string, scaleFactor int64) string {
	return filepath.Join(dir, fmt.Sprintf("lineitem-sf%d.parquet", scaleFactor))
}

// WriteLineItemParquet generates lineitem and writes it to path. The file is
// written under a temporary name and renamed into place, so an interrupted run
// never leaves a truncated file that a later run would trust.
func WriteLineItemParquet(path string, opts GenerateOptions) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	w := parquet.NewGenericWriter[LineItem](tmp,
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
		parquet.CreatedBy("pqdb-bench", "1", ""),
	)
	rows, err := Generate(opts, func(batch []LineItem) error {
		_, err := w.Write(batch)
		return err
	})
	if err != nil {
		return rows, err
	}
	if err := w.Close(); err != nil {
		return rows, err
	}
	if err := tmp.Sync(); err != nil {
		return rows, err
	}
	if err := tmp.Close(); err != nil {
		return rows, err
	}
	// CreateTemp makes the file private; the data is meant to be shared with
	// other engines and users.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return rows, err
	}
	return rows, os.Rename(tmp.Name(), path)
}

// ParquetRowCount opens a Parquet file and returns the row count from its
// footer, failing if the file is not Parquet or has no rows.
func ParquetRowCount(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return 0, fmt.Errorf("tpch: %s: %w", path, err)
	}
	if pf.NumRows() == 0 {
		return 0, fmt.Errorf("tpch: %s has no rows", path)
	}
	return pf.NumRows(), nil
}

// LineItemReader reads the rows of a lineitem Parquet file in order, a batch
// at a time.
type LineItemReader struct {
	file   *os.File
	reader *parquet.GenericReader[LineItem]
}

// OpenLineItemParquet opens a file written by WriteLineItemParquet (or any
// Parquet file with the same column names and types).
func OpenLineItemParquet(path string) (*LineItemReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &LineItemReader{file: f, reader: parquet.NewGenericReader[LineItem](f)}, nil
}

// NumRows is the total number of rows in the file.
func (r *LineItemReader) NumRows() int64 { return r.reader.NumRows() }

// Read fills rows and returns how many were read; it returns io.EOF (possibly
// with n > 0) once the file is exhausted.
func (r *LineItemReader) Read(rows []LineItem) (int, error) {
	return r.reader.Read(rows)
}

// Close releases the file.
func (r *LineItemReader) Close() error {
	return errors.Join(r.reader.Close(), r.file.Close())
}
