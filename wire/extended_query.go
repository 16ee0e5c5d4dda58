package wire

import (
	"slices"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// Extended Query: In the extended protocol, the overall execution cycle
// consists of a parse step, which creates a prepared statement from a
// textual query string; a bind step, which creates a portal given a
// prepared statement and values for any needed parameters; and an execute
// step that runs a portal's query. [...] At completion of each series of
// extended-query messages, the frontend should issue a Sync message. [...]
// When an error is detected while processing any extended-query message,
// the backend issues ErrorResponse, then reads and discards messages until
// a Sync is reached, then issues ReadyForQuery and returns to normal
// message processing.
//
// Each handler below returns the error to report; the message loop sends
// it and starts discarding until Sync.

// preparedStatement is what Parse creates. Its Describe result is taken
// once, at Parse, and reused by Describe, Bind and Execute.
type preparedStatement struct {
	name   string
	stmt   Statement // nil for an empty query string
	params []uint32  // one type OID per parameter
	cols   []Column  // nil when the statement returns no rows
}

// handleParse creates a prepared statement.
//
// Parse (F): Byte1('P'), Int32 length, String the name of the destination
// prepared statement (an empty string selects the unnamed prepared
// statement), String the query string to be parsed, Int16 the number of
// parameter data types specified (can be zero), then for each an Int32
// type OID (zero leaves the type unspecified). [...] If successfully
// created, a named prepared-statement object lasts till the end of the
// current session, unless explicitly destroyed. An unnamed prepared
// statement lasts only until the next Parse statement specifying the
// unnamed statement as destination is issued. [...] Named prepared
// statements must be explicitly closed before they can be redefined by
// another Parse message. The query string contained in a Parse message
// cannot include more than one SQL statement.
//
// Parse also describes the statement, as PostgreSQL analyzes it at this
// point: errors such as an unknown table surface at Parse.
func (c *conn) handleParse(m *pgproto3.Parse) error {
	if m.Name == "" {
		delete(c.statements, "")
	} else if _, exists := c.statements[m.Name]; exists {
		return pgerr.New(pgerr.DuplicatePstatement, "prepared statement \"%s\" already exists", m.Name)
	}
	stmts, err := c.session.Parse(m.Query)
	if err != nil {
		return err
	}
	if len(stmts) > 1 {
		return pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	ps := &preparedStatement{name: m.Name}
	if len(stmts) == 0 {
		ps.params = slices.Clone(m.ParameterOIDs)
	} else {
		ps.stmt = stmts[0]
		ctx := c.beginStatement()
		params, cols, err := c.session.Describe(ctx, ps.stmt, slices.Clone(m.ParameterOIDs))
		c.endStatement()
		if err != nil {
			return statementError(ctx, err)
		}
		ps.params, ps.cols = params, cols
	}
	c.statements[m.Name] = ps
	if sl, ok := c.session.(StatementLister); ok && m.Name != "" {
		sl.NoteProtocolStatement(m.Name, m.Query, ps.params)
	}
	return c.send(&pgproto3.ParseComplete{})
}

// handleBind creates a portal.
//
// Bind (F): Byte1('B'), Int32 length, String the name of the destination
// portal (an empty string selects the unnamed portal), String the name of
// the source prepared statement, Int16 the number of parameter format
// codes that follow (zero: all text; one: applies to all parameters; or
// equal to the actual number of parameters), Int16[C] the parameter
// format codes (0 text, 1 binary), Int16 the number of parameter values
// that follow, then for each Int32 its length (-1 for NULL) and its
// bytes, Int16 the number of result-column format codes (same rules),
// Int16[R] the result-column format codes. [...] If successfully created,
// a named portal object lasts till the end of the current transaction,
// unless explicitly destroyed. An unnamed portal is destroyed at the end
// of the transaction, or as soon as the next Bind statement specifying
// the unnamed portal as destination is issued. Named portals must be
// explicitly closed before they can be redefined by another Bind message.
func (c *conn) handleBind(m *pgproto3.Bind) error {
	ps, ok := c.statements[m.PreparedStatement]
	if !ok {
		return undefinedStatement(m.PreparedStatement)
	}
	if m.DestinationPortal == "" {
		delete(c.portals, "")
	} else if _, exists := c.portals[m.DestinationPortal]; exists {
		return pgerr.New(pgerr.DuplicateCursor, "portal \"%s\" already exists", m.DestinationPortal)
	}

	if n := len(m.ParameterFormatCodes); n > 1 && n != len(m.Parameters) {
		return pgerr.New(pgerr.ProtocolViolation, "bind message has %d parameter formats but %d parameters",
			n, len(m.Parameters))
	}
	if len(m.Parameters) != len(ps.params) {
		return pgerr.New(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
			len(m.Parameters), ps.name, len(ps.params))
	}
	if n := len(m.ResultFormatCodes); n > 1 && n != len(ps.cols) {
		return pgerr.New(pgerr.ProtocolViolation, "bind message has %d result formats but query has %d columns",
			n, len(ps.cols))
	}
	if err := checkFormats(m.ParameterFormatCodes); err != nil {
		return err
	}
	p := &portal{name: m.DestinationPortal, ps: ps}
	p.args = copyArgs(p.argsInline[:0], m.Parameters)
	p.argFormats = cloneFormats(p.formatsInline[:0:len(p.formatsInline)/2], m.ParameterFormatCodes)
	p.resultFormats = cloneFormats(p.formatsInline[len(p.formatsInline)/2:len(p.formatsInline)/2], m.ResultFormatCodes)
	if pc, ok := c.session.(ParameterChecker); ok {
		// The portal's own copies, which stay as they are: the session
		// may keep what it read of them for the portal's Execute.
		if err := pc.CheckParameters(ps.params, p.args, p.argFormats); err != nil {
			return err
		}
	}
	c.portals[m.DestinationPortal] = p
	return c.send(&pgproto3.BindComplete{})
}

// checkFormats accepts the two format codes the protocol defines. As in
// PostgreSQL, parameter formats are checked at Bind and result formats
// where rows are described or sent.
func checkFormats(formats []int16) error {
	for _, f := range formats {
		if f != 0 && f != 1 {
			return pgerr.New(pgerr.InvalidParameterValue, "unsupported format code: %d", f)
		}
	}
	return nil
}

// copyArgs copies Bind's parameter values out of the receive buffer, which
// the next message overwrites, into one allocation, appending them to
// args (a portal's inline room for a few).
func copyArgs(args, params [][]byte) [][]byte {
	if len(params) == 0 {
		return nil
	}
	size := 0
	for _, p := range params {
		size += len(p)
	}
	slab := make([]byte, 0, size)
	for _, p := range params {
		if p == nil {
			args = append(args, nil) // NULL
			continue
		}
		start := len(slab)
		slab = append(slab, p...)
		args = append(args, slab[start:len(slab):len(slab)])
	}
	return args
}

// cloneFormats copies format codes out of the receive buffer into to
// (a portal's inline room for a few); nil stays nil.
func cloneFormats(to, formats []int16) []int16 {
	if formats == nil {
		return nil
	}
	return append(to, formats...)
}

// handleDescribe describes a prepared statement or a portal.
//
// Describe (F): Byte1('D'), Int32 length, Byte1 'S' to describe a
// prepared statement or 'P' to describe a portal, String the name of the
// prepared statement or portal (an empty string selects the unnamed one).
// [...] The response to a Describe message referencing a prepared
// statement is a ParameterDescription message describing the parameters
// needed by the statement, followed by a RowDescription message
// describing the rows that will be returned when the statement is
// eventually executed (or a NoData message if the statement will not
// return rows). [...] Note that since Bind has not yet been issued, the
// formats to be used for returned columns are not yet known to the
// backend; the format code fields in the RowDescription message will be
// zeroes in this case. The response to a Describe message referencing a
// portal is a RowDescription message describing the rows that will be
// returned by executing the portal; or a NoData message if the portal
// does not contain a query that will return rows.
func (c *conn) handleDescribe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		ps, ok := c.statements[m.Name]
		if !ok {
			return undefinedStatement(m.Name)
		}
		c.send(&pgproto3.ParameterDescription{ParameterOIDs: ps.params})
		if ps.cols == nil {
			return c.send(&pgproto3.NoData{})
		}
		return c.sendRowDescription(ps.cols, nil)
	case 'P':
		p, ok := c.portals[m.Name]
		if !ok {
			// A cursor made with SQL DECLARE is a portal too.
			if cd, ok := c.session.(CursorDescriber); ok && m.Name != "" {
				if cols, binary, ok := cd.DescribeCursor(m.Name); ok {
					var formats []int16
					if binary {
						formats = []int16{1}
					}
					return c.sendRowDescription(cols, formats)
				}
			}
			return undefinedPortal(m.Name)
		}
		if p.ps.cols == nil {
			return c.send(&pgproto3.NoData{})
		}
		if err := checkFormats(p.resultFormats); err != nil {
			return err
		}
		return c.sendRowDescription(p.ps.cols, p.resultFormats)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
	}
}

// handleExecute runs a portal.
//
// Execute (F): Byte1('E'), Int32 length, String the name of the portal to
// execute (an empty string selects the unnamed portal), Int32 maximum
// number of rows to return, if portal contains a query that returns rows
// (ignored otherwise). Zero denotes "no limit". [...] The possible
// responses to Execute are the same as those described above for queries
// issued via simple query protocol, except that Execute doesn't cause
// ReadyForQuery or RowDescription to be issued. If Execute terminates
// before completing the execution of a portal (due to reaching a nonzero
// result-row count), it will send a PortalSuspended message; the
// appearance of this message tells the frontend that another Execute
// should be issued against the same portal to complete the operation.
func (c *conn) handleExecute(m *pgproto3.Execute) error {
	p, ok := c.portals[m.Portal]
	if !ok {
		return undefinedPortal(m.Portal)
	}
	return c.runPortal(p, int(m.MaxRows))
}

// handleClose destroys a prepared statement or a portal.
//
// Close (F): Byte1('C'), Int32 length, Byte1 'S' to close a prepared
// statement or 'P' to close a portal, String the name of the prepared
// statement or portal to close (an empty string selects the unnamed one).
// [...] It is not an error to issue Close against a nonexistent statement
// or portal name. The response is normally CloseComplete. [...] Closing a
// prepared statement does not affect portals already bound from it.
func (c *conn) handleClose(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		delete(c.statements, m.Name)
		if sl, ok := c.session.(StatementLister); ok && m.Name != "" {
			sl.ForgetProtocolStatement(m.Name)
		}
	case 'P':
		delete(c.portals, m.Name)
	default:
		return pgerr.New(pgerr.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	return c.send(&pgproto3.CloseComplete{})
}

func undefinedStatement(name string) error {
	if name == "" {
		return pgerr.New(pgerr.UndefinedPstatement, "unnamed prepared statement does not exist")
	}
	return pgerr.New(pgerr.UndefinedPstatement, "prepared statement \"%s\" does not exist", name)
}

func undefinedPortal(name string) error {
	return pgerr.New(pgerr.UndefinedCursor, "portal \"%s\" does not exist", name)
}
