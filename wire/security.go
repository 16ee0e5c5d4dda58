package wire

import (
	"net/netip"
	"sync"
	"time"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/xdg-go/scram"
)

// security is the Server's state for TLS, authentication and the
// connection limit.
type security struct {
	bindingOnce sync.Once
	binding     scram.ChannelBinding // tls-server-end-point of TLSConfig

	mockOnce  sync.Once
	mockNonce [32]byte // the secret behind unknown users' SCRAM salts

	failures authFailures

	// sessions counts connections past the StartupMessage, guarded by
	// Server.mu.
	sessions int
}

// admit counts c against MaxConnections, as PostgreSQL does once it has
// read the StartupMessage: a CancelRequest never counts, and neither does
// a connection that is still negotiating TLS.
func (s *Server) admit(c *conn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.MaxConnections > 0 && s.sec.sessions >= s.MaxConnections {
		return pgerr.New(pgerr.TooManyConnections, "sorry, too many clients already")
	}
	s.sec.sessions++
	c.admitted = true
	return nil
}

// release undoes admit; it is called with mu held.
func (s *Server) release(c *conn) {
	if c.admitted {
		s.sec.sessions--
		c.admitted = false
	}
}

func (s *Server) authFailureDelay() time.Duration {
	switch {
	case s.AuthFailureDelay < 0:
		return 0
	case s.AuthFailureDelay == 0:
		return defaultAuthFailureDelay
	}
	return s.AuthFailureDelay
}

func (s *Server) authenticationTimeout() time.Duration {
	if s.AuthenticationTimeout > 0 {
		return s.AuthenticationTimeout
	}
	return defaultAuthenticationTimeout
}

// authFailures remembers recent password failures per client address.
type authFailures struct {
	mu     sync.Mutex
	byAddr map[netip.Addr]failureRecord
}

type failureRecord struct {
	count int
	last  time.Time
}

const (
	// failureMemory is how long an address's failures are remembered
	// after its last one.
	failureMemory = 15 * time.Minute
	// maxFailureRecords bounds the memory an address-hopping client can
	// make the server spend.
	maxFailureRecords = 10000
)

// record notes a failure from addr at now and returns how long to wait
// before answering it: base for the first, doubling with each further
// failure, never more than maxAuthFailureDelay (or base, if larger).
func (f *authFailures) record(addr netip.Addr, now time.Time, base time.Duration) time.Duration {
	if base <= 0 {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byAddr == nil {
		f.byAddr = make(map[netip.Addr]failureRecord)
	}
	r, ok := f.byAddr[addr]
	if !ok || now.Sub(r.last) > failureMemory {
		r = failureRecord{}
	}
	if !ok && len(f.byAddr) >= maxFailureRecords {
		f.forgetOld(now)
	}
	r.count++
	r.last = now
	f.byAddr[addr] = r

	limit := max(maxAuthFailureDelay, base)
	delay := base
	for i := 1; i < r.count && delay < limit; i++ {
		delay *= 2
	}
	return min(delay, limit)
}

// forgetOld drops expired records, and if that is not enough, all of
// them: losing the count of a few attackers is better than unbounded
// memory.
func (f *authFailures) forgetOld(now time.Time) {
	for addr, r := range f.byAddr {
		if now.Sub(r.last) > failureMemory {
			delete(f.byAddr, addr)
		}
	}
	if len(f.byAddr) >= maxFailureRecords {
		clear(f.byAddr)
	}
}
