package storage

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Serializable snapshot isolation.
//
// A SERIALIZABLE transaction is a REPEATABLE READ one whose reads and
// writes are tracked, as in PostgreSQL's SSI (Cahill, Röhm and Fekete;
// Ports and Grittner), so that the commit of one that could make the
// concurrent serializable transactions' outcome differ from every serial
// order fails with 40001. T has a rw-antidependency on U (T →rw U) when
// the two overlap and U wrote something T read without seeing it. A
// cycle in the serialization graph needs a pivot with an in and an out
// edge, whose out-neighbour committed first (T1 →rw T2 →rw T3, T3 first);
// a commit that would complete such a structure fails.
//
// Reads are tracked at two grains, as PostgreSQL's predicate locks are
// for a sequential and an index scan: a scan whose predicates pin a
// single-column primary key to some values reads those keys and the rows
// it returns; any other scan reads the whole table. A write conflicts
// with a key read when it inserts a row with one of its keys (a phantom),
// and with a row read when it updates or deletes one of its rows.
// Conflicts are found at commit: each commit compares its writes with
// the reads of every overlapping serializable transaction, and its reads
// with the writes of those that committed, keeping the edges. So a
// conflict PostgreSQL reports at a statement is reported at COMMIT.
//
// Overlap is judged by a clock: a transaction starts at the clock's value
// before its snapshot is taken, and commits at a tick taken after its
// commit is published, so one that starts at or after another's commit
// tick sees its writes. Committed transactions are kept until no active
// one overlaps them. Commits of serializable transactions are checked and
// made one at a time, under the tracker's lock.

// ssiTracker holds the serializable transactions of a store.
type ssiTracker struct {
	clock  atomic.Uint64
	commit sync.Mutex // held across a serializable commit's check and publication
	mu     sync.Mutex // guards active and done
	active map[*sxact]struct{}
	done   []*sxact
}

// sxact is one serializable transaction's reads, writes and conflicts.
type sxact struct {
	start  atomic.Uint64 // the clock before its snapshot; 0 before its first statement
	commit uint64        // its commit tick; 0 while active

	mu     sync.Mutex // guards reads, noted by scans of its snapshots
	reads  map[int64]*tableReads
	writes map[int64]*tableWrites
	in     []*sxact // U →rw this
	out    []*sxact // this →rw U
}

// tableReads is what a transaction read of one table.
type tableReads struct {
	whole bool
	keys  map[string]struct{} // encoded primary keys looked up
	rows  map[int64]struct{}  // row ids returned by key lookups
}

// tableWrites is what a transaction wrote to one table.
type tableWrites struct {
	anyKey bool                // inserted rows whose keys are not listed
	keys   map[string]struct{} // encoded primary keys of the rows it inserted or updated
	rows   map[int64]struct{}  // committed row ids it updated or deleted
}

// SetSerializable makes t a serializable transaction (and repeatable
// read), or with false, not one any more (which leaves it repeatable
// read); it is called before t's first statement.
func (t *Txn) SetSerializable(on bool) {
	tr := &t.s.ssi
	if !on {
		if t.sx != nil {
			tr.end(t.sx)
			t.sx = nil
		}
		return
	}
	t.SetRepeatableRead(true)
	if t.sx != nil {
		return
	}
	t.sx = &sxact{reads: map[int64]*tableReads{}}
	tr.mu.Lock()
	if tr.active == nil {
		tr.active = map[*sxact]struct{}{}
	}
	tr.active[t.sx] = struct{}{}
	tr.mu.Unlock()
}

// begin stamps x's start before its snapshot is taken.
func (x *sxact) begin(tr *ssiTracker) {
	if x != nil && x.start.Load() == 0 {
		x.start.Store(tr.clock.Load() + 1)
	}
}

// noteRead records a scan of tbl's columns cols with preds by a snapshot
// of x, and returns the reader to hand out, which notes the rows a key
// lookup returns.
func (x *sxact) noteRead(tbl *catalog.Table, cols []int, preds []Predicate, r RecordReader) RecordReader {
	if x == nil {
		return r
	}
	keys := pinnedKeys(tbl, preds)
	x.mu.Lock()
	defer x.mu.Unlock()
	tr := x.reads[tbl.ID]
	if tr == nil {
		tr = &tableReads{keys: map[string]struct{}{}, rows: map[int64]struct{}{}}
		x.reads[tbl.ID] = tr
	}
	if keys == nil {
		tr.whole = true
		return r
	}
	n := &keyReadNoter{RecordReader: r, x: x, rows: tr.rows, col: slices.Index(cols, tbl.PrimaryKey[0]), keys: map[string]struct{}{}}
	n.typ = []catalog.Type{tbl.Columns[tbl.PrimaryKey[0]].Type}
	for _, k := range keys {
		tr.keys[k] = struct{}{}
		n.keys[k] = struct{}{}
	}
	return n
}

// keyReadNoter notes the row ids a key lookup returns: those holding one
// of its keys, when it returns the key column (col), else all (a scan
// returns the rows its predicates could not rule out, and its caller
// filters them).
type keyReadNoter struct {
	RecordReader
	x    *sxact
	rows map[int64]struct{}
	col  int
	typ  []catalog.Type
	keys map[string]struct{}
	kb   keyBatch
}

func (n *keyReadNoter) Next() (arrow.Record, error) {
	rec, err := n.RecordReader.Next()
	if rec == nil {
		return rec, err
	}
	ids := rec.Column(int(rec.NumCols()) - 1).(*array.Int64).Int64Values()
	if n.col >= 0 {
		n.kb.encode(rec, []int{n.col}, n.typ)
	}
	n.x.mu.Lock()
	for i, id := range ids {
		if n.col >= 0 {
			if _, ok := n.keys[string(n.kb.key(i))]; n.kb.null[i] || !ok {
				continue
			}
		}
		n.rows[id] = struct{}{}
	}
	n.x.mu.Unlock()
	return rec, err
}

// CountInto passes the scan counts on to the reader it notes.
func (n *keyReadNoter) CountInto(c *ScanCounts) {
	if cs, ok := n.RecordReader.(CountingScan); ok {
		cs.CountInto(c)
	}
}

// SetMaxBatchRows passes the batch size on to the reader it notes.
func (n *keyReadNoter) SetMaxBatchRows(rows int) {
	if b, ok := n.RecordReader.(BatchSizer); ok {
		b.SetMaxBatchRows(rows)
	}
}

// pinnedKeys returns the encoded keys that preds pin tbl's single-column
// primary key to (an Eq or In on it), or nil when they do not.
func pinnedKeys(tbl *catalog.Table, preds []Predicate) []string {
	if len(tbl.PrimaryKey) != 1 {
		return nil
	}
	col := tbl.PrimaryKey[0]
	for _, p := range preds {
		if p.Column != col {
			continue
		}
		var vals []catalog.Datum
		switch p.Op {
		case Eq:
			vals = []catalog.Datum{p.Value}
		case In:
			vals = p.Values
		default:
			continue
		}
		if keys, ok := encodeDatums(tbl.Columns[col].Type, vals); ok {
			return keys
		}
	}
	return nil
}

// encodeDatums encodes values of type typ as keys (NULLs, which match
// nothing, left out); false if one is not of that type.
func encodeDatums(typ catalog.Type, vals []catalog.Datum) (keys []string, ok bool) {
	b := array.NewBuilder(memory.DefaultAllocator, typ.ArrowType())
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			continue
		}
		if err := catalog.AppendDatum(b, v); err != nil {
			return nil, false
		}
	}
	arr := b.NewArray()
	defer arr.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "k", Type: arr.DataType(), Nullable: true}}, nil), []arrow.Array{arr}, int64(arr.Len()))
	defer rec.Release()
	var kb keyBatch
	kb.encode(rec, []int{0}, []catalog.Type{typ})
	keys = make([]string, 0, arr.Len())
	for i := range arr.Len() {
		keys = append(keys, string(kb.key(i)))
	}
	return keys, true
}

// noteWrites records what commits (the transaction's changes by
// namespace) write.
func (x *sxact) noteWrites(commits map[string]*nsCommit) {
	for _, c := range commits {
		for _, tc := range c.tables {
			x.noteWrite(tc.table, tc.inserts, tc.deletes, len(tc.spilled) > 0)
		}
	}
}

// noteWrite records a write to tbl of the rows inserts (table columns
// first) replacing or deleting the committed rows ids; spilled says that
// more rows were inserted than inserts holds.
func (x *sxact) noteWrite(tbl *catalog.Table, inserts []arrow.Record, ids []int64, spilled bool) {
	if x.writes == nil {
		x.writes = map[int64]*tableWrites{}
	}
	w := x.writes[tbl.ID]
	if w == nil {
		w = &tableWrites{keys: map[string]struct{}{}, rows: map[int64]struct{}{}}
		x.writes[tbl.ID] = w
	}
	for _, id := range ids {
		w.rows[id] = struct{}{}
	}
	if len(tbl.PrimaryKey) != 1 || spilled {
		w.anyKey = w.anyKey || len(inserts) > 0 || spilled
		return
	}
	col := tbl.PrimaryKey[0]
	var kb keyBatch
	for _, rec := range inserts {
		kb.encode(rec, []int{col}, []catalog.Type{tbl.Columns[col].Type})
		for i := range int(rec.NumRows()) {
			w.keys[string(kb.key(i))] = struct{}{}
		}
	}
}

// serializableWrite records, for a serializable transaction, a write of
// the rows rec (nil for none) replacing or deleting the committed rows
// ids of tbl, and fails it with 40001 if its commit could not succeed
// any more: PostgreSQL reports such a conflict at the write.
func (t *Txn) serializableWrite(tbl *catalog.Table, rec arrow.Record, ids []int64) error {
	if t.sx == nil {
		return nil
	}
	var inserts []arrow.Record
	if rec != nil {
		inserts = []arrow.Record{rec}
	}
	var committed []int64
	tt := t.tables[tbl.ID]
	for _, id := range ids {
		if tt == nil || !tt.isFresh(id) {
			committed = append(committed, id)
		}
	}
	t.sx.noteWrite(tbl, inserts, committed, false)
	tr := &t.s.ssi
	tr.commit.Lock()
	defer tr.commit.Unlock()
	return tr.check(t.sx)
}

// readsWritten reports whether r read something w wrote.
func readsWritten(r map[int64]*tableReads, w map[int64]*tableWrites) bool {
	for id, tw := range w {
		tr := r[id]
		switch {
		case tr == nil:
		case tr.whole || tw.anyKey && len(tr.keys) > 0:
			return true
		case overlaps(tr.keys, tw.keys) || overlaps(tr.rows, tw.rows):
			return true
		}
	}
	return false
}

func overlaps[K comparable](a, b map[K]struct{}) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for k := range a {
		if _, ok := b[k]; ok {
			return true
		}
	}
	return false
}

// serializationFailure is PostgreSQL's error for a commit that would
// complete a dangerous structure.
func serializationFailure() error {
	e := pgerr.New(pgerr.TRSerializationFailure, "could not serialize access due to read/write dependencies among transactions")
	e.Detail = "Reason code: Canceled on identification as a pivot, during commit attempt."
	e.Hint = "The transaction might succeed if retried."
	return e
}

// commitSerializable checks that x, with the writes of commits, can
// commit, and if so commits it by publish.
func (tr *ssiTracker) commitSerializable(x *sxact, commits map[string]*nsCommit, publish func() error) error {
	tr.commit.Lock()
	defer tr.commit.Unlock()
	x.noteWrites(commits)
	if err := tr.check(x); err != nil {
		return err
	}
	if err := publish(); err != nil {
		return err
	}
	tr.mu.Lock()
	x.commit = tr.clock.Add(1)
	delete(tr.active, x)
	tr.done = append(tr.done, x)
	tr.collect()
	tr.mu.Unlock()
	return nil
}

// check adds the edges between x and the serializable transactions that
// overlap it, and fails if x's commit would complete a dangerous
// structure.
func (tr *ssiTracker) check(x *sxact) error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	start := x.start.Load()
	x.mu.Lock()
	reads := x.reads
	x.mu.Unlock()
	link := func(from, to *sxact) {
		if !slices.Contains(from.out, to) {
			from.out = append(from.out, to)
			to.in = append(to.in, from)
		}
	}
	for _, u := range tr.done {
		if start != 0 && u.commit < start {
			continue // x saw u's writes
		}
		if readsWritten(reads, u.writes) {
			link(x, u)
		}
		if readsWritten(u.reads, x.writes) {
			link(u, x)
		}
	}
	for u := range tr.active {
		if u == x || u.start.Load() == 0 {
			continue
		}
		u.mu.Lock()
		conflict := readsWritten(u.reads, x.writes)
		u.mu.Unlock()
		if conflict {
			link(u, x)
		}
	}
	// x as the pivot: an in-edge, and an out-edge to a transaction that
	// committed first (unless the in-edge's transaction committed before
	// that one).
	for _, b := range x.out {
		if b.commit == 0 {
			continue
		}
		for _, a := range x.in {
			if a == b || a.commit == 0 || a.commit > b.commit {
				return serializationFailure()
			}
		}
	}
	// x as the first of three: an out-edge to a committed pivot whose own
	// out-edge's transaction committed before it.
	for _, b := range x.out {
		if b.commit == 0 {
			continue
		}
		for _, c := range b.out {
			if c.commit != 0 && c.commit < b.commit {
				return serializationFailure()
			}
		}
	}
	return nil
}

// end forgets x, which did not commit.
func (tr *ssiTracker) end(x *sxact) {
	if x == nil || x.commit != 0 {
		return
	}
	tr.mu.Lock()
	delete(tr.active, x)
	tr.collect()
	tr.mu.Unlock()
}

// collect drops the committed transactions no active one overlaps.
func (tr *ssiTracker) collect() {
	oldest := uint64(0)
	for u := range tr.active {
		if s := u.start.Load(); s != 0 && (oldest == 0 || s < oldest) {
			oldest = s
		}
	}
	// An active transaction that has not started yet will see them all.
	tr.done = slices.DeleteFunc(tr.done, func(u *sxact) bool { return oldest == 0 || u.commit < oldest })
}
