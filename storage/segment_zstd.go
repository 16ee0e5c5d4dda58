package storage

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// segmentZstd compresses the pages of the Parquet files pqdb writes (but
// those of byte-string columns, segmentBytesCodec) with zstd, as
// parquet-go's codec does, but with encoders whose window fits a
// page. parquet-go's encoders keep zstd's default window for their level
// (8 MiB), and each holds a history buffer of twice that, 16 MiB, though
// a page is about segmentPageBytes: the columns of a row group are
// compressed in parallel (writeSegment), so a flush held some 50-150 MB
// of history buffers that never held more than a page. A window of
// segmentZstdWindow loses nothing on pages that fit it, and the frames
// are ordinary zstd frames that any reader decodes.
//
// The encoders run at zstd's fastest level, without the lower-memory
// option (which costs speed too; an encoder holds 1.6 MiB instead of
// 1.3): on lineitem-like pages they compressed 1.2-1.6 times as fast as
// the default level did, for a file 2.5% larger (BenchmarkFlushLineitem),
// and zstd decodes about as fast whatever the level.
var segmentZstd = &zstdCodec{}

// segmentZstdWindow is the zstd window of segmentZstd's encoders: a power
// of two at least segmentPageBytes.
const segmentZstdWindow = 256 << 10

// zstdCodec is a parquet-go compress.Codec for zstd whose encoders are
// pooled and use a small window.
type zstdCodec struct {
	encoders sync.Pool // *zstd.Encoder
	decoders sync.Pool // *zstd.Decoder
}

func (*zstdCodec) String() string { return "ZSTD" }

func (*zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*zstd.Encoder)
	if e == nil {
		var err error
		e, err = zstd.NewWriter(nil,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithWindowSize(segmentZstdWindow),
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false),
		)
		if err != nil {
			return dst, err
		}
	}
	defer c.encoders.Put(e)
	return e.EncodeAll(src, dst[:0]), nil
}

func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) {
	d, _ := c.decoders.Get().(*zstd.Decoder)
	if d == nil {
		var err error
		if d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1)); err != nil {
			return dst, err
		}
	}
	defer c.decoders.Put(d)
	return d.DecodeAll(src, dst[:0])
}
