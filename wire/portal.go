package wire

import (
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

// A portal runs its statement at most once. Session.Execute produces
// every row in one call, so an Execute with a row limit sends the first
// rows and keeps the rest in the portal; later Executes are served from
// there without calling the engine again. The memory held is the
// statement's result beyond the first batch.

type portalState uint8

const (
	portalReady     portalState = iota // bound, not yet run
	portalSuspended                    // stopped at a row limit; rows may remain
	portalDone                         // ran to completion
	portalFailed                       // its statement returned an error
)

type portal struct {
	name          string
	ps            *preparedStatement
	args          [][]byte
	argFormats    []int16
	resultFormats []int16

	// argsInline and formatsInline hold args and the format codes
	// when there are few, so that a Bind allocates less.
	argsInline    [4][]byte
	formatsInline [8]int16

	state       portalState
	returnsRows bool      // the statement called Columns
	tag         string    // the engine's command tag
	pending     rowBuffer // rows not yet sent
}

// runPortal serves one Execute message for p, sending at most maxRows
// rows (0: all).
func (c *conn) runPortal(p *portal, maxRows int) error {
	if p.ps.stmt == nil {
		return c.send(&pgproto3.EmptyQueryResponse{})
	}
	switch p.state {
	case portalSuspended:
		return c.resumePortal(p, maxRows)
	case portalDone:
		if p.returnsRows {
			// Fetching past the end returns no rows, as in PostgreSQL.
			return c.resumePortal(p, maxRows)
		}
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "portal \"%s\" cannot be run", p.name)
	case portalFailed:
		return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "portal \"%s\" cannot be run", p.name)
	}

	if err := checkFormats(p.resultFormats); err != nil {
		return err
	}
	ctx := c.beginStatement()
	defer c.endStatement()
	w := &c.extended
	w.start(p, maxRows)
	tag, err := c.session.Execute(ctx, p.ps.stmt, p.ps.params, p.args, p.argFormats, p.resultFormats, w)
	w.portal = nil
	err = c.finishCopyIn(err)
	if err != nil {
		p.state = portalFailed
		p.pending.reset()
		return statementError(ctx, err)
	}
	p.tag = tag
	if maxRows > 0 && w.sent == maxRows {
		// Like PostgreSQL, a portal that produced exactly maxRows rows
		// is suspended: the next Execute finds no more and completes.
		p.state = portalSuspended
		return c.send(&pgproto3.PortalSuspended{})
	}
	p.state = portalDone
	return c.sendCommandComplete(tag)
}

// resumePortal continues a portal from its buffered rows.
func (c *conn) resumePortal(p *portal, maxRows int) error {
	sent := 0
	for (maxRows == 0 || sent < maxRows) && p.pending.more() {
		if err := c.sendDataRow(p.pending.next()); err != nil {
			return err
		}
		sent++
	}
	if maxRows > 0 && sent == maxRows {
		return c.send(&pgproto3.PortalSuspended{})
	}
	p.state = portalDone
	p.pending.reset()
	return c.sendCommandComplete(fetchTag(p.tag, sent))
}

// fetchTag is the command tag for the Execute that completes a SELECT
// portal after earlier fetches: PostgreSQL counts only the rows that
// Execute returned. Other commands (with RETURNING) run to completion up
// front and keep their full tag.
func fetchTag(tag string, rows int) string {
	if !strings.HasPrefix(tag, "SELECT ") {
		return tag
	}
	return "SELECT " + strconv.Itoa(rows)
}

// extendedResult is the ResultWriter of an Execute message. The client
// learned the row shape from Describe, so Columns sends nothing.
type extendedResult struct {
	c *conn
	*writeInterrupt
	portal  *portal
	maxRows int
	sent    int
}

func (w *extendedResult) start(p *portal, maxRows int) {
	w.portal = p
	w.maxRows = maxRows
	w.sent = 0
}

func (w *extendedResult) Columns(cols []Column, formats []int16) error {
	w.portal.returnsRows = true
	return nil
}

// Row sends the row while the Execute's row limit allows, and keeps it in
// the portal after that.
func (w *extendedResult) Row(values [][]byte) error {
	if w.maxRows == 0 || w.sent < w.maxRows {
		w.sent++
		return w.c.sendDataRow(values)
	}
	w.portal.pending.add(values)
	return nil
}

func (w *extendedResult) Notice(n *pgerr.Error) error {
	return w.c.sendNotice(n)
}

func (w *extendedResult) CopyIn(format int8, columnFormats []int16) (io.Reader, error) {
	return w.c.startCopyIn(format, columnFormats)
}

func (w *extendedResult) CopyOut(format int8, columnFormats []int16) (io.WriteCloser, error) {
	return w.c.startCopyOut(format, columnFormats)
}

// rowBuffer holds rows in two flat slices, one for bytes and one for
// value lengths, so buffering a row costs no allocation of its own.
type rowBuffer struct {
	data   []byte
	lens   []int32 // per value; -1 is NULL
	widths []int32 // values per row

	row     int      // next row to hand out
	lenPos  int      // its first entry in lens
	dataPos int      // its first byte in data
	scratch [][]byte // the row handed out by next
}

// emptyValue is a zero-length value, which unlike nil is not NULL.
var emptyValue = []byte{}

func (b *rowBuffer) add(values [][]byte) {
	for _, v := range values {
		if v == nil {
			b.lens = append(b.lens, -1)
			continue
		}
		b.lens = append(b.lens, int32(len(v)))
		b.data = append(b.data, v...)
	}
	b.widths = append(b.widths, int32(len(values)))
}

func (b *rowBuffer) more() bool { return b.row < len(b.widths) }

// next returns the next row; it is valid until the following call.
func (b *rowBuffer) next() [][]byte {
	width := int(b.widths[b.row])
	b.row++
	b.scratch = b.scratch[:0]
	for _, n := range b.lens[b.lenPos : b.lenPos+width] {
		if n < 0 {
			b.scratch = append(b.scratch, nil)
			continue
		}
		if n == 0 {
			b.scratch = append(b.scratch, emptyValue) // not NULL
			continue
		}
		end := b.dataPos + int(n)
		b.scratch = append(b.scratch, b.data[b.dataPos:end:end])
		b.dataPos = end
	}
	b.lenPos += width
	return b.scratch
}

func (b *rowBuffer) reset() {
	*b = rowBuffer{}
}
