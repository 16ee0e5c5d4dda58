package storage

import (
	"cmp"
	"fmt"
	"path"
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
//
// The insertions of a flush chunk that are one commit's rows, all of them
// in the chunk's segment (a bulk commit's: COPY), are not written again:
// the segment is their history. The manifest lists it among the event
// files as an insertion reference (EventFile.Inserted): a segment under
// data/, every row of which that one commit inserted, with the commit's
// time and transaction id. A segment file never changes (deletion vectors
// are files of their own), and history collection deletes only files no
// retained manifest version names, counting the references, so the
// segment stays while its events are retained, even after a compaction
// replaced it in the table. Reading the events reads the referenced
// segment's rows without its deletion vector (readInsertRef).

// EventFile is one flushed event file of a table: the events with seqs in
// (FromSeq, ToSeq].
type EventFile struct {
	Segment
	FromSeq uint64 `json:"from_seq"`
	ToSeq   uint64 `json:"to_seq"`
	// Inserted, when set, makes Segment not an event file but a segment
	// of the table, whose rows are exactly the insertions of one commit
	// (an insertion reference).
	Inserted *InsertRef `json:"inserted,omitempty"`
}

// InsertRef is the commit whose insertions a referenced segment holds.
type InsertRef struct {
	Seq        uint64 `json:"seq"`
	CommitTime int64  `json:"commit_time"` // Unix microseconds, as commitMeta.at
	TxID       int64  `json:"txid"`
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
	file := path.Join(eventsDir, fmt.Sprintf(eventsPattern, version, newFileTag()))
	sw, err := newSegmentWriter(ns.store.objects, tableFile(ts.prefix, file), eventTable(ts.table), ns.store.opts.RowGroupRows)
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

// writeChunkEvents writes the history of one chunk of a flush
// (flush.go): the insertions batch, whose live rows the chunk's segment
// seg holds (nil when it has none), and the deletions dels, as event
// files of manifest version covering (from, to]. When batch is the
// insertions of one commit and seg holds every one of their rows, they
// are not written again: an insertion reference to seg stands for them,
// and only the deletions, if any, go to an event file.
func (ns *namespace) writeChunkEvents(ts *tableState, batch []tailInsert, dels []tailDelete, seg *Segment, version int64, from, to uint64, meta func(uint64) (commitMeta, bool)) ([]*EventFile, error) {
	ref, err := ns.insertRef(batch, seg, from, to, meta)
	if err != nil {
		return nil, err
	}
	if ref == nil || len(dels) > 0 {
		var ins []tailInsert
		if ref == nil {
			ins = batch
		}
		ef, err := ns.writeEventFile(ts, ins, dels, version, from, to, meta)
		if err != nil {
			return nil, err
		}
		if ref == nil {
			return []*EventFile{ef}, nil
		}
		return []*EventFile{ef, ref}, nil
	}
	return []*EventFile{ref}, nil
}

// minInsertRefRows is the fewest rows a segment holds for an insertion
// reference to it (tests lower it). A smaller chunk's events are cheap to
// write, and in an event file they merge with others (mergeEventFiles),
// where a reference never merges and keeps its segment while retained.
var minInsertRefRows int64 = 16 << 10

// insertRef returns the insertion reference to seg that stands for the
// insertions batch, or nil if there is none: seg is small (below
// minInsertRefRows), batch is not the insertions of exactly one commit,
// or seg lacks some of their rows (it holds only the live ones, a
// subset).
func (ns *namespace) insertRef(batch []tailInsert, seg *Segment, from, to uint64, meta func(uint64) (commitMeta, bool)) (*EventFile, error) {
	if len(batch) == 0 || seg == nil || seg.Rows < minInsertRefRows {
		return nil, nil
	}
	var rows int64
	for _, in := range batch {
		if in.seq != batch[0].seq {
			return nil, nil
		}
		rows += in.rec.NumRows()
	}
	if rows != seg.Rows {
		return nil, nil
	}
	seq := batch[0].seq
	c, err := ns.eventCommit(meta, seq)
	if err != nil {
		return nil, err
	}
	ref := &EventFile{Segment: *seg, FromSeq: from, ToSeq: to, Inserted: &InsertRef{Seq: seq, CommitTime: c.at, TxID: c.txid}}
	// The reference names the segment's rows, not its other files, nor
	// needs its sketches or column statistics (history reads all rows):
	// they stay with the table's segment, and every manifest published
	// while the reference is retained is that much smaller.
	ref.DeletesFile, ref.DeletedRows, ref.LegacyDeleted = "", 0, nil
	ref.Indexes, ref.Sketches = nil, nil
	ref.legacy, ref.bounds, ref.segBounds = nil, nil, nil
	ref.RowGroups = make([]RowGroupStats, len(seg.RowGroups))
	for g, rg := range seg.RowGroups {
		ref.RowGroups[g] = RowGroupStats{Rows: rg.Rows}
	}
	return ref, nil
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
	shared := &eventConstants{}
	defer shared.release()
	meta := func(seq uint64, op string, n int) ([]arrow.Array, error) {
		c, err := ns.eventCommit(commit, seq)
		if err != nil {
			return nil, err
		}
		return []arrow.Array{
			constInt64(arrow.PrimitiveTypes.Int64, int64(seq), n),
			constInt64(schema.Field(1).Type, c.at, n),
			constInt64(arrow.PrimitiveTypes.Int64, c.txid, n),
			shared.array(op, n, func() arrow.Array { return constString(op, n) }),
		}, nil
	}
	for len(ins) > 0 || len(del) > 0 {
		if ni, nd := smallEventRun(ins, del); ni+nd > 1 {
			rec, err := ns.eventRunRecord(tbl, schema, ins[:ni], del[:nd], commit, shared)
			if err != nil {
				return err
			}
			ins, del = ins[ni:], del[nd:]
			if err := fn(rec); err != nil {
				return err
			}
			continue
		}
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
				for i := range tbl.Columns {
					cols = append(cols, shared.nulls(tbl, i, n))
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

// smallEventRun is how many insertions (ni) and deletions (nd) of ins
// and del, from the first on in eachEventRecord's order, fit one record
// of eventBatchRows rows together, at most maxEventRun of them: an OLTP
// flush's tail holds one-row deletions and insertions (an UPDATE's),
// which make one record together rather than one each.
func smallEventRun(ins []tailInsert, del []tailDelete) (ni, nd int) {
	rows := 0
	for ni+nd < maxEventRun && (ni < len(ins) || nd < len(del)) {
		n := 0
		isDel := nd < len(del) && (ni == len(ins) || del[nd].seq <= ins[ni].seq)
		if isDel {
			n = len(del[nd].ids)
		} else {
			n = int(ins[ni].rec.NumRows())
		}
		if rows += n; rows > eventBatchRows {
			break
		}
		if isDel {
			nd++
		} else {
			ni++
		}
	}
	return ni, nd
}

// maxEventRun bounds the events eventRunRecord puts in one record.
const maxEventRun = 4096

// eventRunRecord is the event rows of the insertions ins and deletions
// del (a smallEventRun) of tbl as one record of schema, in
// eachEventRecord's order: each row with the seq, time and transaction id
// of its own commit and its op, a deletion's table columns NULL, the
// columns concatenated; shared holds the deletions' NULL columns.
func (ns *namespace) eventRunRecord(tbl *catalog.Table, schema *arrow.Schema, ins []tailInsert, del []tailDelete, commit func(uint64) (commitMeta, bool), shared *eventConstants) (arrow.Record, error) {
	var seqs, ats, txids []int64
	ops := array.NewStringBuilder(memory.DefaultAllocator)
	defer ops.Release()
	ncol := len(tbl.Columns)
	parts := make([][]arrow.Array, ncol+1) // the table's columns, then the row ids
	var owned []arrow.Array                // parts made here, released at the end
	defer func() {
		for _, a := range owned {
			a.Release()
		}
	}()
	i, j := 0, 0
	for i < len(ins) || j < len(del) {
		var seq uint64
		var n int
		op := eventOpInsert
		if j < len(del) && (i == len(ins) || del[j].seq <= ins[i].seq) {
			d := del[j]
			j++
			seq, n, op = d.seq, len(d.ids), eventOpDelete
			for c := range ncol {
				a := shared.nulls(tbl, c, n)
				owned = append(owned, a)
				parts[c] = append(parts[c], a)
			}
			ids := int64Array(d.ids)
			owned = append(owned, ids)
			parts[ncol] = append(parts[ncol], ids)
		} else {
			in := ins[i]
			i++
			seq, n = in.seq, int(in.rec.NumRows())
			for c := range ncol + 1 {
				parts[c] = append(parts[c], in.rec.Column(c))
			}
		}
		c, err := ns.eventCommit(commit, seq)
		if err != nil {
			return nil, err
		}
		for range n {
			seqs, ats, txids = append(seqs, int64(seq)), append(ats, c.at), append(txids, c.txid)
			ops.Append(op)
		}
	}
	cols := []arrow.Array{int64Array(seqs), int64ArrayOf(schema.Field(1).Type, ats), int64Array(txids), ops.NewArray()}
	for _, p := range parts {
		col, err := concatArrays(p)
		if err != nil {
			for _, c := range cols {
				c.Release()
			}
			return nil, err
		}
		cols = append(cols, col)
	}
	return newOwnedRecord(schema, cols, int64(len(seqs))), nil
}

// eventConstants are the arrays that every event row batch of n rows
// holds alike: the op column's DELETE or INSERT, and a deletion's NULL
// table columns. An OLTP flush's events are mostly of one row, and
// making these anew for each cost more than the rest of its rows; they
// never change, so records share them. Those of the last n are kept.
type eventConstants struct {
	n      int
	arrays map[any]arrow.Array
}

// array returns the array kept under key (an op, or a column's index)
// for n rows, made by build the first time, with a reference of the
// caller's own.
func (e *eventConstants) array(key any, n int, build func() arrow.Array) arrow.Array {
	if n != e.n {
		e.release()
		e.n = n
	}
	a := e.arrays[key]
	if a == nil {
		if e.arrays == nil {
			e.arrays = map[any]arrow.Array{}
		}
		a = build()
		e.arrays[key] = a
	}
	a.Retain()
	return a
}

// nulls returns n NULLs of column c of tbl, a deletion's value there.
func (e *eventConstants) nulls(tbl *catalog.Table, c, n int) arrow.Array {
	return e.array(c, n, func() arrow.Array {
		return array.MakeArrayOfNull(memory.DefaultAllocator, tbl.Columns[c].Type.ArrowType(), n)
	})
}

// release gives back the kept arrays.
func (e *eventConstants) release() {
	for _, a := range e.arrays {
		a.Release()
	}
	clear(e.arrays)
}

// eventCommit is commit(seq), the time and transaction id of an event's
// commit, which must be known.
func (ns *namespace) eventCommit(commit func(uint64) (commitMeta, bool), seq uint64) (commitMeta, error) {
	c, ok := commit(seq)
	if !ok {
		return c, fmt.Errorf("commit %d of schema %q is missing from the commit log", seq, ns.name)
	}
	return c, nil
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
	var refs []*EventFile
	for _, f := range files {
		if f.ToSeq > from && f.FromSeq < to {
			if f.Inserted != nil {
				refs = append(refs, f)
				continue
			}
			seg := f.Segment
			m.Segments = append(m.Segments, &seg)
		}
	}
	inserts, deletes, err := ns.readEventFiles(ts, etbl, m, from, to, meta)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range refs {
		seq := f.Inserted.Seq
		if seq <= from || seq > to {
			continue
		}
		if meta != nil {
			meta[seq] = commitMeta{at: f.Inserted.CommitTime, txid: f.Inserted.TxID}
		}
		if inserts, err = ns.readInsertRef(ts, f, inserts); err != nil {
			releaseTail(inserts)
			return nil, nil, err
		}
	}
	// A chunk's insertion reference follows the event file of its
	// deletions, and a flush's chunks all cover its seqs: put the events
	// in commit order, as a tail.
	bySeq := func(a, b uint64) int { return cmp.Compare(a, b) }
	slices.SortStableFunc(inserts, func(a, b tailInsert) int { return bySeq(a.seq, b.seq) })
	slices.SortStableFunc(deletes, func(a, b tailDelete) int { return bySeq(a.seq, b.seq) })
	return inserts, deletes, nil
}

// readInsertRef appends to ins the rows of the segment an insertion
// reference f names, as insertions of its commit: all of them, whatever
// the table's deletion vectors say of them now.
func (ns *namespace) readInsertRef(ts *tableState, f *EventFile, ins []tailInsert) ([]tailInsert, error) {
	seg := f.Segment
	seg.DeletesFile, seg.DeletedRows, seg.LegacyDeleted, seg.legacy = "", 0, nil, nil
	view := &tableState{table: ts.table, prefix: ts.prefix, schema: ts.schema, manifest: &Manifest{TableID: ts.table.ID, Segments: []*Segment{&seg}}}
	view.manifest.decode(ts.table)
	cols := make([]int, len(ts.table.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := newScan(ns.store, view, nil, cols, nil)
	if err != nil {
		return ins, err
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return ins, err
		}
		cols := make([]arrow.Array, 0, rec.NumCols())
		for _, c := range rec.Columns() {
			c.Retain()
			cols = append(cols, c)
		}
		ins = append(ins, tailInsert{seq: f.Inserted.Seq, rec: newOwnedRecord(ts.schema, cols, rec.NumRows())})
	}
}

// readEventFiles reads the events with seqs in (from, to] of the event
// files m lists (see readEvents).
func (ns *namespace) readEventFiles(ts *tableState, etbl *catalog.Table, m *Manifest, from, to uint64, meta map[uint64]commitMeta) ([]tailInsert, []tailDelete, error) {
	var inserts []tailInsert
	var deletes []tailDelete
	if len(m.Segments) == 0 {
		return nil, nil, nil
	}
	m.decode(etbl)
	ets := &tableState{table: etbl, prefix: ts.prefix, schema: tailSchema(etbl), manifest: m}
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
