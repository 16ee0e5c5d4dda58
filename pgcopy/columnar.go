package pgcopy

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
)

// Columnar decoding of a chunk.
//
// A worker decodes a chunk of rows (parallel.go) a block of rows at a
// time, in two passes: it splits every row of the block into its fields
// first, keeping where each value lies (cells: in the chunk, or in ownBuf
// for the text and CSV values that needed unquoting or unescaping), then
// appends the block's values column by column, so that each column's decoder and builder run over all the
// chunk's values at once instead of taking turns with the other columns
// for every row.
//
// The columnar pass only takes chunks it can decode without deciding
// anything a row-by-row reading would decide differently: no header, no
// end marker or binary trailer, no FORCE_NULL or FORCE_NOT_NULL, every
// row with as many fields as columns, every binary field whole. Anything else, and any value a decoder refuses,
// makes it give up: the chunk is then decoded again row by row from its
// start (parallel.decode), which returns the rows, or the first error in
// input order with its context, exactly as the sequential Reader does.
// Blocks matter: decoding a whole chunk (megabytes) column by column
// read it from memory once per column, which cost binary chunks, with
// nothing to parse, more than the columnar order gave back.
// So columnar decoding changes how fast a chunk is read, never what
// reading it gives.

// columnarChunks enables the columnar pass (tests and benchmarks turn it
// off to compare).
var columnarChunks = true

// maxBlockCells bounds the cells of a block decoded column by column
// (12 bytes each): a table so wide that a block would hold more is read
// row by row.
const maxBlockCells = 1 << 20

// cell locates one value of a chunk: bytes [start, end) of the chunk
// (r.buf) or of r.ownBuf.
type cell struct {
	start, end int32
	own        bool
	null       bool
}

// columnBlockRows is how many rows the columnar pass splits before it
// decodes their columns: few enough that the block's bytes and cells stay
// in the CPU's cache while each column is read from them.
const columnBlockRows = 512

// decodeChunkColumns decodes the whole chunk in r.buf[r.start:r.end] (a
// chunk's Reader, positioned at its first row) into one record, a block
// of columnBlockRows rows at a time, column by column. ok is false if it
// gave up; the Reader's position and line are then as they were, and it
// holds no builders, for the row-by-row reading.
func (r *Reader) decodeChunkColumns(rows int) (rec arrow.Record, ok bool) {
	if !r.columnarChunk(rows) {
		return nil, false
	}
	start, line := r.start, r.line
	r.newBuilders()
	defer r.releaseBuilders()
	ncol := len(r.types)
	for done := 0; done < rows; {
		block := min(columnBlockRows, rows-done)
		done += block
		if !r.splitBlock(block, done == rows) || !r.decodeBlock(block, ncol) {
			r.start, r.line = start, line
			return nil, false
		}
	}
	return r.newRecord(rows), true
}

// decodeBlock appends the values of the block of rows rows in r.cells to
// the builders, column by column; false if a decoder refused one.
func (r *Reader) decodeBlock(rows, ncol int) bool {
	for col, dec := range r.decoders {
		for row := range rows {
			c := r.cells[row*ncol+col]
			if c.null {
				dec.AppendNull()
				continue
			}
			v := r.buf[c.start:c.end]
			if c.own {
				v = r.ownBuf[c.start:c.end]
			}
			if dec.Append(v) != nil {
				return false
			}
		}
	}
	return true
}

// columnarChunk reports whether a chunk of rows rows may be tried
// column by column.
func (r *Reader) columnarChunk(rows int) bool {
	return columnarChunks && r.started && len(r.types) > 0 &&
		rows > 0 && rows <= BatchRows && min(rows, columnBlockRows)*len(r.types) <= maxBlockCells && r.end-r.start <= math.MaxInt32 &&
		r.opts.ForceNotNull == nil && r.opts.ForceNull == nil
}

// splitBlock splits the next rows rows into r.cells, row after row,
// reading on in r.buf and counting lines as the row reading does; last
// says they end the chunk. It returns false at anything that the
// columnar pass leaves to the row reading.
func (r *Reader) splitBlock(rows int, last bool) bool {
	ncol := len(r.types)
	r.cells = r.cells[:0]
	r.ownBuf = r.ownBuf[:0]
	for n := 0; n < rows; n++ {
		if r.start == r.end {
			return false
		}
		var ok bool
		switch r.opts.Format {
		case CSV:
			ok = r.splitCSVRow()
		case Text:
			ok = r.splitTextRow()
		default:
			ok = r.splitBinaryRow()
		}
		if !ok || len(r.cells) != (n+1)*ncol {
			return false
		}
	}
	return !last || r.start == r.end
}

// splitCSVRow appends the cells of the CSV record at r.start.
func (r *Reader) splitCSVRow() bool {
	if r.splitPlainCSVRow() {
		return true
	}
	n, lines, ok, err := r.parseCSVRecord(r.buf[r.start:r.end], true)
	if err != nil || !ok || isEndMarker(trimNewline(r.buf[r.start:r.start+n])) || len(r.fields) != len(r.types) {
		return false
	}
	for _, f := range r.fields {
		if f.direct {
			r.cells = append(r.cells, cell{start: int32(r.start + f.start), end: int32(r.start + f.end), null: f.null})
			continue
		}
		from := len(r.ownBuf)
		r.ownBuf = append(r.ownBuf, r.fieldBuf[f.start:f.end]...)
		r.cells = append(r.cells, cell{start: int32(from), end: int32(len(r.ownBuf)), own: true, null: f.null})
	}
	r.start += n
	r.line += 1 + int64(lines)
	return true
}

// splitTextRow appends the cells of the text-format line at r.start.
func (r *Reader) splitTextRow() bool {
	lineStart := r.start
	line, ok, err := r.nextLine()
	if err != nil || !ok {
		return false
	}
	rest, endAfter, err := r.splitTextLine(line)
	if err != nil || rest == nil || endAfter || len(r.fields) != len(r.types) {
		return false
	}
	for _, f := range r.fields {
		if !f.escaped || f.null {
			r.cells = append(r.cells, cell{start: int32(lineStart + f.start), end: int32(lineStart + f.end), null: f.null})
			continue
		}
		from := len(r.ownBuf)
		r.ownBuf = unescapeText(r.ownBuf, line[f.start:f.end])
		r.cells = append(r.cells, cell{start: int32(from), end: int32(len(r.ownBuf)), own: true})
	}
	return true
}

// splitBinaryRow appends the cells of the binary tuple at r.start.
func (r *Reader) splitBinaryRow() bool {
	at := r.start
	if r.end-at < 2 || int(int16(binary.BigEndian.Uint16(r.buf[at:]))) != len(r.types) {
		return false // the trailer, or a wrong field count
	}
	at += 2
	for range r.types {
		if r.end-at < 4 {
			return false
		}
		n := int(int32(binary.BigEndian.Uint32(r.buf[at:])))
		at += 4
		if n == -1 {
			r.cells = append(r.cells, cell{null: true})
			continue
		}
		if n < 0 || r.end-at < n {
			return false
		}
		r.cells = append(r.cells, cell{start: int32(at), end: int32(at + n)})
		at += n
	}
	r.start = at
	r.line++
	return true
}
