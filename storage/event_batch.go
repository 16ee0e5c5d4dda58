package storage

import (
	"encoding/binary"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	flatbuffers "github.com/google/flatbuffers/go"
)

// A record batch message written by hand.
//
// Arrow's IPC writer builds a record batch message with a new flatbuffer
// builder, takes a reference to (or a copy of) every buffer and rebases
// every string column's offsets: about 7 µs for the one-row records an
// OLTP commit logs, 4% of a pgbench TPC-B transaction's CPU.
// batchStream writes the same bytes for the records commits log — flat
// columns of fixed-width values, booleans and byte strings, none sliced
// — with a builder it reuses, and leaves anything else to Arrow's writer
// (encodeRecord). The message is the IPC format's: the continuation
// marker, the metadata length, a Message flatbuffer whose header is a
// RecordBatch (its length, a field node per column, the location of each
// buffer in the body), padding to 8 bytes, then the body, each buffer
// padded to 8 bytes; the flatbuffer is built in the order Arrow builds
// it, so the stream is Arrow's byte for byte
// (TestEncodeRecordIsTheIPCStream, TestBatchStreamIsArrows).

// Slots and values of the IPC format's flatbuffer tables (format/Message.fbs).
const (
	fbMessageFields     = 5 // version, header_type, header, bodyLength, custom_metadata
	fbMessageVersion    = 0
	fbMessageHeaderType = 1
	fbMessageHeader     = 2
	fbMessageBodyLength = 3
	fbRecordBatchFields = 5 // length, nodes, buffers, compression, variadicBufferCounts
	fbRecordBatchLength = 0
	fbRecordBatchNodes  = 1
	fbRecordBatchBufs   = 2
	fbMetadataV5        = 4 // MetadataVersion.V5
	fbHeaderRecordBatch = 3 // MessageHeader.RecordBatch
	fbStructBytes       = 16
	ipcContinuation     = 0xFFFFFFFF
)

// batchBuilders are flatbuffer builders for appendBatchMessage.
var batchBuilders = sync.Pool{New: func() any { return flatbuffers.NewBuilder(512) }}

// fieldNode is a column's length and NULL count, as the message states
// them.
type fieldNode struct{ length, nulls int64 }

// batchStream returns the IPC stream of rec: head (its schema message),
// rec's record batch message and the end-of-stream marker, in a slice of
// exactly its size; ok is false when rec is not one it writes: a record
// without rows, or with a column that is sliced, nested, or of a type
// other than fixed width, boolean, string and binary (a dictionary's
// type is none of these).
//
// The buffers are those Arrow's writer sends (so are the bytes): a
// bitmap or value buffer as it is unless it is longer than its values
// padded to 64 bytes, and then cut (a bitmap copied, its bits past the
// last row cleared); an all-NULL column's validity as zeros; no validity
// for a column without NULLs.
func batchStream(head []byte, rec arrow.Record) (stream []byte, ok bool) {
	n := int(rec.NumRows())
	if n == 0 {
		return nil, false
	}
	var nodesInline [16]fieldNode
	var bufsInline [48][]byte
	nodes, bufs := nodesInline[:0], bufsInline[:0]
	for _, col := range rec.Columns() {
		d := col.Data()
		if d.Offset() != 0 || d.Len() != n || len(d.Children()) > 0 || len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
			return nil, false
		}
		nulls := col.NullN()
		nodes = append(nodes, fieldNode{int64(n), int64(nulls)})
		var validity []byte
		switch {
		case nulls == n:
			validity = make([]byte, padded64(bitutil.BytesForBits(int64(n))))
		case nulls > 0:
			if d.Buffers()[0] == nil {
				return nil, false
			}
			validity = sentBitmap(d.Buffers()[0].Bytes(), n)
		}
		values := d.Buffers()[1].Bytes()
		switch t := col.DataType().(type) {
		case *arrow.BooleanType:
			bufs = append(bufs, validity, sentBitmap(values, n))
		case *arrow.StringType, *arrow.BinaryType:
			if len(values) < (n+1)*4 || len(d.Buffers()) < 3 || d.Buffers()[2] == nil {
				return nil, false
			}
			offsets := arrow.Int32Traits.CastFromBytes(values)
			data := d.Buffers()[2].Bytes()
			if offsets[0] != 0 || int(offsets[n]) > len(data) {
				return nil, false
			}
			if len(values) > (n+1)*4 {
				values = values[:(n+1)*4]
			}
			if len(data) > int(offsets[n]) {
				data = data[:offsets[n]]
			}
			bufs = append(bufs, validity, values, data)
		case arrow.FixedWidthDataType:
			width := t.BitWidth() / 8
			if t.BitWidth()%8 != 0 || len(values) < n*width {
				return nil, false
			}
			if int64(len(values)) > padded64(int64(n*width)) {
				values = values[:min(int(bitutil.CeilByte64(int64(n*width))), len(values))]
			}
			bufs = append(bufs, validity, values)
		default:
			return nil, false
		}
	}

	b := batchBuilders.Get().(*flatbuffers.Builder)
	defer batchBuilders.Put(b)
	b.Reset()
	b.StartVector(fbStructBytes, len(nodes), 8)
	for i := len(nodes) - 1; i >= 0; i-- {
		b.Prep(8, fbStructBytes)
		b.PrependInt64(nodes[i].nulls)
		b.PrependInt64(nodes[i].length)
	}
	nodesAt := b.EndVector(len(nodes))
	var body int64
	b.StartVector(fbStructBytes, len(bufs), 8)
	for i := range bufs {
		body += bitutil.CeilByte64(int64(len(bufs[i])))
	}
	at := body
	for i := len(bufs) - 1; i >= 0; i-- {
		at -= bitutil.CeilByte64(int64(len(bufs[i])))
		b.Prep(8, fbStructBytes)
		b.PrependInt64(int64(len(bufs[i])))
		b.PrependInt64(at)
	}
	bufsAt := b.EndVector(len(bufs))
	b.StartObject(fbRecordBatchFields)
	b.PrependInt64Slot(fbRecordBatchLength, int64(n), 0)
	b.PrependUOffsetTSlot(fbRecordBatchNodes, nodesAt, 0)
	b.PrependUOffsetTSlot(fbRecordBatchBufs, bufsAt, 0)
	batch := b.EndObject()
	b.StartObject(fbMessageFields)
	b.PrependInt16Slot(fbMessageVersion, fbMetadataV5, 0)
	b.PrependByteSlot(fbMessageHeaderType, fbHeaderRecordBatch, 0)
	b.PrependUOffsetTSlot(fbMessageHeader, batch, 0)
	b.PrependInt64Slot(fbMessageBodyLength, body, 0)
	b.Finish(b.EndObject())
	meta := b.FinishedBytes()

	// The continuation and length prefix and the metadata, padded to end
	// on 8 bytes, then the body, each buffer padded to 8 bytes.
	metaLen := int(bitutil.CeilByte64(int64(len(meta)+8))) - 8
	stream = make([]byte, 0, len(head)+8+metaLen+int(body)+len(endOfStream))
	stream = append(stream, head...)
	stream = binary.LittleEndian.AppendUint32(stream, ipcContinuation)
	stream = binary.LittleEndian.AppendUint32(stream, uint32(metaLen))
	stream = append(stream, meta...)
	stream = appendZeros(stream, metaLen-len(meta))
	for _, buf := range bufs {
		stream = append(stream, buf...)
		stream = appendZeros(stream, int(bitutil.CeilByte64(int64(len(buf))))-len(buf))
	}
	return append(stream, endOfStream...), true
}

// sentBitmap is the part of bitmap (of a column of n rows, at offset 0)
// that Arrow's writer sends: all of it, unless it is longer than its n
// bits padded to 64 bytes; then those bytes, the bits past n cleared.
func sentBitmap(bitmap []byte, n int) []byte {
	keep := padded64(bitutil.BytesForBits(int64(n)))
	if int64(len(bitmap)) <= keep {
		return bitmap
	}
	out := make([]byte, keep)
	copy(out, bitmap[:bitutil.BytesForBits(int64(n))])
	if n%8 != 0 {
		out[n/8] &= byte(1)<<(n%8) - 1
	}
	return out
}

// padded64 is n rounded up to a multiple of 64, Arrow's buffer alignment.
func padded64(n int64) int64 { return (n + 63) &^ 63 }

// appendZeros appends n zero bytes, padding to 8 bytes (n < 8), to dst.
func appendZeros(dst []byte, n int) []byte {
	var zeros [8]byte
	return append(dst, zeros[:n]...)
}
