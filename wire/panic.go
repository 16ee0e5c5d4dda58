package wire

import (
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/pqdb/pqdb/pgerr"
)

// A panic while handling one message is a bug in the statement the
// message runs, not in the connection: the statement fails with XX000
// (its stack in the server log, pgerr.FromPanic), the session puts its
// transaction in order as after any error (TransactionAborter: the
// implicit transaction rolls back, a block fails), and the client goes
// on. After a simple Query or a Sync the client gets the
// ErrorResponse and the ReadyForQuery that ends the cycle; after an
// extended-protocol message, the ErrorResponse and the usual skip to the
// next Sync. A panic in startup, or one raised again while failing the
// message, still ends only the connection (serve's recover).

// dispatchRecovering is dispatch, a panic failing the message instead of
// the connection. It reports whether the connection goes on.
func (c *conn) dispatchRecovering(msg pgproto3.FrontendMessage) (goOn bool) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		err := pgerr.FromPanic(r)
		if a, ok := c.session.(TransactionAborter); ok {
			a.AbortTransaction()
		}
		goOn = c.failMessage(msg, err)
	}()
	return c.dispatch(msg)
}

// failMessage reports err as the outcome of msg and ends the message's
// cycle as an error in it would.
func (c *conn) failMessage(msg pgproto3.FrontendMessage, err error) bool {
	if !c.alive() {
		return false
	}
	c.sendError(err)
	switch msg.(type) {
	case *pgproto3.Query, *pgproto3.Sync:
		c.ignoreTillSync = false
		c.readyForQuery()
	default:
		c.ignoreTillSync = true
	}
	return c.alive()
}
