package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/pqdb/pqdb/catalog"
)

// readColumn decodes one column chunk of row group rg into an Arrow array
// of type t. Pages are decoded in bulk from parquet-go's page buffers
// (dictionary indexes, plain values, definition levels) straight into
// Arrow buffers, without per-value interface calls.
func readColumn(rg parquet.RowGroup, leaf int, t catalog.Type) (arrow.Array, error) {
	if t.Kind == catalog.Array {
		return readListColumn(rg, leaf, t)
	}
	p := chunkLayout(t, rg.ColumnChunks()[leaf])
	if t.Kind == catalog.Unknown {
		p = physBytes
	}
	return readColumnLayout(rg, leaf, p, t.ArrowType())
}

// readColumnLayout decodes one column chunk whose values are laid out as p
// into an Arrow array of type dt (external files hold layouts that need a
// conversion after decoding; see parquet_external.go).
func readColumnLayout(rg parquet.RowGroup, leaf int, p physical, dt arrow.DataType) (arrow.Array, error) {
	return decodePages(rg.ColumnChunks()[leaf].Pages(), int(rg.NumRows()), p, dt)
}

// newColumnDecoder returns a decoder of rows values laid out as p.
func newColumnDecoder(p physical, rows int) columnDecoder {
	dec := columnDecoder{p: p, width: p.arrowWidth(), planned: rows}
	switch {
	case p.byteArray():
		dec.offsets = append(columnBuffers.int32s(rows + 1)[:0], 0)
	case p != physBool:
		dec.values = columnBuffers.Allocate(rows * dec.width)[:0]
	}
	return dec
}

// decodePages decodes every page of pages (rows values laid out as p, in
// all) into an Arrow array of type dt, and closes pages.
func decodePages(pages parquet.Pages, rows int, p physical, dt arrow.DataType) (arrow.Array, error) {
	dec := newColumnDecoder(p, rows)
	defer pages.Close()
	for {
		page, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		err = dec.page(page)
		parquet.Release(page)
		if err != nil {
			return nil, err
		}
	}
	return dec.finish(dt), nil
}

// readRowIDs decodes the _row_id column of row group rg.
func readRowIDs(rg parquet.RowGroup, leaf int) ([]int64, error) {
	arr, err := readColumn(rg, leaf, catalog.TypeInt8)
	if err != nil {
		return nil, err
	}
	return arr.(*array.Int64).Int64Values(), nil
}

// nullLevel is the definition level of a NULL in a flat column.
var nullLevel = []byte{0}

// columnDecoder accumulates the pages of one column chunk in Arrow layout.
type columnDecoder struct {
	p       physical
	width   int // Arrow bytes per value; 0 for bool and byte arrays
	n       int
	nulls   int
	planned int // the rows the decoder was made for

	validity []byte // nil until the first NULL
	values   []byte // fixed-width values, or boolean bits
	offsets  []int32
	data     []byte

	dense []byte  // scratch: one page's non-NULL values in Arrow layout
	doffs []int32 // scratch: their offsets for byte arrays

	vn varNumericParser // physVarNumeric: page text → numeric encodings
}

// decodedRows is the number of values (NULLs included) decoded so far.
func (d *columnDecoder) decodedRows() int { return d.n }

func (d *columnDecoder) page(page parquet.Page) error {
	return d.pageLevels(page, page.DefinitionLevels(), int(page.NumValues()))
}

// pageLevels decodes a page whose values are NULL where defs is 0 (no
// NULLs when defs is empty); rows is the number of values, NULLs
// included. The elements of an array column are read with the element
// slots' levels (parquet_list.go).
func (d *columnDecoder) pageLevels(page parquet.Page, defs []byte, rows int) error {
	nonNull := rows
	if len(defs) > 0 {
		// A flat column's levels are 0 (NULL) or 1: counting the zeros
		// with bytes.Count (vectorized) is several times faster than
		// summing the levels.
		nonNull = len(defs) - bytes.Count(defs, nullLevel)
	}
	var dict parquet.Page
	if dc := page.Dictionary(); dc != nil {
		dict = dc.Page()
	}
	vals := page.Data()
	if d.p == physBool {
		d.boolPage(vals.Boolean(), defs, rows, nonNull)
		return nil
	}
	if d.p.byteArray() {
		return d.bytesPage(vals, dict, defs, rows, nonNull)
	}
	// Fixed width: decode the non-NULL values, then spread them out.
	direct := nonNull == rows
	var dst []byte
	if direct {
		dst = d.values
	} else {
		dst = d.dense[:0]
	}
	var err error
	if dict != nil {
		dst, err = d.gatherFixed(dst, dict.Data(), vals.Int32())
	} else {
		dst, err = d.convertFixed(dst, vals)
	}
	if err != nil {
		return err
	}
	if direct {
		d.values = dst
		d.extendValidity(rows, nil)
	} else {
		d.dense = dst
		w := d.width
		base := len(d.values)
		d.values = append(d.values, make([]byte, rows*w)...)
		out := d.values[base:]
		j := 0
		for i, l := range defs {
			if l != 0 {
				copy(out[i*w:(i+1)*w], dst[j*w:(j+1)*w])
				j++
			}
		}
		d.extendValidity(rows, defs)
	}
	d.n += rows
	return nil
}

// convertFixed appends the plain values of a page in Arrow layout.
func (d *columnDecoder) convertFixed(dst []byte, vals encoding.Values) ([]byte, error) {
	raw, _ := vals.Data()
	switch d.p {
	case physInt32, physInt64, physFloat32, physFloat64, physFixed16:
		return append(dst, raw...), nil
	case physInterval:
		return appendIntervalsOfText(dst, vals)
	case physInt16:
		n := len(raw) / 4
		base := len(dst)
		dst = slices.Grow(dst, n*2)[:base+n*2]
		out := dst[base:]
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint16(out[i*2:], uint16(binary.LittleEndian.Uint32(raw[i*4:])))
		}
		return dst, nil
	case physDecimal32:
		n := len(raw) / 4
		base := len(dst)
		dst = slices.Grow(dst, n*16)[:base+n*16]
		out := dst[base:]
		for i := 0; i < n; i++ {
			v := int64(int32(binary.LittleEndian.Uint32(raw[i*4:])))
			binary.LittleEndian.PutUint64(out[i*16:], uint64(v))
			binary.LittleEndian.PutUint64(out[i*16+8:], uint64(v>>63))
		}
		return dst, nil
	case physDecimal64:
		n := len(raw) / 8
		base := len(dst)
		dst = slices.Grow(dst, n*16)[:base+n*16]
		out := dst[base:]
		if in, words, ok := alignedWords(raw[:n*8], out); ok {
			// Widening every price of a scan is a hot loop: as words,
			// without a bounds check per byte slice.
			for i, v := range in {
				words[2*i], words[2*i+1] = v, v>>63
			}
			return dst, nil
		}
		for i := 0; i < n; i++ {
			v := int64(binary.LittleEndian.Uint64(raw[i*8:]))
			binary.LittleEndian.PutUint64(out[i*16:], uint64(v))
			binary.LittleEndian.PutUint64(out[i*16+8:], uint64(v>>63))
		}
		return dst, nil
	case physDecimal128:
		n := len(raw) / 16
		base := len(dst)
		dst = slices.Grow(dst, n*16)[:base+n*16]
		out := dst[base:]
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint64(out[i*16:], binary.BigEndian.Uint64(raw[i*16+8:]))
			binary.LittleEndian.PutUint64(out[i*16+8:], binary.BigEndian.Uint64(raw[i*16:]))
		}
		return dst, nil
	}
	return dst, fmt.Errorf("unexpected layout %d", d.p)
}

// alignedWords views src and dst as int64s when both are 8-byte aligned
// (pages and column buffers are; the fallback loops handle any other).
func alignedWords(src, dst []byte) (in, out []int64, ok bool) {
	if len(src) == 0 || len(dst) == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(src)))%8 != 0 || uintptr(unsafe.Pointer(unsafe.SliceData(dst)))%8 != 0 {
		return nil, nil, false
	}
	in, out = int64sOf(src), int64sOf(dst)
	return in, out, len(out) >= 2*len(in)
}

// gatherFixed appends dictionary values selected by idx in Arrow layout.
func (d *columnDecoder) gatherFixed(dst []byte, dictVals encoding.Values, idx []int32) ([]byte, error) {
	conv, err := d.convertFixed(nil, dictVals)
	if err != nil {
		return dst, err
	}
	w := d.width
	n := len(conv) / w
	base := len(dst)
	dst = append(dst, make([]byte, len(idx)*w)...)
	out := dst[base:]
	switch w {
	case 8:
		for j, i := range idx {
			if int(i) >= n {
				return dst, errors.New("dictionary index out of range")
			}
			binary.LittleEndian.PutUint64(out[j*8:], binary.LittleEndian.Uint64(conv[int(i)*8:]))
		}
	case 4:
		for j, i := range idx {
			if int(i) >= n {
				return dst, errors.New("dictionary index out of range")
			}
			binary.LittleEndian.PutUint32(out[j*4:], binary.LittleEndian.Uint32(conv[int(i)*4:]))
		}
	default:
		for j, i := range idx {
			if int(i) >= n {
				return dst, errors.New("dictionary index out of range")
			}
			copy(out[j*w:(j+1)*w], conv[int(i)*w:])
		}
	}
	return dst, nil
}

func (d *columnDecoder) bytesPage(vals encoding.Values, dict parquet.Page, defs []byte, rows, nonNull int) error {
	if d.offsets == nil {
		d.offsets = append(d.offsets, 0)
	}
	// srcAt returns the i-th non-NULL value of the page.
	var srcData []byte
	var srcOffs []uint32
	var idx []int32
	if dict != nil {
		dv := dict.Data()
		srcData, srcOffs = dv.ByteArray()
		idx = vals.Int32()
	} else {
		srcData, srcOffs = vals.ByteArray()
	}
	if d.p == physVarNumeric {
		// The page holds numeric_out text; lay out the encodings instead.
		var err error
		if dict != nil {
			srcData, srcOffs, err = d.vn.parseDict(srcData, srcOffs)
		} else {
			srcData, srcOffs, err = d.vn.parse(srcData, srcOffs)
		}
		if err != nil {
			return err
		}
	}
	end := d.offsets[len(d.offsets)-1]
	if nonNull == rows && idx == nil && len(srcOffs) == rows+1 {
		base := srcOffs[0]
		d.data = append(d.growData(int(srcOffs[rows]-base), rows), srcData[base:srcOffs[rows]]...)
		for _, o := range srcOffs[1:] {
			d.offsets = append(d.offsets, end+int32(o-base))
		}
		d.extendValidity(rows, nil)
		d.n += rows
		return nil
	}
	// Resolve each non-NULL value to its [lo, hi) in srcData.
	nvals := len(srcOffs) - 1
	if idx == nil && nonNull > nvals || idx != nil && len(idx) < nonNull {
		return errors.New("page holds fewer values than its definition levels")
	}
	total := 0
	if idx != nil {
		for _, k := range idx[:nonNull] {
			if k < 0 || int(k) >= nvals {
				return errors.New("dictionary index out of range")
			}
			total += int(srcOffs[k+1] - srcOffs[k])
		}
	} else {
		total = int(srcOffs[nonNull] - srcOffs[0])
	}
	d.data = d.growData(total, rows)
	d.offsets = slices.Grow(d.offsets, rows)
	if idx != nil && nonNull == rows {
		// Dictionary codes without NULLs (flags, codes, names): copy each
		// value in place rather than appending a slice per row.
		base := len(d.data)
		d.data = d.data[:base+total]
		out := d.data[base:]
		pos := 0
		for _, k := range idx[:rows] {
			lo, hi := srcOffs[k], srcOffs[k+1]
			if hi-lo == 1 {
				out[pos] = srcData[lo]
				pos++
			} else {
				pos += copy(out[pos:], srcData[lo:hi])
			}
			d.offsets = append(d.offsets, end+int32(pos))
		}
		d.extendValidity(rows, nil)
		d.n += rows
		return nil
	}
	j := 0
	for i := 0; i < rows; i++ {
		if len(defs) == 0 || defs[i] != 0 {
			k := j
			if idx != nil {
				k = int(idx[j])
			}
			j++
			d.data = append(d.data, srcData[srcOffs[k]:srcOffs[k+1]]...)
			end += int32(srcOffs[k+1] - srcOffs[k])
		}
		d.offsets = append(d.offsets, end)
	}
	if nonNull == rows {
		defs = nil
	}
	d.extendValidity(rows, defs)
	d.n += rows
	return nil
}

// growData returns d.data with room for n more bytes, the values of
// the next rows rows. A chunk's values arrive page by page: growing by
// doubling would copy them over and over (and zero each new buffer), so
// the bytes per row so far are extrapolated to the rows the decoder was
// made for, with an eighth to spare, and the buffer is allocated once
// for most chunks.
func (d *columnDecoder) growData(n, rows int) []byte {
	b := d.data
	if cap(b)-len(b) >= n {
		return b
	}
	want := len(b) + n
	if seen := d.n + rows; seen > 0 && d.planned > seen {
		want += int(float64(want) * float64(d.planned-seen) / float64(seen))
		want += want / 8
	}
	return slices.Grow(b, max(want-len(b), cap(b)))
}

func (d *columnDecoder) boolPage(bits []byte, defs []byte, rows, nonNull int) {
	need := int(bitutil.BytesForBits(int64(d.n + rows)))
	for len(d.values) < need {
		d.values = append(d.values, 0)
	}
	j := 0
	for i := 0; i < rows; i++ {
		if len(defs) == 0 || defs[i] != 0 {
			if bitutil.BitIsSet(bits, j) {
				bitutil.SetBit(d.values, d.n+i)
			}
			j++
		}
	}
	if nonNull == rows {
		defs = nil
	}
	d.extendValidity(rows, defs)
	d.n += rows
}

// extendValidity records the validity of the next rows values: all valid
// when defs is nil, else valid where the definition level is non-zero.
func (d *columnDecoder) extendValidity(rows int, defs []byte) {
	if defs == nil && d.validity == nil {
		return
	}
	if d.validity == nil {
		d.validity = make([]byte, bitutil.BytesForBits(int64(d.n)))
		bitutil.SetBitsTo(d.validity, 0, int64(d.n), true)
	}
	need := int(bitutil.BytesForBits(int64(d.n + rows)))
	for len(d.validity) < need {
		d.validity = append(d.validity, 0)
	}
	if defs == nil {
		bitutil.SetBitsTo(d.validity, int64(d.n), int64(rows), true)
		return
	}
	for i, l := range defs {
		if l != 0 {
			bitutil.SetBit(d.validity, d.n+i)
		} else {
			d.nulls++
		}
	}
}

func (d *columnDecoder) finish(dt arrow.DataType) arrow.Array {
	var validity *memory.Buffer
	if d.nulls > 0 {
		validity = memory.NewBufferBytes(d.validity)
	}
	var bufs []*memory.Buffer
	switch d.p {
	case physBytes, physVarNumeric:
		if d.offsets == nil {
			d.offsets = []int32{0}
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferWithAllocator(int32Bytes(d.offsets), &columnBuffers), memory.NewBufferBytes(d.data)}
	default:
		bufs = []*memory.Buffer{validity, memory.NewBufferWithAllocator(d.values, &columnBuffers)}
	}
	data := array.NewData(dt, d.n, bufs, nil, d.nulls, 0)
	// NewData retained the buffers; the array's data owns them alone.
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// appendIntervalsOfText appends, in Arrow's month-day-nano layout, the
// intervals whose ISO 8601 texts are the byte arrays of vals.
func appendIntervalsOfText(dst []byte, vals encoding.Values) ([]byte, error) {
	data, offs := vals.ByteArray()
	if len(offs) == 0 {
		return dst, nil
	}
	n := len(offs) - 1
	base := len(dst)
	dst = slices.Grow(dst, n*16)[:base+n*16]
	out := arrow.MonthDayNanoIntervalTraits.CastFromBytes(dst[base:])
	for i := range n {
		v, err := catalog.ParseIntervalISO(data[offs[i]:offs[i+1]])
		if err != nil {
			return dst[:base], fmt.Errorf("interval %q: %w", data[offs[i]:offs[i+1]], err)
		}
		out[i] = v
	}
	return dst, nil
}
