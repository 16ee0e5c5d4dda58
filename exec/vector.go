package exec

import (
	"encoding/binary"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// fixedWidth is every Go type that a fixed-width pqdb column holds, one
// value per slot of its Arrow data buffer (see catalog.Datum).
type fixedWidth interface {
	~int16 | ~int32 | ~int64 | ~uint32 | ~float32 | ~float64 |
		decimal128.Num | arrow.MonthDayNanoInterval | [16]byte | word128
}

// physical is how a column of a Kind is laid out in Arrow.
type physical uint8

const (
	physFixed  physical = iota // one fixedWidth value per row
	physBool                   // bit-packed
	physVarlen                 // int32 offsets + bytes (String and Binary)
	physList                   // int32 offsets into a child column (arrays)
	physStruct                 // one child column per field (records)
)

func physicalOf(t catalog.Type) physical {
	switch t.Kind {
	case catalog.Array:
		return physList
	case catalog.Record:
		return physStruct
	case catalog.Bool:
		return physBool
	case catalog.Text, catalog.Varchar, catalog.Bpchar, catalog.Name, catalog.Char, catalog.Aclitem, catalog.PgNodeTree, catalog.JSON,
		catalog.JSONB, catalog.Unknown, catalog.Bytea, catalog.Void, catalog.Enum:
		return physVarlen
	case catalog.Numeric:
		if t.Scale == catalog.VariableScale {
			// numeric-package encodings in an Arrow binary column
			return physVarlen
		}
	}
	return physFixed
}

// fixedValues views the data buffer of a fixed-width array as []T, already
// shifted by the array's offset.
func fixedValues[T fixedWidth](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	b := bufs[1].Bytes()
	var zero T
	n := len(b) / int(unsafe.Sizeof(zero))
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
	return all[d.Offset() : d.Offset()+d.Len()]
}

// validity reads an array's null bitmap. bits == nil means no nulls.
type validity struct {
	bits []byte
	off  int
}

func validityOf(a arrow.Array) validity {
	if a.NullN() == 0 {
		return validity{}
	}
	return validity{bits: a.NullBitmapBytes(), off: a.Data().Offset()}
}

func (v validity) valid(i int) bool {
	return v.bits == nil || bitutil.BitIsSet(v.bits, v.off+i)
}

// boolView reads a boolean array.
type boolView struct {
	bits []byte
	off  int
	validity
}

func boolViewOf(a arrow.Array) boolView {
	d := a.Data()
	var bits []byte
	if b := d.Buffers()[1]; b != nil {
		bits = b.Bytes()
	}
	return boolView{bits: bits, off: d.Offset(), validity: validityOf(a)}
}

func (v boolView) value(i int) bool { return bitutil.BitIsSet(v.bits, v.off+i) }

// varlenView reads a String or Binary array without per-row interface calls.
type varlenView struct {
	offsets []int32
	data    []byte
	validity
}

func varlenViewOf(a arrow.Array) varlenView {
	d := a.Data()
	bufs := d.Buffers()
	v := varlenView{validity: validityOf(a)}
	if bufs[1] != nil && d.Len() > 0 {
		o := bufs[1].Bytes()
		all := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(o))), len(o)/4)
		v.offsets = all[d.Offset() : d.Offset()+d.Len()+1]
	}
	if len(bufs) > 2 && bufs[2] != nil {
		v.data = bufs[2].Bytes()
	}
	return v
}

func (v varlenView) bytes(i int) []byte { return v.data[v.offsets[i]:v.offsets[i+1]] }

// str returns row i as a string sharing the column's memory; it must not
// outlive the array.
func (v varlenView) str(i int) string {
	b := v.data[v.offsets[i]:v.offsets[i+1]]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// bytesAsString views b as a string without copying; the string must not
// outlive b or be kept after b changes.
func bytesAsString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// rowsOf lists the active rows of b.
func rowsOf(b *Batch) []int32 {
	if b.Sel != nil {
		return b.Sel
	}
	return identitySel(b.Len)
}

// selectionCursor walks rows 0..n-1 in order for builders that append
// every row, an unselected one as NULL, and tells which rows are selected.
type selectionCursor struct {
	sel []int32
	k   int
}

func (c *selectionCursor) selected(i int) bool {
	if c.sel == nil {
		return true
	}
	if c.k < len(c.sel) && int(c.sel[c.k]) == i {
		c.k++
		return true
	}
	return false
}

// repeated returns n copies of v, such as an all -1 ("no row") index.
func repeated[T any](n int, v T) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = v
	}
	return s
}

var identityBuf atomic.Pointer[[]int32]

// identitySel returns [0, 1, ..., n-1]. The returned slice is shared and
// read-only.
func identitySel(n int) []int32 {
	if p := identityBuf.Load(); p != nil && n <= len(*p) {
		return (*p)[:n:n]
	}
	buf := make([]int32, max(n, 1<<16))
	for i := range buf {
		buf[i] = int32(i)
	}
	identityBuf.Store(&buf)
	return buf[:n:n]
}

func init() { identitySel(1 << 16) }

// ---- builders ----

// bitmapBuf is a bitmap owned by the allocator, used for validity and for
// boolean values.
type bitmapBuf struct {
	buf  *memory.Buffer
	bits []byte
}

func newBitmap(mem memory.Allocator, n int, set bool) bitmapBuf {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := buf.Bytes()
	fill := byte(0)
	if set {
		fill = 0xff
	}
	for i := range bits {
		bits[i] = fill
	}
	return bitmapBuf{buf: buf, bits: bits}
}

// nullMask tracks which output rows are NULL; it allocates its bitmap on
// the first NULL.
type nullMask struct {
	mem memory.Allocator
	n   int
	bm  bitmapBuf
}

func (m *nullMask) setNull(i int) {
	if m.bm.buf == nil {
		m.bm = newBitmap(m.mem, m.n, true)
	}
	bitutil.ClearBit(m.bm.bits, i)
}

func (m *nullMask) setValid(i int) {
	if m.bm.buf != nil {
		bitutil.SetBit(m.bm.bits, i)
	}
}

func (m *nullMask) isNull(i int) bool {
	return m.bm.buf != nil && !bitutil.BitIsSet(m.bm.bits, i)
}

// release drops the bitmap if it was never handed to an array.
func (m *nullMask) release() {
	if m.bm.buf != nil {
		m.bm.buf.Release()
		m.bm = bitmapBuf{}
	}
}

// fixedBuilder fills a fixed-width column of known length by index.
type fixedBuilder[T fixedWidth] struct {
	nullMask
	data *memory.Buffer
	vals []T
}

func newFixedBuilder[T fixedWidth](mem memory.Allocator, n int) *fixedBuilder[T] {
	var zero T
	sz := int(unsafe.Sizeof(zero))
	buf := memory.NewResizableBuffer(mem)
	// Zeroed: the Go allocator's buffers are, and so are the pool's
	// (PoolAllocator.Allocate), the only allocators operators run with.
	buf.Resize(n * sz)
	b := buf.Bytes()
	var vals []T
	if n > 0 {
		vals = unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
	}
	return &fixedBuilder[T]{nullMask: nullMask{mem: mem, n: n}, data: buf, vals: vals}
}

// finish wraps the buffers into an array of type t and gives up ownership.
func (b *fixedBuilder[T]) finish(t catalog.Type) arrow.Array {
	nulls := 0
	if b.bm.buf != nil {
		nulls = array.UnknownNullCount
	}
	d := array.NewData(t.ArrowType(), b.n, []*memory.Buffer{b.bm.buf, b.data}, nil, nulls, 0)
	a := array.MakeFromData(d)
	d.Release()
	b.data.Release()
	b.release()
	return a
}

// boolBuilder fills a boolean column of known length by index.
type boolBuilder struct {
	nullMask
	vals bitmapBuf
}

func newBoolBuilder(mem memory.Allocator, n int) *boolBuilder {
	return &boolBuilder{nullMask: nullMask{mem: mem, n: n}, vals: newBitmap(mem, n, false)}
}

func (b *boolBuilder) set(i int, v bool) {
	if v {
		bitutil.SetBit(b.vals.bits, i)
	}
}

func (b *boolBuilder) finish() arrow.Array {
	nulls := 0
	if b.bm.buf != nil {
		nulls = array.UnknownNullCount
	}
	d := array.NewData(arrow.FixedWidthTypes.Boolean, b.n, []*memory.Buffer{b.bm.buf, b.vals.buf}, nil, nulls, 0)
	a := array.MakeFromData(d)
	d.Release()
	b.vals.buf.Release()
	b.release()
	return a
}

// varlenBuilder appends rows of a String or Binary column in order.
type varlenBuilder struct {
	mem     memory.Allocator
	n       int
	nulls   bitmapBuf
	hasNull bool
	offBuf  *memory.Buffer
	offsets []int32
	dataBuf *memory.Buffer
	data    []byte
}

func newVarlenBuilder(mem memory.Allocator, n int, dataHint int) *varlenBuilder {
	b := &varlenBuilder{mem: mem, offBuf: memory.NewResizableBuffer(mem), dataBuf: memory.NewResizableBuffer(mem)}
	b.reserveRows(n)
	b.offsets = b.offsets[:1]
	b.offsets[0] = 0
	b.dataBuf.Reserve(max(dataHint, 64))
	b.data = bufferSpace(b.dataBuf, 0)
	return b
}

// bufferSpace views buf's reserved space as a slice of length n whose
// capacity is exactly that space. An allocator may hand out more capacity
// than it was asked for, but the Buffer only knows (and on a resize
// keeps) the bytes up to its own length: an append that wrote past it
// would be cut off or zeroed by the next Reserve, Resize or Reallocate.
func bufferSpace(buf *memory.Buffer, n int) []byte {
	all := buf.Buf()
	return all[:n:len(all)]
}

// reserveRows makes room for n rows in the offsets (and the NULL bitmap,
// once there is one) without moving them out of allocator memory.
func (b *varlenBuilder) reserveRows(n int) {
	if n+1 <= cap(b.offsets) {
		return
	}
	rows := len(b.offsets)
	n = max(n, 2*(cap(b.offsets)-1))
	b.offBuf.Resize(rows * 4)
	b.offBuf.Reserve((n + 1) * 4)
	ob := b.offBuf.Buf()
	b.offsets = unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(ob))), n+1)[:rows]
	if b.hasNull {
		grown := newBitmap(b.mem, n, true)
		copy(grown.bits, b.nulls.bits)
		b.nulls.buf.Release()
		b.nulls = grown
	}
}

func (b *varlenBuilder) grow(extra int) {
	need := len(b.data) + extra
	if need <= cap(b.data) {
		return
	}
	newCap := max(need, 2*cap(b.data))
	b.dataBuf.Resize(len(b.data))
	b.dataBuf.Reserve(newCap)
	b.data = bufferSpace(b.dataBuf, len(b.data))
}

func (b *varlenBuilder) appendBytes(v []byte) { appendVarlen(b, v) }

func (b *varlenBuilder) appendString(v string) { appendVarlen(b, v) }

// appendVarlen appends the row v to b.
func appendVarlen[T string | []byte](b *varlenBuilder, v T) {
	b.reserveRows(len(b.offsets))
	b.grow(len(v))
	b.data = append(b.data, v...)
	b.offsets = append(b.offsets, int32(len(b.data)))
}

func (b *varlenBuilder) appendNull() {
	b.reserveRows(len(b.offsets))
	b.setNull(len(b.offsets) - 1)
	b.offsets = append(b.offsets, int32(len(b.data)))
}

// setNull marks row i, among the rows reserved, NULL.
func (b *varlenBuilder) setNull(i int) {
	if !b.hasNull {
		b.nulls = newBitmap(b.mem, cap(b.offsets)-1, true)
		b.hasNull = true
	}
	bitutil.ClearBit(b.nulls.bits, i)
}

func (b *varlenBuilder) finish(t catalog.Type) arrow.Array {
	n := len(b.offsets) - 1
	b.dataBuf.Resize(len(b.data))
	b.offBuf.Resize((n + 1) * 4)
	nulls := 0
	var nb *memory.Buffer
	if b.hasNull {
		nulls = array.UnknownNullCount
		nb = b.nulls.buf
	}
	d := array.NewData(t.ArrowType(), n, []*memory.Buffer{nb, b.offBuf, b.dataBuf}, nil, nulls, 0)
	a := array.MakeFromData(d)
	d.Release()
	b.offBuf.Release()
	b.dataBuf.Release()
	if nb != nil {
		nb.Release()
	}
	return a
}

// word128 is a 16-byte slot (decimal128, interval, uuid) moved as a unit.
type word128 [16]byte

// fixedWidthOf is the slot size in bytes of a fixed-width Kind.
func fixedWidthOf(k catalog.Kind) int {
	switch k {
	case catalog.Int2:
		return 2
	case catalog.Int4, catalog.Float4, catalog.Date, catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return 4
	case catalog.Numeric, catalog.Interval, catalog.UUID:
		return 16
	}
	return 8
}

// nullArray returns an all-NULL column of type t and length n.
func nullArray(mem memory.Allocator, t catalog.Type, n int) arrow.Array {
	return takeNullable(mem, t, nil, repeated[int32](n, -1))
}

// take gathers rows idx of a (all valid indexes) into a new dense column.
func take(mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	return takeNullable(mem, t, a, idx)
}

// takeNullable is take where an index of -1 yields NULL (outer joins);
// a may be nil when every index is -1.
func takeNullable(mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	switch physicalOf(t) {
	case physList:
		return takeList(mem, t, a, idx)
	case physStruct:
		return takeStruct(mem, t, a, idx)
	case physBool:
		out := newBoolBuilder(mem, len(idx))
		var v boolView
		if a != nil {
			v = boolViewOf(a)
		}
		for k, i := range idx {
			if i < 0 || !v.valid(int(i)) {
				out.setNull(k)
				continue
			}
			out.set(k, v.value(int(i)))
		}
		return out.finish()
	case physVarlen:
		return takeVarlen(mem, t, a, idx)
	}
	switch fixedWidthOf(t.Kind) {
	case 2:
		return takeFixed[int16](mem, t, a, idx)
	case 4:
		return takeFixed[int32](mem, t, a, idx)
	case 8:
		return takeFixed[int64](mem, t, a, idx)
	}
	return takeFixed[word128](mem, t, a, idx)
}

// takeVarlen is takeNullable of a byte-string column. The taken rows'
// bytes are counted first, so that the data buffer is allocated once and
// each value copied without a check of its capacity; a value of up to 16
// bytes is copied as two 8-byte words where its column has 16 bytes to
// read from it (join outputs gather names, comments and flags for every
// row: a call to memmove per value cost more than the copy).
func takeVarlen(mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	var v varlenView
	if a != nil {
		v = varlenViewOf(a)
	}
	total := 0
	for _, i := range idx {
		if i >= 0 && v.valid(int(i)) {
			total += int(v.offsets[i+1] - v.offsets[i])
		}
	}
	// 16 bytes to spare: a short value's second word may reach past it.
	out := newVarlenBuilder(mem, len(idx), total+16)
	data := out.data[:cap(out.data)]
	offsets := out.offsets[:len(idx)+1]
	src := v.data
	at := 0
	for k, i := range idx {
		if i < 0 || !v.valid(int(i)) {
			out.setNull(k)
			offsets[k+1] = int32(at)
			continue
		}
		lo, hi := int(v.offsets[i]), int(v.offsets[i+1])
		if hi-lo <= 16 && lo+16 <= len(src) {
			binary.LittleEndian.PutUint64(data[at:], binary.LittleEndian.Uint64(src[lo:]))
			binary.LittleEndian.PutUint64(data[at+8:], binary.LittleEndian.Uint64(src[lo+8:]))
		} else {
			copy(data[at:], src[lo:hi])
		}
		at += hi - lo
		offsets[k+1] = int32(at)
	}
	out.data, out.offsets = data[:at], offsets
	return out.finish(t)
}

func takeFixed[T ~int16 | ~int32 | ~int64 | word128](mem memory.Allocator, t catalog.Type, a arrow.Array, idx []int32) arrow.Array {
	out := newFixedBuilder[T](mem, len(idx))
	if a == nil {
		for k := range idx {
			out.setNull(k)
		}
		return out.finish(t)
	}
	vals := fixedValuesRaw[T](a)
	v := validityOf(a)
	if v.bits == nil {
		for k, i := range idx {
			if i < 0 {
				out.setNull(k)
				continue
			}
			out.vals[k] = vals[i]
		}
		return out.finish(t)
	}
	for k, i := range idx {
		if i < 0 || !v.valid(int(i)) {
			out.setNull(k)
			continue
		}
		out.vals[k] = vals[i]
	}
	return out.finish(t)
}

// fixedValuesRaw is fixedValues for the width-only slot types.
func fixedValuesRaw[T ~int16 | ~int32 | ~int64 | word128](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	b := bufs[1].Bytes()
	var zero T
	n := len(b) / int(unsafe.Sizeof(zero))
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
	return all[d.Offset() : d.Offset()+d.Len()]
}

// choose builds a column of length n whose row i is row i of
// arrays[pick[i]], or NULL when pick[i] < 0. It merges the branches of
// CASE and COALESCE, each of which was evaluated on its own rows only.
func choose(mem memory.Allocator, t catalog.Type, arrays []arrow.Array, pick []int16) arrow.Array {
	n := len(pick)
	switch physicalOf(t) {
	case physList:
		return chooseList(mem, t, arrays, pick)
	case physStruct:
		return chooseStruct(mem, t, arrays, pick)
	case physBool:
		views := make([]boolView, len(arrays))
		for j, a := range arrays {
			views[j] = boolViewOf(a)
		}
		out := newBoolBuilder(mem, n)
		for i, p := range pick {
			if p < 0 || !views[p].valid(i) {
				out.setNull(i)
				continue
			}
			out.set(i, views[p].value(i))
		}
		return out.finish()
	case physVarlen:
		views := make([]varlenView, len(arrays))
		for j, a := range arrays {
			views[j] = varlenViewOf(a)
		}
		out := newVarlenBuilder(mem, n, 0)
		for i, p := range pick {
			if p < 0 || !views[p].valid(i) {
				out.appendNull()
				continue
			}
			out.appendBytes(views[p].bytes(i))
		}
		return out.finish(t)
	}
	switch fixedWidthOf(t.Kind) {
	case 2:
		return chooseFixed[int16](mem, t, arrays, pick)
	case 4:
		return chooseFixed[int32](mem, t, arrays, pick)
	case 8:
		return chooseFixed[int64](mem, t, arrays, pick)
	}
	return chooseFixed[word128](mem, t, arrays, pick)
}

func chooseFixed[T ~int16 | ~int32 | ~int64 | word128](mem memory.Allocator, t catalog.Type, arrays []arrow.Array, pick []int16) arrow.Array {
	vals := make([][]T, len(arrays))
	valid := make([]validity, len(arrays))
	for j, a := range arrays {
		vals[j] = fixedValuesRaw[T](a)
		valid[j] = validityOf(a)
	}
	out := newFixedBuilder[T](mem, len(pick))
	for i, p := range pick {
		if p < 0 || !valid[p].valid(i) {
			out.setNull(i)
			continue
		}
		out.vals[i] = vals[p][i]
	}
	return out.finish(t)
}

// constantArray broadcasts one Datum (nil = NULL) to n rows.
func constantArray(mem memory.Allocator, t catalog.Type, d catalog.Datum, n int) (arrow.Array, error) {
	if d == nil {
		return nullArray(mem, t, n), nil
	}
	switch physicalOf(t) {
	case physList, physStruct:
		vals := make([]catalog.Datum, n)
		for i := range vals {
			vals[i] = d
		}
		return datumsToArray(mem, t, vals)
	case physBool:
		v, ok := d.(bool)
		if !ok {
			return nil, datumMismatch(t, d)
		}
		out := newBoolBuilder(mem, n)
		if v {
			for i := range out.vals.bits {
				out.vals.bits[i] = 0xff
			}
		}
		return out.finish(), nil
	case physVarlen:
		var s string
		switch v := d.(type) {
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			return nil, datumMismatch(t, d)
		}
		out := newVarlenBuilder(mem, n, n*len(s))
		for i := 0; i < n; i++ {
			out.appendString(s)
		}
		return out.finish(t), nil
	}
	switch t.Kind {
	case catalog.Int2:
		return fillFixed[int16](mem, t, d, n)
	case catalog.Int4:
		return fillFixed[int32](mem, t, d, n)
	case catalog.Date:
		return fillFixed[int32](mem, t, d, n)
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return fillFixed[int64](mem, t, d, n)
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return fillFixed[uint32](mem, t, d, n)
	case catalog.Float4:
		return fillFixed[float32](mem, t, d, n)
	case catalog.Float8:
		return fillFixed[float64](mem, t, d, n)
	case catalog.Numeric:
		return fillFixed[decimal128.Num](mem, t, d, n)
	case catalog.Interval:
		return fillFixed[arrow.MonthDayNanoInterval](mem, t, d, n)
	case catalog.UUID:
		return fillFixed[[16]byte](mem, t, d, n)
	}
	return nil, datumMismatch(t, d)
}

func fillFixed[T fixedWidth](mem memory.Allocator, t catalog.Type, d catalog.Datum, n int) (arrow.Array, error) {
	v, ok := d.(T)
	if !ok {
		return nil, datumMismatch(t, d)
	}
	out := newFixedBuilder[T](mem, n)
	for i := range out.vals {
		out.vals[i] = v
	}
	return out.finish(t), nil
}

// datumAt reads row i of a column of type t as a Datum (nil = NULL).
// It allocates for strings; it serves results, literals and outer rows,
// never a kernel's inner loop.
func datumAt(a arrow.Array, t catalog.Type, i int) catalog.Datum {
	if a.IsNull(i) {
		return nil
	}
	switch t.Kind {
	case catalog.Array:
		return listDatumAt(a, t, i)
	case catalog.Record:
		return structDatumAt(a, t, i)
	case catalog.Bool:
		return boolViewOf(a).value(i)
	case catalog.Int2:
		return fixedValues[int16](a)[i]
	case catalog.Int4, catalog.Date:
		return fixedValues[int32](a)[i]
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return fixedValues[int64](a)[i]
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return fixedValues[uint32](a)[i]
	case catalog.Float4:
		return fixedValues[float32](a)[i]
	case catalog.Float8:
		return fixedValues[float64](a)[i]
	case catalog.Numeric:
		if t.IsVarNumeric() {
			return append([]byte(nil), varlenViewOf(a).bytes(i)...)
		}
		return fixedValues[decimal128.Num](a)[i]
	case catalog.Interval:
		return fixedValues[arrow.MonthDayNanoInterval](a)[i]
	case catalog.UUID:
		return fixedValues[[16]byte](a)[i]
	case catalog.Bytea:
		return append([]byte(nil), varlenViewOf(a).bytes(i)...)
	}
	return string(varlenViewOf(a).bytes(i))
}
