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
// (a tail outgrew its limits) therefore only queues the deletion, and
// the next commit's transaction carries it, durable with that commit's
// own fsync; a checkpoint runs what is queued at once. A bulk or
// cross-schema commit's flush, whose caller expects the log emptied when
// it returns, deletes at once as before.

// queueFlushedEvents queues the deletion of table id's row events up to
// seq, flushed and published (writer goroutine).
func (ns *namespace) queueFlushedEvents(id int64, seq uint64) {
	if ns.flushedEvents == nil {
		ns.flushedEvents = map[int64]uint64{}
	}
	ns.flushedEvents[id] = max(ns.flushedEvents[id], seq)
}

// execer runs a statement: a *sql.DB or a *sql.Tx.
type execer interface {
	Exec(query string, args ...any) (sql.Result, error)
}

// deleteFlushedEvents deletes in db the row events of table id up to
// seq.
func deleteFlushedEvents(db execer, id int64, seq uint64) error {
	_, err := db.Exec(deleteEventsSQL, id, seq, opInsert, opDelete, opBulkManifest)
	return err
}

// deleteQueuedEvents runs the queued deletions in db, a commit's
// transaction or, at a checkpoint, the database; the queue is emptied by
// deletedQueuedEvents once db's transaction is durable.
func (ns *namespace) deleteQueuedEvents(db execer) error {
	for id, seq := range ns.flushedEvents {
		if tx, ok := db.(*sql.Tx); ok {
			db = txStatements{tx, ns.stmts}
		}
		if err := deleteFlushedEvents(db, id, seq); err != nil {
			return err
		}
	}
	return nil
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

// deletedQueuedEvents empties the queue after deleteQueuedEvents's
// transaction committed.
func (ns *namespace) deletedQueuedEvents() { clear(ns.flushedEvents) }
