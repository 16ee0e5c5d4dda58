package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"github.com/pqdb/pqdb/engine"
	"github.com/pqdb/pqdb/storage"
	"github.com/pqdb/pqdb/wire"
)

// Config says where the data lives and where to listen.
type Config struct {
	Listen  string // host:port; port 0 picks a free one
	DataDir string
	Storage storage.Options
	Logger  *slog.Logger
}

// Server is a running pqdb.
type Server struct {
	eng    *engine.Engine
	wire   *wire.Server
	ln     net.Listener
	served chan error

	stop    sync.Once
	stopErr error
}

// Start opens the data directory and starts serving. The returned error
// says which of the two failed.
func Start(cfg Config) (*Server, error) {
	eng, err := engine.Open(engine.Config{DataDir: cfg.DataDir, Storage: cfg.Storage})
	if err != nil {
		return nil, fmt.Errorf("cannot open data directory %s: %w", cfg.DataDir, err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	s := &Server{
		eng:    eng,
		wire:   &wire.Server{Backend: backend{eng}, Logger: cfg.Logger},
		ln:     ln,
		served: make(chan error, 1),
	}
	go func() { s.served <- s.wire.Serve(ln) }()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Shutdown stops accepting connections, lets running statements finish
// (until ctx ends), closes the sessions, then flushes every namespace to
// Parquet and closes the store.
// Only the first call does anything; later calls return its result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop.Do(func() { s.stopErr = s.shutdown(ctx) })
	return s.stopErr
}

func (s *Server) shutdown(ctx context.Context) error {
	werr := s.wire.Shutdown(ctx)
	if err := <-s.served; err != nil && !errors.Is(err, wire.ErrServerClosed) && werr == nil {
		werr = err
	}
	if err := s.eng.Close(); err != nil {
		return err
	}
	return werr
}

// Close shuts down without waiting for running statements.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// backend adapts the engine to the protocol layer's Backend.
type backend struct{ eng *engine.Engine }

func (b backend) NewSession(info wire.StartupInfo) (wire.Session, error) {
	return b.eng.NewSession(info)
}
