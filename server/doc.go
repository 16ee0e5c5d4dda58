// Package server assembles a running pqdb: it opens the engine on a data
// directory and serves the PostgreSQL protocol for it on a listener. The
// pqdb-server command and the tests that drive pqdb over the wire both
// start it through here. With Config.MetricsListen it also serves
// Prometheus metrics (package metrics) on a second listener
// (metrics_listener.go).
package server
