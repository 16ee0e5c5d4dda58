package storage

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/pqdb/pqdb/catalog"
)

// Spilling a transaction's pending rows.
//
// A transaction's inserted batches (txnTable.pending.inserts) stay in
// memory until they add up to Options.SpillBytes of Arrow data; beyond
// that, Txn.addRows moves the batches in memory to the transaction's
// spill file, one Arrow IPC stream per batch, and keeps only where each
// lies (a spilledBatch) in its tailInsert. Readers of the transaction's
// own rows (scans of its snapshots, netChange at commit, the key checks)
// load a spilled batch back when they reach it, one at a time.
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

// write appends rec to the file.
func (sf *spillFile) write(rec arrow.Record) (*spilledBatch, error) {
	data, err := encodeRecord(rec)
	if err != nil {
		return nil, err
	}
	if _, err := sf.f.WriteAt(data, sf.size); err != nil {
		return nil, err
	}
	b := &spilledBatch{file: sf, off: sf.size, size: int64(len(data)), rows: rec.NumRows()}
	sf.size += int64(len(data))
	return b, nil
}

func (sf *spillFile) close() { sf.f.Close() }

// read loads the batch back; the caller releases the record. The IPC
// reader copies the batch's buffers straight from the file.
func (b *spilledBatch) read() (arrow.Record, error) {
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
func (t *Txn) spillBytes() int64 {
	switch n := t.s.opts.SpillBytes; {
	case n == 0:
		return defaultSpillBytes
	case n < 0:
		return -1
	default:
		return n
	}
}

// noteInserted counts rec's bytes as pending in memory and spills the
// transaction's in-memory batches once they exceed the limit.
func (t *Txn) noteInserted(rec arrow.Record) error {
	t.inMemory += recordBytes(rec)
	if limit := t.spillBytes(); limit < 0 || t.inMemory <= limit {
		return nil
	}
	return t.spillPending()
}

// spillPending moves the in-memory batches of every table to the spill
// file. The key indexes of the transaction's own rows read batches from
// memory (txnTable.ownKeys), so it first brings them up to date.
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
		sets, err := t.ownKeySets(tt, nil)
		if err != nil {
			kept += tt.inMemoryBytes()
			continue // not spilled until its key column sets are known
		}
		if err := tt.catchUpOwnKeys(sets); err != nil {
			return err
		}
		upto := tt.spillableInserts(sets)
		var out []tailInsert
		for i, ins := range tt.pending.inserts {
			if ins.spilled != nil {
				continue
			}
			if i >= upto {
				kept += recordBytes(ins.rec)
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

// spillableInserts is how many leading pending batches of tt may be in
// the spill file: all, unless a key index of its own rows that may be
// asked for still has to replay some from memory.
func (tt *txnTable) spillableInserts(sets []keyConstraint) int {
	n := len(tt.pending.inserts)
	for i := range sets {
		idx := tt.own[sets[i].sig]
		if idx == nil {
			return 0
		}
		n = min(n, idx.seenInserts)
	}
	return n
}

// ownKeySets are the column sets over which key indexes of tt's own rows
// may be built (txnTable.ownKeys): those of the table's key constraints
// now, and those foreign keys reference (MissingKeys), listed once per
// statement from the transaction's view spaces (nil: the view now, when
// not listed yet in this statement). A foreign key added in the middle of
// a statement is missed: see catchUpOwnKeys.
func (t *Txn) ownKeySets(tt *txnTable, spaces map[string]*nsState) ([]keyConstraint, error) {
	cons, err := t.constraints(tt)
	if err != nil {
		return nil, err
	}
	if spaces != nil || !tt.fkSetsKnown {
		if spaces == nil {
			spaces = t.snapshot(false).spaces
		}
		tt.fkSets, tt.fkSetsKnown = referencedKeySets(tt.table, spaces), true
	}
	sets := slices.Clone(cons)
	for _, c := range tt.fkSets {
		if !slices.ContainsFunc(sets, func(k keyConstraint) bool { return k.sig == c.sig }) {
			sets = append(sets, c)
		}
	}
	return sets, nil
}

// referencedKeySets are the column sets of tbl that foreign keys of the
// tables in spaces reference.
func referencedKeySets(tbl *catalog.Table, spaces map[string]*nsState) []keyConstraint {
	var sets []keyConstraint
	for _, st := range spaces {
		for _, ts := range st.tables {
			for _, fk := range ts.table.ForeignKeys {
				if !fk.References(tbl.Schema, tbl.Name) {
					continue
				}
				cols := make([]int, 0, len(fk.RefColumns))
				for _, name := range fk.RefColumns {
					if i := slices.IndexFunc(tbl.Columns, func(c catalog.Column) bool { return c.Name == name }); i >= 0 {
						cols = append(cols, i)
					}
				}
				if len(cols) == len(fk.RefColumns) {
					sets = append(sets, newKeyConstraint(tbl, "", tbl.ID, cols))
				}
			}
		}
	}
	return sets
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

// withSpilledLoaded runs fn, which may replay tt's pending batches from
// first on from memory (txnTable.ownKeys), with those of them that were
// spilled loaded back for the call. It is the rare path: the key indexes
// of the transaction's own rows replay spilled batches only when they are
// rebuilt (after RollbackTo, for a constraint added in the transaction).
func (tt *txnTable) withSpilledLoaded(first int, fn func() error) error {
	ins := tt.pending.inserts
	if !slices.ContainsFunc(ins[min(first, len(ins)):], func(i tailInsert) bool { return i.spilled != nil }) {
		return fn()
	}
	loaded := slices.Clone(ins)
	defer func() {
		for i := first; i < len(loaded); i++ {
			if ins[i].spilled != nil && loaded[i].rec != nil {
				loaded[i].rec.Release()
			}
		}
	}()
	for i := first; i < len(loaded); i++ {
		if ins[i].spilled == nil {
			continue
		}
		rec, err := ins[i].spilled.read()
		if err != nil {
			return err
		}
		loaded[i] = tailInsert{seq: ins[i].seq, rec: rec}
	}
	tt.pending.inserts = loaded
	defer func() { tt.pending.inserts = ins }()
	return fn()
}

// catchUpOwnKeys brings the key indexes of tt's own rows (txnTable.own)
// over the column sets cons up to date, loading the spilled batches they
// have to replay. Those indexes read batches from memory (keyIndex.replay
// reads tailInsert.rec), so every path that may replay a spilled batch
// (an index dropped by RollbackTo, a constraint added since) must pass
// here first: spilling does, Insert and Update do, and every statement's
// Snapshot does for the other readers of the indexes (MissingKeys, ON
// CONFLICT). The one path left is an index MissingKeys builds for a
// foreign key created in the same statement (ALTER TABLE ... ADD FOREIGN
// KEY checking the existing rows) on a table with spilled rows: it would
// meet a spilled batch. keyIndex.replay reading batches with
// tailInsert.load would close it, and make all of this unnecessary.
func (tt *txnTable) catchUpOwnKeys(cons []keyConstraint) error {
	if len(cons) == 0 {
		return nil
	}
	first := len(tt.pending.inserts)
	for i := range cons {
		idx := tt.own[cons[i].sig]
		if idx == nil {
			first = 0
			break
		}
		first = min(first, idx.seenInserts)
	}
	return tt.withSpilledLoaded(first, func() error {
		for i := range cons {
			if _, err := tt.ownKeys(&cons[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// catchUpSpilledKeys lists anew, at the start of a statement, the key
// column sets of every table of the transaction (the catalog may have
// changed), and brings their indexes up to date where rows were spilled.
// An error (the spill file could not be read) is reported by the
// statement's next Insert or Update, which tries again.
func (t *Txn) catchUpSpilledKeys(spaces map[string]*nsState) {
	for _, tt := range t.tables {
		tt.fkSets, tt.fkSetsKnown = nil, false
		if !tt.spilled {
			continue
		}
		if sets, err := t.ownKeySets(tt, spaces); err == nil {
			_ = tt.catchUpOwnKeys(sets)
		}
	}
}

// catchUpBeforeWrite is catchUpOwnKeys before an Insert or Update of tt
// checks its keys: a unique index created since is one more set.
func (t *Txn) catchUpBeforeWrite(tt *txnTable) error {
	if !tt.spilled {
		return nil
	}
	sets, err := t.ownKeySets(tt, nil)
	if err != nil {
		return err
	}
	return tt.catchUpOwnKeys(sets)
}

// releaseAll releases every record of recs.
func releaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}
