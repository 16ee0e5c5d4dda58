// Package crashcheck checks that pqdb keeps every acknowledged commit, and
// only whole transactions, across kill -9.
//
// The story of one run:
//
//  1. A server process (the test binary itself, re-executed in child mode,
//     see Child) serves a data directory on a loopback port. Flushes are
//     configured small, so segments, row groups and the unflushed tail all
//     hold data when the kill lands.
//  2. Several clients, each in its own key range of one table
//     cc(k bigint PRIMARY KEY, v bigint NOT NULL, s text), run
//     transactions of one to five statements through pgx's extended
//     protocol: multi-row INSERTs, single-row UPDATEs and DELETEs, range
//     UPDATEs (v = v + $1), COPY FROM STDIN, and reads of their own range
//     that must match what the client has written so far. Strings are
//     NULL, empty, short with quotes and backslashes, or up to 3,500
//     bytes. All clients also increment a few shared counter rows
//     (audit.ctr.n = n + $1, in a second schema, so such transactions
//     commit in two namespaces), and their transactions do conflict there.
//     Another connection runs CHECKPOINT or VACUUM cc at random moments.
//  3. Each client keeps a Model: the rows of its range and the sum of its
//     counter increments, as of every acknowledged COMMIT. A transaction
//     whose COMMIT was cut off by the kill is in doubt: it may be present
//     or absent after restart, but only whole.
//  4. After a random delay the server gets SIGKILL, is started again on
//     the same directory, and every client's range is compared exactly
//     with its model (with or without its in-doubt transaction), and each
//     counter with the sum of the acknowledged increments (Reconcile),
//     then again after a CHECKPOINT. The next round goes on from there.
//
// Invariants the check relies on: key ranges are disjoint, so each
// range's expected contents depend on its client alone; counter
// increments commute, so their expected sums do not depend on the commit
// order, and a lost update shows as a wrong sum; a serialization failure
// (40001) or a deadlock (40P01, two clients incrementing two counters in
// opposite orders) rolls the transaction back and is not an error; any other
// statement that fails while the server is alive is a failure (only
// errors after the kill are expected); and row counts reported by UPDATE
// and DELETE must equal the model's.
//
// After each restart the table's history (pqdb_history) must replay to
// exactly its rows (CheckHistory).
//
// CI runs 50 rounds (go test ./crashcheck); a long run is
//
//	go test ./crashcheck -run TestCrashConsistency -timeout 0 -crash.rounds 100 -crash.clients 4
package crashcheck
