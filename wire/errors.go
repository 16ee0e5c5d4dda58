package wire

import (
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// ErrorResponse (B)
//
//	Byte1('E') Identifies the message as an error. Int32 length. The message
//	body consists of one or more identified fields, followed by a zero byte
//	as a terminator. Fields can appear in any order.
//
// NoticeResponse (B) has the same body with Byte1('N'). Field 'S' is the
// severity, possibly localized; 'V' the same, never localized; 'C' the
// SQLSTATE; 'M' the primary message; 'D' detail; 'H' hint; 'P' the
// 1-based character position in the query string; 'W' the context in
// which the error occurred (a call stack traceback, or "COPY t, line 3").

// sendError reports err to the client. A *pgerr.Error goes as is (ERROR
// unless it says otherwise); anything else is a pqdb bug and goes as
// XX000. An error of severity FATAL or PANIC ends the connection after it
// is sent, as in PostgreSQL.
func (c *conn) sendError(err error) {
	e := pgerr.From(err)
	if e.Code == pgerr.InternalError {
		c.log.Error("wire: internal error", "err", err)
	}
	severity := e.Severity
	if severity == "" {
		severity = "ERROR"
	}
	msg := pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                e.Code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Position:            e.Position,
		Where:               e.Where,
	}
	c.send(&msg)
	if c.syncLost && severity == "ERROR" {
		c.sendFatal(pgerr.New(pgerr.ProtocolViolation, "terminating connection because protocol synchronization was lost"))
		return
	}
	if severity == "FATAL" || severity == "PANIC" {
		c.flush()
		if c.fatal == nil {
			c.fatal = e
		}
		return
	}
	if aborter, ok := c.session.(TransactionAborter); ok && c.session.TxStatus() == 'T' {
		aborter.AbortTransaction()
	}
}

// sendNotice sends n as a NoticeResponse (severity NOTICE unless n says
// otherwise) and flushes it, as PostgreSQL does with every notice, so
// that the client sees it while the statement goes on (a long COPY's
// progress).
func (c *conn) sendNotice(n *pgerr.Error) error {
	severity := n.Severity
	if severity == "" {
		severity = "NOTICE"
	}
	msg := pgproto3.NoticeResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                n.Code,
		Message:             n.Message,
		Detail:              n.Detail,
		Hint:                n.Hint,
		Position:            n.Position,
		Where:               n.Where,
	}
	if err := c.send(&msg); err != nil {
		return err
	}
	return c.flush()
}
