package tpch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// RowGroupRows is the row-group size of the generated files, the same size
// pqdb aims for in its own segments.
const RowGroupRows = 128 * 1024

// WriteTables generates the named tables (all eight when names is empty) and
// writes each to TableFile(dir, name, opts.ScaleFactor). It returns the rows
// written per table. dbgen runs once per process, so every table a run needs
// must be asked for in this one call.
func WriteTables(dir string, opts GenerateOptions, names ...string) (map[string]int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		if _, ok := TableByName(n); !ok {
			return nil, fmt.Errorf("tpch: no table %q", n)
		}
		want[n] = true
	}
	var files []pendingFile
	defer func() {
		for _, f := range files {
			f.abort()
		}
	}()
	var em Emitters
	var err error
	attach := func(name string, open func(path string) (pendingFile, error)) {
		if err != nil || len(want) > 0 && !want[name] {
			return
		}
		var f pendingFile
		if f, err = open(TableFile(dir, name, opts.ScaleFactor)); err == nil {
			files = append(files, f)
		}
	}
	attach("region", writerFor(&em.Region))
	attach("nation", writerFor(&em.Nation))
	attach("supplier", writerFor(&em.Supplier))
	attach("customer", writerFor(&em.Customer))
	attach("part", writerFor(&em.Part))
	attach("partsupp", writerFor(&em.PartSupp))
	attach("orders", writerFor(&em.Orders))
	attach("lineitem", writerFor(&em.LineItem))
	if err != nil {
		return nil, err
	}
	rows, err := Generate(opts, em)
	if err != nil {
		return rows, err
	}
	for _, f := range files {
		if err := f.commit(); err != nil {
			return rows, err
		}
	}
	files = nil
	return rows, nil
}

// pendingFile is a Parquet file being written under a temporary name.
type pendingFile interface {
	// commit finishes the file and renames it into place.
	commit() error
	// abort removes the file if it was not committed.
	abort()
}

// writerFor returns an opener that creates a Parquet file of T's rows and
// points *emit at it.
func writerFor[T any](emit *func([]T) error) func(string) (pendingFile, error) {
	return func(path string) (pendingFile, error) {
		w, err := newParquetFileWriter[T](path)
		if err != nil {
			return nil, err
		}
		*emit = func(rows []T) error {
			_, err := w.writer.Write(rows)
			return err
		}
		return w, nil
	}
}

// parquetFileWriter writes rows of T to a temporary file that is renamed to
// path only when complete, so an interrupted run never leaves a truncated file
// that a later run would trust.
type parquetFileWriter[T any] struct {
	path   string
	tmp    *os.File
	writer *parquet.GenericWriter[T]
	done   bool
}

func newParquetFileWriter[T any](path string) (*parquetFileWriter[T], error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	w := parquet.NewGenericWriter[T](tmp,
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
		parquet.CreatedBy("pqdb-bench", "1", ""),
	)
	return &parquetFileWriter[T]{path: path, tmp: tmp, writer: w}, nil
}

func (w *parquetFileWriter[T]) commit() error {
	if err := w.writer.Close(); err != nil {
		return err
	}
	if err := w.tmp.Sync(); err != nil {
		return err
	}
	if err := w.tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; the data is meant to be shared with
	// other engines and users.
	if err := os.Chmod(w.tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(w.tmp.Name(), w.path); err != nil {
		return err
	}
	w.done = true
	return nil
}

func (w *parquetFileWriter[T]) abort() {
	if !w.done {
		w.tmp.Close()
		os.Remove(w.tmp.Name())
	}
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

// ParquetReader reads the rows of a table's Parquet file in order, a batch at
// a time.
type ParquetReader[T any] struct {
	file   *os.File
	reader *parquet.GenericReader[T]
}

// OpenParquet opens a file written by WriteTables (or any Parquet file with the
// same column names and types as T).
func OpenParquet[T any](path string) (*ParquetReader[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &ParquetReader[T]{file: f, reader: parquet.NewGenericReader[T](f)}, nil
}

// NumRows is the total number of rows in the file.
func (r *ParquetReader[T]) NumRows() int64 { return r.reader.NumRows() }

// Read fills rows and returns how many were read; it returns io.EOF (possibly
// with n > 0) once the file is exhausted.
func (r *ParquetReader[T]) Read(rows []T) (int, error) {
	return r.reader.Read(rows)
}

// Close releases the file.
func (r *ParquetReader[T]) Close() error {
	return errors.Join(r.reader.Close(), r.file.Close())
}
