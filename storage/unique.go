package storage

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// keyConstraint is a uniqueness rule over some columns of a table: its
// primary key, named <table>_pkey, or a unique index. A key with a NULL
// in any column never conflicts (NULLS DISTINCT); primary-key columns are
// never NULL.
type keyConstraint struct {
	name  string
	id    int64 // the table's id for its primary key, else the index's
	cols  []int
	names []string
	sig   string // cols encoded; key indexes are shared per column set
	types []catalog.Type
	// computed, for an index over expressions or with a predicate,
	// computes its keys from the table's columns (cols are then all of
	// them); nil for a plain one (index_keys.go).
	computed *IndexKeys
}

// constraintsOf returns the key constraints of tbl in st: the primary key
// first, then unique indexes in creation order. It is empty when st no
// longer holds this table. Computed indexes get their keys from s; with
// s nil they come without (for their names and sigs only).
func constraintsOf(s *Store, st *nsState, tbl *catalog.Table) ([]keyConstraint, error) {
	ts := st.byID[tbl.ID]
	if ts == nil {
		return nil, nil
	}
	// The definition in st, which ALTER TABLE may have changed since tbl
	// was read.
	tbl = ts.table
	var out []keyConstraint
	if len(tbl.PrimaryKey) > 0 {
		out = append(out, newKeyConstraint(tbl, tbl.PrimaryKeyConstraint(), tbl.ID, tbl.PrimaryKey))
	}
	var uniq []*catalog.Index
	for _, ix := range st.indexes {
		if ix.Unique && ix.Table == tbl.Name {
			uniq = append(uniq, ix)
		}
	}
	slices.SortFunc(uniq, func(a, b *catalog.Index) int { return int(a.ID - b.ID) })
	for _, ix := range uniq {
		if ix.Computed() {
			keys := &IndexKeys{}
			if s != nil {
				var err error
				if keys, err = s.indexKeys(st, tbl, ix); err != nil {
					return nil, err
				}
			}
			out = append(out, computedConstraint(tbl, ix, keys))
			continue
		}
		cols, err := indexColumns(tbl, ix)
		if err != nil {
			continue // rejected by CreateIndex; a stored one cannot name a missing column
		}
		out = append(out, newKeyConstraint(tbl, ix.Name, ix.ID, cols))
	}
	return out, nil
}

func newKeyConstraint(tbl *catalog.Table, name string, id int64, cols []int) keyConstraint {
	c := keyConstraint{name: name, id: id, cols: cols, names: make([]string, len(cols)), types: columnTypes(tbl, cols)}
	var sig []byte
	for i, col := range cols {
		c.names[i] = tbl.Columns[col].Name
		sig = binary.AppendUvarint(sig, uint64(col))
	}
	c.sig = string(sig)
	return c
}

// indexColumns resolves the column names of ix to positions in tbl.
func indexColumns(tbl *catalog.Table, ix *catalog.Index) ([]int, error) {
	if len(ix.Columns) == 0 {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "index %q has no columns", ix.Name)
	}
	cols := make([]int, len(ix.Columns))
	for i, name := range ix.Columns {
		if cols[i] = tbl.ColumnIndex(name); cols[i] < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column %q does not exist", name)
		}
	}
	return cols, nil
}

// keyText renders row i's key of c, the columns cols of rec, as
// (a, b)=(1, x): each value in its type's text form, as PostgreSQL prints
// the key (timestamptz in UTC, where PostgreSQL uses the session's
// TimeZone).
func keyText(c *keyConstraint, rec arrow.Record, cols []int, i int) string {
	vals := make([]string, len(cols))
	for j, col := range cols {
		arr := rec.Column(col)
		vals[j] = "null"
		if arr.IsValid(i) {
			vals[j] = arr.ValueStr(i)
			if enc, err := catalog.NewColumnEncoder(c.types[j], catalog.FormatText, nil); err == nil {
				enc.Bind(arr)
				vals[j] = string(enc.Append(nil, i))
			}
		}
	}
	return "(" + strings.Join(c.names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}

// uniqueViolation reports that row i of rec (table columns) duplicates a
// key of constraint c.
func uniqueViolation(c *keyConstraint, k keyed, i int) error {
	e := pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint %q", c.name)
	e.Detail = "Key " + keyText(c, k.rec, k.cols, i) + " already exists."
	return e
}

// duplicatedKey reports that a unique index cannot be created because
// key (rendered by keyText) is held by several rows.
func duplicatedKey(name, key string) error {
	e := pgerr.New(pgerr.UniqueViolation, "could not create unique index %q", name)
	e.Detail = "Key " + key + " is duplicated."
	return e
}

// keyIndex maps encoded keys over some columns of a table to the live
// rows holding them; rows with a NULL in a key column are left out. A key
// is normally held by one row; more holds the others while no unique
// constraint covers the columns yet (a unique index being created over
// duplicates).
//
// A committed key index of a plain constraint holds only the rows of the
// table's unflushed tail (key_probe.go finds the others in the
// segments); one of a computed constraint holds every row (whole).
type keyIndex struct {
	cols     []int
	types    []catalog.Type // of cols
	computed *IndexKeys     // as keyConstraint.computed
	whole    bool
	keys     map[string]int64
	more     map[string][]int64
	byID     map[int64]string

	// For a transaction's own rows: how many of its pending insert and
	// delete batches the index reflects, and, past ownKeyRunKeys keys,
	// the keys frozen into runs in files under spillDir
	// (own_key_runs.go).
	seenInserts, seenDeletes int
	spills                   bool
	spillDir                 string
	frozen                   *keyRuns
}

func newKeyIndex(c *keyConstraint) *keyIndex {
	return &keyIndex{cols: c.cols, types: c.types, computed: c.computed, whole: c.computed != nil, keys: map[string]int64{}, byID: map[int64]string{}}
}

// emptied is an empty index over the same keys as x.
func (x *keyIndex) emptied() *keyIndex {
	return &keyIndex{cols: x.cols, types: x.types, computed: x.computed, whole: x.whole, keys: map[string]int64{}, byID: map[int64]string{}}
}

// replay applies the inserts and deletes (a tail or a transaction's
// pending changes, each in seq order) that x has not seen yet, in seq
// order, a deletion before an insert of the same seq (it deletes the
// versions written before). ncol is the table's column count, after
// which the records hold their row ids.
func (x *keyIndex) replay(ins []tailInsert, del []tailDelete, ncol int) error {
	var kb keyBatch
	for x.seenInserts < len(ins) || x.seenDeletes < len(del) {
		if x.seenDeletes < len(del) && (x.seenInserts == len(ins) || del[x.seenDeletes].seq <= ins[x.seenInserts].seq) {
			for _, id := range del[x.seenDeletes].ids {
				x.remove(id)
			}
			x.seenDeletes++
			continue
		}
		rec, err := ins[x.seenInserts].load() // a spilled pending batch is read back
		if err != nil {
			return err
		}
		err = x.addRecord(&kb, rec, x.cols, rec.Column(ncol).(*array.Int64).Int64Values())
		rec.Release()
		if err != nil {
			return err
		}
		x.seenInserts++
	}
	return nil
}

func (x *keyIndex) add(k string, id int64) {
	x.byID[id] = k
	if _, held := x.keys[k]; !held {
		x.keys[k] = id
		return
	}
	if x.more == nil {
		x.more = map[string][]int64{}
	}
	x.more[k] = append(x.more[k], id)
}

func (x *keyIndex) remove(id int64) {
	k, ok := x.byID[id]
	if !ok {
		if x.frozen != nil {
			x.frozen.tomb[id] = len(x.frozen.runs)
		}
		return
	}
	delete(x.byID, id)
	others := x.more[k]
	if x.keys[k] == id {
		if len(others) == 0 {
			delete(x.keys, k)
			return
		}
		x.keys[k] = others[len(others)-1]
		others = others[:len(others)-1]
	} else if j := slices.Index(others, id); j >= 0 {
		others = slices.Delete(others, j, j+1)
	}
	if len(others) == 0 {
		delete(x.more, k)
	} else {
		x.more[k] = others
	}
}

// holder returns a row holding key k that free does not release.
func (x *keyIndex) holder(k []byte, free func(int64) bool) (int64, bool) {
	r, ok := x.keys[string(k)]
	if !ok {
		return 0, false
	}
	if !free(r) {
		return r, true
	}
	for _, r := range x.more[string(k)] {
		if !free(r) {
			return r, true
		}
	}
	return 0, false
}

// addRecord adds the rows of rec, whose row ids are ids, encoding the
// columns cols of rec (the index's columns, in its order), or for a
// computed index the keys it computes from rec (the table's columns).
func (x *keyIndex) addRecord(kb *keyBatch, rec arrow.Record, cols []int, ids []int64) error {
	k, err := encodeKeys(kb, x.computed, rec, cols, x.types)
	if err != nil {
		return err
	}
	k.release()
	for i, id := range ids {
		if !kb.null[i] {
			x.add(string(kb.key(i)), id)
		}
	}
	if x.spills && len(x.byID) >= ownKeyRunKeys {
		return x.freeze(x.spillDir)
	}
	return nil
}

// lookup is holder for an index that may have frozen keys.
func (x *keyIndex) lookup(k []byte, free func(int64) bool) (int64, bool, error) {
	if r, ok := x.holder(k, free); ok || x.frozen == nil {
		return r, ok, nil
	}
	return x.frozen.holder(k, free)
}

// close releases the files of x's frozen keys.
func (x *keyIndex) close() { x.frozen.close() }

// ensureKeyIndex returns the key index of the columns of c in table id,
// building it from the table's data in st if needed; nil if st has no
// such table. It runs on the writer goroutine.
func (ns *namespace) ensureKeyIndex(st *nsState, id int64, c *keyConstraint) (*keyIndex, error) {
	ns.keyMu.RLock()
	idx := ns.keys[id][c.sig]
	ns.keyMu.RUnlock()
	if idx != nil {
		return idx, nil
	}
	ts := st.byID[id]
	if ts == nil {
		return nil, nil
	}
	idx = newKeyIndex(c)
	if !idx.whole {
		if err := idx.replay(ts.inserts, ts.deletes, len(ts.table.Columns)); err != nil {
			return nil, err
		}
		ns.setKeyIndex(id, c.sig, idx)
		return idx, nil
	}
	r, err := newScan(ns.store, ts, nil, c.cols, nil)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	pos := positions(len(c.cols))
	var kb keyBatch
	for {
		rec, err := r.Next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		if err := idx.addRecord(&kb, rec, pos, rec.Column(len(pos)).(*array.Int64).Int64Values()); err != nil {
			return nil, err
		}
	}
	ns.setKeyIndex(id, c.sig, idx)
	return idx, nil
}

func (ns *namespace) setKeyIndex(id int64, sig string, idx *keyIndex) {
	ns.keyMu.Lock()
	if ns.keys[id] == nil {
		ns.keys[id] = map[string]*keyIndex{}
	}
	ns.keys[id][sig] = idx
	ns.keyMu.Unlock()
}

// flushedTail publishes nst, in which table id's tail was flushed, and
// empties the table's tail key indexes, at once for key lookups
// (key_probe.go): the rows leave the indexes as they enter the segments.
// Only the writer calls it, with no commit in flight.
func (ns *namespace) flushedTail(nst *nsState, id int64) {
	ns.keyMu.Lock()
	defer ns.keyMu.Unlock()
	ns.state.Store(nst)
	for sig, idx := range ns.keys[id] {
		if !idx.whole {
			ns.keys[id][sig] = idx.emptied()
		}
	}
}

// committedKeyIndex returns the key index of the columns of c in
// committed table id, building it through the writer on first use; nil if
// the table is not committed.
func (ns *namespace) committedKeyIndex(id int64, c *keyConstraint) (*keyIndex, error) {
	ns.keyMu.RLock()
	idx := ns.keys[id][c.sig]
	ns.keyMu.RUnlock()
	if idx != nil {
		return idx, nil
	}
	err := ns.doBesideFlushes(func() error {
		var err error
		idx, err = ns.ensureKeyIndex(ns.state.Load(), id, c)
		return err
	})
	return idx, err
}

// checkCommitKeys verifies, against state st, that the rows tc inserts
// keep every key constraint of its table in nst: no key duplicates a
// committed row's key (other than rows tc deletes) or another inserted
// row's, and a unique index new in nst has no duplicates among the
// committed rows that stay (writer goroutine).
func (ns *namespace) checkCommitKeys(st, nst *nsState, tc *tableCommit) error {
	id := tc.table.ID
	cons, err := constraintsOf(ns.store, nst, tc.table)
	if err != nil || len(cons) == 0 {
		return err
	}
	deleted := func(r int64) bool {
		_, ok := slices.BinarySearch(tc.deletes, r)
		return ok
	}
	ts := st.byID[id]
	var old map[int64]bool
	var kb keyBatch
	for ci := range cons {
		c := &cons[ci]
		if ts != nil && c.id != id {
			if old == nil {
				old = map[int64]bool{}
				olds, _ := constraintsOf(nil, st, tc.table)
				for _, k := range olds {
					old[k.id] = true
				}
			}
			if !old[c.id] {
				if err := ns.checkNewIndex(ts, c, deleted); err != nil {
					return err
				}
			}
		}
		if len(tc.inserts) == 0 || !tc.changes.touch(c) {
			continue
		}
		if err := ns.checkInserts(&kb, st, id, c, tc.inserts, deleted); err != nil {
			return err
		}
	}
	return nil
}

// checkInserts verifies that the rows of recs (table columns) hold
// distinct keys of c, none held in state st of table id by a row that
// free does not release.
func (ns *namespace) checkInserts(kb *keyBatch, st *nsState, id int64, c *keyConstraint, recs []arrow.Record, free func(int64) bool) error {
	seen := map[string]struct{}{}
	for _, rec := range recs {
		keys, err := c.encodeKeys(kb, rec)
		if err != nil {
			return err
		}
		n := int(rec.NumRows())
		var held []int64
		if st.byID[id] != nil {
			if held, err = ns.committedHolders(id, c, kb, keys, n, free, st); err != nil {
				keys.release()
				return err
			}
		}
		if i := firstTakenKey(kb, n, seen, func(i int, _ []byte) bool { return held != nil && held[i] >= 0 }); i >= 0 {
			err = uniqueViolation(c, keys, i)
		}
		keys.release()
		if err != nil {
			return err
		}
	}
	return nil
}

// firstTakenKey returns the first of the n rows whose keys kb encoded
// (a NULL key never conflicts) that shares its key with a row before it
// (seen, which gains each key) or that taken reports held; -1 if none.
func firstTakenKey(kb *keyBatch, n int, seen map[string]struct{}, taken func(i int, k []byte) bool) int {
	for i := 0; i < n; i++ {
		if kb.null[i] {
			continue
		}
		k := kb.key(i)
		if _, dup := seen[string(k)]; dup {
			return i
		}
		if taken != nil && taken(i, k) {
			return i
		}
		seen[string(k)] = struct{}{}
	}
	return -1
}

// checkNewIndex fails if two committed rows of ts that deleted does not
// release share a key of c, which a unique index created by the commit
// would forbid. It reads the whole table once (twice to name a duplicated
// key held beyond memory).
func (ns *namespace) checkNewIndex(ts *tableState, c *keyConstraint, deleted func(int64) bool) error {
	return noDuplicateKeys(func() (*scanReader, error) { return newScan(ns.store, ts, nil, c.cols, nil) }, c, deleted, ns.store.opts.TempDir)
}

// noDuplicateKeys fails if two rows a scan from open returns (c's
// columns, then the row id), but those deleted releases (nil: none),
// share a key of c. Keys beyond memory go to files in tempDir
// (unique_spill.go).
func noDuplicateKeys(open func() (*scanReader, error), c *keyConstraint, deleted func(int64) bool, tempDir string) error {
	set := newDupSet(tempDir)
	defer set.close()
	text, err := firstKeyText(open, c, deleted, set.add)
	if err != nil || text != "" {
		if text != "" {
			err = duplicatedKey(c.name, text)
		}
		return err
	}
	dup, err := set.finish()
	if err != nil || dup == nil {
		return err
	}
	// Known by its bytes only: read the table again to name it.
	text, err = firstKeyText(open, c, deleted, func(k []byte) (bool, error) { return bytes.Equal(k, dup), nil })
	if err != nil {
		return err
	}
	return duplicatedKey(c.name, text)
}

// firstKeyText reads the rows a scan from open returns, but those
// deleted releases, encoding their keys of c a batch at a time, and
// returns the key (as keyText renders it) of the first row whose
// non-NULL key match accepts; "" when none does.
func firstKeyText(open func() (*scanReader, error), c *keyConstraint, deleted func(int64) bool, match func(k []byte) (bool, error)) (string, error) {
	r, err := open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	pos := positions(len(c.cols))
	var kb keyBatch
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return "", err
		}
		live := rec
		if ids := rec.Column(len(pos)).(*array.Int64).Int64Values(); deleted != nil && slices.ContainsFunc(ids, deleted) {
			keep := make([]int32, 0, len(ids))
			for i, id := range ids {
				if !deleted(id) {
					keep = append(keep, int32(i))
				}
			}
			live = takeRecord(rec, keep)
		}
		text, err := firstMatchIn(&kb, c, live, pos, match)
		if live != rec {
			live.Release()
		}
		if err != nil || text != "" {
			return text, err
		}
	}
}

// firstMatchIn is firstKeyText over one batch, rec.
func firstMatchIn(kb *keyBatch, c *keyConstraint, rec arrow.Record, pos []int, match func(k []byte) (bool, error)) (string, error) {
	keys, err := encodeKeys(kb, c.computed, rec, pos, c.types)
	if err != nil {
		return "", err
	}
	defer keys.release()
	for i := range int(rec.NumRows()) {
		if kb.null[i] {
			continue
		}
		if ok, err := match(kb.key(i)); err != nil || ok {
			if ok {
				return keyText(c, keys.rec, keys.cols, i), nil
			}
			return "", err
		}
	}
	return "", nil
}

// positions are the column positions 0 to n-1.
func positions(n int) []int {
	pos := make([]int, n)
	for i := range pos {
		pos[i] = i
	}
	return pos
}

// rowKeyText renders the key of c of committed row id in ts.
func (ns *namespace) rowKeyText(ts *tableState, c *keyConstraint, id int64) (string, error) {
	r, err := newScan(ns.store, ts, nil, c.cols, nil)
	if err != nil {
		return "", err
	}
	defer r.Close()
	pos := positions(len(c.cols))
	for {
		rec, err := r.Next()
		if err != nil {
			return "", err
		}
		if rec == nil {
			return "", pgerr.New(pgerr.InternalError, "row %d of %q not found", id, ts.table.Name)
		}
		if i := slices.Index(rec.Column(len(pos)).(*array.Int64).Int64Values(), id); i >= 0 {
			var kb keyBatch
			keys, err := encodeKeys(&kb, c.computed, rec, pos, c.types)
			if err != nil {
				return "", err
			}
			defer keys.release()
			return keyText(c, keys.rec, keys.cols, i), nil
		}
	}
}

// maintainKeys applies a commit's change to every key index of table id.
func (ns *namespace) maintainKeys(id int64, tc *tableCommit) {
	ns.keyMu.Lock()
	defer ns.keyMu.Unlock()
	idxs := ns.keys[id]
	ncol := len(tc.table.Columns)
	var kb keyBatch
	for sig, idx := range idxs {
		for _, r := range tc.deletes {
			idx.remove(r)
		}
		for _, rec := range tc.inserts {
			if err := idx.addRecord(&kb, rec, idx.cols, rec.Column(ncol).(*array.Int64).Int64Values()); err != nil {
				// The rows' keys were computed when they were checked;
				// an index that cannot follow is built again when next
				// needed.
				delete(idxs, sig)
				break
			}
		}
	}
}

// pruneKeyIndexes drops the key indexes that no constraint in st uses
// any more (after a DROP INDEX); they are rebuilt if needed again.
func (ns *namespace) pruneKeyIndexes(st *nsState) {
	ns.keyMu.Lock()
	defer ns.keyMu.Unlock()
	for id, idxs := range ns.keys {
		ts := st.byID[id]
		if ts == nil {
			delete(ns.keys, id)
			continue
		}
		used := map[string]bool{}
		cons, _ := constraintsOf(nil, st, ts.table)
		for _, c := range cons {
			used[c.sig] = true
		}
		for sig := range idxs {
			if !used[sig] {
				delete(idxs, sig)
			}
		}
	}
}
