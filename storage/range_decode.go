package storage

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// When a row group's ranges leave only some rows of the pages they touch
// (a dictionary filter or an equality's narrowing keeps scattered rows),
// decoding those pages whole and then cutting the ranges out would copy
// every value of a byte-string column twice, those of the rows dropped
// included. A rangeBytesDecoder instead copies, page by page, only the
// values of the rows inside the ranges, straight from the dictionary or
// the plain page: the values of the other rows are never materialized.

// rangeBytesDecoder takes the pages of a byte-string column chunk from
// row lo on and keeps the rows of ranges (sorted, disjoint), NULLs
// included, as one Arrow string or binary array.
type rangeBytesDecoder struct {
	ranges []rowRange
	row    int64 // the row of the next page's first value
	j      int   // the range row is in or before
	n      int   // rows taken, for decodeRun

	kept     int
	nulls    int
	validity []byte // a bit per kept row, set when it is not NULL
	offsets  []int32
	data     []byte
}

func newRangeBytesDecoder(ranges []rowRange) *rangeBytesDecoder {
	rows := rangeRows(ranges)
	return &rangeBytesDecoder{
		ranges:   ranges,
		validity: make([]byte, 0, bitutil.BytesForBits(rows)),
		offsets:  append(make([]int32, 0, rows+1), 0),
	}
}

func (d *rangeBytesDecoder) decodedRows() int { return d.n }

func (d *rangeBytesDecoder) page(page parquet.Page) error {
	rows := int(page.NumValues())
	start := d.row
	d.row += int64(rows)
	d.n += rows
	defs := page.DefinitionLevels()
	vals := page.Data()
	var src []byte
	var offs []uint32
	var codes []int32
	if dc := page.Dictionary(); dc != nil {
		src, offs = dictionaryValues(dc)
		codes = vals.Int32()
	} else {
		src, offs = vals.ByteArray()
	}
	nvals := len(offs) - 1
	v := 0 // values of the page before row i
	for i := 0; i < rows; i++ {
		row := start + int64(i)
		for d.j < len(d.ranges) && row >= d.ranges[d.j].hi {
			d.j++
		}
		if d.j == len(d.ranges) {
			return nil
		}
		if lo := d.ranges[d.j].lo; row < lo {
			// Jump to the range: without NULLs values and rows go in
			// step, with them the skipped rows' values are counted.
			skip := int(min(lo-row, int64(rows-i)))
			if len(defs) == 0 {
				v += skip
			} else {
				v += nonNullLevels(defs[i : i+skip])
			}
			i += skip - 1
			continue
		}
		null := len(defs) > 0 && defs[i] == 0
		k := v
		if !null {
			v++
		}
		if d.kept%8 == 0 {
			d.validity = append(d.validity, 0)
		}
		if null {
			d.nulls++
		} else {
			if codes != nil {
				if k >= len(codes) {
					return errPageLevels
				}
				k = int(codes[k])
			}
			if k < 0 || k >= nvals {
				if codes != nil {
					return errDictionaryIndex
				}
				return errPageLevels
			}
			bitutil.SetBit(d.validity, d.kept)
			d.data = append(d.data, src[offs[k]:offs[k+1]]...)
		}
		d.offsets = append(d.offsets, int32(len(d.data)))
		d.kept++
	}
	return nil
}

// finish returns the kept rows as an array of type dt (string or binary).
func (d *rangeBytesDecoder) finish(dt arrow.DataType) arrow.Array {
	var validity *memory.Buffer
	if d.nulls > 0 {
		validity = memory.NewBufferBytes(d.validity)
	}
	data := array.NewData(dt, d.kept, []*memory.Buffer{validity, memory.NewBufferBytes(int32Bytes(d.offsets)), memory.NewBufferBytes(d.data)}, nil, d.nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// rangeDecodable reports whether readLayout decodes a column laid out as
// p into type dt with a rangeBytesDecoder.
func rangeDecodable(p physical, dt arrow.DataType) bool {
	return p == physBytes && (dt.ID() == arrow.STRING || dt.ID() == arrow.BINARY)
}

// rangesAreRuns reports whether ranges hold exactly the rows of runs.
func rangesAreRuns(ranges []rowRange, runs []pageRun) bool {
	if len(ranges) != len(runs) {
		return false
	}
	for i := range ranges {
		if ranges[i].lo != runs[i].lo || ranges[i].hi != runs[i].hi {
			return false
		}
	}
	return true
}

// nonNullLevels counts the definition levels of a flat column that hold
// a value (non-zero): all but the zeros, which bytes.Count finds with
// vector instructions.
func nonNullLevels(defs []byte) int {
	return len(defs) - bytes.Count(defs, zeroLevel)
}

var zeroLevel = []byte{0}
