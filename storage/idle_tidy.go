package storage

import "time"

// Tidying when idle. Under a stream of small commits a table's tail
// grows to hundreds of single-row batches before it is flushed, and each
// flush adds a small segment whose rows span the whole key range, until
// compaction merges them (after the ninth). Reads that follow such a
// burst pay for both: a point lookup walks every tail batch's bounds and
// checks every small segment's bloom filter (pgbench's select-only run
// after its TPC-B runs: 23k lookups per second against 29k on a compacted
// table). So a writer that has had nothing to do for Options.IdleTidy
// flushes every tail, then, once the flushes are published and it is
// still idle, merges the small segments of each table that has more
// than one, as background compaction does. Any request or published
// flush restarts the wait; a tidy that finds nothing to do does not.

// armIdleTidy restarts the wait after which an idle writer tidies
// (writer goroutine).
func (ns *namespace) armIdleTidy() {
	if d := ns.store.opts.IdleTidy; d > 0 {
		ns.idleTidy.Reset(d)
	}
}

// tidy flushes the tables with a tail; when none has one and no flush is
// in flight, it starts the compaction of the tables with more than one
// small segment (writer goroutine).
func (ns *namespace) tidy() {
	st := ns.state.Load()
	now := time.Now()
	for id, ts := range st.byID {
		if retry := ns.flushDue[id]; retry != nil && !retry.due(now) {
			continue // a failed flush waits for its backoff
		}
		if len(ts.inserts)+len(ts.deletes) > 0 {
			ns.startFlush(id)
		}
	}
	if len(ns.flushing) > 0 {
		return // the published flushes arm the next tidy
	}
	pol := ns.store.compactionPolicy()
	pol.MaxSmall = 1
	for id := range st.byID {
		ns.compactIfDue(id, pol)
	}
}
