package storage

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
)

// BenchmarkScanLineitemCodec scans 1M lineitem rows whose byte-string
// columns are written with each page codec (segmentBytesCodec): Q1's
// columns, which it leaves alone, and l_comment, whose decompression it
// weighs against the file size (file-MiB).
func BenchmarkScanLineitemCodec(b *testing.B) {
	codecs := []compress.Codec{segmentZstd, &snappy.Codec{}, &uncompressed.Codec{}}
	for _, codec := range codecs {
		b.Run(codec.String(), func(b *testing.B) {
			saved := segmentBytesCodec
			segmentBytesCodec = codec
			defer func() { segmentBytesCodec = saved }()
			const rows = 1 << 20
			dir := b.TempDir()
			s := openTest(b, dir, Options{})
			defer s.Close()
			tbl := lineitemTable()
			mustCreate(b, s, tbl)
			for from := 0; from < rows; from += 128 << 10 {
				rec := lineitemRecord(tbl, from, 128<<10, 0)
				cols := rec.Columns()[:16]
				mustInsert(b, s, tbl, array.NewRecordBatch(tailSchemaNoRowID(tbl), cols, rec.NumRows()))
			}
			if err := s.Checkpoint(); err != nil {
				b.Fatal(err)
			}
			var size int64
			filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
				if err == nil && filepath.Ext(path) == ".parquet" && filepath.Base(filepath.Dir(path)) == "data" {
					size += fi.Size()
				}
				return nil
			})
			snap := s.Snapshot()
			for _, cols := range []struct {
				name string
				cols []int
			}{{"q1", []int{4, 5, 6, 7, 8, 9, 10}}, {"comment", []int{15}}} {
				b.Run(cols.name, func(b *testing.B) {
					b.ReportAllocs()
					var before, after syscall.Rusage
					syscall.Getrusage(syscall.RUSAGE_SELF, &before)
					for i := 0; i < b.N; i++ {
						if n := countRows(b, snap, tbl, cols.cols, nil); n != rows {
							b.Fatalf("%d rows", n)
						}
					}
					syscall.Getrusage(syscall.RUSAGE_SELF, &after)
					cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
					b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows)/float64(b.N), "cpu-ns/row")
					b.ReportMetric(float64(size)/(1<<20), "file-MiB")
				})
			}
		})
	}
}
