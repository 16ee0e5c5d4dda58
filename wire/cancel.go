package wire

import (
	"context"
	"crypto/subtle"
	"errors"

	"github.com/pqdb/pqdb/pgerr"
)

// Canceling Requests in Progress: To issue a cancel request, the frontend
// opens a new connection to the server and sends a CancelRequest message,
// rather than the StartupMessage message that would ordinarily be sent
// across a new connection. The server will process this request and then
// close the connection. For security reasons, no direct reply is made to
// the cancel request message. [...] The cancellation signal might or might
// not have any effect — for example, if it arrives after the backend has
// finished processing the query, then it will have no effect.
//
// Each connection gets a process id and a random secret key, sent in
// BackendKeyData. A CancelRequest whose key matches cancels the context of
// the statement that connection is running; between statements it does
// nothing, as in PostgreSQL.

// errQueryCanceled is how a statement stopped by a CancelRequest ends.
var errQueryCanceled = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")

// cancel acts on a CancelRequest for process pid.
func (s *Server) cancel(pid uint32, secret []byte) {
	c := s.lookup(pid)
	if c == nil || subtle.ConstantTimeCompare(c.secret[:], secret) != 1 {
		s.logger().Info("wire: cancel request does not match any connection", "pid", pid)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancelStatement != nil {
		c.cancelStatement(errQueryCanceled)
	}
}

// beginStatement returns the context for one statement (or one message
// that runs engine code); endStatement ends it. Statements share one
// context until a cancel ends it, so that a statement costs no new
// context: a CancelRequest can reach the context only while a statement
// runs (cancelStatement is set), and the next statement after one that
// was cancelled gets a new context.
func (c *conn) beginStatement() context.Context {
	if c.reusableCtx == nil || c.reusableCtx.Err() != nil {
		c.reusableCtx, c.cancelReusable = context.WithCancelCause(c.ctx)
	}
	c.mu.Lock()
	c.cancelStatement = c.cancelReusable
	c.mu.Unlock()
	c.statementCtx = c.reusableCtx
	c.startClientCheck()
	return c.reusableCtx
}

// endStatement ends the statement beginStatement started: a
// CancelRequest from now on finds nothing to cancel.
func (c *conn) endStatement() {
	c.endClientCheck()
	c.mu.Lock()
	c.cancelStatement = nil
	c.mu.Unlock()
	c.statementCtx = nil
}

// statementError turns the context error of a cancelled statement into the
// reason it was cancelled (57014 for a CancelRequest, 57P01 for a forced
// shutdown); other errors pass through.
func statementError(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if cause := context.Cause(ctx); cause != nil {
			return cause
		}
	}
	return err
}
