package engine

import (
	"context"
	"io"
	"net"

	"github.com/pqdb/pqdb/pgerr"
)

// StartupInfo is what the client sent in its StartupMessage.
type StartupInfo struct {
	User       string
	Database   string
	Params     map[string]string // every startup parameter, including user and database
	RemoteAddr net.Addr
	ProcessID  uint32 // the BackendKeyData process id given to this connection
}

// Statement is one parsed SQL statement, opaque to the protocol layer.
type Statement interface {
	// SQL is the statement's own text.
	SQL() string
}

// Column describes one result column, as RowDescription reports it.
type Column struct {
	Name     string
	TableOID uint32
	AttrNum  int16
	TypeOID  uint32
	TypeSize int16
	TypeMod  int32
}

// ResultWriter receives what a statement produces. The wire layer
// implements it differently for simple and extended query.
type ResultWriter interface {
	// Columns is called once, before any row, by every statement that
	// returns rows (even zero rows). Simple query sends RowDescription;
	// extended query already sent it at Describe and ignores this.
	Columns(cols []Column, formats []int16) error
	// Row sends one DataRow; values are already encoded, nil is NULL.
	Row(values [][]byte) error
	// Notice sends a NoticeResponse.
	Notice(n *pgerr.Error) error
	// CopyIn starts COPY FROM STDIN: it sends CopyInResponse (format 0 text,
	// 1 binary; one format per column) and returns a reader over the
	// client's CopyData payloads. The reader returns io.EOF at CopyDone and
	// an error (57014 query_canceled with the client's message) at CopyFail.
	CopyIn(format int8, columnFormats []int16) (io.Reader, error)
	// CopyOut starts COPY TO STDOUT: it sends CopyOutResponse and returns a
	// writer that sends each Write as one CopyData message; Close sends
	// CopyDone. On error the engine returns without Close.
	CopyOut(format int8, columnFormats []int16) (io.WriteCloser, error)
}

// WriteInterrupter is a ResultWriter whose writes can wait on the
// client: one that stops reading its results blocks them. Execute calls
// InterruptWrites with the statement's context before it runs the
// statement and StopInterrupting after: a write waiting when the
// context ends (statement_timeout, a cancel, shutdown) then returns the
// context's error, so that the statement ends and gives up its
// transaction instead of holding it until the client reads again.
type WriteInterrupter interface {
	InterruptWrites(ctx context.Context)
	StopInterrupting()
}
