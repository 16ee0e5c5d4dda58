package storage

import "database/sql"

// Prepared statements of the commit path.
//
// database/sql prepares a statement anew for every Exec with arguments,
// and a commit runs about ten: its commits row, an event per changed
// batch, the counters. Preparing them took a quarter of the writer's
// SQLite time in pgbench's TPC-B, inside the critical section every
// queued commit waits on. So the statements of the commit path are
// prepared once, when the namespace opens (its database has one
// connection, which a transaction holds, so they cannot be prepared
// lazily), and each transaction runs them through Tx.Stmt, which reuses
// a statement prepared on the transaction's connection (and prepares it
// again on a new connection, should database/sql have replaced it).

const (
	insertEventSQL  = `INSERT INTO events(seq, ord, ts, op, table_id, row_ids, payload) VALUES(?, ?, ?, ?, ?, ?, ?)`
	insertCommitSQL = `INSERT OR REPLACE INTO commits(seq, ts, txid) VALUES(?, ?, ?)`
	upsertMetaSQL   = `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`
)

var (
	deleteEventsSQL      = `DELETE FROM events WHERE table_id = ? AND seq <= ? AND ` + flushedOps
	deleteEventPrefixSQL = `DELETE FROM events WHERE seq <= ? AND ` + flushedOps
)

// writerStatements are the prepared statements of a namespace's
// database, by query text.
type writerStatements map[string]*sql.Stmt

// prepareWriterStatements prepares the commit path's statements in db.
func prepareWriterStatements(db *sql.DB) (writerStatements, error) {
	stmts := writerStatements{}
	for _, q := range []string{insertEventSQL, insertCommitSQL, upsertMetaSQL, deleteEventPrefixSQL} {
		stmt, err := db.Prepare(q)
		if err != nil {
			return nil, err
		}
		stmts[q] = stmt
	}
	return stmts, nil
}

// exec runs query with args in tx, through its prepared statement when
// it is one of the commit path's.
func (ws writerStatements) exec(tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if stmt := ws[query]; stmt != nil {
		return tx.Stmt(stmt).Exec(args...)
	}
	return tx.Exec(query, args...)
}
