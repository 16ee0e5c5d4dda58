package storage

import (
	"math"
	"runtime"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/bloom"
)

// A lookup by key visits every segment whose zone maps admit the key.
// After updates, a table's newer segments span the whole key range (they
// hold the rows updated since the older ones were written), so each
// lookup enters them only for their bloom filters to turn it away, and
// entering a segment (its open file, its column leaves, its row groups)
// costs more than the test. The filters of a segment's key columns are
// therefore kept in memory, on the Segment, the first time a scan tests
// them: later lookups test them before entering the segment, and skip it
// when every row group's filter rules out every value asked for.
//
// The filters come from the segment's file and never change; copies of a
// Segment (a new deletion vector, new sketches) share them. Memory is
// bounded twice: a column's filters are kept only when they total at
// most maxKeyFilterBytes, and a store keeps at most
// maxKeyFiltersPerStore bytes of them, released when the Segments that
// hold them are collected.

// keyFilters are one segment's key filters, by the Parquet name of the
// column.
type keyFilters struct {
	byColumn map[string]columnFilters
}

// columnFilters are what a segment keeps of one column's filters: one
// per row group, or, when filters is nil, the reason there are none:
// some row group has no filter (inFile false: nothing can be ruled
// out), or they are too large to keep (inFile: they are asked in the
// file, as before any was kept).
type columnFilters struct {
	filters []bloom.SplitBlockFilter
	inFile  bool
}

// maxKeyFilterBytes is the most bytes of filters kept for one column of
// one segment: at 10 bits per value, a segment of about 800k rows. (A
// variable for tests.)
var maxKeyFilterBytes int64 = 1 << 20

// maxKeyFiltersPerStore bounds the bytes of filters a store keeps.
const maxKeyFiltersPerStore = 64 << 20

// keyFilterSlot is where a Segment keeps its filters, made when its
// bounds are decoded.
type keyFilterSlot = atomic.Pointer[keyFilters]

// keyFiltersOf returns what seg keeps of column name's filters, and
// whether it has decided yet.
func keyFiltersOf(seg *Segment, name string) (columnFilters, bool) {
	if seg.filters == nil {
		return columnFilters{}, false
	}
	kf := seg.filters.Load()
	if kf == nil {
		return columnFilters{}, false
	}
	f, ok := kf.byColumn[name]
	return f, ok
}

// keepKeyFilters decides what seg keeps of the filters of column leaf,
// named name, of every row group of pf, seg's file: the filters when
// they fit the bounds, else that they stay in the file. Once decided,
// no scan reads them again to keep them.
func (s *Store) keepKeyFilters(seg *Segment, pf *parquet.File, leaf int, name string) (columnFilters, bool) {
	if seg.filters == nil || s.opts.CacheSize < 0 {
		return columnFilters{}, false
	}
	groups := pf.RowGroups()
	blooms := make([]parquet.BloomFilter, 0, len(groups))
	var size int64
	for _, rg := range groups {
		bf := columnBloom(rg, leaf)
		if bf == nil {
			blooms = nil
			break
		}
		blooms = append(blooms, bf)
		size += bf.Size()
	}
	var cf columnFilters
	switch {
	case blooms == nil:
		size = 0 // none to keep: nothing is ruled out
	case size > maxKeyFilterBytes || s.keyFilterBytes.Add(size) > maxKeyFiltersPerStore:
		if size <= maxKeyFilterBytes {
			s.keyFilterBytes.Add(-size)
		}
		cf.inFile, size = true, 0
	default:
		for _, bf := range blooms {
			data := make([]byte, bf.Size())
			if _, err := bf.ReadAt(data, 0); err != nil {
				s.keyFilterBytes.Add(-size)
				return columnFilters{}, false
			}
			cf.filters = append(cf.filters, bloom.MakeSplitBlockFilter(data))
		}
	}
	for {
		old := seg.filters.Load()
		kf := &keyFilters{byColumn: map[string]columnFilters{name: cf}}
		held := size
		if old != nil {
			if f, ok := old.byColumn[name]; ok {
				s.keyFilterBytes.Add(-size)
				return f, true // decided by another scan meanwhile
			}
			for k, v := range old.byColumn {
				kf.byColumn[k] = v
				held += filtersSize(v.filters)
			}
		}
		if seg.filters.CompareAndSwap(old, kf) {
			// The store counts the bytes of the filters each kept set
			// holds; the set replaced (its columns now counted in kf
			// too) gives its count back when it is collected.
			s.keyFilterBytes.Add(held - size)
			// The cleanup holds the counter only: what reaches kf (the
			// store, its manifests) must stay collectable.
			counter := s.keyFilterBytes
			runtime.AddCleanup(kf, func(n int64) { counter.Add(-n) }, held)
			return cf, true
		}
	}
}

// filtersSize is the bytes of filters.
func filtersSize(filters []bloom.SplitBlockFilter) int64 {
	var n int64
	for _, f := range filters {
		n += int64(len(f)) * bloom.BlockSize
	}
	return n
}

// filtersExclude reports whether filter, kept in memory, rules out every
// value of eq, as bloomExcludes does with a file's filter.
func filtersExclude(filter bloom.SplitBlockFilter, eq []bound, value func(bound) (parquet.Value, bool)) bool {
	return noneMayHold(eq, value, func(v parquet.Value) bool { return filter.Check(parquetBloomHash(v)) })
}

// parquetBloomHash is the hash a Parquet bloom filter holds for v: XXH64 of its
// plain encoding, as parquet-go's writer computes it.
func parquetBloomHash(v parquet.Value) uint64 {
	var h bloom.XXH64
	switch v.Kind() {
	case parquet.Boolean:
		if v.Boolean() {
			return h.Sum64Uint8(1)
		}
		return h.Sum64Uint8(0)
	case parquet.Int32:
		return h.Sum64Uint32(uint32(v.Int32()))
	case parquet.Float:
		return h.Sum64Uint32(math.Float32bits(v.Float()))
	case parquet.Int64:
		return h.Sum64Uint64(uint64(v.Int64()))
	case parquet.Double:
		return h.Sum64Uint64(math.Float64bits(v.Double()))
	}
	return h.Sum64(v.ByteArray())
}
