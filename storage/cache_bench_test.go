package storage

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkScanLargerThanCache scans a table of 24 segments (about 30 MB
// of Parquet) with no block cache, with a cache of 4 MB (smaller than the
// table: the admission policy must keep the scan from thrashing it) and
// with the default cache (the table fits).
func BenchmarkScanLargerThanCache(b *testing.B) {
	dir := b.TempDir()
	const segs, rows = 24, 40000
	s := openTest(b, dir, Options{Compaction: CompactionPolicy{Disabled: true}})
	mustCreate(b, s, kvTable("kv"))
	tbl := s.Snapshot().Table("public", "kv")
	rng := rand.New(rand.NewPCG(1, 2))
	for g := range segs {
		keys, vals := make([]int64, rows), make([]string, rows)
		for i := range keys {
			keys[i] = int64(g*rows + i)
			vals[i] = fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
		}
		mustInsert(b, s, tbl, kvRecord(keys, vals))
		if err := s.Checkpoint(); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	var total int64
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && filepath.Ext(p) == ".parquet" && filepath.Base(filepath.Dir(p)) == segmentDataDir {
			total += info.Size()
		}
		return nil
	})
	for _, c := range []struct {
		name string
		size int64
	}{{"none", -1}, {"4MB", 4 << 20}, {"default", 0}} {
		b.Run("cache="+c.name, func(b *testing.B) {
			s := openTest(b, dir, Options{Compaction: CompactionPolicy{Disabled: true}, CacheSize: c.size})
			defer s.Close()
			tbl := s.Snapshot().Table("public", "kv")
			counts := new(ScanCounts)
			scan := func() {
				r, err := s.Snapshot().Scan(tbl, []int{0, 1}, nil)
				if err != nil {
					b.Fatal(err)
				}
				r.(CountingScan).CountInto(counts)
				n := 0
				for {
					rec, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					if rec == nil {
						break
					}
					n += int(rec.NumRows())
				}
				r.Close()
				if n != segs*rows {
					b.Fatalf("%d rows, want %d", n, segs*rows)
				}
			}
			scan() // opens the segments
			*counts = ScanCounts{}
			b.SetBytes(total)
			b.ResetTimer()
			for range b.N {
				scan()
			}
			b.ReportMetric(100*float64(counts.BytesCached.Load())/float64(max(1, counts.BytesRead.Load())), "%cached")
			b.ReportMetric(float64(counts.FileOpens.Load())/float64(b.N), "opens/op")
		})
	}
}
