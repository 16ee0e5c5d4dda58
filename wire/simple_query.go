package wire

import (
	"io"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// handleQuery runs a simple query.
//
// Simple Query: A simple query cycle is initiated by the frontend sending
// a Query message to the backend. The message includes an SQL command (or
// commands) expressed as a text string. The backend then sends one or more
// response messages depending on the contents of the query command string,
// and finally a ReadyForQuery response message. [...] If a completely
// empty (no contents other than whitespace) query string is received, the
// response is EmptyQueryResponse followed by ReadyForQuery. [...] When an
// error is detected while processing any query message, the backend issues
// ErrorResponse, then ReadyForQuery. [...] If the query string contains
// multiple statements, the rest are skipped.
//
// Like exec_simple_query, a Query also discards the unnamed prepared
// statement and the unnamed portal.
func (c *conn) handleQuery(sql string) {
	delete(c.statements, "")
	delete(c.portals, "")

	ctx := c.beginStatement()
	defer c.endStatement()

	stmts, err := c.parseQuery(sql)
	switch {
	case err != nil:
		c.sendError(err)
	case len(stmts) == 0:
		c.send(&pgproto3.EmptyQueryResponse{})
	default:
		for i, stmt := range stmts {
			tag, err := c.session.Execute(ctx, stmt, nil, nil, nil, nil, &c.simple)
			err = c.finishCopyIn(err)
			if err == nil && i == len(stmts)-1 {
				// The implicit transaction commits before the last
				// statement's CommandComplete, as in exec_simple_query,
				// so that a failed commit (23505, 40001) replaces the
				// tag instead of following it: a client takes the tag
				// for the statement's success.
				err = c.endImplicitTransaction()
			}
			if err != nil {
				c.sendError(statementError(ctx, err))
				break
			}
			c.sendCommandComplete(tag)
			if !c.alive() {
				return
			}
		}
	}
	c.readyForQuery()
}

// readyForQuery ends a query cycle.
//
// ReadyForQuery (B): Byte1('Z'), Int32(5), Byte1 the current backend
// transaction status indicator: 'I' if idle (not in a transaction block);
// 'T' if in a transaction block; or 'E' if in a failed transaction block.
//
// Portals live no longer than their transaction, so outside a transaction
// block they are all dropped here. Settings changed since the last
// ReadyForQuery are reported first, as PostgreSQL 14 and later do.
func (c *conn) readyForQuery() {
	if !c.alive() {
		return
	}
	if err := c.endImplicitTransaction(); err != nil {
		c.sendError(err)
	}
	c.reportParameterChanges()
	status := c.session.TxStatus()
	if status != 'T' {
		clear(c.portals)
	}
	c.ready.TxStatus = status
	c.send(&c.ready)
	c.flush()
}

// simpleResult is the ResultWriter of a simple query: results are always
// text and every statement describes its own rows.
type simpleResult struct {
	c *conn
	*writeInterrupt
}

// Columns sends RowDescription.
//
// RowDescription (B): Byte1('T'), Int32 length, Int16 number of fields,
// then for each field its name, table OID, column attribute number, data
// type OID, type size, type modifier and format code.
func (w *simpleResult) Columns(cols []Column, formats []int16) error {
	return w.c.sendRowDescription(cols, formats)
}

// Row sends one DataRow.
//
// DataRow (B): Byte1('D'), Int32 length, Int16 number of column values,
// then for each value Int32 its length (-1 for NULL) and its bytes.
func (w *simpleResult) Row(values [][]byte) error {
	return w.c.sendDataRow(values)
}

func (w *simpleResult) Notice(n *pgerr.Error) error {
	return w.c.sendNotice(n)
}

func (w *simpleResult) CopyIn(format int8, columnFormats []int16) (io.Reader, error) {
	return w.c.startCopyIn(format, columnFormats)
}

func (w *simpleResult) CopyOut(format int8, columnFormats []int16) (io.WriteCloser, error) {
	return w.c.startCopyOut(format, columnFormats)
}
