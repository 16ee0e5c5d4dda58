package storage

import (
	"encoding/binary"
	"errors"
)

// Parquet page headers, read without reflection.
//
// A page starts with its PageHeader, a Thrift struct in the compact
// protocol. parquet-go decodes it with a reflective decoder that cost a
// scan 3% of its time on TPC-H; the direct page reader (direct_pages.go)
// needs six integers of it, so it reads the fields it wants and skips the
// others (the statistics, an index or dictionary page's header) by their
// wire types, which the protocol always carries.

// pageHeader is what the direct page reader needs of a PageHeader.
type pageHeader struct {
	typ              int32 // a format.PageType
	uncompressedSize int32
	compressedSize   int32
	crc              int32
	hasCRC           bool
	// The DataPageHeaderV2's fields (v2 is false without one).
	v2             bool
	numValues      int32
	numNulls       int32
	numRows        int32
	encoding       int32 // a format.Encoding
	defLevelsBytes int32
	repLevelsBytes int32
	isCompressed   bool
}

// The compact protocol's wire types.
const (
	thriftStop = iota
	thriftTrue
	thriftFalse
	thriftByte
	thriftI16
	thriftI32
	thriftI64
	thriftDouble
	thriftBin
	thriftList
	thriftSet
	thriftMap
	thriftStruct
)

const (
	// thriftMaxNesting bounds the nesting of the values skip follows.
	thriftMaxNesting = 32
	// A field header holds the field id's delta in its high nibble and
	// the wire type in its low one; a collection header, its size (15:
	// a varint follows) and its elements' type.
	thriftFieldDeltaShift    = 4
	thriftFieldTypeMask      = 0x0f
	thriftCollectionSizeMask = 0x0f
)

// Field ids of PageHeader and DataPageHeaderV2 (parquet.thrift).
const (
	pageHeaderTypeTag       = 1
	pageHeaderUncompSizeTag = 2
	pageHeaderCompSizeTag   = 3
	pageHeaderCRCTag        = 4
	pageHeaderDataPageV2Tag = 8
	dataPageV2NumValuesTag  = 1
	dataPageV2NumNullsTag   = 2
	dataPageV2NumRowsTag    = 3
	dataPageV2EncodingTag   = 4
	dataPageV2DefLengthTag  = 5
	dataPageV2RepLengthTag  = 6
	dataPageV2IsCompressTag = 7
)

var errPageHeader = errors.New("malformed page header")

// thriftReader reads the compact protocol from a byte slice.
type thriftReader struct {
	b   []byte
	pos int
	err error
}

func (r *thriftReader) byte() byte {
	if r.err != nil || r.pos >= len(r.b) {
		r.err = errPageHeader
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *thriftReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 {
		r.err = errPageHeader
		return 0
	}
	r.pos += n
	return v
}

// int32 reads a zigzag varint that must fit an i32.
func (r *thriftReader) int32() int32 {
	u := r.uvarint()
	v := int64(u>>1) ^ -int64(u&1)
	if int64(int32(v)) != v {
		r.err = errPageHeader
	}
	return int32(v)
}

// field reads a field header of a struct whose previous field id was
// last, returning the id and the wire type (thriftStop at the end).
func (r *thriftReader) field(last int16) (int16, byte) {
	h := r.byte()
	typ := h & thriftFieldTypeMask
	if typ == thriftStop {
		return 0, thriftStop
	}
	if delta := h >> thriftFieldDeltaShift; delta != 0 {
		return last + int16(delta), typ
	}
	return int16(r.int32()), typ
}

// bool reads a struct field's boolean, which its wire type carries.
func (r *thriftReader) bool(typ byte) bool {
	switch typ {
	case thriftTrue:
		return true
	case thriftFalse:
		return false
	}
	r.err = errPageHeader
	return false
}

// skip passes over a value of wire type typ, depth levels deep.
func (r *thriftReader) skip(typ byte, depth int) {
	if depth > thriftMaxNesting {
		r.err = errPageHeader
		return
	}
	switch typ {
	case thriftTrue, thriftFalse:
	case thriftByte:
		r.byte()
	case thriftI16, thriftI32, thriftI64:
		r.uvarint()
	case thriftDouble:
		r.bytes(8)
	case thriftBin:
		r.bytes(int(r.uvarint()))
	case thriftList, thriftSet:
		h := r.byte()
		n := uint64(h >> 4)
		if n == thriftCollectionSizeMask {
			n = r.uvarint()
		}
		elem := h & thriftFieldTypeMask
		for ; n > 0 && r.err == nil; n-- {
			r.skipElement(elem, depth+1)
		}
	case thriftMap:
		n := r.uvarint()
		if n == 0 {
			return
		}
		kv := r.byte()
		for ; n > 0 && r.err == nil; n-- {
			r.skipElement(kv>>4, depth+1)
			r.skipElement(kv&thriftFieldTypeMask, depth+1)
		}
	case thriftStruct:
		var last int16
		for r.err == nil {
			id, t := r.field(last)
			if t == thriftStop {
				return
			}
			r.skip(t, depth+1)
			last = id
		}
	default:
		r.err = errPageHeader
	}
}

// skipElement skips a collection element of type typ (a collection's
// booleans take a byte each).
func (r *thriftReader) skipElement(typ byte, depth int) {
	if typ == thriftTrue || typ == thriftFalse {
		r.byte()
		return
	}
	r.skip(typ, depth)
}

func (r *thriftReader) bytes(n int) {
	if r.err != nil {
		return
	}
	if n < 0 || n > len(r.b)-r.pos {
		r.err = errPageHeader
		return
	}
	r.pos += n
}

// parsePageHeader reads the PageHeader at the start of b, returning it
// and its length in bytes.
func parsePageHeader(b []byte) (pageHeader, int, error) {
	r := thriftReader{b: b}
	var h pageHeader
	var last int16
	for r.err == nil {
		id, typ := r.field(last)
		if typ == thriftStop {
			break
		}
		last = id
		switch {
		case id == pageHeaderTypeTag && typ == thriftI32:
			h.typ = r.int32()
		case id == pageHeaderUncompSizeTag && typ == thriftI32:
			h.uncompressedSize = r.int32()
		case id == pageHeaderCompSizeTag && typ == thriftI32:
			h.compressedSize = r.int32()
		case id == pageHeaderCRCTag && typ == thriftI32:
			h.crc, h.hasCRC = r.int32(), true
		case id == pageHeaderDataPageV2Tag && typ == thriftStruct:
			r.dataPageV2(&h)
		default:
			r.skip(typ, 0)
		}
	}
	if r.err != nil {
		return pageHeader{}, 0, r.err
	}
	if h.uncompressedSize < 0 || h.compressedSize < 0 || h.numValues < 0 || h.numNulls < 0 || h.numNulls > h.numValues ||
		h.numRows < 0 || h.defLevelsBytes < 0 || h.repLevelsBytes < 0 || int64(h.defLevelsBytes)+int64(h.repLevelsBytes) > int64(h.compressedSize) {
		return pageHeader{}, 0, errPageHeader
	}
	return h, r.pos, nil
}

// dataPageV2 reads a DataPageHeaderV2 into h.
func (r *thriftReader) dataPageV2(h *pageHeader) {
	h.v2, h.isCompressed = true, true // is_compressed defaults to true
	var last int16
	for r.err == nil {
		id, typ := r.field(last)
		if typ == thriftStop {
			return
		}
		last = id
		switch {
		case id == dataPageV2NumValuesTag && typ == thriftI32:
			h.numValues = r.int32()
		case id == dataPageV2NumNullsTag && typ == thriftI32:
			h.numNulls = r.int32()
		case id == dataPageV2NumRowsTag && typ == thriftI32:
			h.numRows = r.int32()
		case id == dataPageV2EncodingTag && typ == thriftI32:
			h.encoding = r.int32()
		case id == dataPageV2DefLengthTag && typ == thriftI32:
			h.defLevelsBytes = r.int32()
		case id == dataPageV2RepLengthTag && typ == thriftI32:
			h.repLevelsBytes = r.int32()
		case id == dataPageV2IsCompressTag && (typ == thriftTrue || typ == thriftFalse):
			h.isCompressed = r.bool(typ)
		default:
			r.skip(typ, 1)
		}
	}
}
