package wire

import (
	"errors"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/pqdb/pqdb/pgerr"
)

// ConnectionSettings is implemented by a Session whose settings govern
// the connection itself. Between commands (after a ReadyForQuery, never
// inside an extended-protocol pipeline, as in PostgreSQL) the wire layer
// ends a session idle longer than its timeout for the transaction status
// it is in (idle_in_transaction_session_timeout in a block,
// idle_session_timeout outside one; 0 is none) with a FATAL error, and
// sets the socket's TCP keepalives when the session asks for some
// (tcp_keepalives_*). It asks again at every such wait, so a SET takes
// effect at the next one. While a statement runs, it watches for the
// client's hang-up as client_connection_check_interval says.
type ConnectionSettings interface {
	IdleTimeouts() (inTransaction, idle time.Duration)
	KeepAlives() (cfg net.KeepAliveConfig, set bool)
	// ClientCheckInterval is client_connection_check_interval: how often
	// a running statement's connection looks for the client's hang-up
	// (client_check.go); 0 is never.
	ClientCheckInterval() time.Duration
}

// endsCycle reports whether msg's handling ends with a ReadyForQuery, so
// that the wait for the next message is a wait between commands.
func endsCycle(msg pgproto3.FrontendMessage) bool {
	switch msg.(type) {
	case *pgproto3.Query, *pgproto3.Sync, *pgproto3.FunctionCall:
		return true
	}
	return false
}

// The FATAL errors that end an idle session, made once: every wait
// between commands arms one (no allocation on the way to each query).
var (
	errIdleInTransaction = &pgerr.Error{Severity: "FATAL", Code: pgerr.IdleInTransactionSessionTimeout,
		Message: "terminating connection due to idle-in-transaction timeout"}
	errIdleSession = &pgerr.Error{Severity: "FATAL", Code: pgerr.IdleSessionTimeout,
		Message: "terminating connection due to idle-session timeout"}
)

// armIdleTimeout prepares the wait for the client's next command: it sets
// the keepalives the session asks for and, when the session has an idle
// timeout for its status, a read deadline; it returns the error that ends
// the connection if the deadline passes (nil: none set).
func (c *conn) armIdleTimeout() *pgerr.Error {
	cs, ok := c.session.(ConnectionSettings)
	if !ok || !c.betweenCommands {
		return nil
	}
	if ka, set := cs.KeepAlives(); set && ka != c.keepAlive {
		if tcp, ok := c.raw.(*net.TCPConn); ok && tcp.SetKeepAliveConfig(ka) == nil {
			c.keepAlive = ka
		}
	}
	inTransaction, idle := cs.IdleTimeouts()
	limit, timedOut := idle, errIdleSession
	if status := c.session.TxStatus(); status == 'T' || status == 'E' {
		limit, timedOut = inTransaction, errIdleInTransaction
	}
	if limit <= 0 {
		return nil
	}
	c.raw.SetReadDeadline(time.Now().Add(limit))
	return timedOut
}

// idleOutcome is the outcome of a wait armed by armIdleTimeout (timedOut
// its error): the timeout's error if the deadline passed, else err, the
// deadline cleared.
func (c *conn) idleOutcome(timedOut *pgerr.Error, err error) error {
	if timedOut == nil {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return timedOut
	}
	c.raw.SetReadDeadline(time.Time{})
	return err
}
