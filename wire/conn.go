package wire

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// errAdminShutdown is what a session ends with when the server shuts down.
var errAdminShutdown = &pgerr.Error{
	Severity: "FATAL",
	Code:     pgerr.AdminShutdown,
	Message:  "terminating connection due to administrator command",
}

// conn is one client connection: the protocol state of its session
// (prepared statements, portals, the ignore-till-Sync flag) and the
// output buffer. Everything but the fields under mu belongs to the
// connection's own goroutine.
type conn struct {
	srv     *Server
	netConn net.Conn
	backend *pgproto3.Backend
	// input is what backend reads: the socket, buffered, with each
	// message header checked against its type's limit
	// (message_limits.go).
	input messageLimiter
	log   *slog.Logger

	// raw is the socket; netConn is what the protocol reads and writes:
	// raw itself, or a TLS connection over it once encrypted is set.
	raw       net.Conn
	encrypted bool
	// admitted is set while the connection counts against
	// Server.MaxConnections.
	admitted bool

	pid    uint32
	secret [4]byte

	session    Session
	reported   map[string]string // settings as last sent in ParameterStatus
	statements map[string]*preparedStatement
	portals    map[string]*portal

	// betweenCommands is set while the next message is awaited after a
	// ReadyForQuery, where idle timeouts apply (idle_timeout.go);
	// keepAlive is the keepalive configuration set on raw.
	betweenCommands bool
	keepAlive       net.KeepAliveConfig
	// clientCheck watches for the client's hang-up while a statement runs
	// (client_check.go); nil when none does.
	clientCheck *clientCheck
	// ignoreTillSync is set by an error in an extended-query message:
	// everything up to the next Sync is discarded.
	ignoreTillSync bool
	// syncLost is set when a message was consumed out of turn (inside
	// COPY): the next error report ends the connection, as in PostgreSQL.
	syncLost bool
	// fatal, once set, ends the message loop: the socket failed, or a
	// FATAL error was sent.
	fatal error

	output

	simple   simpleResult
	extended extendedResult
	copyIn   copyInReader

	// ctx lives as long as the connection; a forced shutdown cancels it,
	// and with it any running statement.
	ctx        context.Context
	cancelConn context.CancelCauseFunc
	// statementCtx is the context of the statement running now, if any.
	statementCtx context.Context
	// reusableCtx is the context statements run in until one is
	// cancelled (beginStatement); cancelReusable cancels it.
	reusableCtx    context.Context
	cancelReusable context.CancelCauseFunc

	mu sync.Mutex
	// waiting is true while the goroutine is blocked reading the client's
	// next message, the only moment shutdown may interrupt it.
	waiting bool
	// closing is set by Shutdown.
	closing bool
	// cancelStatement cancels the statement running now, if any.
	cancelStatement context.CancelCauseFunc
}

func newConn(s *Server, nc net.Conn, pid uint32) *conn {
	c := &conn{
		srv:        s,
		raw:        nc,
		netConn:    nc,
		pid:        pid,
		statements: make(map[string]*preparedStatement),
		portals:    make(map[string]*portal),
	}
	c.output.w = nc
	c.output.interrupt.raw = nc
	c.log = s.logger().With("pid", pid, "remote", nc.RemoteAddr().String())
	c.ctx, c.cancelConn = context.WithCancelCause(context.Background())
	c.simple.c = c
	c.simple.writeInterrupt = &c.interrupt
	c.extended.c = c
	c.extended.writeInterrupt = &c.interrupt
	c.copyIn.c = c
	return c
}

// receiveBufferBytes is how much of the client's input one read of the
// socket may take. pgproto3 reads into a buffer the size of the message
// it wants (8 KiB for small ones), so a COPY whose client sends its rows
// as many small CopyData messages (psql sends a line at a time) took a
// read system call per 8 KiB: a tenth of the CPU of loading SF1 lineitem
// from CSV. Through this buffer it takes one per 64 KiB, for a copy of
// the bytes; a short message costs the one read it did. (256 KiB was no
// faster, and every connection holds its buffer.)
const receiveBufferBytes = 64 << 10

// serve runs the connection to its end. Nothing that happens on it, not
// even a panic in the engine, escapes to the server.
func (c *conn) serve() {
	defer c.srv.unregister(c)
	defer c.close()
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("wire: panic while serving connection", "panic", r, "stack", string(debug.Stack()))
			c.sendFatal(pgerr.New(pgerr.InternalError, "internal error: %v", r))
		}
	}()

	if !c.startup() {
		return
	}
	c.input = newMessageLimiter(bufio.NewReaderSize(c.netConn, receiveBufferBytes), c.srv.maxMessageSize())
	c.backend = pgproto3.NewBackend(&c.input, c.netConn)
	c.betweenCommands = true // startup ended with ReadyForQuery

	for c.alive() {
		msg, err := c.nextMessage()
		if err != nil {
			c.receiveFailed(err)
			return
		}
		if !c.dispatchRecovering(msg) {
			return
		}
	}
}

// dispatch handles one frontend message and reports whether the
// connection goes on.
func (c *conn) dispatch(msg pgproto3.FrontendMessage) bool {
	if c.ignoreTillSync {
		switch msg.(type) {
		case *pgproto3.Sync, *pgproto3.Terminate:
		default:
			return true
		}
	}

	var err error // an error in an extended-query message
	switch m := msg.(type) {
	case *pgproto3.Query:
		c.handleQuery(m.String)
	case *pgproto3.Parse:
		err = c.handleParse(m)
	case *pgproto3.Bind:
		err = c.handleBind(m)
	case *pgproto3.Describe:
		err = c.handleDescribe(m)
	case *pgproto3.Execute:
		err = c.handleExecute(m)
	case *pgproto3.Close:
		err = c.handleClose(m)
	case *pgproto3.Sync:
		c.ignoreTillSync = false
		c.readyForQuery()
	case *pgproto3.Flush:
		c.flush()
	case *pgproto3.Terminate:
		return false
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		// The rest of a COPY that already failed; the protocol says to
		// accept and ignore it.
	case *pgproto3.FunctionCall:
		c.sendError(pgerr.Unsupported("fastpath function calls are not supported"))
		c.readyForQuery()
	default:
		c.sendFatal(pgerr.New(pgerr.ProtocolViolation, "invalid frontend message type %d", messageType(msg)))
		return false
	}
	if err != nil && c.alive() {
		c.sendError(err)
		c.ignoreTillSync = true
	}
	return c.alive()
}

// nextMessage waits for the client's next message. This wait is where a
// connection counts as idle: Shutdown interrupts it, and a message that
// arrives as shutdown begins still runs to completion.
func (c *conn) nextMessage() (pgproto3.FrontendMessage, error) {
	var msg pgproto3.FrontendMessage
	timedOut := c.armIdleTimeout()
	err := c.waitForClient(func() error {
		var err error
		msg, err = c.backend.Receive()
		return err
	})
	if err = c.idleOutcome(timedOut, err); err == nil {
		c.betweenCommands = endsCycle(msg)
	}
	return msg, err
}

// waitForClient runs read while the connection is idle.
func (c *conn) waitForClient(read func() error) error {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return errAdminShutdown
	}
	c.waiting = true
	c.mu.Unlock()

	err := read()

	c.mu.Lock()
	c.waiting = false
	closing := c.closing
	c.mu.Unlock()
	if closing {
		if err != nil {
			return errAdminShutdown
		}
		// Shutdown may have set a deadline after the message arrived;
		// the statement it starts must be able to read (COPY).
		c.raw.SetReadDeadline(time.Time{})
	}
	return err
}

// receiveFailed ends the connection after the client's next message could
// not be read.
func (c *conn) receiveFailed(err error) {
	var pe *pgerr.Error
	var refused *refusedMessageError
	switch {
	case errors.As(err, &pe):
		c.sendFatal(pe)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		// The client went away; there is nobody to tell.
	case errors.As(err, &refused):
		c.log.Info("wire: message header refused", "err", refused)
		c.sendFatal(refused.pgError())
	default:
		var ne net.Error
		if errors.As(err, &ne) {
			return
		}
		c.log.Info("wire: invalid frontend message", "err", err)
		c.sendFatal(pgerr.New(pgerr.ProtocolViolation, "invalid frontend message: %v", err))
	}
}

// requestShutdown asks the connection to end at its next message
// boundary, interrupting it now if it is idle.
func (c *conn) requestShutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closing = true
	if c.waiting {
		c.raw.SetReadDeadline(time.Unix(1, 0))
	}
}

// forceClose cancels whatever the connection runs and closes its socket.
func (c *conn) forceClose() {
	c.cancelConn(errAdminShutdown)
	c.raw.Close()
}

// close ends the session and the socket.
func (c *conn) close() {
	if c.session != nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					c.log.Error("wire: panic while closing session", "panic", r, "stack", string(debug.Stack()))
				}
			}()
			c.session.Close()
		}()
	}
	c.cancelConn(errAdminShutdown)
	c.netConn.Close()
}

// sendFatal reports err as FATAL, which ends the connection.
func (c *conn) sendFatal(err error) {
	e := *pgerr.From(err)
	e.Severity = "FATAL"
	c.sendError(&e)
}

// alive reports whether the connection can go on: no FATAL error was
// sent and the socket still works.
func (c *conn) alive() bool {
	return c.fatal == nil && c.writeErr == nil
}

// messageType is the type byte of a frontend message that reached the
// wrong place, for error text.
func messageType(msg pgproto3.FrontendMessage) byte {
	switch msg.(type) {
	case *pgproto3.Query:
		return 'Q'
	case *pgproto3.Parse:
		return 'P'
	case *pgproto3.Bind:
		return 'B'
	case *pgproto3.Describe:
		return 'D'
	case *pgproto3.Execute:
		return 'E'
	case *pgproto3.Close:
		return 'C'
	case *pgproto3.Terminate:
		return 'X'
	case *pgproto3.FunctionCall:
		return 'F'
	case *pgproto3.CopyData:
		return 'd'
	case *pgproto3.CopyDone:
		return 'c'
	case *pgproto3.CopyFail:
		return 'f'
	case *pgproto3.Sync:
		return 'S'
	case *pgproto3.Flush:
		return 'H'
	default:
		return 'p' // password, SASL and GSS responses share it
	}
}
