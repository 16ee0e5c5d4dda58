package wire

import (
	"io"
	"slices"

	"github.com/jackc/pgx/v5/pgproto3"
)

// flushThreshold is how much output may wait in the buffer before it is
// written even though the protocol does not require it yet: large enough
// to batch many DataRows per write, small enough to stream big results.
const flushThreshold = 32 << 10

// retainedBufferCap caps the buffer kept between flushes, so that one huge
// row does not pin its memory for the life of the connection.
const retainedBufferCap = 1 << 20

// output buffers backend messages and writes them in batches. Messages are
// encoded straight into one reused buffer (pgproto3's Backend.Flush drops
// any buffer above 1 KiB, which would reallocate on every batch of rows).
// The buffer only ever holds whole messages.
type output struct {
	w        io.Writer
	wbuf     []byte
	writeErr error
	// interrupt lets the running statement's end interrupt a write that
	// waits on the client (write_interrupt.go).
	interrupt writeInterrupt

	dataRow pgproto3.DataRow
	rowDesc pgproto3.RowDescription
	names   []byte // backing store for rowDesc field names
	tag     pgproto3.CommandComplete
	ready   pgproto3.ReadyForQuery
	// lastDesc is the RowDescription sent last, encoded, with the columns
	// and formats it describes.
	lastDesc struct {
		cols    []Column
		formats []int16
		encoded []byte
	}
}

// send appends msg to the buffer, writing the buffer out once it passes
// flushThreshold. After a write has failed, send keeps failing; after
// one was interrupted, it fails until the statement ends.
func (o *output) send(msg pgproto3.BackendMessage) error {
	if err := o.failed(); err != nil {
		return err
	}
	buf, err := msg.Encode(o.wbuf)
	if err != nil {
		return err
	}
	o.wbuf = buf
	if len(o.wbuf) >= flushThreshold {
		return o.flush()
	}
	return nil
}

// failed is the error output fails with: the socket's, or the
// interrupted statement's.
func (o *output) failed() error {
	if o.writeErr != nil {
		return o.writeErr
	}
	return o.interrupt.err
}

// flush writes the buffered messages to the client. A write the running
// statement's end interrupted keeps what it did not send.
func (o *output) flush() error {
	if err := o.failed(); err != nil {
		return err
	}
	if len(o.wbuf) == 0 {
		return nil
	}
	o.interrupt.beforeWrite()
	n, err := o.w.Write(o.wbuf)
	if err != nil {
		if ierr := o.interrupt.interrupted(err); ierr != nil {
			o.wbuf = o.wbuf[:copy(o.wbuf, o.wbuf[n:])]
			return ierr
		}
	}
	if cap(o.wbuf) > retainedBufferCap {
		o.wbuf = nil
	} else {
		o.wbuf = o.wbuf[:0]
	}
	if err != nil {
		o.writeErr = err
	}
	return err
}

// sendDataRow sends one DataRow without allocating.
func (o *output) sendDataRow(values [][]byte) error {
	o.dataRow.Values = values
	err := o.send(&o.dataRow)
	o.dataRow.Values = nil
	return err
}

// sendRowDescription describes cols, each in its result format. The
// message last sent is kept encoded, and sent again as it is for the same
// columns (the very slice: a prepared statement's, or a kept plan's,
// which never changes) in the same formats.
func (o *output) sendRowDescription(cols []Column, formats []int16) error {
	if d := &o.lastDesc; len(cols) > 0 && len(d.cols) == len(cols) && &d.cols[0] == &cols[0] &&
		slices.Equal(d.formats, formats) && o.failed() == nil {
		o.wbuf = append(o.wbuf, d.encoded...)
		if len(o.wbuf) >= flushThreshold {
			return o.flush()
		}
		return nil
	}
	start := len(o.wbuf)
	if err := o.encodeRowDescription(cols, formats); err != nil {
		return err
	}
	if len(cols) > 0 && len(o.wbuf) > start && len(o.wbuf)-start <= maxKeptRowDescription {
		d := &o.lastDesc
		d.cols = cols
		d.formats = append(d.formats[:0], formats...)
		d.encoded = append(d.encoded[:0], o.wbuf[start:]...)
	}
	if len(o.wbuf) >= flushThreshold {
		return o.flush()
	}
	return nil
}

// maxKeptRowDescription bounds the encoded RowDescription kept for
// sending again.
const maxKeptRowDescription = 4 << 10

// encodeRowDescription appends the RowDescription of cols to the buffer.
func (o *output) encodeRowDescription(cols []Column, formats []int16) error {
	o.names = o.names[:0]
	for _, col := range cols {
		o.names = append(o.names, col.Name...)
	}
	fields := o.rowDesc.Fields[:0]
	start := 0
	for i, col := range cols {
		end := start + len(col.Name)
		fields = append(fields, pgproto3.FieldDescription{
			Name:                 o.names[start:end:end],
			TableOID:             col.TableOID,
			TableAttributeNumber: uint16(col.AttrNum),
			DataTypeOID:          col.TypeOID,
			DataTypeSize:         col.TypeSize,
			TypeModifier:         col.TypeMod,
			Format:               formatOf(formats, i),
		})
		start = end
	}
	o.rowDesc.Fields = fields
	if err := o.failed(); err != nil {
		return err
	}
	buf, err := o.rowDesc.Encode(o.wbuf)
	if err != nil {
		return err
	}
	o.wbuf = buf
	return nil
}

// sendCommandComplete sends the command tag.
func (o *output) sendCommandComplete(tag string) error {
	o.tag.CommandTag = append(o.tag.CommandTag[:0], tag...)
	return o.send(&o.tag)
}

// formatOf applies Bind's format-code rule: no codes means all text, one
// code applies to every column, otherwise one code per column.
func formatOf(formats []int16, i int) int16 {
	switch {
	case len(formats) == 0:
		return 0
	case len(formats) == 1:
		return formats[0]
	case i < len(formats):
		return formats[i]
	default:
		return 0
	}
}
