package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// openCopyFile opens the file of COPY ... FROM 'path', an allowed file,
// failing as PostgreSQL's BeginCopyFrom does.
func (e *Engine) openCopyFile(path string) (*os.File, error) {
	real, err := e.allowedFile(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, copyFileError(fmt.Sprintf("could not open file \"%s\" for reading", path), err,
			"COPY FROM instructs the pqdb server to read a file. You may want a client-side facility such as psql's \\copy.")
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is a directory", path)
	}
	return f, nil
}

// createCopyFile creates (or truncates) the file of COPY ... TO 'path',
// an allowed file, buffered; closing the result flushes and closes it.
func (e *Engine) createCopyFile(path string) (*bufferedFile, error) {
	real, err := e.allowedFile(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(real, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, copyFileError(fmt.Sprintf("could not open file \"%s\" for writing", path), err,
			"COPY TO instructs the pqdb server to write a file. You may want a client-side facility such as psql's \\copy.")
	}
	return &bufferedFile{Writer: bufio.NewWriterSize(f, 1<<20), f: f, path: path}, nil
}

// copyFileError is storage.FileError with PostgreSQL's hint for the
// errors a client-side \copy would avoid.
func copyFileError(message string, err error, hint string) *pgerr.Error {
	e := storage.FileError(message, err)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		e.Hint = hint
	}
	return e
}

// bufferedFile is a COPY TO file.
type bufferedFile struct {
	*bufio.Writer
	f    *os.File
	path string
}

func (b *bufferedFile) Write(p []byte) (int, error) {
	n, err := b.Writer.Write(p)
	if err != nil {
		return n, storage.FileError(fmt.Sprintf("could not write to COPY file \"%s\"", b.path), err)
	}
	return n, nil
}

func (b *bufferedFile) Close() error {
	err := b.Writer.Flush()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return storage.FileError(fmt.Sprintf("could not write to COPY file \"%s\"", b.path), err)
	}
	return nil
}

// copyFromParquet runs COPY ... FROM a Parquet file as the INSERT ...
// SELECT it was bound to, inserting each batch as it is read (the source
// is the file, never the table, so nothing needs to be read before the
// first write), so that a file of any size streams through.
func (s *Session) copyFromParquet(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.CopyFromPlan, out ResultWriter) (string, error) {
	schema := tableSchema(p.Table)
	checks := s.rowChecker(cat, p.Table)
	var n int64
	progress := s.startCopyProgress(p.Table, "COPY FROM", p.File, 0, out)
	defer s.endCopyProgress()
	err := s.drainDense(ctx, cat, p.Insert.Source, nil, func(cols []arrow.Array, rows int) error {
		rec := array.NewRecord(schema, cols, int64(rows))
		defer rec.Release()
		if err := checks.check(ctx, rec); err != nil {
			return err
		}
		if err := txn.Insert(p.Table, rec); err != nil {
			return err
		}
		n += int64(rows)
		if err := s.checkReferences(txn, p.Table, rec); err != nil {
			return err
		}
		return progress.advance(n)
	})
	if err != nil {
		return "", err
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}
