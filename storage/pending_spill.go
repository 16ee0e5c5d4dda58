package storage

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// Spilling a transaction's pending rows.
//
// A transaction's inserted batches (txnTable.pending.inserts) stay in
// memory until they add up to Options.SpillBytes of Arrow data (then, once
// it has spilled, spilledSpillBytes); beyond that, Txn.addRows moves the
// batches in memory to the transaction's spill file, one Arrow IPC stream per batch, and keeps only where each
// lies (a spilledBatch) in its tailInsert. Readers of the transaction's
// own rows (scans of its snapshots, netChange at commit, the key checks)
// load a spilled batch back when they reach it, one at a time. A commit
// hands the spilled batches to the writer as they are (bulk_commit.go).
//
// The key indexes of the transaction's own rows (txnTable.own) replay
// pending batches with load, so one rebuilt later (after RollbackTo, for
// a constraint or foreign key added in the transaction) reads spilled
// batches back; the existing ones catch up before batches are spilled, so
// that they need not.
//
// The spill file is created under Options.TempDir and unlinked at once:
// it lives as long as its descriptor, which the transaction closes when
// it ends, so neither an abort nor a crash leaves it behind.
//
// Spilling never changes an element of a pending list in place: it
// builds a new list, because snapshots taken before (an INSERT ... SELECT
// scanning the table it writes, an open cursor) share the old one. The
// spilled records are not released either, for the same reason (their
// buffers may come from a recycling allocator); the Go heap reclaims
// them once no snapshot holds them, like the records a RollbackTo
// undoes. A savepoint holds list lengths, which spilling keeps, so
// RollbackTo cuts spilled and in-memory batches alike; the bytes of
// undone spilled batches stay in the file until the transaction ends.

// defaultSpillBytes is Options.SpillBytes when it is 0.
const defaultSpillBytes = 64 << 20

// spilledSpillBytes bounds the in-memory pending rows of a transaction
// that has spilled already: it is evidently a bulk load, whose commit
// flushes every row straight to segments (bulk_commit.go), so rows kept
// in memory only cost memory twice more at its commit, as records and as
// keys in the committed key indexes, which hold the rows in memory but
// not the spilled ones (maintainKeysOf).
const spilledSpillBytes = 4 << 20

// spilledBatch locates one spilled batch in its transaction's spill file.
type spilledBatch struct {
	file      *spillFile
	off, size int64
	rows      int64
}

// spillFile is a transaction's append-only file of spilled batches.
// Writes come from the transaction's goroutine; reads (ReadAt, of ranges
// written before) may come from any scan of its snapshots.
type spillFile struct {
	f    *os.File
	size int64
}

// newSpillFile creates an unlinked temporary file in dir ("" for the
// system's temporary directory).
func newSpillFile(dir string) (*spillFile, error) {
	f, err := os.CreateTemp(dir, "pqdb-txn-*.arrows")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, err
	}
	return &spillFile{f: f}, nil
}

// spillWriteBuffer is the buffer between a spilled batch's IPC stream
// and the file, which gets the batch's large buffers directly.
const spillWriteBuffer = 64 << 10

// write appends rec to the file, as one Arrow IPC stream (encodeRecord's
// form) written straight to the file rather than built in memory first.
func (sf *spillFile) write(rec arrow.Record) (*spilledBatch, error) {
	ow := io.NewOffsetWriter(sf.f, sf.size)
	bw := bufio.NewWriterSize(ow, spillWriteBuffer)
	w := ipc.NewWriter(bw, ipc.WithSchema(rec.Schema()))
	err := w.Write(rec)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return nil, err
	}
	size, err := ow.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	b := &spilledBatch{file: sf, off: sf.size, size: size, rows: rec.NumRows()}
	sf.size += size
	return b, nil
}

// writeEncoded appends a batch of rows encoded by encodeRecord.
func (sf *spillFile) writeEncoded(data []byte, rows int64) (*spilledBatch, error) {
	if _, err := sf.f.WriteAt(data, sf.size); err != nil {
		return nil, err
	}
	b := &spilledBatch{file: sf, off: sf.size, size: int64(len(data)), rows: rows}
	sf.size += int64(len(data))
	return b, nil
}

func (sf *spillFile) close() { sf.f.Close() }

// spilledBatchReads counts spilledBatch.read calls, for tests that check
// how often a bulk commit reads its spilled rows back.
var spilledBatchReads atomic.Int64

// read loads the batch back; the caller releases the record. The IPC
// reader copies the batch's buffers straight from the file.
func (b *spilledBatch) read() (arrow.Record, error) {
	spilledBatchReads.Add(1)
	r, err := ipc.NewReader(io.NewSectionReader(b.file.f, b.off, b.size))
	if err != nil {
		return nil, fmt.Errorf("read spilled rows: %w", err)
	}
	defer r.Release()
	if !r.Next() {
		return nil, fmt.Errorf("read spilled rows: %w", cmp.Or(r.Err(), io.ErrUnexpectedEOF))
	}
	rec := r.RecordBatch()
	rec.Retain()
	return rec, nil
}

// numRows is the number of rows of the batch, spilled or not.
func (ins tailInsert) numRows() int64 {
	if ins.spilled != nil {
		return ins.spilled.rows
	}
	return ins.rec.NumRows()
}

// load returns the batch's record, read back from the spill file when
// it was spilled; the caller releases it.
func (ins tailInsert) load() (arrow.Record, error) {
	if ins.spilled != nil {
		return ins.spilled.read()
	}
	ins.rec.Retain()
	return ins.rec, nil
}

// recordBytes is the size of rec's Arrow buffers.
func recordBytes(rec arrow.Record) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += int64(c.Data().SizeInBytes())
	}
	return n
}

// spillBytes is the transaction's limit on in-memory pending rows.
func (t *Txn) spillBytes() int64 { return t.s.spillBytes() }

// spillBytes is Options.SpillBytes with its default: the Arrow data of
// rows a transaction, or the replay of a table's tail at open, keeps in
// memory before spilling the rest (-1: never spill).
func (s *Store) spillBytes() int64 {
	switch n := s.opts.SpillBytes; {
	case n == 0:
		return defaultSpillBytes
	case n < 0:
		return -1
	default:
		return n
	}
}

// noteInserted counts rec's bytes as pending in memory and spills the
// transaction's in-memory batches once they exceed the limit, or
// spilledSpillBytes once the transaction has spilled. A spill that fails
// (the temporary directory is full) keeps the rows in memory, where they
// were already, and is tried again with the next batch.
func (t *Txn) noteInserted(rec arrow.Record) {
	t.inMemory += recordBytes(rec)
	limit := t.spillBytes()
	if t.spill != nil {
		limit = min(limit, spilledSpillBytes)
	}
	if limit < 0 || t.inMemory <= limit {
		return
	}
	if err := t.spillPending(); err != nil {
		slog.Warn("spilling a transaction's pending rows failed; they stay in memory", "err", err)
	}
}

// spillPending moves the in-memory batches of every table to the spill
// file.
func (t *Txn) spillPending() error {
	if t.spill == nil {
		sf, err := newSpillFile(t.s.opts.TempDir)
		if err != nil {
			return fmt.Errorf("create spill file: %w", err)
		}
		t.spill = sf
	}
	var kept int64
	for _, tt := range t.tables {
		// The key indexes of the transaction's own rows see the batches
		// while they are in memory, rather than read them back later.
		for _, idx := range tt.own {
			if err := idx.replay(tt.pending.inserts, tt.pending.deletes, len(tt.table.Columns)); err != nil {
				return err
			}
		}
		var out []tailInsert
		for i, ins := range tt.pending.inserts {
			if ins.spilled != nil {
				continue
			}
			b, err := t.spill.write(ins.rec)
			if err != nil {
				return fmt.Errorf("spill pending rows: %w", err)
			}
			if out == nil {
				out = slices.Clone(tt.pending.inserts)
			}
			out[i] = tailInsert{seq: ins.seq, spilled: b}
			t.s.stats.spilledBatches.Add(1)
		}
		if out != nil {
			tt.pending.inserts = out
			tt.spilled = true
		}
	}
	t.inMemory = kept
	return nil
}

// inMemoryBytes is the size of tt's pending batches held in memory.
func (tt *txnTable) inMemoryBytes() int64 {
	var n int64
	for _, ins := range tt.pending.inserts {
		if ins.rec != nil {
			n += recordBytes(ins.rec)
		}
	}
	return n
}

// releaseAll releases every record of recs.
func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}
