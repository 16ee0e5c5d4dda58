package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"github.com/pqdb/pqdb/engine"
	"github.com/pqdb/pqdb/metrics"
	"github.com/pqdb/pqdb/storage"
	"github.com/pqdb/pqdb/storage/bucket"
	"github.com/pqdb/pqdb/wire"
	"gocloud.dev/blob"
)

// Config says where the data lives, where to listen and who may connect.
type Config struct {
	Listen string // host:port; port 0 picks a free one
	// DataDir is where the tables live: a local directory, or an object
	// store's URL (storage/bucket.Open), which needs WALDir.
	DataDir string
	// WALDir is a local directory for the schemas' SQLite databases (the
	// commits not yet flushed to the tables); "" keeps them in DataDir,
	// which must then be local.
	WALDir  string
	Storage storage.Options
	Logger  *slog.Logger

	// TLSCertFile and TLSKeyFile are PEM files holding the server's
	// certificate (chain) and private key. With them, clients may
	// encrypt; without them, SSLRequest is answered 'N'.
	TLSCertFile, TLSKeyFile string
	// TLSMode TLSRequire refuses clients that do not encrypt; it needs a
	// certificate.
	TLSMode wire.TLSMode
	// HBAFile holds pg_hba-style rules (see wire/hba.go). Empty trusts
	// loopback connections and refuses all others.
	HBAFile string
	// UsersFile holds the password verifiers of users (see wire/users.go).
	UsersFile string
	// MaxConnections bounds concurrent sessions; zero means
	// DefaultMaxConnections and a negative value no limit.
	MaxConnections int
	// AllowFiles is the directory whose files COPY ... FROM/TO a file
	// and read_parquet may use (--allow-files); "" refuses them all.
	AllowFiles string
	// MemoryLimit bounds the memory all running statements hold together
	// (--memory-limit), in bytes; 0 means no limit. TempDir is where
	// spilling statements make their temporary files; "" means
	// os.TempDir().
	MemoryLimit int64
	TempDir     string
	// MetricsListen, if set, is the host:port where Prometheus metrics
	// are served at /metrics (--metrics-listen; port 0 picks a free one).
	MetricsListen string
	// Settings are every session's defaults from a configuration file
	// (--config).
	Settings []engine.FileSetting
}

// DefaultMaxConnections is PostgreSQL's default max_connections.
const DefaultMaxConnections = 100

// Server is a running pqdb.
type Server struct {
	eng    *engine.Engine
	wire   *wire.Server
	ln     net.Listener
	served chan error
	// metrics is the metrics listener; nil without one.
	metrics *metricsListener
	// tables is the bucket of the tables when they are apart from the
	// SQLite databases (Config.WALDir), else nil.
	tables *blob.Bucket

	stop    sync.Once
	stopErr error
}

// Start opens the data directory and starts serving. The returned error
// says which of the two failed.
func Start(cfg Config) (*Server, error) {
	ws, err := newWireServer(cfg)
	if err != nil {
		return nil, err
	}
	ecfg := engine.Config{DataDir: cfg.DataDir, Storage: cfg.Storage, PasswordVerifier: passwordVerifier, AllowFiles: cfg.AllowFiles,
		MemoryLimit: cfg.MemoryLimit, TempDir: cfg.TempDir, FileSettings: cfg.Settings}
	tables, err := openTables(cfg)
	if err != nil {
		return nil, err
	}
	if tables != nil {
		ecfg.DataDir, ecfg.Storage.Bucket = cfg.WALDir, tables
		ecfg.Storage.BucketURI = bucket.URI(cfg.DataDir)
	}
	var m *metrics.Metrics
	if cfg.MetricsListen != "" {
		m = metrics.New()
		ecfg.ObserveStatement = m.ObserveStatement
		ecfg.Storage.CountScans = true
	}
	eng, err := engine.Open(ecfg)
	if err != nil {
		closeTables(tables)
		return nil, fmt.Errorf("cannot open data directory %s: %w", cfg.DataDir, err)
	}
	var ml *metricsListener
	if m != nil {
		m.WatchEngine(eng)
		log := cfg.Logger
		if log == nil {
			log = slog.Default()
		}
		if ml, err = listenMetrics(cfg.MetricsListen, m, log); err != nil {
			eng.Close()
			closeTables(tables)
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		ml.close()
		eng.Close()
		closeTables(tables)
		return nil, fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	s := &Server{
		eng:     eng,
		wire:    ws,
		ln:      ln,
		served:  make(chan error, 1),
		metrics: ml,
		tables:  tables,
	}
	ws.Backend = backend{eng}
	ws.RoleVerifier = eng.RoleVerifier
	go func() { s.served <- s.wire.Serve(ln) }()
	return s, nil
}

// newWireServer loads the connection security settings, so that a bad
// certificate or rules file fails before any data is opened.
func newWireServer(cfg Config) (*wire.Server, error) {
	ws := &wire.Server{Logger: cfg.Logger, TLSMode: cfg.TLSMode}
	switch {
	case cfg.MaxConnections == 0:
		ws.MaxConnections = DefaultMaxConnections
	case cfg.MaxConnections > 0:
		ws.MaxConnections = cfg.MaxConnections
	}

	switch {
	case cfg.TLSCertFile != "" && cfg.TLSKeyFile != "":
		cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("cannot load TLS certificate: %w", err)
		}
		// PostgreSQL's default ssl_min_protocol_version.
		ws.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	case cfg.TLSCertFile != "" || cfg.TLSKeyFile != "":
		return nil, errors.New("a TLS certificate needs both a certificate file and a key file")
	case cfg.TLSMode == wire.TLSRequire:
		return nil, errors.New("TLS mode require needs a certificate and key")
	}

	if cfg.HBAFile != "" {
		hba, err := wire.LoadHBA(cfg.HBAFile)
		if err != nil {
			return nil, fmt.Errorf("cannot load HBA rules: %w", err)
		}
		ws.HBA = hba
	}
	if cfg.UsersFile != "" {
		users, err := wire.LoadUsers(cfg.UsersFile)
		if err != nil {
			return nil, fmt.Errorf("cannot load users: %w", err)
		}
		ws.Users = users
	}
	// Without a users file, password rules check the roles made with
	// CREATE ROLE ... PASSWORD (set up in Start).
	return ws, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// MetricsAddr is the address metrics are served on; "" without them.
func (s *Server) MetricsAddr() string {
	if s.metrics == nil {
		return ""
	}
	return s.metrics.ln.Addr().String()
}

// Shutdown stops accepting connections, lets running statements finish
// (until ctx ends), closes the sessions, then flushes every namespace to
// Parquet and closes the store.
// Only the first call does anything; later calls return its result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop.Do(func() { s.stopErr = s.shutdown(ctx) })
	return s.stopErr
}

func (s *Server) shutdown(ctx context.Context) error {
	defer s.metrics.close()
	werr := s.wire.Shutdown(ctx)
	if err := <-s.served; err != nil && !errors.Is(err, wire.ErrServerClosed) && werr == nil {
		werr = err
	}
	err := s.eng.Close()
	closeTables(s.tables)
	if err != nil {
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

// openTables opens the bucket of the tables when they are kept apart
// from the SQLite databases (cfg.WALDir), or returns nil.
func openTables(cfg Config) (*blob.Bucket, error) {
	if cfg.WALDir == "" {
		if !bucket.IsLocal(cfg.DataDir) {
			return nil, fmt.Errorf("data directory %s is an object store: give a local directory for the schemas' databases (--wal-dir)", cfg.DataDir)
		}
		return nil, nil
	}
	if !bucket.IsLocal(cfg.WALDir) {
		return nil, fmt.Errorf("the WAL directory %s must be a local directory", cfg.WALDir)
	}
	b, err := bucket.Open(context.Background(), cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("cannot open data directory %s: %w", cfg.DataDir, err)
	}
	return b, nil
}

// closeTables closes the tables' bucket, if any.
func closeTables(b *blob.Bucket) {
	if b != nil {
		b.Close()
	}
}

// backend adapts the engine to the protocol layer's Backend.
type backend struct{ eng *engine.Engine }

func (b backend) NewSession(info wire.StartupInfo) (wire.Session, error) {
	return b.eng.NewSession(info)
}

// passwordVerifier stores new role passwords as SCRAM-SHA-256 verifiers,
// Postgres' default password_encryption.
func passwordVerifier(_, password string) (string, error) {
	return wire.SCRAMVerifier(password)
}
