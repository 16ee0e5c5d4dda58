package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pqdb/pqdb/metrics"
)

// metricsListener serves Prometheus metrics on Config.MetricsListen
// (--metrics-listen), at /metrics, beside the PostgreSQL port.
type metricsListener struct {
	ln   net.Listener
	http *http.Server
	done chan struct{}
}

// listenMetrics starts serving m on addr; log hears if serving fails.
func listenMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (*metricsListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen for metrics on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	l := &metricsListener{ln: ln, http: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		if err := l.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("the metrics listener stopped", "err", err)
		}
	}()
	return l, nil
}

// close stops serving metrics.
func (l *metricsListener) close() {
	if l == nil {
		return
	}
	l.http.Close()
	<-l.done
}
