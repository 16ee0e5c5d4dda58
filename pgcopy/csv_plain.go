package pgcopy

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Most CSV records are plain: fields without quotes, or quoted without
// quotes or escapes inside, separated by the delimiter and ended by a
// newline. The columnar pass splits such a record straight into cells,
// finding the bytes that end a field eight at a time (csvStop), and
// leaves any other record (a doubled quote, an escape, a carriage return,
// the end of the chunk without a newline, the end marker, a wrong field
// count) to parseCSVRecord, which decides it as the row reading does.

// Word-at-a-time byte search: zeroBytes(w) has the high bit of the lowest
// zero byte of w set (and perhaps of bytes above it, never below), so
// the lowest set bit of zeroBytes(w ^ broadcast(c)) is the first c in w.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

func zeroBytes(w uint64) uint64 { return (w - lowBits) &^ w & highBits }

// csvStopWords returns the special bytes of opts' CSV (delimiter, quote,
// escape, newline, carriage return), each repeated in every byte of a
// word, for csvStop. The escape is most often the quote, which then
// takes its place twice.
func csvStopWords(opts Options) [5]uint64 {
	var w [5]uint64
	for i, c := range []byte{opts.Delimiter, opts.Quote, opts.Escape, '\n', '\r'} {
		w[i] = lowBits * uint64(c)
	}
	return w
}

// csvStop returns the index of the first special CSV byte of data at or
// after i, or len(data).
func (r *Reader) csvStop(data []byte, i int) int {
	w0, w1, w2, w3, w4 := r.csvWords[0], r.csvWords[1], r.csvWords[2], r.csvWords[3], r.csvWords[4]
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		if m := zeroBytes(w^w0) | zeroBytes(w^w1) | zeroBytes(w^w2) | zeroBytes(w^w3) | zeroBytes(w^w4); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(data) && !r.csvSpecial[data[i]] {
		i++
	}
	return i
}

// splitPlainCSVRow appends the cells of the CSV record at r.start and
// moves past it when the record is plain; otherwise it appends nothing
// and returns false.
func (r *Reader) splitPlainCSVRow() bool {
	data := r.buf[r.start:r.end]
	delim, quote, escape := r.opts.Delimiter, r.opts.Quote, r.opts.Escape
	ncol := len(r.types)
	base := len(r.cells)
	lines := 0
	for i := 0; ; {
		var start, end, j int
		quoted := i < len(data) && data[i] == quote
		if quoted {
			k := bytes.IndexByte(data[i+1:], quote)
			if k < 0 {
				break
			}
			start, end = i+1, i+1+k
			if escape != quote && bytes.IndexByte(data[start:end], escape) >= 0 {
				break
			}
			lines += bytes.Count(data[start:end], newline)
			j = end + 1
		} else {
			start = i
			end = r.csvStop(data, i)
			j = end
		}
		if j == len(data) || len(r.cells)-base == ncol {
			break
		}
		r.cells = append(r.cells, cell{start: int32(r.start + start), end: int32(r.start + end), null: !quoted && string(data[start:end]) == r.opts.Null})
		switch data[j] {
		case delim:
			i = j + 1
			continue
		case '\n':
			if len(r.cells)-base != ncol || ncol == 1 && !quoted && isEndMarker(data[start:end]) {
				break
			}
			r.start += j + 1
			r.line += 1 + int64(lines)
			return true
		}
		break
	}
	r.cells = r.cells[:base]
	return false
}
