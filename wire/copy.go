package wire

import (
	"context"
	"errors"
	"io"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// COPY Operations: Copy-in mode (data transfer to the server) is initiated
// when the backend executes a COPY FROM STDIN SQL statement. The backend
// sends a CopyInResponse message to the frontend. The frontend should then
// send zero or more CopyData messages, forming a stream of input data. [...]
// The frontend can terminate the copy-in mode by sending either a CopyDone
// message (allowing successful termination) or a CopyFail message (which
// will cause the COPY SQL statement to fail with an error). [...] In the
// event of a backend-detected error during copy-in mode (including receipt
// of a CopyFail message), the backend will issue an ErrorResponse message.
// [...] The backend will ignore Flush and Sync messages received during
// copy-in mode. Receipt of any other non-copy message type constitutes an
// error that will abort the copy-in state as described above.
//
// That other message has been consumed, so the client and server no
// longer agree on where they are; PostgreSQL follows the ERROR with FATAL
// "protocol synchronization was lost", and so does pqdb.
//
// After a failed COPY the frontend may still be sending CopyData; the
// message loop accepts and ignores CopyData, CopyDone and CopyFail.

// startCopyIn sends CopyInResponse and hands the engine a reader over the
// client's stream.
func (c *conn) startCopyIn(format int8, columnFormats []int16) (io.Reader, error) {
	if c.copyIn.active {
		return nil, pgerr.New(pgerr.ProtocolViolation, "COPY FROM STDIN is already in progress")
	}
	formats := make([]uint16, len(columnFormats))
	for i, f := range columnFormats {
		formats[i] = uint16(f)
	}
	c.send(&pgproto3.CopyInResponse{OverallFormat: byte(format), ColumnFormatCodes: formats})
	// The client will not send data before it has seen CopyInResponse.
	if err := c.flush(); err != nil {
		return nil, err
	}
	c.copyIn.active = true
	c.copyIn.pending = nil
	c.copyIn.err = nil
	c.copyIn.refused = nil
	return &c.copyIn, nil
}

// copyInReader streams the payloads of CopyData messages as they arrive;
// it never holds more than the one message being read.
type copyInReader struct {
	c       *conn
	active  bool
	pending []byte // rest of the current CopyData, valid until the next Receive
	err     error  // sticky: io.EOF at CopyDone, or why the copy failed
	// refused is the FATAL error of a message header the client sent
	// in the stream and the server refused (message_limits.go).
	refused *pgerr.Error
}

func (r *copyInReader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if !r.active {
			return 0, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "COPY FROM STDIN has already ended")
		}
		// A cancelled COPY stops between messages; what the client still
		// sends is then ignored by the message loop.
		if ctx := r.c.statementCtx; ctx != nil && ctx.Err() != nil {
			return 0, context.Cause(ctx)
		}
		r.receive()
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// receive reads the next message of the copy stream.
func (r *copyInReader) receive() {
	msg, err := r.c.backend.Receive()
	var refused *refusedMessageError
	if errors.As(err, &refused) {
		// As outside COPY, the client is told why in a FATAL error that
		// ends the connection, whatever the engine makes of the error it
		// reads (finishCopyIn).
		r.refused = refused.pgError()
		r.err = r.refused
		return
	}
	if err != nil {
		// The stream is broken: the connection cannot go on.
		r.c.fatal = err
		r.err = pgerr.New(pgerr.ConnectionFailure, "could not receive data from client: %v", err)
		return
	}
	switch m := msg.(type) {
	case *pgproto3.CopyData:
		r.pending = m.Data
	case *pgproto3.CopyDone:
		r.err = io.EOF
	case *pgproto3.CopyFail:
		r.err = pgerr.New(pgerr.QueryCanceled, "COPY from stdin failed: %s", m.Message)
	case *pgproto3.Flush, *pgproto3.Sync:
	default:
		r.c.syncLost = true
		r.err = pgerr.New(pgerr.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", messageType(msg))
	}
}

// finish ends copy-in mode after the statement that started it returned
// execErr. A statement that succeeded without reading to CopyDone has the
// rest of the stream drained, so that its end is not mistaken for new
// messages; a CopyFail found there still fails the statement. A refused
// message header fails it with the refusal, which ends the connection.
func (c *conn) finishCopyIn(execErr error) error {
	r := &c.copyIn
	if !r.active {
		return execErr
	}
	defer func() {
		r.active = false
		r.pending = nil
	}()
	if r.refused != nil {
		return r.refused
	}
	if execErr != nil {
		return execErr
	}
	for r.err == nil {
		r.pending = nil
		r.receive()
	}
	if errors.Is(r.err, io.EOF) {
		return nil
	}
	return r.err
}

// Copy-out mode (data transfer from the server) is initiated when the
// backend executes a COPY TO STDOUT SQL statement. The backend sends a
// CopyOutResponse message to the frontend, followed by zero or more
// CopyData messages (always one per row), followed by CopyDone. The
// backend then reverts to the command-processing mode it was in before
// the COPY started, and sends CommandComplete. [...] In the event of a
// backend-detected error during copy-out mode, the backend will issue an
// ErrorResponse message and revert to normal processing.

// startCopyOut sends CopyOutResponse and hands the engine a writer whose
// every Write becomes one CopyData message; Close sends CopyDone.
func (c *conn) startCopyOut(format int8, columnFormats []int16) (io.WriteCloser, error) {
	formats := make([]uint16, len(columnFormats))
	for i, f := range columnFormats {
		formats[i] = uint16(f)
	}
	if err := c.send(&pgproto3.CopyOutResponse{OverallFormat: byte(format), ColumnFormatCodes: formats}); err != nil {
		return nil, err
	}
	return &copyOutWriter{c: c}, nil
}

type copyOutWriter struct {
	c   *conn
	msg pgproto3.CopyData
}

func (w *copyOutWriter) Write(p []byte) (int, error) {
	w.msg.Data = p
	if err := w.c.send(&w.msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *copyOutWriter) Close() error { return w.c.send(&pgproto3.CopyDone{}) }
