package storage

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// takeRecord returns a new record holding the rows idx (ascending or not)
// of rec. It works on raw buffers, one pass per column.
func takeRecord(rec arrow.Record, idx []int32) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	for i := range cols {
		cols[i] = takeArray(rec.Column(i), idx)
	}
	return newOwnedRecord(rec.Schema(), cols, int64(len(idx)))
}

// takeArray gathers the values at positions idx of arr into a new array.
// Every Arrow type pqdb stores is either fixed width, boolean,
// offset-encoded (string, binary), or a list of one of those (arrays).
func takeArray(arr arrow.Array, idx []int32) arrow.Array {
	data := arr.Data()
	off := data.Offset()
	n := len(idx)
	var validity *memory.Buffer
	nulls := 0
	if arr.NullN() > 0 {
		bits := make([]byte, bitutil.BytesForBits(int64(n)))
		src := data.Buffers()[0].Bytes()
		for j, i := range idx {
			if bitutil.BitIsSet(src, off+int(i)) {
				bitutil.SetBit(bits, j)
			} else {
				nulls++
			}
		}
		validity = memory.NewBufferBytes(bits)
	}
	dt := arr.DataType()
	var bufs []*memory.Buffer
	var children []arrow.ArrayData
	switch dt.ID() {
	case arrow.LIST:
		// An array column: gather the rows' element ranges of the child.
		offsets := arrow.Int32Traits.CastFromBytes(data.Buffers()[1].Bytes())[off:]
		outOff := make([]int32, n+1)
		var elems []int32
		for j, i := range idx {
			for e := offsets[i]; e < offsets[i+1]; e++ {
				elems = append(elems, e)
			}
			outOff[j+1] = int32(len(elems))
		}
		child := takeArray(arr.(*array.List).ListValues(), elems)
		defer child.Release()
		children = []arrow.ArrayData{child.Data()}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(outOff))}
	case arrow.BOOL:
		src := data.Buffers()[1].Bytes()
		bits := make([]byte, bitutil.BytesForBits(int64(n)))
		for j, i := range idx {
			if bitutil.BitIsSet(src, off+int(i)) {
				bitutil.SetBit(bits, j)
			}
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(bits)}
	case arrow.STRING, arrow.BINARY:
		offsets := arrow.Int32Traits.CastFromBytes(data.Buffers()[1].Bytes())[off:]
		var src []byte
		if b := data.Buffers()[2]; b != nil {
			src = b.Bytes()
		}
		total := 0
		for _, i := range idx {
			total += int(offsets[i+1] - offsets[i])
		}
		outOff := make([]int32, n+1)
		out := make([]byte, 0, total)
		for j, i := range idx {
			out = append(out, src[offsets[i]:offsets[i+1]]...)
			outOff[j+1] = int32(len(out))
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(outOff)), memory.NewBufferBytes(out)}
	default:
		w := dt.(arrow.FixedWidthDataType).BitWidth() / 8
		src := data.Buffers()[1].Bytes()[off*w:]
		out := make([]byte, n*w)
		switch w {
		case 8:
			for j, i := range idx {
				binary.NativeEndian.PutUint64(out[j*8:], binary.NativeEndian.Uint64(src[int(i)*8:]))
			}
		case 4:
			for j, i := range idx {
				binary.NativeEndian.PutUint32(out[j*4:], binary.NativeEndian.Uint32(src[int(i)*4:]))
			}
		default:
			for j, i := range idx {
				copy(out[j*w:(j+1)*w], src[int(i)*w:])
			}
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(out)}
	}
	d := array.NewData(dt, n, bufs, children, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// concatArrays is array.Concatenate of arrs (all of one type), copied by
// concatSpans where it handles the type. An OLTP flush concatenates
// thousands of one-row arrays into its event and segment records, and
// array.Concatenate's fixed cost per array (bitmap readers and writers,
// buffer slices) was most of that work.
func concatArrays(arrs []arrow.Array) (arrow.Array, error) {
	if len(arrs) == 0 || !spanCopyable(arrs[0].DataType()) {
		return array.Concatenate(arrs, memory.DefaultAllocator)
	}
	spans := make([]arraySpan, len(arrs))
	for i, a := range arrs {
		spans[i] = arraySpan{arr: a, hi: a.Len()}
	}
	return concatSpans(arrs[0].DataType(), spans), nil
}

// spanCopyable reports whether concatSpans copies arrays of type dt:
// booleans, byte strings and whole-byte fixed-width values.
func spanCopyable(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.BOOL, arrow.STRING, arrow.BINARY:
		return true
	}
	fw, ok := dt.(arrow.FixedWidthDataType)
	return ok && fw.BitWidth() >= 8 && fw.BitWidth()%8 == 0
}

// arraySpan is rows [lo, hi) of arr.
type arraySpan struct {
	arr    arrow.Array
	lo, hi int
}

// concatSpans copies the rows of spans, one after another, into a new
// array of type dt (that of every span's array, or of the values of a
// byte-string page in code form: code_pages.go), one copy per span and
// buffer. The types are takeArray's but lists.
func concatSpans(dt arrow.DataType, spans []arraySpan) arrow.Array {
	n, nulls := 0, 0
	for _, s := range spans {
		n += s.hi - s.lo
		if s.arr.NullN() > 0 {
			nulls++ // some span has NULLs: counted exactly below
		}
	}
	var validity *memory.Buffer
	if nulls > 0 {
		nulls = 0
		bits := make([]byte, bitutil.BytesForBits(int64(n)))
		at := 0
		for _, s := range spans {
			if s.arr.NullN() == 0 {
				bitutil.SetBitsTo(bits, int64(at), int64(s.hi-s.lo), true)
			} else {
				for i := s.lo; i < s.hi; i++ {
					if s.arr.IsValid(i) {
						bitutil.SetBit(bits, at+i-s.lo)
					} else {
						nulls++
					}
				}
			}
			at += s.hi - s.lo
		}
		validity = memory.NewBufferBytes(bits)
	}
	var bufs []*memory.Buffer
	switch dt.ID() {
	case arrow.BOOL:
		bits := make([]byte, bitutil.BytesForBits(int64(n)))
		at := 0
		for _, s := range spans {
			d := s.arr.Data()
			src := d.Buffers()[1].Bytes()
			for i := s.lo; i < s.hi; i++ {
				if bitutil.BitIsSet(src, d.Offset()+i) {
					bitutil.SetBit(bits, at+i-s.lo)
				}
			}
			at += s.hi - s.lo
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(bits)}
	case arrow.STRING, arrow.BINARY:
		total := 0
		for _, s := range spans {
			if c, ok := s.arr.(*array.Dictionary); ok {
				total += codeSpanBytes(c, s.lo, s.hi)
				continue
			}
			d := s.arr.Data()
			offs := arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset():]
			total += int(offs[s.hi] - offs[s.lo])
		}
		outOff := make([]int32, 1, n+1)
		out := make([]byte, 0, total)
		for _, s := range spans {
			if c, ok := s.arr.(*array.Dictionary); ok {
				out, outOff = appendCodeSpan(out, outOff, c, s.lo, s.hi)
				continue
			}
			d := s.arr.Data()
			offs := arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset():]
			if offs[s.hi] > offs[s.lo] {
				out = append(out, d.Buffers()[2].Bytes()[offs[s.lo]:offs[s.hi]]...)
			}
			shift := int32(len(out)) - offs[s.hi]
			for _, o := range offs[s.lo+1 : s.hi+1] {
				outOff = append(outOff, o+shift)
			}
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(outOff)), memory.NewBufferBytes(out)}
	default:
		w := dt.(arrow.FixedWidthDataType).BitWidth() / 8
		out := make([]byte, 0, n*w)
		for _, s := range spans {
			d := s.arr.Data()
			src := d.Buffers()[1].Bytes()[d.Offset()*w:]
			out = append(out, src[s.lo*w:s.hi*w]...)
		}
		bufs = []*memory.Buffer{validity, memory.NewBufferBytes(out)}
	}
	d := array.NewData(dt, n, bufs, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}
