package wire

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// A client that sends a query and stops reading its results fills the
// socket's buffers, and the statement then waits in a Write for as long
// as the client does. Memory stays bounded (the output buffer flushes at
// flushThreshold), but statement_timeout, a CancelRequest and
// pg_cancel_backend, which end the statement's context, would not reach
// it until the client read again, and it would keep its snapshot, locks
// and memory meanwhile. So while a statement runs (the engine calls
// InterruptWrites and StopInterrupting around it), the end of its
// context interrupts a waiting Write: the write deadline is set in the
// past, the Write returns what it sent, and the rest stays in the buffer
// (whole messages behind the tail of one) for the next flush. The
// statement gets its context's error and ends; its ErrorResponse
// follows the rows already queued, and the connection waits for the
// client to read them, as PostgreSQL's does.
//
// A TLS connection whose Write timed out cannot write again (crypto/tls),
// so there the interruption ends the connection.

// writeInterrupt interrupts the output's writes once the running
// statement's context ends.
type writeInterrupt struct {
	raw net.Conn // whose write deadline interrupts
	tls bool     // the output goes through TLS over raw

	// The rest belongs to the connection's goroutine but for mu's.
	ctx  context.Context // the running statement's; nil between statements
	stop func() bool     // stops the AfterFunc that interrupts; nil until a flush armed it
	err  error           // the statement's error, once a write was interrupted

	mu sync.Mutex
	// armed counts the AfterFuncs made, so that one that runs after its
	// statement ended, or after a later one was armed, does nothing.
	armed uint64
	fired bool // the deadline is set to interrupt
}

// InterruptWrites makes writes that wait on the client give up once ctx
// ends, until StopInterrupting (engine.WriteInterrupter). It only notes
// ctx: the first flush while it runs arms the interruption, so that a
// statement whose result fits the buffer costs nothing.
func (w *writeInterrupt) InterruptWrites(ctx context.Context) {
	w.ctx = ctx
}

// StopInterrupting ends what InterruptWrites started: writes wait for
// the client again.
func (w *writeInterrupt) StopInterrupting() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
		w.mu.Lock()
		w.armed++
		if w.fired {
			w.fired = false
			w.raw.SetWriteDeadline(time.Time{})
		}
		w.mu.Unlock()
	}
	w.ctx, w.err = nil, nil
}

// beforeWrite arms the interruption for the running statement, once.
func (w *writeInterrupt) beforeWrite() {
	if w.ctx == nil || w.stop != nil || w.raw == nil {
		return
	}
	w.mu.Lock()
	w.armed++
	armed := w.armed
	w.mu.Unlock()
	w.stop = context.AfterFunc(w.ctx, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.armed == armed {
			w.fired = true
			w.raw.SetWriteDeadline(time.Unix(1, 0))
		}
	})
}

// interrupted reports the statement's error if err, a failed Write's, is
// an interruption the connection survives; nil if err ends it.
func (w *writeInterrupt) interrupted(err error) error {
	if w.ctx == nil || w.tls || !errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	w.mu.Lock()
	fired := w.fired
	w.mu.Unlock()
	if !fired {
		return nil
	}
	w.err = w.ctx.Err()
	return w.err
}
