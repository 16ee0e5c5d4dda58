// Package wire speaks the server side of the PostgreSQL frontend/backend
// protocol, version 3.0, so that any Postgres client can talk to pqdb. It
// knows messages, formats and the protocol's state machine; it knows
// nothing of SQL. Everything about statements is delegated to a Session
// (backend.go), which the engine implements.
//
// # Layers
//
// A Server accepts connections (server.go) and runs one goroutine per
// connection (conn.go). Each connection goes through:
//
//  1. Startup (startup.go). SSLRequest is answered 'S' and a TLS
//     handshake follows when the Server has a certificate, 'N' otherwise
//     (tls.go); GSSENCRequest is always answered 'N'. A CancelRequest is
//     routed to the connection it names (cancel.go) and the socket is
//     closed. A StartupMessage for protocol 3.0 starts a session; 3.x
//     above 3.0 is negotiated down with NegotiateProtocolVersion; other
//     majors get FATAL 0A000. The session counts against MaxConnections
//     (FATAL 53300 past it, security.go), then authenticates: HBA rules
//     (hba.go) pick trust, reject, password, md5 or scram-sha-256 for the
//     client's address, user, database and encryption, and the password
//     is checked against the users file's verifiers (auth.go, users.go).
//     AuthenticationOk is followed by ParameterStatus for every setting
//     the Session reports, BackendKeyData and ReadyForQuery. All of
//     start-up must finish within AuthenticationTimeout.
//  2. The message loop (conn.go) reads one frontend message at a time and
//     dispatches it to the simple query flow (simple_query.go), the
//     extended query flow (extended_query.go, portal.go) or COPY
//     (copy.go). Errors become ErrorResponse messages (errors.go). A
//     Session may offer faster paths the loop takes when it can: parsing
//     a simple Query's text through QueryParser, which keeps the
//     statements of texts seen before (query_parser.go), and telling
//     through ParameterChangeReporter that no reported setting changed,
//     so that ReadyForQuery skips comparing them (parameter_changes.go).
//     A panic while handling a message fails that message with XX000,
//     as an error would, and the connection goes on (panic.go). Between
//     commands the loop applies the Session's idle timeouts and TCP
//     keepalives (idle_timeout.go, ConnectionSettings).
//  3. Termination: Terminate, a closed socket, a FATAL error, protocol
//     garbage, a panic during startup, or server shutdown. Every path
//     ends in Session.Close and closes only that one connection.
//
// # Invariants
//
//   - The Session is called from the connection's goroutine only, one
//     message at a time. The only cross-goroutine signals are statement
//     cancellation (a context), shutdown (a read deadline), and the end
//     of a running statement's context, which interrupts a write waiting
//     on a client that does not read (a write deadline,
//     write_interrupt.go).
//   - Input is read through a 64 KiB buffer under pgproto3's own
//     (receiveBufferBytes), so a COPY sent as many small CopyData
//     messages takes a system call per 64 KiB, not per message.
//   - Output is buffered in whole messages (output.go) and written at ReadyForQuery,
//     at Flush, at CopyInResponse, and whenever the buffer passes
//     flushThreshold, so a large result streams with bounded memory
//     and, to a client that stops reading, blocks rather than grows;
//     statement_timeout and cancels still end the statement then. A
//     query cycle is one read and one write: its messages are encoded
//     into one reused buffer, the RowDescription last sent is kept
//     encoded for the same columns and formats, and a statement's
//     context is reused until a cancel ends it (cancel.go): beyond
//     pgproto3's decoding of the Query text, the protocol layer allocates
//     nothing per simple Query.
//   - After an error in an extended-query message, every message up to
//     the next Sync is discarded (postgres.c's ignore_till_sync), so the
//     client and server agree on where the failed batch ends.
//   - Protocol state follows the transaction: portals survive only while
//     Session.TxStatus reports an open transaction block ('T'); they are
//     dropped whenever ReadyForQuery reports anything else.
//   - Messages that do not parse end the connection with FATAL 08P01;
//     the server keeps running. A header is checked before its body is
//     read, as in PostgreSQL: an unknown type, or a length above its
//     type's limit (10000 bytes for Sync, Execute, CopyDone and the other
//     short types; MaxMessageSize for Query, Bind, CopyData and the like),
//     is refused without reading or allocating the body, after every
//     whole message before it has been handled (message_limits.go).
//   - Nothing reads ahead of the TLS handshake or the password exchange:
//     start-up packets and authentication answers are read straight from
//     the socket, so bytes a client sends early are never taken for
//     encrypted or authenticated ones.
//   - No password is stored or logged: the users file holds SCRAM and
//     md5 verifiers only, and a cleartext password exists in memory only
//     while it is checked.
//
// # Tests
//
// The tests drive a Server over loopback TCP with pgx and with scripts of
// raw frontend messages, against a small fake engine whose statements are
// real SQL. The scripts (TestScript*) assert exact message sequences, and
// oracle_test.go runs them unchanged against a real PostgreSQL to prove
// those sequences are PostgreSQL's.
package wire
