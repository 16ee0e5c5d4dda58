package pgcopy

import (
	"encoding/binary"

	"github.com/pqdb/pqdb/pgerr"
)

// The binary format: the 11-byte signature PGCOPY\n\377\r\n\0, a 32-bit
// flags word (bit 16: OIDs included; other high bits: critical flags pqdb
// does not know), a 32-bit header extension length and that many bytes;
// then per tuple a 16-bit field count (-1 ends the data) and per field a
// 32-bit length (-1 for NULL) and the value in its type's binary form.

var binarySignature = []byte("PGCOPY\n\377\r\n\x00")

// need makes n bytes available at buf[start:]; false at the end of the
// input.
func (r *Reader) need(n int) (bool, error) {
	for r.end-r.start < n {
		more, err := r.fill()
		if err != nil {
			return false, err
		}
		if !more {
			return false, nil
		}
	}
	return true, nil
}

func (r *Reader) unexpectedEOF() error {
	e := pgerr.New(pgerr.BadCopyFileFormat, "unexpected EOF in COPY data")
	if r.line > 0 {
		e.Where = r.where(nil, -1, nil)
	}
	return e
}

func (r *Reader) binaryHeader() error {
	ok, err := r.need(len(binarySignature))
	if err != nil {
		return err
	}
	if !ok || string(r.buf[r.start:r.start+len(binarySignature)]) != string(binarySignature) {
		return pgerr.New(pgerr.BadCopyFileFormat, "COPY file signature not recognized")
	}
	r.start += len(binarySignature)
	if ok, err = r.need(8); err != nil || !ok {
		if err == nil {
			err = pgerr.New(pgerr.BadCopyFileFormat, "invalid COPY file header (missing flags)")
		}
		return err
	}
	flags := binary.BigEndian.Uint32(r.buf[r.start:])
	ext := int32(binary.BigEndian.Uint32(r.buf[r.start+4:]))
	r.start += 8
	if flags&(1<<16) != 0 {
		return pgerr.New(pgerr.BadCopyFileFormat, "invalid COPY file header (WITH OIDS)")
	}
	if flags&0xFFFE0000 != 0 {
		return pgerr.New(pgerr.BadCopyFileFormat, "unrecognized critical flags in COPY file header")
	}
	if ext < 0 {
		return pgerr.New(pgerr.BadCopyFileFormat, "invalid COPY file header (missing length)")
	}
	for skip := int(ext); skip > 0; {
		if ok, err := r.need(1); err != nil || !ok {
			if err == nil {
				err = pgerr.New(pgerr.BadCopyFileFormat, "invalid COPY file header (wrong length)")
			}
			return err
		}
		n := min(skip, r.end-r.start)
		r.start += n
		skip -= n
	}
	return nil
}

// binaryRow reads one tuple into the builders; false at the trailer or at
// the end of the input.
func (r *Reader) binaryRow() (bool, error) {
	if !r.started {
		r.started = true
		if err := r.binaryHeader(); err != nil {
			return false, err
		}
	}
	ok, err := r.need(2)
	if err != nil {
		return false, err
	}
	if !ok {
		if r.start != r.end {
			return false, r.unexpectedEOF()
		}
		return false, nil
	}
	count := int16(binary.BigEndian.Uint16(r.buf[r.start:]))
	r.start += 2
	if count == -1 {
		// As PostgreSQL: the trailer must end the data; anything after
		// it is an error, not ignored.
		r.marker = true
		more, err := r.need(1)
		if err != nil {
			return false, err
		}
		if more {
			r.line++
			e := pgerr.New(pgerr.BadCopyFileFormat, "received copy data after EOF marker")
			e.Where = r.where(nil, -1, nil)
			return false, e
		}
		return false, nil
	}
	r.line++
	if int(count) != len(r.types) {
		e := pgerr.New(pgerr.BadCopyFileFormat, "row field count is %d, expected %d", count, len(r.types))
		e.Where = r.where(nil, -1, nil)
		return false, e
	}
	for col := range r.types {
		if ok, err := r.need(4); err != nil || !ok {
			if err == nil {
				err = r.unexpectedEOF()
			}
			return false, err
		}
		n := int32(binary.BigEndian.Uint32(r.buf[r.start:]))
		r.start += 4
		if n == -1 {
			r.decoders[col].AppendNull()
			continue
		}
		if n < -1 {
			e := pgerr.New(pgerr.BadCopyFileFormat, "invalid field size")
			e.Where = r.where(nil, col, nil)
			return false, e
		}
		if ok, err := r.need(int(n)); err != nil || !ok {
			if err == nil {
				err = r.unexpectedEOF()
			}
			return false, err
		}
		v := r.buf[r.start : r.start+int(n)]
		r.start += int(n)
		if err := r.appendField(col, v, false, false); err != nil {
			return false, err
		}
	}
	return true, nil
}
