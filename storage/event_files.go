package storage

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// A table's event history lives in two places: the events not flushed
// yet in its namespace's SQLite event log (and in memory as the tail),
// and the flushed ones in Parquet event files, one per flush, under
// <table-dir>/_events/. An event file holds, in commit order, one row
// per inserted or deleted row version: the commit's seq, time and
// transaction id, the operation ("insert" or "delete"), the row's
// columns (the inserted values; NULL for a deletion, whose image is the
// version it deleted) and its row id. An UPDATE is a deletion and an
// insertion of one row id in one commit. The files are ordinary Parquet
// with standard types, so other engines can read the history too.
//
// The manifest published by the flush lists the file (Manifest.Events),
// written and synced before, so a crash leaves either the events in
// SQLite or the file listed, never neither.

// EventFile is one flushed event file of a table: the events with seqs in
// (FromSeq, ToSeq].
type EventFile struct {
	Segment
	FromSeq uint64 `json:"from_seq"`
	ToSeq   uint64 `json:"to_seq"`
}

// The leading columns of an event file, before the table's columns.
const (
	eventSeqColumn  = "_pqdb_seq"
	eventTimeColumn = "_pqdb_commit_time"
	eventTxIDColumn = "_pqdb_txid"
	eventOpColumn   = "_pqdb_op"
	eventMetaCols   = 4

	eventsDir     = "_events"
	eventsPattern = "v%012d-%s.parquet" // the manifest version listing it, a unique tag (file_names.go)

	eventOpInsert = "insert"
	eventOpDelete = "delete"
)

// eventTable is the layout of tbl's event files as a table: the event
// columns, then tbl's columns, all nullable (a deletion has no values).
func eventTable(tbl *catalog.Table) *catalog.Table {
	cols := []catalog.Column{
		{Name: eventSeqColumn, Type: catalog.TypeInt8, NotNull: true},
		{Name: eventTimeColumn, Type: catalog.TypeTimestampTZ, NotNull: true},
		{Name: eventTxIDColumn, Type: catalog.TypeInt8, NotNull: true},
		{Name: eventOpColumn, Type: catalog.TypeText, NotNull: true},
	}
	for _, c := range tbl.Columns {
		cols = append(cols, catalog.Column{Name: c.Name, Type: c.Type})
	}
	return &catalog.Table{ID: tbl.ID, Schema: tbl.Schema, Name: tbl.Name, Columns: cols}
}

// writeEventFile writes the events ins and del of ts's table (those in
// (from, to], with their commits' times and transaction ids from meta) to
// a new event file of manifest version, synced, and returns its
// description. The event rows are made and written a batch of at most
// eventBatchRows at a time, so they are never all in memory.
func (ns *namespace) writeEventFile(ts *tableState, ins []tailInsert, del []tailDelete, version int64, from, to uint64, meta func(uint64) (commitMeta, bool)) (*EventFile, error) {
	file := filepath.Join(eventsDir, fmt.Sprintf(eventsPattern, version, newFileTag()))
	sw, err := newSegmentWriter(filepath.Join(ts.dir, file), eventTable(ts.table), ns.store.opts.RowGroupRows)
	if err != nil {
		return nil, err
	}
	sw.sketches = nil // the planner estimates tables, not their history
	err = ns.eachEventRecord(ts.table, ins, del, meta, func(rec arrow.Record) error {
		err := sw.write(rec)
		rec.Release()
		return err
	})
	if err != nil {
		sw.abort()
		return nil, err
	}
	seg, err := sw.close()
	if err != nil {
		return nil, err
	}
	seg.File = file
	return &EventFile{Segment: *seg, FromSeq: from, ToSeq: to}, nil
}

// eventBatchRows is the most event rows eachEventRecord puts in a record.
const eventBatchRows = 64 << 10

// eachEventRecord turns tail-shaped events of tbl into event rows, commit
// by commit, each commit's deletions before its insertions, and calls fn
// with them a record of at most eventBatchRows rows at a time; fn
// releases the record.
func (ns *namespace) eachEventRecord(tbl *catalog.Table, ins []tailInsert, del []tailDelete, commit func(uint64) (commitMeta, bool), fn func(arrow.Record) error) error {
	etbl := eventTable(tbl)
	schema := tailSchema(etbl)
	meta := func(seq uint64, op string, n int) ([]arrow.Array, error) {
		c, ok := commit(seq)
		if !ok {
			return nil, fmt.Errorf("commit %d of schema %q is missing from the commit log", seq, ns.name)
		}
		return []arrow.Array{
			constInt64(arrow.PrimitiveTypes.Int64, int64(seq), n),
			constInt64(schema.Field(1).Type, c.at, n),
			constInt64(arrow.PrimitiveTypes.Int64, c.txid, n),
			constString(op, n),
		}, nil
	}
	for len(ins) > 0 || len(del) > 0 {
		if len(del) > 0 && (len(ins) == 0 || del[0].seq <= ins[0].seq) {
			d := del[0]
			del = del[1:]
			for lo := 0; lo < len(d.ids); lo += eventBatchRows {
				ids := d.ids[lo:min(len(d.ids), lo+eventBatchRows)]
				n := len(ids)
				cols, err := meta(d.seq, eventOpDelete, n)
				if err != nil {
					return err
				}
				for _, c := range tbl.Columns {
					cols = append(cols, array.MakeArrayOfNull(memory.DefaultAllocator, c.Type.ArrowType(), n))
				}
				cols = append(cols, int64Array(ids))
				if err := fn(newOwnedRecord(schema, cols, int64(n))); err != nil {
					return err
				}
			}
			continue
		}
		in := ins[0]
		ins = ins[1:]
		total := in.rec.NumRows()
		for lo := int64(0); lo < total; lo += eventBatchRows {
			hi := min(total, lo+eventBatchRows)
			n := int(hi - lo)
			cols, err := meta(in.seq, eventOpInsert, n)
			if err != nil {
				return err
			}
			for _, c := range in.rec.Columns() {
				cols = append(cols, array.NewSlice(c, lo, hi))
			}
			if err := fn(newOwnedRecord(schema, cols, int64(n))); err != nil {
				return err
			}
		}
	}
	return nil
}

// loggedCommit is the time and transaction id of commit seq from the
// commit log.
func (ns *namespace) loggedCommit(seq uint64) (commitMeta, bool) {
	at, txid, ok := ns.commits.commit(seq)
	return commitMeta{at: at, txid: txid}, ok
}

// newOwnedRecord makes a record of cols, taking over their references.
func newOwnedRecord(schema *arrow.Schema, cols []arrow.Array, n int64) arrow.Record {
	rec := array.NewRecordBatch(schema, cols, n)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// constInt64 is n copies of v as an array of the 64-bit type dt (int64 or
// a timestamp).
func constInt64(dt arrow.DataType, v int64, n int) arrow.Array {
	vals := make([]int64, n)
	for i := range vals {
		vals[i] = v
	}
	return int64ArrayOf(dt, vals)
}

// int64ArrayOf is vals as an array of the 64-bit type dt (sharing vals).
func int64ArrayOf(dt arrow.DataType, vals []int64) arrow.Array {
	data := array.NewData(dt, len(vals), []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(vals))}, nil, 0, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// constString is n copies of s.
func constString(s string, n int) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(n * len(s))
	for range n {
		b.Append(s)
	}
	return b.NewArray()
}

// int64Array is vals as an Arrow int64 array (sharing vals).
func int64Array(vals []int64) arrow.Array { return int64ArrayOf(arrow.PrimitiveTypes.Int64, vals) }

// readEvents returns the events of ts's table with seqs in (from, to]
// from the event files files, as tail batches: deletions and insertions
// by commit seq, in commit order. meta, when not nil, receives each
// commit's time and transaction id.
func (ns *namespace) readEvents(ts *tableState, files []*EventFile, from, to uint64, meta map[uint64]commitMeta) ([]tailInsert, []tailDelete, error) {
	etbl := eventTable(ts.table)
	m := &Manifest{TableID: ts.table.ID}
	for _, f := range files {
		if f.ToSeq > from && f.FromSeq < to {
			seg := f.Segment
			m.Segments = append(m.Segments, &seg)
		}
	}
	var inserts []tailInsert
	var deletes []tailDelete
	if len(m.Segments) == 0 {
		return nil, nil, nil
	}
	m.decode(etbl)
	ets := &tableState{table: etbl, dir: ts.dir, schema: tailSchema(etbl), manifest: m}
	cols := make([]int, len(etbl.Columns))
	for i := range cols {
		cols[i] = i
	}
	preds := []Predicate{{Column: 0, Op: Gt, Value: int64(from)}, {Column: 0, Op: Le, Value: int64(to)}}
	r, err := newScan(ns.store, ets, nil, cols, preds)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	nt := len(ts.table.Columns)
	for {
		rec, err := r.Next()
		if err != nil {
			releaseTail(inserts)
			return nil, nil, err
		}
		if rec == nil {
			return inserts, deletes, nil
		}
		seqs := rec.Column(0).(*array.Int64).Int64Values()
		times := rec.Column(1).(*array.Timestamp).TimestampValues()
		txids := rec.Column(2).(*array.Int64).Int64Values()
		ops := rec.Column(3).(*array.String)
		ids := rec.Column(eventMetaCols + nt).(*array.Int64).Int64Values()
		for lo := 0; lo < len(seqs); {
			hi := lo + 1
			for hi < len(seqs) && seqs[hi] == seqs[lo] && ops.Value(hi) == ops.Value(lo) {
				hi++
			}
			seq := uint64(seqs[lo])
			if seq > from && seq <= to {
				if meta != nil {
					meta[seq] = commitMeta{at: int64(times[lo]), txid: txids[lo]}
				}
				if ops.Value(lo) == eventOpDelete {
					deletes = append(deletes, tailDelete{seq: seq, ids: slices.Sorted(slices.Values(ids[lo:hi]))})
				} else {
					cols := make([]arrow.Array, 0, nt+1)
					for c := eventMetaCols; c <= eventMetaCols+nt; c++ {
						cols = append(cols, array.NewSlice(rec.Column(c), int64(lo), int64(hi)))
					}
					inserts = append(inserts, tailInsert{seq: seq, rec: newOwnedRecord(ts.schema, cols, int64(hi-lo))})
				}
			}
			lo = hi
		}
	}
}

// releaseTail releases the records of tail insertions.
func releaseTail(ins []tailInsert) {
	for _, in := range ins {
		in.rec.Release()
	}
}
