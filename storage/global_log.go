package storage

import (
	"fmt"
	"slices"
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// The decision log.
//
// A transaction that writes to several schemas commits them with two
// phases (cross_commit.go): every participating namespace durably
// prepares its part, then the coordinator records the decision to commit
// in global.sqlite's commit_decisions table, and only then do the
// namespaces mark their parts committed and publish them. The decision
// record is the commit point: a prepared part whose transaction id has a
// record is committed, one without a record is not (it is discarded), so
// recovery on open resolves every prepared part by looking its id up
// here (namespace.recoverPrepared).
//
// A record must outlive every prepared part that names it, or a part
// would be discarded after its transaction committed. Each namespace
// resolves its part durably before it reports it resolved; once every
// participant has, the record is deleted in the SQLite transaction of the
// next decision (no fsync of its own). Open deletes every record after
// all namespaces have recovered, since none names a prepared part then.
//
// Decisions share global.sqlite and its connection with the roles
// (roles.go), under roleRegistry.mu.

const decisionSchema = `
CREATE TABLE IF NOT EXISTS commit_decisions(txid INTEGER PRIMARY KEY, participants INTEGER NOT NULL);
`

// decisionLog is the in-memory side of commit_decisions.
type decisionLog struct {
	mu sync.Mutex
	// unresolved counts, per committed transaction id, the participants
	// that have not yet durably resolved their prepared part.
	unresolved map[int64]int
	// prunable are decisions every participant resolved, deleted with
	// the next decision.
	prunable []int64
	// recovered are the decisions found on open, which recovery reads.
	recovered map[int64]bool
}

// openDecisions creates the decision table in global.sqlite and reads the
// decisions a crash left, for the namespaces' recovery.
func (s *Store) openDecisions() error {
	db := s.roles.db
	if _, err := db.Exec(decisionSchema); err != nil {
		return fmt.Errorf("cannot create the commit decision log: %w", err)
	}
	rows, err := db.Query(`SELECT txid FROM commit_decisions`)
	if err != nil {
		return fmt.Errorf("cannot read the commit decision log: %w", err)
	}
	defer rows.Close()
	d := &s.decisions
	d.unresolved = map[int64]int{}
	d.recovered = map[int64]bool{}
	for rows.Next() {
		var txid int64
		if err := rows.Scan(&txid); err != nil {
			return fmt.Errorf("cannot read the commit decision log: %w", err)
		}
		d.recovered[txid] = true
		// Transaction ids are never reused, also those of decisions.
		s.raiseTxID(txid + 1)
	}
	return rows.Err()
}

// committedBefore reports whether the log held a decision to commit txid
// when the store was opened.
func (d *decisionLog) committedBefore(txid int64) bool { return d.recovered[txid] }

// forgetRecovered deletes the decisions found on open, once every
// namespace has resolved the parts they named.
func (s *Store) forgetRecovered() error {
	if len(s.decisions.recovered) == 0 {
		return nil
	}
	if _, err := s.roles.db.Exec(`DELETE FROM commit_decisions`); err != nil {
		return fmt.Errorf("cannot prune the commit decision log: %w", err)
	}
	s.decisions.recovered = nil
	return nil
}

// recordCommit durably records the decision to commit txid, whose parts
// in participants namespaces are prepared. It returns only once the
// record is durable (the commit point), or with an error after which the
// transaction must be aborted.
func (s *Store) recordCommit(txid int64, participants int) (err error) {
	r := &s.roles
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		return errStoreClosed
	}
	d := &s.decisions
	d.mu.Lock()
	prune := slices.Clone(d.prunable)
	d.mu.Unlock()
	tx, err := r.db.Begin()
	if err != nil {
		return pgerr.New(pgerr.IoError, "could not record the commit decision: %v", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	for _, id := range prune {
		if _, err := tx.Exec(`DELETE FROM commit_decisions WHERE txid = ?`, id); err != nil {
			return pgerr.New(pgerr.IoError, "could not record the commit decision: %v", err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO commit_decisions(txid, participants) VALUES(?, ?)`, txid, participants); err != nil {
		return pgerr.New(pgerr.IoError, "could not record the commit decision: %v", err)
	}
	if err := tx.Commit(); err != nil {
		return pgerr.New(pgerr.IoError, "could not record the commit decision: %v", err)
	}
	d.mu.Lock()
	d.prunable = slices.DeleteFunc(d.prunable, func(id int64) bool { return slices.Contains(prune, id) })
	d.unresolved[txid] = participants
	d.mu.Unlock()
	return nil
}

// resolved notes that one participant of committed transaction txid has
// durably resolved its part; after the last one the decision may go.
func (d *decisionLog) resolved(txid int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.unresolved[txid]; ok {
		if n <= 1 {
			delete(d.unresolved, txid)
			d.prunable = append(d.prunable, txid)
		} else {
			d.unresolved[txid] = n - 1
		}
	}
}
