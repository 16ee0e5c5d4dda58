package storage

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// pendingSeqBase orders a transaction's own changes after every commit:
// its k-th change gets the pending seq pendingSeqBase+k.
const pendingSeqBase = uint64(1) << 62

// Txn is a transaction. It is used by one session goroutine at a time.
// Its changes stay in memory until Commit hands them, namespace by
// namespace, to the namespace writers.
type Txn struct {
	s *Store

	mu        sync.Mutex // guards firstBase, which writers read
	firstBase nsSeqs     // first snapshot seq seen per namespace
	// active: t is in the store's active transactions (Store.active),
	// which it joins before its first base is noted. Only t's goroutine
	// reads and sets it.
	active bool

	bases nsSeqs // snapshot seq of the current statement, per namespace
	// basesInline back bases and firstBase while there are few.
	basesInline [4]nsSeq
	newSchemas  []string
	newRowID    map[string]int64 // next row id in schemas created here
	ddl         map[string][]*ddlOp
	tables      map[int64]*txnTable
	roleOps     []roleOp
	seqVals     map[int64]*seqPos // positions of sequences created here, by id (never rolled back)
	seqCache    *seqView          // see sequenceView
	pseudo      uint64
	done        bool
	// repeatable makes every statement read held, the committed state
	// the first one read (REPEATABLE READ; see txn_isolation.go).
	repeatable bool
	held       *Snapshot

	marks    []uint64 // ids of the savepoints RollbackTo may still return to, ascending
	lastMark uint64   // id of the latest savepoint; 0 while none was taken

	id atomic.Int64 // the transaction id, assigned on first use (ID)

	sx *sxact // set for a SERIALIZABLE transaction (serializable.go)

	locked []rowLockKey // the row locks t holds one by one (row_locks.go; many of one table move to bulk holds: row_lock_bulk.go)
	// ended is closed when t has ended and released them. Only a
	// transaction that locks rows is waited for, so startRun makes it,
	// under the lock table's mutex, before t holds its first lock.
	ended chan struct{}

	// spill holds pending inserted batches moved out of memory once
	// inMemory, the bytes of those still in memory, exceeded
	// Options.SpillBytes (pending_spill.go).
	spill    *spillFile
	inMemory int64
	// preferBulk: tables it inserts many rows into commit as bulk
	// commits (PreferBulk, bulk_commit.go).
	preferBulk bool
}

// txnTable is a transaction's changes to one table.
type txnTable struct {
	schema string
	table  *catalog.Table
	// records is the schema of its pending records (recordSchema).
	records *arrow.Schema
	pending pendingTable
	fresh   []idRange  // row ids allocated by this transaction
	deleted txnDeletes // committed row ids deleted, with the base seq of each deletion
	created bool       // the table was created by this transaction
	spilled bool       // some pending inserts were spilled (pending_spill.go)

	// deletedLog lists the ids added to deleted since the transaction's
	// first savepoint, in order, so RollbackTo can take them out again.
	deletedLog []int64

	own      map[string]*keyIndex // keys of this transaction's live rows, per column set (see ownKeys)
	spillDir string               // where own keys beyond memory go (Options.TempDir)
	changes  keyChanges           // which columns its new row versions may have changed
	cons     txnConstraints
}

type idRange struct{ first, end int64 }

func (tt *txnTable) isFresh(id int64) bool {
	i := sort.Search(len(tt.fresh), func(i int) bool { return tt.fresh[i].end > id })
	return i < len(tt.fresh) && tt.fresh[i].first <= id
}

func (t *Txn) nextPending() uint64 {
	t.pseudo++
	return pendingSeqBase + t.pseudo
}

// activeLocked adds t to the store's active transactions, if it is not
// there yet; txnMu is held.
func (t *Txn) activeLocked() {
	if !t.active {
		t.active = true
		t.s.active[t] = struct{}{}
	}
}

// noteBase notes seq as the base of namespace ns; t is active.
func (t *Txn) noteBase(ns string, seq uint64) {
	t.bases.set(ns, seq)
	if _, ok := t.firstBase.get(ns); ok {
		return // only this goroutine adds to firstBase
	}
	t.mu.Lock()
	t.firstBase.set(ns, seq)
	t.mu.Unlock()
}

// base is the snapshot seq that the current statement read namespace ns at.
func (t *Txn) base(ns string) uint64 {
	if b, ok := t.bases.get(ns); ok {
		return b
	}
	var seq uint64
	if n := t.s.namespace(ns); n != nil {
		seq = n.state.Load().seq
	}
	if !t.active {
		t.s.txnMu.Lock()
		t.activeLocked()
		t.s.txnMu.Unlock()
	}
	t.noteBase(ns, seq)
	return seq
}

var errTxnDone = pgerr.New(pgerr.InternalError, "transaction is already finished")

// Snapshot returns the committed state now (or, for a repeatable-read
// transaction, at its first statement), overlaid with this transaction's
// own uncommitted catalog changes and rows. Call it once, at the start of
// each statement: the seq it reads becomes the statement's base, against
// which the rows the statement deletes or updates are checked for
// concurrent changes at commit.
func (t *Txn) Snapshot() *Snapshot { return t.snapshot(true) }

// View is Snapshot for reads inside a statement (constraint checks, the
// catalog a DDL step consults, a statement being described): it leaves
// the statement's base alone. Moving the base past the snapshot the
// statement's writes were computed from would hide a concurrent change to
// the rows it writes, and lose that change.
func (t *Txn) View() *Snapshot { return t.snapshot(false) }

func (t *Txn) snapshot(statementStart bool) *Snapshot {
	var snap *Snapshot
	if statementStart {
		// Reading the state and noting its seqs as bases under txnMu,
		// which pruneDeletes' oldestBase reads the bases under, keeps a
		// flush in between from forgetting a deletion newer than the
		// state read: the statement's row locks check against it.
		t.s.txnMu.Lock()
		t.activeLocked()
		snap = t.committedState()
		for name, st := range snap.spaces {
			t.noteBase(name, st.seq)
		}
		t.s.txnMu.Unlock()
	} else {
		snap = t.committedState()
	}
	snap.roles = t.roleView()
	snap.sx = t.sx
	for _, name := range t.newSchemas {
		snap.ownSpaces()
		snap.spaces[name] = newNSState(name, "")
	}
	for name, ops := range t.ddl {
		if len(ops) == 0 {
			continue
		}
		snap.ownSpaces()
		st := snap.spaces[name]
		if st != nil {
			st = st.clone()
		}
		if st = foldSchemaOps(st, name, ops); st != nil {
			snap.spaces[name] = st
		} else {
			delete(snap.spaces, name)
		}
	}
	for id, tt := range t.tables {
		if len(tt.pending.inserts) == 0 && len(tt.pending.deletes) == 0 {
			continue
		}
		if snap.pending == nil {
			snap.pending = map[int64]*pendingTable{}
		}
		snap.pending[id] = &pendingTable{
			inserts: slices.Clip(tt.pending.inserts),
			deletes: slices.Clip(tt.pending.deletes),
		}
	}
	return snap
}

// overlay is the state of namespace ns as this transaction sees it.
func (t *Txn) overlay(ns string) *nsState {
	var st *nsState
	if n := t.s.namespace(ns); n != nil {
		st = n.state.Load().clone()
	} else if slices.Contains(t.newSchemas, ns) {
		st = newNSState(ns, "")
	}
	return foldSchemaOps(st, ns, t.ddl[ns])
}

// record validates op against the transaction's view and appends it.
func (t *Txn) record(ns string, op *ddlOp) error {
	if t.done {
		return errTxnDone
	}
	st := t.overlay(ns)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", ns)
	}
	if err := st.apply(op); err != nil {
		return err
	}
	t.ddlMap()[ns] = append(t.ddl[ns], op)
	return nil
}

// CreateSchema creates a schema (a namespace) at commit.
func (t *Txn) CreateSchema(name string) error {
	if t.done {
		return errTxnDone
	}
	if t.overlay(name) != nil {
		return pgerr.New(pgerr.DuplicateSchema, "schema %q already exists", name)
	}
	if t.s.namespace(name) == nil && !slices.Contains(t.newSchemas, name) {
		t.newSchemas = append(t.newSchemas, name)
		return nil
	}
	// The transaction dropped a schema of this name: the new one starts
	// empty after the drop in the same list of operations.
	t.ddlMap()[name] = append(t.ddl[name], &ddlOp{kind: ddlCreateSchema, name: name})
	return nil
}

// CreateTable creates tbl and assigns tbl.ID. The table must not be
// modified afterwards.
func (t *Txn) CreateTable(tbl *catalog.Table) error {
	seen := map[string]bool{}
	for _, c := range tbl.Columns {
		if seen[c.Name] {
			return pgerr.New(pgerr.DuplicateColumn, "column %q specified more than once", c.Name)
		}
		seen[c.Name] = true
		if c.Name == rowIDColumn {
			return pgerr.New(pgerr.ReservedName, "column name %q conflicts with a system column name", c.Name)
		}
	}
	for _, k := range tbl.PrimaryKey {
		if k < 0 || k >= len(tbl.Columns) {
			return pgerr.New(pgerr.InvalidTableDefinition, "primary key column %d out of range", k)
		}
	}
	tbl.ID = t.s.allocObjectID()
	if err := t.record(tbl.Schema, &ddlOp{kind: ddlCreateTable, table: tbl}); err != nil {
		return err
	}
	t.tableMap()[tbl.ID] = &txnTable{schema: tbl.Schema, table: tbl, created: true}
	return nil
}

// DropTable drops a table and its indexes.
func (t *Txn) DropTable(schema, name string) error {
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	ts := st.tables[name]
	if ts == nil {
		return pgerr.New(pgerr.UndefinedTable, "table %q does not exist", name)
	}
	if err := t.record(schema, &ddlOp{kind: ddlDropTable, name: name, id: ts.table.ID}); err != nil {
		return err
	}
	if tt := t.tables[ts.table.ID]; tt != nil {
		// A savepoint may bring the table back with its rows; RollbackTo
		// then restores this change set, so its records must stay intact.
		if t.lastMark == 0 {
			tt.release()
		}
		delete(t.tables, ts.table.ID)
	}
	return nil
}

// CreateView creates a view and assigns v.ID.
func (t *Txn) CreateView(v *catalog.View) error {
	v.ID = t.s.allocObjectID()
	return t.record(v.Schema, &ddlOp{kind: ddlCreateView, view: v})
}

// DropView drops a view.
func (t *Txn) DropView(schema, name string) error {
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	v := st.views[name]
	if v == nil {
		return pgerr.New(pgerr.UndefinedTable, "view %q does not exist", name)
	}
	return t.record(schema, &ddlOp{kind: ddlDropView, name: name, id: v.ID})
}

// CreateIndex records an index definition and assigns ix.ID. A unique
// index is enforced from then on; creating it fails with 23505 if the
// rows this transaction sees already hold a duplicate key.
func (t *Txn) CreateIndex(ix *catalog.Index) error {
	ix.ID = t.s.allocObjectID()
	if err := t.record(ix.Schema, &ddlOp{kind: ddlCreateIndex, index: ix}); err != nil {
		return err
	}
	err := t.checkIndexColumns(ix)
	if err == nil && ix.Unique {
		err = t.checkNoDuplicates(ix)
	}
	if err != nil {
		ops := t.ddl[ix.Schema]
		t.ddlMap()[ix.Schema] = ops[:len(ops)-1]
	}
	return err
}

// DropIndex drops an index definition.
func (t *Txn) DropIndex(schema, name string) error {
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	ix := st.indexes[name]
	if ix == nil {
		return pgerr.New(pgerr.UndefinedObject, "index %q does not exist", name)
	}
	return t.record(schema, &ddlOp{kind: ddlDropIndex, name: name, id: ix.ID})
}

// txnTable returns the transaction's change set of tbl.
func (t *Txn) txnTable(tbl *catalog.Table) *txnTable {
	tt := t.tables[tbl.ID]
	if tt == nil {
		tt = &txnTable{schema: tbl.Schema, table: tbl, spillDir: t.s.opts.TempDir}
		t.tableMap()[tbl.ID] = tt
	}
	return tt
}

// checkRecord verifies that rec fits tbl, holds no NULL in a NOT NULL
// column and only canonical encodings in var numeric columns.
func checkRecord(tbl *catalog.Table, rec arrow.Record) error {
	if int(rec.NumCols()) != len(tbl.Columns) {
		return pgerr.New(pgerr.InternalError, "record for %q has %d columns, table has %d", tbl.Name, rec.NumCols(), len(tbl.Columns))
	}
	for i, c := range tbl.Columns {
		col := rec.Column(i)
		if !arrow.TypeEqual(col.DataType(), c.Type.ArrowType()) {
			return pgerr.New(pgerr.InternalError, "column %q of %q: record type %s, want %s", c.Name, tbl.Name, col.DataType(), c.Type.ArrowType())
		}
		if col.NullN() > 0 && columnNotNull(tbl, i) {
			e := pgerr.New(pgerr.NotNullViolation, "null value in column %q of relation %q violates not-null constraint", c.Name, tbl.Name)
			return e
		}
		if c.Type.IsVarNumeric() {
			if err := checkVarNumerics(tbl, i, col); err != nil {
				return err
			}
		}
	}
	return nil
}

// withRowIDs returns rec with the row-id column appended, as a record of
// schema (tailSchema of its table).
func withRowIDs(schema *arrow.Schema, rec arrow.Record, ids []int64) arrow.Record {
	cols := make([]arrow.Array, 0, rec.NumCols()+1)
	for i := 0; i < int(rec.NumCols()); i++ {
		cols = append(cols, rec.Column(i))
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues(ids, nil)
	rid := b.NewArray()
	b.Release()
	cols = append(cols, rid)
	out := array.NewRecordBatch(schema, cols, rec.NumRows())
	rid.Release()
	return out
}

// recordSchema is the schema of tt's pending records: the committed
// table's own (tableState.schema) when tt writes that version of the
// table, so that the commits of a table share one schema and its
// serialized IPC message (event_encoding.go), else a new one.
func (t *Txn) recordSchema(tt *txnTable) *arrow.Schema {
	if tt.records != nil {
		return tt.records
	}
	if ns := t.s.namespace(tt.table.Schema); ns != nil {
		if ts := ns.state.Load().byID[tt.table.ID]; ts != nil && ts.table == tt.table {
			tt.records = ts.schema
		}
	}
	if tt.records == nil {
		tt.records = tailSchema(tt.table)
	}
	return tt.records
}

// Insert appends the rows of rec (columns in tbl.Columns order) with new
// row ids.
func (t *Txn) Insert(tbl *catalog.Table, rec arrow.Record) error {
	_, err := t.InsertIDs(tbl, rec)
	return err
}

// InsertIDs is Insert that returns the ids given to the rows, in order.
func (t *Txn) InsertIDs(tbl *catalog.Table, rec arrow.Record) ([]int64, error) {
	if t.done {
		return nil, errTxnDone
	}
	if err := checkRecord(tbl, rec); err != nil {
		return nil, err
	}
	n := int(rec.NumRows())
	if n == 0 {
		return nil, nil
	}
	tt := t.txnTable(tbl)
	if err := t.checkKeys(tt, rec, nil, nil); err != nil {
		return nil, err
	}
	if err := t.serializableWrite(tbl, rec, nil); err != nil {
		return nil, err
	}
	first := t.allocRowIDs(tbl.Schema, n)
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	tt.fresh = append(tt.fresh, idRange{first, first + int64(n)})
	t.addRows(tt, rec, ids)
	return ids, nil
}

// allocRowIDs reserves n row ids in a schema.
func (t *Txn) allocRowIDs(schema string, n int) int64 {
	if ns := t.s.namespace(schema); ns != nil && !t.dropsSchema(schema) {
		return ns.allocRowIDs(n)
	}
	if t.newRowID == nil {
		t.newRowID = map[string]int64{}
	}
	first := max(t.newRowID[schema], 1)
	t.newRowID[schema] = first + int64(n)
	return first
}

func (t *Txn) addRows(tt *txnTable, rec arrow.Record, ids []int64) {
	full := withRowIDs(t.recordSchema(tt), rec, ids)
	tt.pending.inserts = append(tt.pending.inserts, tailInsert{seq: t.nextPending(), rec: full})
	t.noteInserted(full)
}

// Delete deletes the rows with the given ids.
func (t *Txn) Delete(tbl *catalog.Table, rowIDs []int64) error {
	if t.done {
		return errTxnDone
	}
	if len(rowIDs) == 0 {
		return nil
	}
	if err := t.serializableWrite(tbl, nil, rowIDs); err != nil {
		return err
	}
	t.deleteRows(t.txnTable(tbl), rowIDs)
	return nil
}

func (t *Txn) deleteRows(tt *txnTable, rowIDs []int64) {
	ids := slices.Clone(rowIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	tt.pending.deletes = append(tt.pending.deletes, tailDelete{seq: t.nextPending(), ids: ids})
	base := t.base(tt.schema)
	added := tt.deleted.add(ids, base, tt.isFresh)
	if t.lastMark != 0 {
		tt.deletedLog = append(tt.deletedLog, added...)
	}
}

// Update replaces the rows with the given ids by the rows of rec, in the
// same order, keeping their ids.
func (t *Txn) Update(tbl *catalog.Table, rowIDs []int64, rec arrow.Record) error {
	return t.UpdateColumns(tbl, rowIDs, rec, nil)
}

// UpdateColumns is Update for new rows that keep the values of every
// column but assigned (nil: any may differ), so that the keys of
// constraints over the others need no check (key_changes.go).
func (t *Txn) UpdateColumns(tbl *catalog.Table, rowIDs []int64, rec arrow.Record, assigned []int) error {
	if t.done {
		return errTxnDone
	}
	if err := checkRecord(tbl, rec); err != nil {
		return err
	}
	if int(rec.NumRows()) != len(rowIDs) {
		return pgerr.New(pgerr.InternalError, "update of %q: %d rows for %d row ids", tbl.Name, rec.NumRows(), len(rowIDs))
	}
	if len(rowIDs) == 0 {
		return nil
	}
	tt := t.txnTable(tbl)
	replacing := slices.Clone(rowIDs)
	slices.Sort(replacing)
	if err := t.checkKeys(tt, rec, replacing, assigned); err != nil {
		return err
	}
	if err := t.serializableWrite(tbl, rec, rowIDs); err != nil {
		return err
	}
	t.deleteRows(tt, rowIDs)
	t.addRows(tt, rec, slices.Clone(rowIDs))
	return nil
}

// Empty reports whether the transaction changed nothing.
func (t *Txn) Empty() bool {
	if len(t.newSchemas) > 0 || len(t.roleOps) > 0 {
		return false
	}
	for _, ops := range t.ddl {
		if len(ops) > 0 {
			return false
		}
	}
	for _, tt := range t.tables {
		if len(tt.pending.inserts) > 0 || len(tt.pending.deletes) > 0 {
			return false
		}
	}
	return true
}

// Rollback discards the transaction.
func (t *Txn) Rollback() {
	if t.done {
		return
	}
	t.finish()
}

func (t *Txn) finish() {
	t.done = true
	for _, tt := range t.tables {
		tt.release()
	}
	t.tables = nil
	if t.spill != nil {
		t.spill.close()
		t.spill, t.inMemory = nil, 0
	}
	t.s.endTxn(t)
	t.s.ssi.end(t.sx)
	t.releaseRowLocks()
}

func (tt *txnTable) release() {
	for sig := range tt.own {
		tt.dropOwnKeys(sig)
	}
	for _, ins := range tt.pending.inserts {
		if ins.rec != nil {
			ins.rec.Release()
		}
	}
	tt.pending = pendingTable{}
}

// Commit makes the transaction's changes durable and visible. It returns
// once the role changes are in global.sqlite and every touched namespace
// has committed its part to SQLite. Role changes commit first, as one
// unit: if they fail (42710, 42704), nothing is committed. Schemas the
// transaction drops or creates are dropped and created next. The changes
// to the namespaces then commit all or none, and are seen by snapshots
// all or none: through the namespace's writer alone when there is one,
// with two phases when there are several (cross_commit.go).
func (t *Txn) Commit() error {
	if t.done {
		return errTxnDone
	}
	defer t.finish()
	if len(t.roleOps) > 0 {
		if err := t.s.commitRoles(t.roleOps); err != nil {
			return err
		}
	}
	plans := map[string]schemaPlan{}
	var dropped, recreated []string
	for name := range t.ddl {
		if p := t.planSchema(name); p.dropCommitted {
			plans[name] = p
			dropped = append(dropped, name)
			if p.create {
				recreated = append(recreated, name)
			}
		}
	}
	sort.Strings(dropped)
	sort.Strings(recreated)
	for _, name := range dropped {
		ns := t.s.namespace(name)
		if ns == nil {
			return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", name)
		}
		if err := t.s.dropNamespace(ns, plans[name].before); err != nil {
			return err
		}
	}
	var creates []string
	for _, name := range t.newSchemas {
		p := t.planSchema(name)
		plans[name] = p
		if p.create {
			creates = append(creates, name)
		}
	}
	creates = append(creates, recreated...)
	for _, name := range creates {
		if _, err := t.s.createNamespace(name); err != nil {
			return err
		}
		if next, ok := t.newRowID[name]; ok {
			raiseCounter(&t.s.namespace(name).nextRowID, next)
		}
	}
	commits := map[string]*nsCommit{}
	get := func(ns string) *nsCommit {
		c := commits[ns]
		if c == nil {
			c = &nsCommit{txid: t.ID()}
			commits[ns] = c
		}
		return c
	}
	for ns, ops := range t.ddl {
		if p, ok := plans[ns]; ok {
			ops = p.ops
		}
		if len(ops) > 0 {
			get(ns).ddl = ops
			get(ns).seqVals = t.createdSequenceValues(ops)
		}
	}
	ids := make([]int64, 0, len(t.tables))
	for id := range t.tables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		tt := t.tables[id]
		tc, err := tt.netChange(t.spill)
		if err != nil {
			for _, c := range commits {
				for _, tc := range c.tables {
					releaseAll(tc.inserts)
				}
			}
			return err
		}
		if tc == nil {
			continue
		}
		tc.bulk = t.preferBulk && tc.insertedRows() >= preferBulkRows
		get(tt.schema).tables = append(get(tt.schema).tables, tc)
	}
	names := make([]string, 0, len(commits))
	for name := range commits {
		names = append(names, name)
	}
	sort.Strings(names)
	defer func() {
		for _, c := range commits {
			for _, tc := range c.tables {
				for _, r := range tc.inserts {
					r.Release()
				}
			}
		}
	}()
	if t.sx != nil {
		return t.s.ssi.commitSerializable(t.sx, commits, func() error { return t.commitNamespaces(names, commits) })
	}
	return t.commitNamespaces(names, commits)
}

// commitNamespaces commits the changes to the namespaces names.
func (t *Txn) commitNamespaces(names []string, commits map[string]*nsCommit) error {
	switch len(names) {
	case 0:
		return nil
	case 1:
		ns := t.s.namespace(names[0])
		if ns == nil {
			return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", names[0])
		}
		return ns.commit(commits[names[0]])
	}
	return t.commitAcross(names, commits)
}

// netChange folds the transaction's changes to one table into the rows
// it finally inserts and the committed rows it deletes, or nil if none.
//
// Batches in the transaction's spill file stay there (tableCommit.spilled)
// when none of their rows was deleted again; others are read back one at
// a time, and their surviving rows spilled anew when they were spilled.
func (tt *txnTable) netChange(spill *spillFile) (*tableCommit, error) {
	if len(tt.pending.inserts) == 0 && tt.deleted.empty() {
		return nil, nil
	}
	tc := &tableCommit{table: tt.table, changes: tt.changes}
	later := newDeletionSeqs(tt.pending.deletes)
	ncol := len(tt.table.Columns)
	for _, ins := range tt.pending.inserts {
		if ins.spilled != nil && later.empty() {
			tc.spilled = append(tc.spilled, ins.spilled)
			continue
		}
		rec, err := ins.load()
		if err != nil {
			releaseAll(tc.inserts)
			return nil, err
		}
		keep := liveRows(rec.Column(ncol).(*array.Int64).Int64Values(), ins.seq, scanDeletions{own: later})
		switch {
		case keep == nil && ins.spilled != nil:
			tc.spilled = append(tc.spilled, ins.spilled)
			rec.Release()
		case keep == nil:
			tc.inserts = append(tc.inserts, rec)
		case len(keep) > 0 && ins.spilled != nil:
			part := takeRecord(rec, keep)
			rec.Release()
			b, err := spill.write(part)
			part.Release()
			if err != nil {
				releaseAll(tc.inserts)
				return nil, fmt.Errorf("spill pending rows: %w", err)
			}
			tc.spilled = append(tc.spilled, b)
		case len(keep) > 0:
			tc.inserts = append(tc.inserts, takeRecord(rec, keep))
			rec.Release()
		default:
			rec.Release()
		}
	}
	tc.deletes, tc.bases = tt.deleted.sorted()
	if len(tc.inserts) == 0 && len(tc.spilled) == 0 && len(tc.deletes) == 0 {
		return nil, nil
	}
	if len(tc.spilled) > 0 {
		gone, err := tc.goneRowsSpilled()
		tc.gone = gone
		if err != nil {
			releaseAll(tc.inserts)
			return nil, err
		}
		return tc, nil
	}
	tc.gone = goneRows(tc.deletes, tc.inserts, ncol)
	return tc, nil
}

// tableMap is t.tables, made on the first change: most transactions
// only read.
func (t *Txn) tableMap() map[int64]*txnTable {
	if t.tables == nil {
		t.tables = map[int64]*txnTable{}
	}
	return t.tables
}

// ddlMap is t.ddl, made on the first catalog change.
func (t *Txn) ddlMap() map[string][]*ddlOp {
	if t.ddl == nil {
		t.ddl = map[string][]*ddlOp{}
	}
	return t.ddl
}
