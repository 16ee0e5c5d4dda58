package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pqdb/pqdb/engine"
)

// Metrics is one server's registry.
type Metrics struct {
	reg        *prometheus.Registry
	statements *prometheus.CounterVec
	durations  *prometheus.HistogramVec
}

// New makes the registry, with Go's runtime and the process in it;
// WatchEngine adds the engine's figures.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		statements: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pqdb_statements_total",
			Help: "Statements run, by command and outcome (ok, or the SQLSTATE of the error).",
		}, []string{"command", "outcome"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pqdb_statement_duration_seconds",
			Help: "How long statements ran, by command.",
			// 50 µs (a point lookup) to about 14 min, by factors of 4.
			Buckets: prometheus.ExponentialBuckets(50e-6, 4, 12),
		}, []string{"command"}),
	}
	m.reg.MustRegister(m.statements, m.durations,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveStatement is an engine.StatementObserver.
func (m *Metrics) ObserveStatement(command, sqlstate string, took time.Duration) {
	if !plainCommand(command) {
		command = "OTHER"
	}
	outcome := sqlstate
	if outcome == "" {
		outcome = "ok"
	}
	m.statements.WithLabelValues(command, outcome).Inc()
	m.durations.WithLabelValues(command).Observe(took.Seconds())
}

// plainCommand reports whether command is a word a label may hold: a
// statement's keyword, so that the labels stay a small set.
func plainCommand(command string) bool {
	if command == "" || len(command) > 24 {
		return false
	}
	for _, c := range []byte(command) {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// WatchEngine exports the engine's gauges and counters, read at each
// scrape.
func (m *Metrics) WatchEngine(eng *engine.Engine) {
	m.reg.MustRegister(engineCollector{eng})
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
