// Package metrics exports what a pqdb server is doing in Prometheus' text
// format, with github.com/prometheus/client_golang: the statements run,
// by command and outcome, with a histogram of their durations
// (StatementObserver, which the engine calls as each statement ends);
// the sessions open and the memory running statements hold; the
// storage's counters (commits and the SQLite transactions that made
// them durable, with a histogram of how many commits each held, flushes
// and compactions with the time they took, segments, row groups and pages read
// and skipped, bytes read from files and found cached, which the server
// asks storage to count when metrics are on: storage.Options.CountScans);
// and Go's runtime and the process (heap, goroutines, RSS, open
// files). Gauges and storage counters are read from the engine when
// Prometheus scrapes, so only the statement observation runs on the
// statements' path.
//
// The server serves Handler on --metrics-listen; the package itself
// opens no socket.
package metrics
