package storage

import (
	"database/sql"
	"fmt"
)

// Prepared parts on disk.
//
// A namespace prepares its part of a cross-schema commit by writing it
// exactly as a commit (events, catalog changes, counters, commit log; see
// persist) plus a row in prepared_commits that names the transaction id,
// the part's seq and the seq before it, all in one durable SQLite
// transaction. What the part overwrites is kept beside it: the events,
// commits row and meta seq need no copy (the part's seq is new and the
// prior one is in the row), and a part that changes the catalog first
// copies the objects and sequence_values tables into prepared_objects and
// prepared_sequence_values. The writer runs nothing else until the part
// is resolved, so the part is the newest thing in the database and undoing
// it is exact:
//
//   - commit: delete the row and the copies; events of tables the part
//     dropped are deleted now (a prepared drop keeps them, so an abort
//     finds them).
//   - abort: delete the part's events and commits row, put back the meta
//     seq and, if copied, the catalog tables, then delete the row and the
//     copies.
//
// An abort is one durable SQLite transaction of its own, written before
// the writer takes other work (the next commit reuses the part's seq). A
// commit is written with the namespace's next SQLite transaction (a
// commit group or another prepared part), which saves the held writer an
// fsync; its decision stays in the log until then. On open,
// recoverPrepared resolves each leftover row by the decision log
// (global_log.go) before the namespace is loaded.

const preparedSchema = `
CREATE TABLE IF NOT EXISTS prepared_commits(
	txid INTEGER PRIMARY KEY,
	seq INTEGER NOT NULL,
	prior_seq INTEGER NOT NULL,
	saved_catalog INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS prepared_objects(
	txid INTEGER NOT NULL, id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, def TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS prepared_sequence_values(
	txid INTEGER NOT NULL, id INTEGER NOT NULL, last INTEGER NOT NULL, called INTEGER NOT NULL);
`

// changesCatalog reports whether a part writes catalog tables that an
// abort must restore.
func (c *nsCommit) changesCatalog() bool { return len(c.ddl) > 0 || len(c.seqVals) > 0 }

// persistPrepared durably writes p, the part of transaction txid, as
// prepared.
func (ns *namespace) persistPrepared(txid int64, p *preparedCommit) error {
	return ns.commitPersisted(func(tx *sql.Tx) error {
		saved := p.req.c.changesCatalog()
		if saved {
			if _, err := tx.Exec(`INSERT INTO prepared_objects SELECT ?, id, kind, name, def FROM objects`, txid); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO prepared_sequence_values SELECT ?, id, last, called FROM sequence_values`, txid); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO prepared_commits(txid, seq, prior_seq, saved_catalog) VALUES(?, ?, ?, ?)`,
			txid, p.seq, p.st.seq, saved); err != nil {
			return err
		}
		return ns.persist(tx, p.st, p.nst, p.seq, p.req.c)
	})
}

// preparedRow is a row of prepared_commits.
type preparedRow struct {
	txid         int64
	seq, prior   uint64
	savedCatalog bool
}

// resolvePrepared durably commits or aborts the prepared part row.
func (ns *namespace) resolvePrepared(row preparedRow, commit bool) error {
	return ns.writeTx(func(tx *sql.Tx) error { return resolveIn(tx, row, commit) })
}

// resolveLater queues the committed part row to be resolved in the
// namespace's next SQLite transaction (resolveQueued), which saves the
// writer an fsync of its own. Until then the decision stays in the log.
func (ns *namespace) resolveLater(row preparedRow) {
	ns.unresolved = append(ns.unresolved, row)
}

// resolveQueued resolves the committed parts resolveLater queued, in tx;
// resolvedQueued must follow once tx is durable.
func (ns *namespace) resolveQueued(tx *sql.Tx) error {
	for _, row := range ns.unresolved {
		if err := resolveIn(tx, row, true); err != nil {
			return err
		}
	}
	return nil
}

// resolvedQueued reports the parts resolveQueued resolved to the
// decision log, once their resolution is durable.
func (ns *namespace) resolvedQueued() {
	for _, row := range ns.unresolved {
		ns.store.decisions.resolved(row.txid)
	}
	ns.unresolved = ns.unresolved[:0]
}

// resolveIn commits or aborts the prepared part row in tx.
func resolveIn(tx *sql.Tx, row preparedRow, commit bool) error {
	var stmts []string
	switch {
	case commit && row.savedCatalog:
		// Row events of tables the part dropped (see persistCatalogDiff).
		stmts = append(stmts, fmt.Sprintf(`DELETE FROM events WHERE %s
			AND table_id NOT IN (SELECT id FROM objects WHERE kind = '%s')`, tailOps, kindTable))
	case !commit:
		stmts = append(stmts,
			fmt.Sprintf(`DELETE FROM events WHERE seq = %d`, row.seq),
			fmt.Sprintf(`DELETE FROM commits WHERE seq = %d`, row.seq),
			fmt.Sprintf(`UPDATE meta SET value = %d WHERE key = 'seq'`, row.prior))
		if row.savedCatalog {
			stmts = append(stmts,
				`DELETE FROM objects`,
				fmt.Sprintf(`INSERT INTO objects(id, kind, name, def) SELECT id, kind, name, def FROM prepared_objects WHERE txid = %d`, row.txid),
				`DELETE FROM sequence_values`,
				fmt.Sprintf(`INSERT INTO sequence_values(id, last, called) SELECT id, last, called FROM prepared_sequence_values WHERE txid = %d`, row.txid))
		}
	}
	stmts = append(stmts,
		fmt.Sprintf(`DELETE FROM prepared_objects WHERE txid = %d`, row.txid),
		fmt.Sprintf(`DELETE FROM prepared_sequence_values WHERE txid = %d`, row.txid),
		fmt.Sprintf(`DELETE FROM prepared_commits WHERE txid = %d`, row.txid))
	for _, q := range stmts {
		if _, err := tx.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// recoverPrepared resolves the prepared parts a crash left in the
// namespace's database: committed if the decision log recorded their
// transaction, discarded otherwise. It runs on open, before load reads
// the database.
func (ns *namespace) recoverPrepared() error {
	if _, err := ns.db.Exec(preparedSchema); err != nil {
		return err
	}
	rows, err := ns.db.Query(`SELECT txid, seq, prior_seq, saved_catalog FROM prepared_commits ORDER BY seq DESC`)
	if err != nil {
		return err
	}
	var parts []preparedRow
	for rows.Next() {
		var r preparedRow
		if err := rows.Scan(&r.txid, &r.seq, &r.prior, &r.savedCatalog); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range parts {
		if err := ns.resolvePrepared(r, ns.store.decisions.committedBefore(r.txid)); err != nil {
			return fmt.Errorf("cannot resolve prepared transaction %d: %w", r.txid, err)
		}
	}
	return nil
}

// preparedRowOf is the prepared_commits row persistPrepared wrote for p.
func preparedRowOf(txid int64, p *preparedCommit) preparedRow {
	return preparedRow{txid: txid, seq: p.seq, prior: p.st.seq, savedCatalog: p.req.c.changesCatalog()}
}
