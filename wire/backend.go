package wire

import (
	"context"

	"github.com/pqdb/pqdb/engine"
)

// Backend is what the protocol layer serves: it opens one Session per
// authenticated connection. The engine implements it; wire knows nothing
// of SQL, types or storage.
type Backend interface {
	// NewSession starts a session for a connection that completed startup.
	// A *pgerr.Error return is sent as FATAL and the connection closed.
	NewSession(info StartupInfo) (Session, error)
}

// Session is one client session. The wire layer calls it from a single
// goroutine, one message at a time.
type Session interface {
	// ParameterStatus returns the settings reported to the client at startup
	// (server_version, client_encoding, DateStyle, TimeZone, ...). It is
	// asked again before every ReadyForQuery, and entries that changed
	// (SET TimeZone ...) are reported to the client then.
	ParameterStatus() map[string]string

	// Parse splits query text into statements. Empty or comment-only text
	// yields no statements and no error.
	Parse(sql string) ([]Statement, error)

	// Describe reports a statement's parameter types and result columns
	// without running it. paramOIDs are the types the client declared in
	// Parse (0 = infer); the returned slice has one OID per parameter.
	// cols is nil for a statement that returns no rows.
	Describe(ctx context.Context, stmt Statement, paramOIDs []uint32) (params []uint32, cols []Column, err error)

	// Execute runs stmt. args holds each parameter's value (nil = NULL) in
	// the format given by argFormats, and results are encoded per
	// resultFormats; both follow Bind's rules (no entry = all text, one
	// entry = applies to all). It returns the command tag ("SELECT 3").
	Execute(ctx context.Context, stmt Statement, paramOIDs []uint32, args [][]byte, argFormats []int16, resultFormats []int16, out ResultWriter) (tag string, err error)

	// TxStatus is the ReadyForQuery status: 'I' idle, 'T' in a transaction
	// block, 'E' in a failed transaction block.
	TxStatus() byte

	// Close ends the session (rolling back any open transaction).
	Close()
}

// The types a Session exchanges with the protocol layer are the engine's;
// wire names them for the code that only speaks protocol.
type (
	// StartupInfo is what the client sent in its StartupMessage.
	StartupInfo = engine.StartupInfo
	// Statement is one parsed SQL statement, opaque to the protocol layer.
	Statement = engine.Statement
	// Column describes one result column, as RowDescription reports it.
	Column = engine.Column
	// ResultWriter receives what a statement produces.
	ResultWriter = engine.ResultWriter
)
