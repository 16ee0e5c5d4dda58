package storage

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// Byte-string pages in code form.
//
// A point read of a byte-string column copies its row out of the page
// (range_decode.go) rather than decoding the page whole, since a page of
// dictionary codes may decode to many times its size: pgbench_accounts'
// filler holds one 84-byte value in 20,000 rows a page. But then every
// lookup decodes the page again through parquet-go, its header and its
// dictionary page included. A page whose chunk has a small dictionary
// (codePageMaxDictBytes) is instead decoded once into an Arrow
// dictionary array, its codes over a copy of the dictionary, which costs
// four bytes a row, and offered to the cache like other decoded pages;
// reads copy their rows' values out of it (concatSpans). A page of such
// a chunk that is not dictionary-encoded (a writer's fallback to plain)
// is decoded whole as before.

// codePageMaxDictBytes bounds the compressed dictionary page of a chunk
// whose pages are read in code form: each page keeps a copy.
const codePageMaxDictBytes = 16 << 10

// codePagesOf reports whether pc's pages are read in code form: a
// byte-string column whose chunk has a small dictionary.
func (r *rowGroupReader) codePagesOf(pc *pagedColumn) bool {
	if !rangeDecodable(pc.p, pc.dt) {
		return false
	}
	md := &r.pf.Metadata().RowGroups[r.g].Columns[pc.leaf].MetaData
	return md.DictionaryPageOffset > 0 && md.DataPageOffset > md.DictionaryPageOffset &&
		md.DataPageOffset-md.DictionaryPageOffset <= codePageMaxDictBytes
}

// codeForm reports whether arr, a cached page, is in code form over
// values of type dt.
func codeForm(arr arrow.Array, dt arrow.DataType) bool {
	d, ok := arr.(*array.Dictionary)
	return ok && arrow.TypeEqual(d.Dictionary().DataType(), dt)
}

// codePageDecoder decodes one page of a byte-string column (laid out as
// p, read as dt) into code form, or whole when the page holds no codes.
type codePageDecoder struct {
	p   physical
	dt  arrow.DataType
	arr arrow.Array
	n   int
}

var errCodePages = errors.New("a code-form read took more than one page")

func (d *codePageDecoder) decodedRows() int { return d.n }

func (d *codePageDecoder) page(page parquet.Page) error {
	if d.arr != nil {
		return errCodePages
	}
	rows := int(page.NumValues())
	d.n += rows
	dc := page.Dictionary()
	if dc == nil {
		dec := newColumnDecoder(d.p, rows)
		if err := dec.page(page); err != nil {
			return err
		}
		d.arr = dec.finish(d.dt)
		return nil
	}
	data, offs := dictionaryValues(dc)
	vals := page.Data()
	codes := vals.Int32()
	defs := page.DefinitionLevels()
	nvals := len(offs) - 1
	idx := make([]int32, rows)
	var validity []byte
	nulls := 0
	if len(defs) > 0 {
		validity = make([]byte, bitutil.BytesForBits(int64(rows)))
	}
	v := 0
	for i := range rows {
		if len(defs) > 0 {
			if defs[i] == 0 {
				nulls++
				continue
			}
			bitutil.SetBit(validity, i)
		}
		if v >= len(codes) {
			return errPageLevels
		}
		c := codes[v]
		v++
		if c < 0 || int(c) >= nvals {
			return errDictionaryIndex
		}
		idx[i] = c
	}
	// The page's buffers go back to parquet-go once it returns: the
	// dictionary is copied.
	dictOffs := make([]int32, nvals+1)
	for i, o := range offs {
		dictOffs[i] = int32(o - offs[0])
	}
	dictData := append([]byte(nil), data[offs[0]:offs[nvals]]...)
	dictArr := array.NewData(d.dt, nvals, []*memory.Buffer{nil, memory.NewBufferBytes(int32Bytes(dictOffs)), memory.NewBufferBytes(dictData)}, nil, 0, 0)
	defer dictArr.Release()
	var valid *memory.Buffer
	if nulls > 0 {
		valid = memory.NewBufferBytes(validity)
	}
	codesData := array.NewData(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: d.dt},
		rows, []*memory.Buffer{valid, memory.NewBufferBytes(int32Bytes(idx))}, nil, nulls, 0)
	codesData.SetDictionary(dictArr)
	defer codesData.Release()
	d.arr = array.MakeFromData(codesData)
	return nil
}

// codeValues returns the codes of c, a page in code form, and its
// dictionary's value offsets and bytes.
func codeValues(c *array.Dictionary) (idx, offs []int32, data []byte) {
	idx = c.Indices().(*array.Int32).Int32Values()
	dd := c.Dictionary().Data()
	offs = arrow.Int32Traits.CastFromBytes(dd.Buffers()[1].Bytes())[dd.Offset():]
	if b := dd.Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	return idx, offs, data
}

// codeSpanBytes is the size of the values of rows [lo, hi) of c.
func codeSpanBytes(c *array.Dictionary, lo, hi int) int {
	idx, offs, _ := codeValues(c)
	n := 0
	for i := lo; i < hi; i++ {
		if c.IsValid(i) {
			n += int(offs[idx[i]+1] - offs[idx[i]])
		}
	}
	return n
}

// appendCodeSpan appends the values of rows [lo, hi) of c to out, and
// their end offsets in out to outOff (a NULL's value is empty).
func appendCodeSpan(out []byte, outOff []int32, c *array.Dictionary, lo, hi int) ([]byte, []int32) {
	idx, offs, data := codeValues(c)
	for i := lo; i < hi; i++ {
		if c.IsValid(i) {
			k := idx[i]
			out = append(out, data[offs[k]:offs[k+1]]...)
		}
		outOff = append(outOff, int32(len(out)))
	}
	return out, outOff
}
