package storage

import "database/sql"

// Removing flushed events from SQLite.
//
// Once a flush's manifest is published, its row events in SQLite are
// redundant: the manifest's FlushedSeq marks them flushed (replay and
// every reader skip them, and open deletes any left over) and its event
// file keeps them for history. Deleting them in a SQLite transaction of
// their own cost a flush one more fsync, on the writer, which every
// commit queued behind waits for. A flush the writer starts on its own
// (a tail outgrew its limits) therefore only notes that events became
// deletable, and the next commit's transaction deletes them, durable
// with that commit's own fsync; a checkpoint deletes at once. A bulk or
// cross-schema commit's flush, whose caller expects the log emptied when
// it returns, deletes its table's events at once (deleteFlushedEvents).
//
// The next commit deletes by prefix: every row event before the oldest
// batch of any table's tail (nsState.oldestTailSeq), all flushed. An
// OLTP commit logs events of several tables side by side, so one table's
// events share their SQLite pages with the others'; deleting them table
// by table, as each table flushed, rewrote every page of the log once
// per table (four pages per pgbench TPC-B commit, of fourteen in the
// WAL). A prefix empties whole pages, which go to the free list. A table
// whose tail holds back the prefix for long is flushed for it
// (flushOverdue, maxEventLag), so the log stays bounded.

// maxEventLag is how many commits a table's oldest unflushed batch may
// hold back the deletion of the namespace's flushed events before the
// table is flushed for it (a variable for tests).
var maxEventLag uint64 = 4 * maxTailBatches

// noteFlushedEvents notes that a flush of the writer's own was
// published, so that row events may have become deletable (writer
// goroutine).
func (ns *namespace) noteFlushedEvents() { ns.eventsFlushed = true }

// execer runs a statement: a *sql.DB or a *sql.Tx.
type execer interface {
	Exec(query string, args ...any) (sql.Result, error)
}

// deleteFlushedEvents deletes in db the row events of table id up to
// seq.
func deleteFlushedEvents(db execer, id int64, seq uint64) error {
	_, err := db.Exec(deleteEventsSQL, id, seq)
	return err
}

// deleteFlushedPrefix deletes in db, a commit's transaction or, at a
// checkpoint, the database, the row events before every table's tail,
// when a flush since the last deletion may have made more of them
// deletable. It returns the seq the deletion went up to (0: none), which
// deletedFlushedPrefix records once db's transaction is durable. A
// namespace whose logged bulk manifest awaits publication (frozen)
// deletes nothing.
func (ns *namespace) deleteFlushedPrefix(db execer) (through uint64, err error) {
	if !ns.eventsFlushed || ns.frozen != nil {
		return 0, nil
	}
	through = ns.state.Load().oldestTailSeq() - 1
	if through <= ns.eventsDeletedThrough {
		ns.eventsFlushed = false // held back: the flush that advances it notes so
		return 0, nil
	}
	if tx, ok := db.(*sql.Tx); ok {
		db = txStatements{tx, ns.stmts}
	}
	if _, err := db.Exec(deleteEventPrefixSQL, through); err != nil {
		return 0, err
	}
	return through, nil
}

// txStatements runs statements in a transaction through the namespace's
// prepared ones (writer_statements.go).
type txStatements struct {
	tx    *sql.Tx
	stmts writerStatements
}

func (t txStatements) Exec(query string, args ...any) (sql.Result, error) {
	return t.stmts.exec(t.tx, query, args...)
}

// deletedFlushedPrefix records deleteFlushedPrefix's deletion up to
// through after its transaction committed.
func (ns *namespace) deletedFlushedPrefix(through uint64) {
	if through > 0 {
		ns.eventsDeletedThrough = through
		ns.eventsFlushed = false
	}
}
