package storage

import (
	"sync/atomic"
	"testing"
)

// BenchmarkSingleSchemaCommit commits one-row transactions into one
// schema, one at a time ("serial") and from many goroutines at once
// ("parallel", where group commit shares fsyncs). Cross-schema atomic
// commit must leave this path as fast as it was.
func BenchmarkSingleSchemaCommit(b *testing.B) {
	for _, mode := range []string{"serial", "parallel"} {
		b.Run(mode, func(b *testing.B) {
			s := openTest(b, b.TempDir(), Options{})
			defer s.Close()
			tbl := kvTable("kv")
			mustCreate(b, s, tbl)
			var next atomic.Int64
			commit := func() {
				k := next.Add(1)
				tx := s.Begin()
				rec := kvRecord([]int64{k}, []string{"v"})
				if err := tx.Insert(tbl, rec); err != nil {
					b.Error(err)
				}
				rec.Release()
				if err := tx.Commit(); err != nil {
					b.Error(err)
				}
			}
			b.ResetTimer()
			if mode == "serial" {
				for i := 0; i < b.N; i++ {
					commit()
				}
				return
			}
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					commit()
				}
			})
		})
	}
}

// BenchmarkCrossSchemaCommit commits one-row inserts into two schemas in
// one transaction (two-phase: a prepare per schema, then the decision).
func BenchmarkCrossSchemaCommit(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	ta, tb := twoSchemas(b, s)
	var next atomic.Int64
	b.ResetTimer()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := insertBoth(s, ta, tb, next.Add(1)); err != nil {
				b.Error(err)
			}
		}
	})
}
