package pgcopy

import (
	"bytes"
	"encoding/binary"
)

// splitter finds where rows end in COPY data without decoding them, so
// that whole rows can be handed to parallel decoders (parallel.go). It
// must end rows exactly where the row readers of text.go, csv.go and
// binary.go do, and count lines as they do, so that a chunk decoded on
// its own reports the same line numbers as the whole stream read in
// order:
//
//   - text: a row ends at a newline preceded by an even number of
//     backslashes (counted back to the row's start; an odd number makes
//     the newline data, as in nextLine). One row is one line.
//   - CSV: a row ends at a newline, a carriage return or CRLF outside
//     quotes; inside quotes, doubled quotes or escape pairs are data, as
//     in parseCSVRecord. A row counts one line plus its quoted newlines.
//   - binary: a tuple is its field count and, per field, a length word
//     and that many bytes. One tuple is one line.
//
// Rows are found in data, the buffered input from the start of the chunk
// being gathered; positions are offsets into it. The scan stops where it
// needs more input, and resumes there once more has been read, so that no
// byte is scanned twice however the input arrives. It never looks at the
// end of the input: the bytes after the last complete row found are left
// to the sequential reader (see Reader.nextChunk), so that a last line
// without a newline or an unterminated quoted field is its business.
type splitter struct {
	format        Format
	quote, escape byte
	columns       int

	pos      int   // the next byte to scan
	rowStart int   // where the row being scanned starts
	rows     int   // complete rows before rowStart
	lines    int64 // lines (tuples) of the stream before rowStart

	inQuote  bool  // CSV: inside a quoted field
	rowLines int64 // CSV: newlines inside quotes in the row so far
	fields   int   // binary: fields of the current tuple still to walk; -1 at its field count

	// stopped: rows from rowStart on are not for the splitter to walk
	// (binary: the trailer, or a tuple whose field count or a length
	// PostgreSQL rejects), so the sequential reader takes them.
	stopped bool
}

func newSplitter(opts Options, columns int) splitter {
	return splitter{format: opts.Format, quote: opts.Quote, escape: opts.Escape, columns: columns, fields: -1}
}

// scan advances over the complete rows of data from pos until it holds
// maxRows rows, needs more input, or stops.
func (s *splitter) scan(data []byte, maxRows int) {
	switch s.format {
	case Text:
		s.scanText(data, maxRows)
	case CSV:
		s.scanCSV(data, maxRows)
	default:
		s.scanBinary(data, maxRows)
	}
}

// endRow records a row ending at pos that spans lines lines.
func (s *splitter) endRow(lines int64) {
	s.rowStart = s.pos
	s.rows++
	s.lines += lines
}

// cut starts a new chunk at rowStart: data's first n bytes (the complete
// rows) are gone.
func (s *splitter) cut(n int) {
	s.pos -= n
	s.rowStart -= n
	s.rows = 0
}

func (s *splitter) scanText(data []byte, maxRows int) {
	for s.rows < maxRows {
		i := bytes.IndexByte(data[s.pos:], '\n')
		if i < 0 {
			s.pos = len(data)
			return
		}
		nl := s.pos + i
		s.pos = nl + 1
		backslashes := 0
		for k := nl - 1; k >= s.rowStart && data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			s.endRow(1)
		}
	}
}

func (s *splitter) scanCSV(data []byte, maxRows int) {
	quote, escape := s.quote, s.escape
	i := s.pos
	defer func() { s.pos = i }()
	for s.rows < maxRows && i < len(data) {
		if s.inQuote {
			// Jump to the next quote or escape, counting the newlines
			// before it.
			j := bytes.IndexByte(data[i:], quote)
			if escape != quote {
				if k := bytes.IndexByte(data[i:], escape); k >= 0 && (j < 0 || k < j) {
					j = k
				}
			}
			if j < 0 {
				s.rowLines += int64(bytes.Count(data[i:], newline))
				i = len(data)
				return
			}
			s.rowLines += int64(bytes.Count(data[i:i+j], newline))
			i += j
			c := data[i]
			switch {
			case i+1 == len(data) && c == escape:
				return // an escape pair or the closing quote: the next byte decides
			case c == escape && escape != quote:
				if next := data[i+1]; next == quote || next == escape {
					i += 2
				} else {
					i++
				}
			case escape == quote && i+1 < len(data) && data[i+1] == quote:
				i += 2
			default:
				s.inQuote = false
				i++
			}
			continue
		}
		// Outside quotes: jump to the first quote, CR or LF.
		rest := data[i:]
		j := bytes.IndexByte(rest, '\n')
		if j < 0 {
			j = len(rest)
		}
		if k := bytes.IndexByte(rest[:j], quote); k >= 0 {
			j = k
		}
		if k := bytes.IndexByte(rest[:j], '\r'); k >= 0 {
			j = k
		}
		if j == len(rest) {
			i = len(data)
			return
		}
		i += j
		switch data[i] {
		case quote:
			s.inQuote = true
			i++
			continue
		case '\r':
			if i+1 == len(data) {
				return // CR or CRLF: the next byte decides
			}
			i++
			if data[i] == '\n' {
				i++
			}
		default: // '\n'
			i++
		}
		s.pos = i
		s.endRow(1 + s.rowLines)
		s.rowLines = 0
	}
}

var newline = []byte{'\n'}

func (s *splitter) scanBinary(data []byte, maxRows int) {
	be := binary.BigEndian
	for s.rows < maxRows && !s.stopped {
		if s.fields < 0 {
			if len(data)-s.pos < 2 {
				return
			}
			if count := int16(be.Uint16(data[s.pos:])); int(count) != s.columns {
				// The trailer (-1), or a tuple binaryRow rejects.
				s.stopped = true
				return
			}
			s.pos += 2
			s.fields = s.columns
		}
		for s.fields > 0 {
			if len(data)-s.pos < 4 {
				return
			}
			n := int(int32(be.Uint32(data[s.pos:])))
			switch {
			case n < -1:
				s.stopped = true
				return
			case n > 0 && len(data)-s.pos-4 < n:
				return
			case n > 0:
				s.pos += n
			}
			s.pos += 4
			s.fields--
		}
		s.fields = -1
		s.endRow(1)
	}
}
