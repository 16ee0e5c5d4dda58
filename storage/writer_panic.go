package storage

import "github.com/pqdb/pqdb/pgerr"

// A panic on the writer goroutine is a bug that may have left the
// namespace's memory half-changed: a commit group prepared but not
// published, its key indexes unsettled, its counters ahead of the
// database. The writer does not go on from there. Its SQLite transaction
// is rolled back (writeTx), so nothing of the work that panicked becomes
// durable; recoverWriter notes why the writer stopped (crashed) and lets
// the loop end. Every commit, DDL or flush request of the schema, waiting
// or later, then fails with that internal error (XX000, stoppedErr),
// while scans go on reading the last state the writer published, which
// is whole. A restart recovers the schema from its database and files as
// after a crash.

// recoverWriter, deferred by the writer loop, stops the writer on a
// panic instead of the process.
func (ns *namespace) recoverWriter() {
	r := recover()
	if r == nil {
		return
	}
	err := pgerr.FromPanic(r)
	err.Detail = "The writer of schema \"" + ns.name + "\" stopped: the schema accepts no changes until the server restarts."
	ns.crashed = err
}
