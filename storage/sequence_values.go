package storage

import (
	"database/sql"
	"slices"
	"sync"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Sequence values.
//
// A sequence's value is not transactional: nextval is never rolled back,
// as in PostgreSQL. Each namespace keeps the position of each of its
// committed sequences in memory (seqValue: the last value handed out and
// whether it was handed out, PostgreSQL's last_value and is_called) and
// in the sequence_values table of its SQLite database.
//
// Durability follows PostgreSQL's SEQ_LOG_VALS. When nextval finds no
// reserved values left, it computes the position after the next
// reserveCount values (32, or Cache if larger, more while values are
// drawn fast) and stores that high-water mark synchronously, on the
// namespace's writer so that the write is serialized with commits; then
// it hands out the reserved values from memory without touching SQLite.
// After a crash the sequence continues after the stored mark: values may
// be skipped, but a value handed out is never handed out again (unless
// setval or CYCLE brings it back, as in PostgreSQL). setval (and
// RESTART) store the new position at once and drop the reservation. A
// definition change (ALTER SEQUENCE) also drops the reservation, since
// it was counted with the old increment and bounds. Close stores each
// sequence's exact position, so a clean restart leaves no gap.
//
// One mutex per sequence orders its nextval calls; the holder keeps it
// while the mark is written, so the others wait for the mark rather than
// run past it. The writer never takes these mutexes.
//
// A sequence created by a transaction that has not committed has no row
// yet: the transaction's own nextval calls (Txn.NextVal) use a position
// kept in the Txn, which Commit stores along with the definition.

// seqPos is a sequence's position. While called is false, last is the
// value the next nextval returns; otherwise the value it returned last.
type seqPos struct {
	last   int64
	called bool
}

// seqValue is the position of one committed sequence.
type seqValue struct {
	mu     sync.Mutex
	pos    seqPos
	def    *catalog.Sequence // the definition avail was counted with
	avail  int64             // values reserved by the stored mark and not yet handed out
	burst  int               // extra reservation factor while values go fast (see reserveCount)
	marked time.Time         // when the last mark was stored
	closed bool              // the store is closing: the position is stored, hand out nothing more
}

// seqLogVals is how many values nextval reserves at least per write, as
// PostgreSQL's SEQ_LOG_VALS; maxSeqReserve caps a large Cache. A sequence
// that uses up its reservation within seqBurstWindow (a bulk INSERT into
// a serial column) reserves twice as many the next time, up to
// maxSeqBurst times the base, so that the synchronous write costs
// little per value; a slower one goes back to the base. The gap a crash
// leaves grows accordingly.
const (
	seqLogVals     = 32
	maxSeqReserve  = 1 << 16
	maxSeqBurst    = 64
	seqBurstWindow = 50 * time.Millisecond
)

// reserveCount is how many values the next mark of sv reserves.
func (sv *seqValue) reserveCount(def *catalog.Sequence, now time.Time) int {
	base := min(max(def.Cache, seqLogVals), maxSeqReserve)
	if sv.burst < 1 || sv.marked.IsZero() || now.Sub(sv.marked) > seqBurstWindow {
		sv.burst = 1
	} else {
		sv.burst = min(sv.burst*2, maxSeqBurst)
	}
	return int(max(base, min(base*int64(sv.burst), maxSeqReserve)))
}

// startPos is the position of a sequence nobody drew from.
func startPos(def *catalog.Sequence) seqPos { return seqPos{last: def.Start} }

// step returns the position after one nextval from p (its value is the
// result's last), as PostgreSQL's nextval_internal: past Max (below Min
// for a negative increment) it wraps to Min (Max) if the sequence
// cycles, and fails with 2200H otherwise.
func step(def *catalog.Sequence, p seqPos) (seqPos, error) {
	if !p.called {
		return seqPos{last: p.last, called: true}, nil
	}
	next, inc, minv, maxv := p.last, def.Increment, def.Min, def.Max
	if inc > 0 {
		if (maxv >= 0 && next > maxv-inc) || (maxv < 0 && next+inc > maxv) {
			if !def.Cycle {
				return p, pgerr.New(pgerr.SequenceGeneratorLimitExceeded,
					"nextval: reached maximum value of sequence \"%s\" (%d)", def.Name, maxv)
			}
			next = minv
		} else {
			next += inc
		}
	} else {
		if (minv < 0 && next < minv-inc) || (minv >= 0 && next+inc < minv) {
			if !def.Cycle {
				return p, pgerr.New(pgerr.SequenceGeneratorLimitExceeded,
					"nextval: reached minimum value of sequence \"%s\" (%d)", def.Name, minv)
			}
			next = maxv
		} else {
			next += inc
		}
	}
	return seqPos{last: next, called: true}, nil
}

// setValPos checks setval's value against the bounds of def.
func setValPos(def *catalog.Sequence, value int64, isCalled bool) (seqPos, error) {
	if value < def.Min || value > def.Max {
		return seqPos{}, pgerr.New(pgerr.NumericValueOutOfRange,
			"setval: value %d is out of bounds for sequence \"%s\" (%d..%d)", value, def.Name, def.Min, def.Max)
	}
	return seqPos{last: value, called: isCalled}, nil
}

// restartPos checks ALTER SEQUENCE ... RESTART's value against def.
func restartPos(def *catalog.Sequence, value int64) (seqPos, error) {
	if value < def.Min {
		return seqPos{}, pgerr.New(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", value, def.Min)
	}
	if value > def.Max {
		return seqPos{}, pgerr.New(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", value, def.Max)
	}
	return seqPos{last: value}, nil
}

func undefinedSequence(name string) error {
	return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
}

// NextVal advances the committed sequence schema.name and returns its new
// value, as PostgreSQL's nextval. It is not undone by any rollback.
func (s *Store) NextVal(schema, name string) (int64, error) {
	ns, def, err := s.committedSequence(schema, name)
	if err != nil {
		return 0, err
	}
	return ns.nextVal(def)
}

// SetVal sets the position of the committed sequence schema.name, as
// PostgreSQL's setval: with isCalled the next NextVal returns
// value+Increment, without it value itself. value must lie within [Min,
// Max] (22003). The new position is durable when SetVal returns.
func (s *Store) SetVal(schema, name string, value int64, isCalled bool) error {
	ns, def, err := s.committedSequence(schema, name)
	if err != nil {
		return err
	}
	pos, err := setValPos(def, value, isCalled)
	if err != nil {
		return err
	}
	return ns.setPos(def, pos)
}

// RestartSequence is ALTER SEQUENCE ... RESTART WITH value: the next
// NextVal returns value, which must lie within [Min, Max] (22023). Like
// SetVal it is durable at once and not transactional (PostgreSQL undoes
// a RESTART whose transaction rolls back; pqdb does not).
func (s *Store) RestartSequence(schema, name string, value int64) error {
	ns, def, err := s.committedSequence(schema, name)
	if err != nil {
		return err
	}
	pos, err := restartPos(def, value)
	if err != nil {
		return err
	}
	return ns.setPos(def, pos)
}

// LastValue returns the position of the committed sequence schema.name:
// PostgreSQL's last_value and is_called (SELECT * FROM seq). While
// isCalled is false, value is what the next NextVal returns.
func (s *Store) LastValue(schema, name string) (value int64, isCalled bool, err error) {
	ns, def, err := s.committedSequence(schema, name)
	if err != nil {
		return 0, false, err
	}
	pos, err := ns.position(def)
	return pos.last, pos.called, err
}

// committedSequence finds a committed sequence and its namespace.
func (s *Store) committedSequence(schema, name string) (*namespace, *catalog.Sequence, error) {
	ns := s.namespace(schema)
	if ns == nil {
		return nil, nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", schema)
	}
	def := ns.state.Load().sequences[name]
	if def == nil {
		return nil, nil, undefinedSequence(name)
	}
	return ns, def, nil
}

// seqValue returns the position of the committed sequence id, or nil.
func (ns *namespace) seqValue(id int64) *seqValue {
	ns.seqMu.Lock()
	defer ns.seqMu.Unlock()
	return ns.seqs[id]
}

// lockSeq returns the locked position of def, or an error.
func (ns *namespace) lockSeq(def *catalog.Sequence) (*seqValue, error) {
	sv := ns.seqValue(def.ID)
	if sv == nil {
		return nil, undefinedSequence(def.Name)
	}
	sv.mu.Lock()
	if sv.closed {
		sv.mu.Unlock()
		return nil, errStoreClosed
	}
	if sv.def != def {
		sv.def = def
		sv.avail = 0
	}
	return sv, nil
}

// nextVal hands out the next value of def, storing a new high-water mark
// first when the reserved values are used up.
func (ns *namespace) nextVal(def *catalog.Sequence) (int64, error) {
	sv, err := ns.lockSeq(def)
	if err != nil {
		return 0, err
	}
	defer sv.mu.Unlock()
	if sv.avail == 0 {
		now := time.Now()
		mark, n := sv.pos, 0
		for want := sv.reserveCount(def, now); n < want; n++ {
			p, err := step(def, mark)
			if err != nil {
				if n == 0 {
					return 0, err
				}
				break
			}
			mark = p
		}
		if err := ns.storeSeqPos(def, mark); err != nil {
			return 0, err
		}
		sv.avail = int64(n)
		sv.marked = now
	}
	p, err := step(def, sv.pos) // within the reservation: cannot fail
	if err != nil {
		return 0, err
	}
	sv.pos = p
	sv.avail--
	return p.last, nil
}

// setPos stores pos as def's position and makes it current.
func (ns *namespace) setPos(def *catalog.Sequence, pos seqPos) error {
	sv, err := ns.lockSeq(def)
	if err != nil {
		return err
	}
	defer sv.mu.Unlock()
	if err := ns.storeSeqPos(def, pos); err != nil {
		return err
	}
	sv.pos = pos
	sv.avail = 0
	sv.marked = time.Time{}
	return nil
}

// position returns def's current position.
func (ns *namespace) position(def *catalog.Sequence) (seqPos, error) {
	sv := ns.seqValue(def.ID)
	if sv == nil {
		return seqPos{}, undefinedSequence(def.Name)
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.pos, nil
}

// storeSeqPos durably writes pos as the stored position of def, on the
// writer, unless a commit dropped the sequence meanwhile.
func (ns *namespace) storeSeqPos(def *catalog.Sequence, pos seqPos) error {
	return ns.doBesideFlushes(func() error {
		if ns.state.Load().sequenceByID(def.ID) == nil {
			return undefinedSequence(def.Name)
		}
		if err := writeSeqPos(ns.db, def.ID, pos); err != nil {
			return pgerr.New(pgerr.IoError, "could not store the value of sequence \"%s\": %v", def.Name, err)
		}
		return nil
	})
}

func writeSeqPos(db interface {
	Exec(string, ...any) (sql.Result, error)
}, id int64, pos seqPos) error {
	_, err := db.Exec(`INSERT OR REPLACE INTO sequence_values(id, last, called) VALUES(?, ?, ?)`, id, pos.last, pos.called)
	return err
}

// loadSequenceValues reads the stored positions of st's sequences on
// open. Each continues after its stored mark, with nothing reserved.
func (ns *namespace) loadSequenceValues(st *nsState) error {
	stored := map[int64]seqPos{}
	rows, err := ns.db.Query(`SELECT id, last, called FROM sequence_values`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p seqPos
		if err := rows.Scan(&id, &p.last, &p.called); err != nil {
			return err
		}
		stored[id] = p
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, def := range st.sequences {
		ns.store.raiseObjectID(def.ID + 1)
		p, ok := stored[def.ID]
		if !ok {
			p = startPos(def)
		}
		ns.seqs[def.ID] = &seqValue{pos: p}
	}
	return nil
}

// persistSequenceDiff stores the sequence definitions that differ between
// st and nst, the positions of new sequences (from vals, or unused) and
// removes dropped ones with their positions.
func persistSequenceDiff(tx *sql.Tx, st, nst *nsState, vals map[int64]seqPos) error {
	before := sequencesByID(st)
	after := sequencesByID(nst)
	for id := range before {
		if after[id] == nil {
			if err := deleteObject(tx, id); err != nil {
				return err
			}
			if _, err := tx.Exec(`DELETE FROM sequence_values WHERE id = ?`, id); err != nil {
				return err
			}
		}
	}
	for id, def := range after {
		old := before[id]
		if old == def {
			continue
		}
		if err := putObject(tx, id, kindSequence, def.Name, def); err != nil {
			return err
		}
		if old == nil {
			p, ok := vals[id]
			if !ok {
				p = startPos(def)
			}
			if err := writeSeqPos(tx, id, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func sequencesByID(st *nsState) map[int64]*catalog.Sequence {
	m := make(map[int64]*catalog.Sequence, len(st.sequences))
	for _, def := range st.sequences {
		m[def.ID] = def
	}
	return m
}

// addSequenceValues gives the sequences that the durable commits done
// created their positions, before the state that shows them is
// published.
func (ns *namespace) addSequenceValues(base, cur *nsState, done []*preparedCommit) {
	if len(base.sequences) == 0 && len(cur.sequences) == 0 {
		return
	}
	before := sequencesByID(base)
	ns.seqMu.Lock()
	defer ns.seqMu.Unlock()
	for _, def := range cur.sequences {
		if before[def.ID] != nil {
			continue
		}
		p := startPos(def)
		for _, d := range done {
			if v, ok := d.req.c.seqVals[def.ID]; ok {
				p = v
			}
		}
		ns.seqs[def.ID] = &seqValue{pos: p}
	}
}

// dropSequenceValues forgets the positions of sequences that the last
// commit group dropped.
func (ns *namespace) dropSequenceValues(base, cur *nsState) {
	if len(base.sequences) == 0 {
		return
	}
	after := sequencesByID(cur)
	ns.seqMu.Lock()
	defer ns.seqMu.Unlock()
	for _, def := range base.sequences {
		if after[def.ID] == nil {
			delete(ns.seqs, def.ID)
		}
	}
}

// storeExactSequenceValues stores every sequence's exact position, in
// place of its high-water mark, and stops handing out values: Close calls
// it so that a clean restart continues without a gap.
func (ns *namespace) storeExactSequenceValues() error {
	ns.seqMu.Lock()
	ids := make([]int64, 0, len(ns.seqs))
	svs := make([]*seqValue, 0, len(ns.seqs))
	for id, sv := range ns.seqs {
		ids = append(ids, id)
		svs = append(svs, sv)
	}
	ns.seqMu.Unlock()
	if len(svs) == 0 {
		return nil
	}
	pos := make([]seqPos, len(svs))
	for i, sv := range svs {
		sv.mu.Lock()
		sv.closed = true
		pos[i] = sv.pos
		sv.mu.Unlock()
	}
	return ns.do(func() error {
		live := sequencesByID(ns.state.Load())
		return ns.writeTx(func(tx *sql.Tx) error {
			for i, id := range ids {
				if live[id] == nil {
					continue
				}
				if err := writeSeqPos(tx, id, pos[i]); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// Transactions.

// NextVal is Store.NextVal on the sequence as the transaction sees it: it
// also works on a sequence the transaction created and has not committed
// (its values are kept in the transaction and stored at commit), and uses
// the transaction's uncommitted ALTER SEQUENCE definition.
func (t *Txn) NextVal(schema, name string) (int64, error) {
	ns, def, local, err := t.sequence(schema, name)
	if err != nil {
		return 0, err
	}
	if local == nil {
		return ns.nextVal(def)
	}
	p, err := step(def, *local)
	if err != nil {
		return 0, err
	}
	*local = p
	return p.last, nil
}

// SetVal is Store.SetVal on the sequence as the transaction sees it.
func (t *Txn) SetVal(schema, name string, value int64, isCalled bool) error {
	ns, def, local, err := t.sequence(schema, name)
	if err != nil {
		return err
	}
	pos, err := setValPos(def, value, isCalled)
	if err != nil {
		return err
	}
	if local == nil {
		return ns.setPos(def, pos)
	}
	*local = pos
	return nil
}

// RestartSequence is Store.RestartSequence on the sequence as the
// transaction sees it, checked against its definition there (so after
// AlterSequence in the same transaction, against the new bounds).
func (t *Txn) RestartSequence(schema, name string, value int64) error {
	ns, def, local, err := t.sequence(schema, name)
	if err != nil {
		return err
	}
	pos, err := restartPos(def, value)
	if err != nil {
		return err
	}
	if local == nil {
		return ns.setPos(def, pos)
	}
	*local = pos
	return nil
}

// LastValue is Store.LastValue on the sequence as the transaction sees it.
func (t *Txn) LastValue(schema, name string) (value int64, isCalled bool, err error) {
	ns, def, local, err := t.sequence(schema, name)
	if err != nil {
		return 0, false, err
	}
	if local == nil {
		p, err := ns.position(def)
		return p.last, p.called, err
	}
	return local.last, local.called, nil
}

// sequence finds the sequence schema.name in the transaction's view:
// either a committed one (with its namespace) or one created by the
// transaction (with its position in the transaction).
func (t *Txn) sequence(schema, name string) (*namespace, *catalog.Sequence, *seqPos, error) {
	if t.done {
		return nil, nil, nil, errTxnDone
	}
	ns := t.s.namespace(schema)
	var def *catalog.Sequence
	if len(t.ddl[schema]) == 0 && ns != nil {
		def = ns.state.Load().sequences[name]
	} else {
		seqs, ok := t.sequenceView(ns, schema)
		if !ok {
			return nil, nil, nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", schema)
		}
		def = seqs[name]
	}
	if def == nil {
		return nil, nil, nil, undefinedSequence(name)
	}
	if !t.createdSequence(schema, def.ID) {
		if ns == nil || ns.seqValue(def.ID) == nil {
			return nil, nil, nil, undefinedSequence(name) // dropped by a commit since
		}
		return ns, def, nil, nil
	}
	local := t.seqVals[def.ID]
	if local == nil {
		p := startPos(def)
		local = &p
		if t.seqVals == nil {
			t.seqVals = map[int64]*seqPos{}
		}
		t.seqVals[def.ID] = local
	}
	return nil, def, local, nil
}

// seqView caches the sequences of one schema in a transaction's view, so
// that nextval in a transaction with catalog changes (CREATE TABLE with
// a serial column, then many INSERTs) does not fold them every call. It
// is valid while the committed state, the number of the transaction's
// operations on the schema and the last of them are the same: the lists
// are only appended to and cut back, and a cut list that grows again
// ends in a new operation.
type seqView struct {
	schema    string
	committed *nsState
	creates   bool
	n         int
	last      *ddlOp
	seqs      map[string]*catalog.Sequence // nil: the schema does not exist
}

// sequenceView returns the sequences of schema in the transaction's view,
// and false if the schema does not exist there.
func (t *Txn) sequenceView(ns *namespace, schema string) (map[string]*catalog.Sequence, bool) {
	ops := t.ddl[schema]
	key := seqView{schema: schema, creates: t.createsSchema(schema), n: len(ops)}
	if ns != nil {
		key.committed = ns.state.Load()
	}
	if len(ops) > 0 {
		key.last = ops[len(ops)-1]
	}
	if c := t.seqCache; c != nil && c.schema == key.schema && c.committed == key.committed &&
		c.creates == key.creates && c.n == key.n && c.last == key.last {
		return c.seqs, c.seqs != nil
	}
	if st := t.overlay(schema); st != nil {
		key.seqs = st.sequences
	}
	t.seqCache = &key
	return key.seqs, key.seqs != nil
}

// createdSequence reports whether the transaction created sequence id in
// schema (it has no committed position yet).
func (t *Txn) createdSequence(schema string, id int64) bool {
	for _, op := range t.ddl[schema] {
		if op.kind == ddlCreateSequence && op.seq.ID == id {
			return true
		}
	}
	return false
}

func (t *Txn) createsSchema(name string) bool { return slices.Contains(t.newSchemas, name) }

// createdSequenceValues returns the positions of the sequences that ops
// create and the transaction drew values from, for Commit to store.
func (t *Txn) createdSequenceValues(ops []*ddlOp) map[int64]seqPos {
	var out map[int64]seqPos
	for _, op := range ops {
		if op.kind != ddlCreateSequence {
			continue
		}
		if p := t.seqVals[op.seq.ID]; p != nil {
			if out == nil {
				out = map[int64]seqPos{}
			}
			out[op.seq.ID] = *p
		}
	}
	return out
}
