package storage

import "log/slog"

// Replaying a large tail at open.
//
// A bulk commit (bulk_commit.go) logs no rows, only the manifest of its
// flush, but one whose flush could not be written or published logged
// its rows after all and kept them in the tail, and many ordinary
// commits can leave a large tail too: a crash then leaves all those rows
// as insert events in SQLite, and open replays them into the table's
// tail. So that a commit of millions of rows does not come back into
// memory at once, replay keeps
// inserted batches in memory only up to the store's spill limit
// (Store.spillBytes) and writes the rest to an unlinked spill file, as a
// transaction spills its pending rows (pending_spill.go); the events'
// payloads are written as they are, already in the spill file's format.
// Open then flushes such a table before the writer starts, reading the
// spilled batches back one at a time, so the tail is empty again and no
// snapshot holds a spilled batch. If that flush fails, the table keeps
// its tail with the spilled batches, which scans and key lookups read
// through tailInsert.load, and the writer retries the flush with backoff
// (backoff.go); the spill file stays open as long as a state refers to
// it.

// replaySpill is a table whose replayed tail spilled into spill.
type replaySpill struct {
	table int64
	spill *spillFile
}

// overSpillLimit reports whether inMemory bytes of rows exceed the
// store's spill limit.
func (s *Store) overSpillLimit(inMemory int64) bool {
	limit := s.spillBytes()
	return limit >= 0 && inMemory > limit
}

// flushReplayed flushes the tables whose replay spilled (open, before the
// writer starts).
func (ns *namespace) flushReplayed(spilled []replaySpill) {
	for _, r := range spilled {
		if err := ns.flushTable(r.table); err != nil {
			ns.flushFailed(r.table, err)
			slog.Warn("flushing a replayed tail failed; it stays in a spill file until a retry succeeds",
				"schema", ns.name, "table", ns.tableName(r.table), "err", err)
			continue
		}
		ns.flushSucceeded(r.table)
		r.spill.close()
	}
}
