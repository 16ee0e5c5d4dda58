package storage

import (
	"hash/crc32"
	"slices"
	"sync"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/format"
)

// Reading integer pages directly.
//
// Most of what a scan decodes are integers (keys, dates, and numerics of
// up to 18 digits, stored as INT64), which segments write as
// DELTA_BINARY_PACKED data pages (v2). parquet-go reads a page by
// decoding its header reflectively, decompressing it, and decoding its
// values into a zeroed buffer of its own, from which the column decoder
// then copies them: on TPC-H that was a third of the server's time. A run
// of such pages is read here instead: its bytes in one read, each header
// parsed by hand (page_header.go), each page checked against its CRC,
// decompressed with the segment's codec, and decoded into the column's
// own buffer (decodeDelta), converted in place where the column is wider
// than the page.
//
// Only pages every one of which this reader understands take this path:
// the run is checked in full before anything is decoded, and anything
// else (a NULL, another encoding, a dictionary, a nested column, a
// foreign writer's v1 page) goes through parquet-go as before, so the
// two paths decode the same values (TestDirectPagesMatchParquetGo).

// directLayout reports whether a column of layout p stored as Parquet
// physical type t is decoded directly.
func directLayout(p physical, t format.Type) bool {
	switch p {
	case physInt32, physInt16, physDecimal32:
		return t == format.Int32
	case physInt64, physDecimal64:
		return t == format.Int64
	}
	return false
}

// directCodec returns the decompressor of the chunk codec c, or false
// when the direct reader does not handle it.
func directCodec(c format.CompressionCodec) (compress.Codec, bool) {
	switch c {
	case format.Uncompressed:
		return nil, true
	case format.Zstd:
		return segmentZstd, true
	case format.Snappy:
		return directSnappy, true
	}
	return nil, false
}

var directSnappy = &snappy.Codec{}

// directPage is one checked page of a run: its header and its body.
type directPage struct {
	h    pageHeader
	body []byte
}

// directScratch is a reader's reusable memory: the run's bytes, the
// checked pages, decompressed values and a miniblock's deltas.
type directScratch struct {
	run     []byte
	pages   []directPage
	values  []byte
	deltas  []int64
	deltas4 []int32
	narrow  []int32 // an int2 column's values before narrowing
}

var directScratches = sync.Pool{New: func() any { return new(directScratch) }}

// decodeDirect decodes the pages of run of column leaf's chunk (page
// locations locs) into dec, returning false, having decoded nothing, when
// the run is not one the direct reader handles.
func (r *rowGroupReader) decodeDirect(dec *columnDecoder, chunk *parquet.FileColumnChunk, locs []format.PageLocation, run pageRun) (bool, error) {
	if directPagesOff {
		return false, nil
	}
	md := &r.pf.Metadata().RowGroups[r.g].Columns[chunk.Column()].MetaData
	if md.DictionaryPageOffset > 0 || len(md.PathInSchema) != 1 || chunk.Node().Repeated() || !directLayout(dec.p, md.Type) ||
		!slices.Contains(md.Encoding, format.DeltaBinaryPacked) {
		return false, nil
	}
	codec, ok := directCodec(md.Codec)
	if !ok || run.first < 0 || run.last >= len(locs) || run.first > run.last {
		return false, nil
	}
	start := locs[run.first].Offset
	end := locs[run.last].Offset + int64(locs[run.last].CompressedPageSize)
	if start < 0 || end <= start || end-start > maxDirectRunBytes {
		return false, nil
	}
	sc := directScratches.Get().(*directScratch)
	defer directScratches.Put(sc)
	if cap(sc.run) < int(end-start) {
		sc.run = make([]byte, end-start)
	}
	buf := sc.run[:end-start]
	n, err := r.file.ReadAt(buf, start)
	r.counts.bytes(n)
	if err != nil && n < len(buf) {
		return false, err
	}
	// Check every page of the run before decoding any.
	pages := sc.pages[:0]
	rows := 0
	for k := run.first; k <= run.last; k++ {
		at := locs[k].Offset - start
		if at < 0 || at >= int64(len(buf)) {
			return false, nil
		}
		h, hn, err := parsePageHeader(buf[at:])
		if err != nil || h.typ != int32(format.DataPageV2) || !h.v2 || h.encoding != int32(format.DeltaBinaryPacked) ||
			h.numNulls != 0 || h.repLevelsBytes != 0 || h.numRows != h.numValues {
			return false, nil
		}
		bodyEnd := at + int64(hn) + int64(h.compressedSize)
		if bodyEnd > int64(len(buf)) || k < run.last && bodyEnd > locs[k+1].Offset-start {
			return false, nil
		}
		body := buf[at+int64(hn) : bodyEnd]
		if h.hasCRC && crc32.ChecksumIEEE(body) != uint32(h.crc) {
			return false, nil // parquet-go reports the corruption
		}
		pages = append(pages, directPage{h: h, body: body})
		rows += int(h.numValues)
	}
	sc.pages = pages
	if int64(rows) != run.hi-run.lo {
		return false, nil
	}
	for _, pg := range pages {
		values := pg.body[pg.h.defLevelsBytes:]
		if codec != nil && pg.h.isCompressed {
			if sc.values, err = codec.Decode(sc.values[:0], values); err != nil {
				return false, err
			}
			values = sc.values
		}
		if err := sc.decodeInto(dec, values, int(pg.h.numValues)); err != nil {
			return false, err
		}
	}
	if directRunHook != nil {
		directRunHook()
	}
	return true, nil
}

// directPagesOff and directRunHook let tests read through parquet-go
// and count the runs read directly.
var (
	directPagesOff bool
	directRunHook  func()
)

// maxDirectRunBytes bounds the bytes of a run read at once; a larger run
// (a huge row group) goes through parquet-go's streaming reader.
const maxDirectRunBytes = 64 << 20

// decodeInto appends the n values of the delta stream values to dec, in
// its layout.
func (sc *directScratch) decodeInto(dec *columnDecoder, values []byte, n int) error {
	base := len(dec.values)
	dec.values = slices.Grow(dec.values, n*dec.width)[:base+n*dec.width]
	out := dec.values[base:]
	var err error
	switch dec.p {
	case physInt64:
		sc.deltas, err = decodeDelta(int64sOf(out), nil, values, n, sc.deltas)
	case physInt32:
		sc.deltas4, err = decodeDelta(int32sOf(out), nil, values, n, sc.deltas4)
	case physDecimal64:
		sc.deltas, err = decodeDelta(nil, int64sOf(out), values, n, sc.deltas)
	case physDecimal32:
		sc.deltas4, err = decodeDelta(nil, int64sOf(out), values, n, sc.deltas4)
	case physInt16:
		sc.narrow = slices.Grow(sc.narrow[:0], n)[:n]
		if sc.deltas4, err = decodeDelta(sc.narrow, nil, values, n, sc.deltas4); err == nil {
			o := int16sOf(out)[:n]
			for i, v := range sc.narrow {
				o[i] = int16(v)
			}
		}
	}
	if err != nil {
		dec.values = dec.values[:base]
		return err
	}
	dec.extendValidity(n, nil)
	dec.n += n
	return nil
}

// int64sOf, int32sOf and int16sOf view a byte buffer as integers (the
// column decoder's buffers are aligned: they come from the buffer pool or
// the Go heap; alignedWords checks a page's).
func int64sOf(b []byte) []int64 {
	return unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

func int32sOf(b []byte) []int32 {
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
}

func int16sOf(b []byte) []int16 {
	return unsafe.Slice((*int16)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/2)
}
