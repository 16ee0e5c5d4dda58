package storage

import (
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// Cross-schema commits.
//
// A transaction that changes one namespace commits through that
// namespace's writer alone, grouped with other sessions' commits into one
// SQLite transaction (commit.go). One that changes several commits them
// all or none, with two phases:
//
//  1. Prepare, namespace by namespace in name order: the writer validates
//     the part against its state (concurrent deletions, unique keys, DDL)
//     exactly as a one-namespace commit, writes it durably as prepared
//     (prepared.go) and reports back, then runs nothing else until the
//     part is resolved. Later commits to the namespace therefore wait, so
//     none can miss a conflict with the prepared rows and keys. Taking
//     the writers in name order keeps two cross-schema commits from
//     waiting for each other in a cycle.
//  2. If every part prepared, the decision to commit is recorded durably
//     in global.sqlite (global_log.go): the commit point. Then, holding
//     the store's publish lock, every writer publishes its new state, so
//     that Store.Snapshot, which loads the states under the same lock,
//     sees all of the transaction or none of it, and goes back to its
//     queue; it marks its part resolved in its next SQLite transaction.
//
// A part with rows its transaction spilled writes their flush before it
// reports prepared and publishes it with the decision (bulk_commit.go, cross-schema parts).
//
// If a part fails validation or cannot be written, the prepared parts
// are aborted: each writer undoes its part on disk and in memory, and no
// decision is recorded. A crash before the decision is durable leaves
// prepared parts without a decision, which open discards; a crash after
// it leaves parts that open commits. A transaction's role changes commit
// before its namespaces, on their own; schemas it creates or drops are
// created or dropped before the namespaces commit (not atomically with
// them).

// crossCommits is a store's state for cross-schema commits.
type crossCommits struct {
	// publishMu is held by Store.Snapshot (read) while it loads the
	// namespaces' states, and by a cross-schema commit (write) while its
	// writers publish theirs.
	publishMu sync.RWMutex
	// testHook, if set, is called at each stage of a cross-schema commit;
	// returning true there simulates a crash: nothing more is written or
	// published, and the writers go back to their queues as if the
	// process had died (the store must then be crashed and reopened).
	testHook func(crossStage) bool
}

// crossStage names a point in a cross-schema commit for tests.
type crossStage uint8

const (
	crossPartPrepared crossStage = iota // one more part prepared (the result is ignored)
	crossPrepared                       // every part prepared, no decision yet
	crossDecided                        // decision durable, no part resolved
)

// crossDecision is what the coordinator tells a prepared part.
type crossDecision uint8

const (
	decideAbort crossDecision = iota
	decideCommit
	decideVanish // tests: the process "died"; write nothing more
)

// crossPart is one namespace's part of a cross-schema commit while its
// writer holds it.
type crossPart struct {
	ns       *namespace
	txid     int64
	c        *nsCommit
	prepared chan error         // writer → coordinator: prepared, or why not
	decision chan crossDecision // coordinator → writer
	applied  chan struct{}      // writer → coordinator: the decision is carried out in memory
}

// commitAcross commits the parts of one transaction to several
// namespaces (names, sorted) atomically; see above.
func (t *Txn) commitAcross(names []string, commits map[string]*nsCommit) error {
	s := t.s
	txid := t.ID()
	parts := make([]*crossPart, 0, len(names))
	var err error
	for _, name := range names {
		ns := s.namespace(name)
		if ns == nil {
			err = pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", name)
			break
		}
		var p *crossPart
		if p, err = ns.prepareAcross(txid, commits[name]); err != nil {
			break
		}
		parts = append(parts, p)
		if hook := s.cross.testHook; hook != nil {
			hook(crossPartPrepared)
		}
	}
	hook := s.cross.testHook
	if err == nil && hook != nil && hook(crossPrepared) {
		decide(parts, decideVanish)
		return errStoreClosed
	}
	if err == nil {
		err = s.recordCommit(txid, len(parts))
	}
	if err != nil {
		// Waiting for the aborts keeps a session from seeing the
		// parts' deletions in lastDelete after Commit returned.
		decide(parts, decideAbort)
		return err
	}
	if hook != nil && hook(crossDecided) {
		decide(parts, decideVanish)
		return nil
	}
	s.cross.publishMu.Lock()
	defer s.cross.publishMu.Unlock()
	decide(parts, decideCommit)
	return nil
}

// decide tells every part d and waits until their writers have applied
// it in memory, or stopped (writer_panic.go).
func decide(parts []*crossPart, d crossDecision) {
	for _, p := range parts {
		p.decision <- d
	}
	for _, p := range parts {
		select {
		case <-p.applied:
		case <-p.ns.done:
		}
	}
}

// prepareAcross hands c, the part of transaction txid, to the writer and
// waits until it is durably prepared (or refused). The writer then holds
// the part until it gets a decision.
func (ns *namespace) prepareAcross(txid int64, c *nsCommit) (*crossPart, error) {
	p := &crossPart{
		ns: ns, txid: txid, c: c,
		prepared: make(chan error, 1),
		decision: make(chan crossDecision, 1),
		applied:  make(chan struct{}, 1),
	}
	r := &request{run: func() error { ns.holdPart(p); return nil }, reply: make(chan error, 1)}
	select {
	case ns.reqs <- r:
	case <-ns.done:
		return nil, ns.stoppedErr()
	}
	// The writer answers, unless a panic stopped it (writer_panic.go).
	select {
	case err := <-p.prepared:
		if err != nil {
			return nil, err
		}
	case <-ns.done:
		select {
		case err := <-p.prepared:
			if err != nil {
				return nil, err
			}
		default:
			return nil, ns.stoppedErr()
		}
	}
	return p, nil
}

// holdPart runs on the writer: it prepares p, waits for the decision and
// carries it out.
func (ns *namespace) holdPart(p *crossPart) {
	if ns.failed != nil {
		p.prepared <- ns.failed
		return
	}
	base := ns.state.Load()
	ns.unsettleKeys()
	pc, err := ns.prepare(base, &commitRequest{c: p.c})
	if err != nil {
		ns.settleKeys()
		p.prepared <- err
		return
	}
	// Spilled rows are written to their flushes first, which the part
	// then names (bulk_commit.go, cross-schema parts).
	flushes := ns.writeBulkFlushes(pc)
	if err := ns.persistPrepared(p.txid, pc); err != nil {
		ns.discardBulkFlushes(base, flushes)
		ns.undo([]*preparedCommit{pc})
		ns.settleKeys()
		p.prepared <- pgerr.New(pgerr.IoError, "could not commit to schema %q: %v", ns.name, err)
		return
	}
	p.prepared <- nil
	row := preparedRowOf(p.txid, pc)
	switch <-p.decision {
	case decideVanish:
		ns.failed = errStoreClosed
		ns.settleKeys()
		p.applied <- struct{}{}
	case decideAbort:
		ns.discardBulkFlushes(base, flushes)
		ns.undo([]*preparedCommit{pc})
		ns.settleKeys()
		p.applied <- struct{}{}
		if err := ns.resolvePrepared(row, false); err != nil {
			// The part stays on disk with seq pc.seq, which the next
			// commit would reuse: refuse commits until open discards it.
			ns.failed = pgerr.New(pgerr.IoError, "schema %q must be reopened: could not discard a prepared transaction: %v", ns.name, err)
		}
	case decideCommit:
		cur, flushed, err := ns.publishBulkFlushes(pc, pc.nst, flushes)
		if err != nil {
			// Committed, but neither flushed nor readable: ns.failed
			// refuses further work until open replays the part.
			ns.settleKeys()
			p.applied <- struct{}{}
			return
		}
		ns.publish(base, cur, []*preparedCommit{pc})
		for _, f := range flushed {
			ns.flushedTail(cur, f.id)
		}
		ns.settleKeys()
		p.applied <- struct{}{}
		ns.resolveLater(row)
		ns.afterPublish(base, cur, 1)
		for _, f := range flushed {
			ns.afterFlush(f.id, f.m)
		}
	}
}
