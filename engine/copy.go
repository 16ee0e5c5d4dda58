package engine

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgcopy"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// copyFrom loads COPY ... FROM STDIN or from a file: the data streams
// through the format decoder into records that go straight to the
// transaction. Nothing of a COPY that fails is visible: its rows are in
// the statement's transaction, which the failure rolls back.
func (s *Session) copyFrom(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.CopyFromPlan, out ResultWriter) (string, error) {
	if p.Freeze {
		if err := s.checkCopyFreeze(txn, p.Table); err != nil {
			return "", err
		}
	}
	// A load of many rows commits them straight to segments (storage's
	// bulk commits), not through the event log.
	txn.PreferBulk()
	if p.Insert != nil {
		return s.copyFromParquet(ctx, txn, cat, p, out)
	}
	types := make([]catalog.Type, len(p.Columns))
	for i, c := range p.Columns {
		types[i] = p.Table.Columns[c].Type
	}
	var r io.Reader
	var err error
	var size int64
	if p.File != "" {
		var f *os.File
		if f, err = s.eng.openCopyFile(p.File); err != nil {
			return "", err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		r = f
	} else if r, err = out.CopyIn(copyFormats(p.Options, len(types))); err != nil {
		return "", err
	}
	progress := s.startCopyProgress(p.Table, "COPY FROM", p.File, size, out)
	defer s.endCopyProgress()
	r = countingReader{r, &progress.bytes}
	mem := memory.DefaultAllocator
	dec := pgcopy.NewReader(r, types, p.Options, mem)
	dec.SetLocation(s.location())
	dec.SetWorkers(s.copyWorkers())
	defer dec.Close()
	schema := tableSchema(p.Table)
	checks := s.rowChecker(cat, p.Table)
	var n int64
	insert := func(full arrow.Record) error {
		if err := checks.check(ctx, full); err != nil {
			return err
		}
		if err := txn.Insert(p.Table, full); err != nil {
			return err
		}
		n += full.NumRows()
		if err := s.checkReferences(txn, p.Table, full); err != nil {
			return err
		}
		return progress.advance(n)
	}
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		rec, err := dec.Next()
		if err != nil {
			return "", err
		}
		if rec == nil {
			break
		}
		if p.Fill != nil {
			err = s.fillDefaults(ctx, cat, p.Fill, rec, schema, insert)
		} else {
			full := fillColumns(mem, schema, p, rec)
			err = insert(full)
			full.Release()
		}
		rec.Release()
		if err != nil {
			return "", err
		}
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}

// copyWorkers is how many goroutines decode COPY FROM data: one more
// than max_parallel_workers_per_gather allows a query (the session's own
// goroutine only reads the input and inserts), at most one per CPU, as
// each holds a chunk of the input and its records.
func (s *Session) copyWorkers() int {
	return min(int(s.intSetting("max_parallel_workers_per_gather"))+1, runtime.GOMAXPROCS(0))
}

// fillDefaults hands insert the rows of rec, the copied columns,
// completed by fill with the defaults of the others.
func (s *Session) fillDefaults(ctx context.Context, cat planner.Catalog, fill planner.Node, rec arrow.Record, schema *arrow.Schema, insert func(arrow.Record) error) error {
	opts := s.lowerOptions()
	opts.Modified = [][]arrow.Record{{rec}}
	op, err := planner.Lower(fill, cat, nil, opts)
	if err != nil {
		return err
	}
	return s.drainOperatorDense(ctx, op, func(cols []arrow.Array, rows int) error {
		full := array.NewRecord(schema, cols, int64(rows))
		defer full.Release()
		return insert(full)
	})
}

// fillColumns places the copied columns at their table positions and
// fills the columns COPY did not name, which have no defaults, with
// NULLs.
func fillColumns(mem memory.Allocator, schema *arrow.Schema, p *planner.CopyFromPlan, rec arrow.Record) arrow.Record {
	rows := int(rec.NumRows())
	cols := make([]arrow.Array, len(p.Table.Columns))
	for i, c := range p.Columns {
		cols[c] = rec.Column(i)
		cols[c].Retain()
	}
	for i := range cols {
		if cols[i] == nil {
			cols[i] = array.MakeArrayOfNull(mem, schema.Field(i).Type, rows)
		}
	}
	out := array.NewRecord(schema, cols, int64(rows))
	for _, c := range cols {
		c.Release()
	}
	return out
}

// copyTo runs COPY ... TO STDOUT or to a file: the query's batches go
// through the format encoder straight into CopyData messages, or into
// the file.
func (s *Session) copyTo(ctx context.Context, cat planner.Catalog, p *planner.CopyToPlan, params []catalog.Datum, out ResultWriter) (string, error) {
	op, err := planner.Lower(p.Root, cat, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	types := make([]catalog.Type, len(p.Columns))
	fields := make([]arrow.Field, len(p.Columns))
	for i, c := range p.Columns {
		types[i] = c.Type
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	var w io.WriteCloser
	if p.File != "" {
		w, err = s.eng.createCopyFile(p.File)
	} else {
		w, err = out.CopyOut(copyFormats(p.Options, len(types)))
	}
	if err != nil {
		op.Close()
		return "", err
	}
	progress := s.startCopyProgress(scannedTable(p.Root), "COPY TO", p.File, 0, out)
	defer s.endCopyProgress()
	w = countingWriter{w, &progress.bytes}
	var enc recordEncoder
	switch {
	case p.Parquet:
		enc, err = storage.NewParquetWriter(w, p.Options.Columns, types)
		if err != nil {
			op.Close()
			w.Close()
			return "", err
		}
	case p.File != "":
		enc = pgcopy.NewWriter(w, types, p.Options, s.location())
	default:
		cw := pgcopy.NewWriter(w, types, p.Options, s.location())
		cw.MessagePerRow()
		enc = cw
	}
	schema := arrow.NewSchema(fields, nil)
	var n int64
	ec := s.execContext(ctx)
	defer ec.Release()
	err = exec.Drain(ec, op, func(b *exec.Batch) error {
		d := b
		if b.Sel != nil {
			d = exec.Compact(ec.Mem, b)
			defer d.Release()
		}
		rec := array.NewRecord(schema, d.Cols, int64(d.Len))
		defer rec.Release()
		n += int64(d.Len)
		if err := enc.Write(rec); err != nil {
			return err
		}
		return progress.advance(n)
	})
	if err == nil {
		err = enc.Close()
	}
	if err == nil || p.File != "" {
		// A failed COPY TO STDOUT ends with the error, not CopyDone; a
		// file is closed either way.
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return "", err
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}

// recordEncoder writes COPY TO's records in their format: pgcopy's text,
// CSV and binary, or a Parquet file.
type recordEncoder interface {
	Write(rec arrow.Record) error
	Close() error
}

// copyFormats is the overall and per-column format of a CopyInResponse
// or CopyOutResponse: all text, or all binary.
func copyFormats(opts pgcopy.Options, columns int) (int8, []int16) {
	format := int8(0)
	if opts.Format == pgcopy.Binary {
		format = 1
	}
	formats := make([]int16, columns)
	for i := range formats {
		formats[i] = int16(format)
	}
	return format, formats
}
