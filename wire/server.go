package wire

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("wire: server closed")

// DefaultMaxMessageSize bounds one frontend message body. It is
// PostgreSQL's limit for large messages (Query, Bind, CopyData),
// PQ_LARGE_MESSAGE_LIMIT less the length word it counts: anything longer
// is garbage or hostile and closes the connection. Messages that are
// always short have PostgreSQL's smaller limit (message_limits.go).
const DefaultMaxMessageSize = largeMessageLimit - 4

// Server serves the PostgreSQL protocol for a Backend. The zero value
// plus a Backend is ready to use; a Server must not be copied after its
// first use.
type Server struct {
	Backend Backend

	// Logger receives connection-level events (panics, protocol garbage).
	// Nil means slog.Default().
	Logger *slog.Logger

	// MaxMessageSize bounds the body of one frontend message in bytes.
	// Zero means DefaultMaxMessageSize. The types PostgreSQL keeps short
	// (Sync, Execute, CopyDone, ...) are held to 10000 bytes, or to this
	// if it is smaller.
	MaxMessageSize int

	// TLSConfig, when set, holds the server's certificate: SSLRequest is
	// answered 'S' and a TLS handshake follows (tls.go). Nil answers 'N'.
	TLSConfig *tls.Config
	// TLSMode TLSRequire refuses clients that did not start TLS.
	TLSMode TLSMode
	// HBA chooses how each connection authenticates (hba.go). Nil trusts
	// loopback connections and refuses all others (LoopbackTrust).
	HBA *HBA
	// Users holds the password verifiers that HBA's password methods
	// check (users.go). Nil knows no user.
	Users *Users

	// RoleVerifier, when set, returns the stored password verifier of a
	// role created in the database (CREATE ROLE ... PASSWORD), for users
	// the Users file does not list. ok is false for an unknown role.
	RoleVerifier func(user string) (verifier string, ok bool)
	// MaxConnections bounds the sessions served at once; one more gets
	// FATAL 53300. Zero means no limit.
	MaxConnections int
	// AuthFailureDelay is how long the answer to a first failed password
	// waits; it doubles with each further failure from the same address,
	// up to five seconds. Zero means 100ms, negative no delay.
	AuthFailureDelay time.Duration
	// AuthenticationTimeout bounds the time from connecting to
	// AuthenticationOk, as PostgreSQL's authentication_timeout. Zero means
	// one minute.
	AuthenticationTimeout time.Duration

	sec security

	mu           sync.Mutex
	listeners    map[net.Listener]struct{}
	conns        map[uint32]*conn // by BackendKeyData process id
	lastPID      uint32
	shuttingDown bool
	active       sync.WaitGroup // one count per live connection
}

// Serve accepts connections on ln and serves each in its own goroutine
// until ln fails or Shutdown is called. It always returns a non-nil
// error; after Shutdown it is ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	if !s.trackListener(ln) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.untrackListener(ln)

	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isShuttingDown() {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Running out of file descriptors and similar conditions pass;
			// back off instead of spinning, as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.logger().Warn("wire: accept failed", "err", err, "retry_in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		c := s.register(nc)
		if c == nil {
			nc.Close()
			continue
		}
		go c.serve()
	}
}

// Shutdown stops accepting connections, lets statements already running
// finish, and then ends every session: a connection waiting for its next
// message gets FATAL 57P01 (admin_shutdown) at once, a busy one as soon as
// its current message is done. Shutdown returns nil when every connection
// has closed. If ctx ends first, the remaining connections are cancelled
// and closed forcibly and ctx's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shuttingDown = true
	for ln := range s.listeners {
		ln.Close()
	}
	conns := s.snapshotConns()
	s.mu.Unlock()

	for _, c := range conns {
		c.requestShutdown()
	}

	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		conns = s.snapshotConns()
		s.mu.Unlock()
		for _, c := range conns {
			c.forceClose()
		}
		return ctx.Err()
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Server) maxMessageSize() int {
	if s.MaxMessageSize > 0 {
		return s.MaxMessageSize
	}
	return DefaultMaxMessageSize
}

func (s *Server) isShuttingDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shuttingDown
}

func (s *Server) trackListener(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shuttingDown {
		return false
	}
	if s.listeners == nil {
		s.listeners = make(map[net.Listener]struct{})
	}
	s.listeners[ln] = struct{}{}
	return true
}

func (s *Server) untrackListener(ln net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, ln)
}

// register gives a new connection its process id and secret key and makes
// it visible to Shutdown and CancelRequest. It returns nil once shutdown
// has begun.
func (s *Server) register(nc net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shuttingDown {
		return nil
	}
	if s.conns == nil {
		s.conns = make(map[uint32]*conn)
	}
	pid := s.lastPID
	for {
		pid++
		if _, taken := s.conns[pid]; pid != 0 && !taken {
			break
		}
	}
	s.lastPID = pid
	c := newConn(s, nc, pid)
	s.conns[pid] = c
	// Added under mu while shuttingDown is false, so never after
	// Shutdown's Wait has begun.
	s.active.Add(1)
	return c
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.pid)
	s.release(c)
	s.mu.Unlock()
	s.active.Done()
}

func (s *Server) lookup(pid uint32) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[pid]
}

// snapshotConns must be called with mu held.
func (s *Server) snapshotConns() []*conn {
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}
