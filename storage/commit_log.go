package storage

import (
	"database/sql"
	"slices"
	"sort"
	"sync"
	"time"
)

// commitLog is a namespace's record of its commits: for each commit seq,
// its commit time and transaction id. Time travel reads it to find which
// seq a timestamp means, and history to say when and by which
// transaction an event was committed. It is kept in the commits table
// (written in the commit's own SQLite transaction) and mirrored in
// memory; the writer appends to it, sessions read it under mu. Entries
// older than the history retention are pruned, except the newest of
// them, which still answers for the times up to the next commit.
type commitLog struct {
	mu    sync.RWMutex
	seqs  []uint64
	times []int64 // commit time, Unix microseconds, non-decreasing
	txids []int64
	// lastTime is the latest commit time handed out by stamp (writer only).
	lastTime int64
}

// stamp returns the commit time of a commit being persisted now. Times
// never go backwards, also when the clock does, so a time maps to one
// consistent prefix of the commits.
func (l *commitLog) stamp() int64 {
	now := time.Now().UnixMicro()
	l.lastTime = max(l.lastTime, now)
	return l.lastTime
}

// add records a durable commit; seqs arrive in ascending order.
func (l *commitLog) add(seq uint64, at, txid int64) {
	l.mu.Lock()
	l.seqs = append(l.seqs, seq)
	l.times = append(l.times, at)
	l.txids = append(l.txids, txid)
	l.mu.Unlock()
}

// seqAt returns the seq of the last commit at or before time at (0 when
// the namespace had no commit yet), and false when at is older than the
// oldest retained commit, so that what was then is no longer known.
func (l *commitLog) seqAt(at int64, pruned bool) (uint64, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i := sort.Search(len(l.times), func(i int) bool { return l.times[i] > at })
	if i == 0 {
		return 0, !pruned
	}
	return l.seqs[i-1], true
}

// commit returns the time and transaction id of commit seq, if retained.
func (l *commitLog) commit(seq uint64) (at, txid int64, ok bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, found := slices.BinarySearch(l.seqs, seq)
	if !found {
		return 0, 0, false
	}
	return l.times[i], l.txids[i], true
}

// oldest returns the seq and time of the oldest retained commit.
func (l *commitLog) oldest() (seq uint64, at int64, ok bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(l.seqs) == 0 {
		return 0, 0, false
	}
	return l.seqs[0], l.times[0], true
}

// newest returns the seq of the newest retained commit, 0 when there is
// none. Pruning keeps the newest commit, so this is the namespace's seq.
func (l *commitLog) newest() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if len(l.seqs) == 0 {
		return 0
	}
	return l.seqs[len(l.seqs)-1]
}

// horizon returns the seq of the newest commit at or before time at: the
// oldest state a read within the retention can ask for.
func (l *commitLog) horizon(at int64) uint64 {
	seq, _ := l.seqAt(at, false)
	return seq
}

// pruneBefore forgets the commits below seq.
func (l *commitLog) pruneBefore(seq uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, _ := slices.BinarySearch(l.seqs, seq)
	if i == 0 {
		return
	}
	l.seqs = slices.Delete(l.seqs, 0, i)
	l.times = slices.Delete(l.times, 0, i)
	l.txids = slices.Delete(l.txids, 0, i)
}

// load reads the retained commits of a namespace and returns the highest
// transaction id among them.
func (l *commitLog) load(db *sql.DB) (int64, error) {
	rows, err := db.Query(`SELECT seq, ts, txid FROM commits ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var hi int64
	for rows.Next() {
		var seq uint64
		var at, txid int64
		if err := rows.Scan(&seq, &at, &txid); err != nil {
			return 0, err
		}
		l.seqs = append(l.seqs, seq)
		l.times = append(l.times, at)
		l.txids = append(l.txids, txid)
		l.lastTime = max(l.lastTime, at)
		hi = max(hi, txid)
	}
	return hi, rows.Err()
}
