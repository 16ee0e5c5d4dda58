package storage

import (
	"log/slog"
	"time"
)

// A flush or compaction that fails (a full disk, an I/O error) changes
// nothing: the events stay in SQLite and the tail in memory, commits go
// on, and the work is retried. Retrying at once after every commit would
// make a full disk spin (each attempt writes and removes a segment), so
// retries of one table wait minRetryDelay, doubling with each failure up
// to maxRetryDelay, and reset on success. The failure is logged when it
// starts and the recovery when it ends, not at each attempt.

const (
	minRetryDelay = 100 * time.Millisecond
	maxRetryDelay = 30 * time.Second
)

// retryBackoff is the retry state of an operation that has failed.
type retryBackoff struct {
	failures int
	delay    time.Duration // the wait after the last failure
	next     time.Time     // no automatic retry before this
}

// failed records a failure at now and schedules the next attempt; it
// reports whether this failure starts a run of them.
func (b *retryBackoff) failed(now time.Time) (first bool) {
	if b.failures == 0 {
		b.delay = minRetryDelay
	} else {
		b.delay = min(2*b.delay, maxRetryDelay)
	}
	b.failures++
	b.next = now.Add(b.delay)
	return b.failures == 1
}

// due reports whether a retry may run at now.
func (b *retryBackoff) due(now time.Time) bool {
	return !now.Before(b.next)
}

// flushFailed records a failed flush of table id: it is retried with
// backoff (flushOverdue).
func (ns *namespace) flushFailed(id int64, err error) {
	ns.store.objects.noteFailedJob()
	b := ns.flushDue[id]
	if b == nil {
		b = &retryBackoff{}
		ns.flushDue[id] = b
	}
	if b.failed(time.Now()) {
		slog.Warn("flush failed; its events stay in SQLite and it is retried with backoff",
			"schema", ns.name, "table", ns.tableName(id), "err", err)
	}
}

// flushSucceeded ends the retries of table id's flush, if it had failed.
func (ns *namespace) flushSucceeded(id int64) {
	if b := ns.flushDue[id]; b != nil {
		delete(ns.flushDue, id)
		slog.Info("flush succeeded after failing", "schema", ns.name, "table", ns.tableName(id), "failures", b.failures)
	}
}

// tableName names table id for the log.
func (ns *namespace) tableName(id int64) string {
	if ts := ns.state.Load().byID[id]; ts != nil {
		return ts.table.Name
	}
	return ""
}

// scheduleFlushRetry sets the writer's retry timer to the earliest retry
// due, or stops it when no flush awaits one.
func (ns *namespace) scheduleFlushRetry(now time.Time) {
	var earliest time.Time
	for _, b := range ns.flushDue {
		if earliest.IsZero() || b.next.Before(earliest) {
			earliest = b.next
		}
	}
	if earliest.IsZero() {
		ns.flushRetry.Stop()
		return
	}
	ns.flushRetry.Reset(max(earliest.Sub(now), 0))
}

// retryDue reports whether a background compaction of table may
// start now: not while it waits out the backoff of a failed one.
func (c *compactor) retryDue(table int64, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.retry[table]
	return b == nil || b.due(now)
}

// compactionFailed records a failed background compaction of table and
// reports whether it starts a run of failures (to be logged).
func (c *compactor) compactionFailed(table int64) (first bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.retry == nil {
		c.retry = map[int64]*retryBackoff{}
	}
	b := c.retry[table]
	if b == nil {
		b = &retryBackoff{}
		c.retry[table] = b
	}
	return b.failed(time.Now())
}

// compactionSucceeded ends the backoff of table's background compaction
// and reports whether it had failed.
func (c *compactor) compactionSucceeded(table int64) (recovered bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, recovered = c.retry[table]
	delete(c.retry, table)
	return recovered
}

// stoppedTimer is a timer that fires only once Reset.
func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}
