package storage

// blockArena holds the cache's block buffers in memory mapped outside the
// Go heap.
//
// The cache is the largest long-lived thing in the process (512 MB by
// default), and the Go collector lets the heap grow to twice what is
// live before it collects (GOGC 100): blocks on the heap would cost their
// size twice in RSS, once for themselves and once as headroom that
// anything else may then fill. Mapped memory is not the collector's, so a
// full cache costs its size and no more.
//
// This is safe because the cache already manages blocks by hand: a block
// is pinned while a reader copies out of it, and its buffer is reused
// only once it is evicted and unpinned (cache.go's free, recycle); no
// slice of a block ever leaves the cache. Buffers go back to the arena's
// free list instead of to the collector. Mappings are made a chunk of
// arenaChunkBlocks blocks at a time and unmapped when the store closes,
// if every buffer is back by then (otherwise they stay mapped: a leak is
// better than a reader faulting). Where mapping is not available, or
// fails, buffers come from the heap.
type blockArena struct {
	free   [][]byte
	chunks [][]byte // the mappings
	out    int      // buffers handed out and not yet back
}

// arenaChunkBlocks is the blocks mapped at a time (4 MiB).
const arenaChunkBlocks = 64

// get returns a buffer of cacheBlockSize bytes. Called with the cache's
// lock held.
func (a *blockArena) get() []byte {
	a.out++
	if n := len(a.free); n > 0 {
		b := a.free[n-1]
		a.free[n-1] = nil
		a.free = a.free[:n-1]
		return b
	}
	chunk, err := mapMemory(arenaChunkBlocks * cacheBlockSize)
	if err != nil {
		return make([]byte, cacheBlockSize)
	}
	a.chunks = append(a.chunks, chunk)
	for i := arenaChunkBlocks - 1; i > 0; i-- {
		a.free = append(a.free, chunk[i*cacheBlockSize:(i+1)*cacheBlockSize:(i+1)*cacheBlockSize])
	}
	return chunk[:cacheBlockSize:cacheBlockSize]
}

// put takes back a buffer get returned, which nothing refers to any more.
// Called with the cache's lock held.
func (a *blockArena) put(b []byte) {
	a.out--
	a.free = append(a.free, b[:cacheBlockSize])
}

// release unmaps the arena's memory if every buffer is back.
func (a *blockArena) release() {
	if a.out != 0 {
		return
	}
	for _, c := range a.chunks {
		unmapMemory(c)
	}
	a.chunks, a.free = nil, nil
}
