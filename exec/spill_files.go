package exec

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strconv"
	"syscall"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Spill files: operators past work_mem write rows to temporary files as
// Arrow IPC streams and read them back as batches. The files go in
// Context.TempDir (the engine's choice; os.TempDir() when empty), are
// registered with the statement as they are made, and are removed when
// the operator is done with them or, at the latest, when the statement
// ends (Context.Release), whether it succeeded, failed, was cancelled or
// panicked. Everything a statement writes counts toward
// Context.TempFileLimit (temp_file_limit), whose excess fails the
// statement with 53400.

// spillFile is one finished temporary file of rows.
type spillFile struct {
	path  string
	types []catalog.Type
	rows  int64
	bytes int64
}

// spillWriter writes batches of rows of the given types to a new
// temporary file.
type spillWriter struct {
	ctx    *Context
	types  []catalog.Type
	file   *os.File
	buf    *bufio.Writer
	count  countingWriter
	ipc    *ipc.Writer
	schema *arrow.Schema
	rows   int64
}

// countingWriter counts what reaches the file and enforces the
// statement's temp_file_limit.
type countingWriter struct {
	w     io.Writer
	ctx   *Context
	bytes int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if lim := c.ctx.TempFileLimit; lim > 0 {
		if c.ctx.resources().tempBytes.Add(int64(len(p))) > lim {
			return 0, pgerr.New(pgerr.ConfigurationLimitExceeded, "temporary file size exceeds temp_file_limit (%s)", formatKB(lim))
		}
	} else {
		c.ctx.resources().tempBytes.Add(int64(len(p)))
	}
	n, err := c.w.Write(p)
	c.bytes += int64(n)
	return n, err
}

// newSpillWriter creates a temporary file for rows of types.
func newSpillWriter(ctx *Context, types []catalog.Type) (*spillWriter, error) {
	dir := ctx.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "pqdb_tmp_*.arrows")
	if err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create temporary file: %v", err)
	}
	ctx.resources().addFile(f.Name())
	w := &spillWriter{ctx: ctx, types: types, file: f}
	w.count = countingWriter{w: f, ctx: ctx}
	w.buf = bufio.NewWriterSize(&w.count, 64<<10)
	return w, nil
}

// write appends rows 0..n-1 of the dense columns cols.
func (w *spillWriter) write(cols []arrow.Array, n int) error {
	if n == 0 {
		return nil
	}
	if w.ipc == nil {
		fields := make([]arrow.Field, len(cols))
		for i, c := range cols {
			fields[i] = arrow.Field{Name: "c" + strconv.Itoa(i), Type: c.DataType(), Nullable: true}
		}
		w.schema = arrow.NewSchema(fields, nil)
		w.ipc = ipc.NewWriter(w.buf, ipc.WithSchema(w.schema), ipc.WithAllocator(w.ctx.Mem))
	}
	rec := array.NewRecord(w.schema, cols, int64(n))
	defer rec.Release()
	if err := w.ipc.Write(rec); err != nil {
		return spillError(err)
	}
	w.rows += int64(n)
	return nil
}

// writeBatch appends the active rows of b.
func (w *spillWriter) writeBatch(b *Batch) error {
	if b.Sel == nil {
		return w.write(b.Cols, b.Len)
	}
	d := compactTyped(w.ctx.Mem, w.types, b)
	defer d.Release()
	return w.write(d.Cols, d.Len)
}

// writeRows appends rows idx of the dense columns cols.
func (w *spillWriter) writeRows(cols []arrow.Array, idx []int32) error {
	if len(idx) == 0 {
		return nil
	}
	taken := make([]arrow.Array, len(cols))
	for c, t := range w.types {
		taken[c] = take(w.ctx.Mem, t, cols[c], idx)
	}
	defer releaseAll(taken)
	return w.write(taken, len(idx))
}

// finish closes the file for writing and returns it for reading.
func (w *spillWriter) finish() (*spillFile, error) {
	var err error
	if w.ipc != nil {
		err = w.ipc.Close()
	}
	if ferr := w.buf.Flush(); err == nil {
		err = ferr
	}
	if cerr := w.file.Close(); err == nil {
		err = cerr
	}
	w.file = nil
	if err != nil {
		return nil, spillError(err)
	}
	return &spillFile{path: w.count.w.(*os.File).Name(), types: w.types, rows: w.rows, bytes: w.count.bytes}, nil
}

// abandon closes and removes an unfinished file.
func (w *spillWriter) abandon() {
	if w.ipc != nil {
		_ = w.ipc.Close()
	}
	if w.file != nil {
		_ = w.file.Close()
		w.ctx.resources().removeFile(w.file.Name())
		w.file = nil
	}
}

// spillError keeps a SQLSTATE a write carried (temp_file_limit) and
// reports other failures as I/O errors (a full disk is 53100).
func spillError(err error) error {
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, syscall.ENOSPC) {
		return pgerr.New(pgerr.DiskFull, "could not write to temporary file: %v", err)
	}
	return pgerr.New(pgerr.IoError, "could not write to temporary file: %v", err)
}

// remove deletes the file; the statement forgets it.
func (f *spillFile) remove(ctx *Context) {
	if f != nil {
		ctx.resources().removeFile(f.path)
	}
}

// spillReader is an Operator that reads a spill file back, a batch per
// stored record batch. With removeAtClose it deletes the file when
// closed.
type spillReader struct {
	file          *spillFile
	removeAtClose bool

	ctx *Context
	f   *os.File
	rd  *ipc.Reader
	out Batch
}

func newSpillReader(f *spillFile, removeAtClose bool) *spillReader {
	return &spillReader{file: f, removeAtClose: removeAtClose}
}

func (r *spillReader) Types() []catalog.Type { return r.file.types }

func (r *spillReader) Open(ctx *Context) error {
	r.ctx = ctx
	if r.file.rows == 0 {
		return nil
	}
	f, err := os.Open(r.file.path)
	if err != nil {
		return pgerr.New(pgerr.IoError, "could not open temporary file: %v", err)
	}
	r.f = f
	rd, err := ipc.NewReader(bufio.NewReaderSize(f, 64<<10), ipc.WithAllocator(ctx.Mem))
	if err != nil {
		return pgerr.New(pgerr.IoError, "could not read temporary file: %v", err)
	}
	r.rd = rd
	return nil
}

// Next returns the next stored batch; it stays valid until the next call
// to Next or Close.
func (r *spillReader) Next() (*Batch, error) {
	if r.rd == nil {
		return nil, nil
	}
	if err := r.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	if !r.rd.Next() {
		if err := r.rd.Err(); err != nil && err != io.EOF {
			return nil, pgerr.New(pgerr.IoError, "could not read temporary file: %v", err)
		}
		return nil, nil
	}
	rec := r.rd.Record()
	r.out = Batch{Cols: rec.Columns(), Len: int(rec.NumRows())}
	return &r.out, nil
}

func (r *spillReader) Close() {
	if r.rd != nil {
		r.rd.Release()
		r.rd = nil
	}
	if r.f != nil {
		_ = r.f.Close()
		r.f = nil
	}
	if r.removeAtClose && r.ctx != nil {
		r.file.remove(r.ctx)
	}
}

func (r *statementResources) addFile(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.files == nil {
		r.files = map[string]struct{}{}
	}
	r.files[path] = struct{}{}
	r.tempFiles.Add(1)
}

func (r *statementResources) removeFile(path string) {
	r.mu.Lock()
	delete(r.files, path)
	r.mu.Unlock()
	_ = os.Remove(path)
}

func (r *statementResources) removeAll() {
	r.mu.Lock()
	files := r.files
	r.files = nil
	r.mu.Unlock()
	for p := range files {
		_ = os.Remove(p)
	}
}
