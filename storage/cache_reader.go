package storage

import (
	"io"
)

// cachedFileReader reads an open segment's bytes through the cache's
// blocks (see cache.go): cached blocks are copied from memory, admitted
// ones are read whole from the file and cached, and runs of the others
// are read straight from the file into the caller's buffer, one read per
// run. On an object store, where a read is a request, a run of admitted
// blocks is fetched by one request too (blockRunReader). The segment
// must stay pinned while it is used.
type cachedFileReader struct {
	sf     *segmentFile
	counts *ScanCounts
}

// reader returns an io.ReaderAt over sf's bytes through the cache,
// counting the bytes served from cached blocks into counts.
func (sf *segmentFile) reader(counts *ScanCounts) io.ReaderAt {
	return &cachedFileReader{sf: sf, counts: counts}
}

func (r *cachedFileReader) ReadAt(p []byte, off int64) (int, error) {
	size := r.sf.size
	if off < 0 || off >= size {
		return 0, io.EOF
	}
	end := off + int64(len(p))
	var tailErr error
	if end > size {
		end, tailErr = size, io.EOF
	}
	c := r.sf.cache
	runs, _ := r.sf.f.(blockRunReader)
	direct := int64(-1) // start of the pending run read straight from the file
	fetch := int64(-1)  // start of the pending run of admitted blocks (runs only)
	// flush reads the pending run, which ends at pos; on failure it
	// returns where the run started.
	flush := func(pos int64) (int64, error) {
		var err error
		from := max(direct, fetch)
		if direct >= 0 {
			err = readFullAt(r.sf.f, p[direct-off:pos-off], direct)
		} else if fetch >= 0 {
			err = r.fetchRun(runs, p, off, fetch, pos)
		}
		direct, fetch = -1, -1
		return from, err
	}
	for pos := off; pos < end; {
		index := pos / cacheBlockSize
		start := index * cacheBlockSize
		stop := min(start+cacheBlockSize, end)
		e, admit := c.block(r.sf, index)
		switch {
		case e == nil && !admit:
			if fetch >= 0 {
				if at, err := flush(pos); err != nil {
					return int(at - off), err
				}
			}
			if direct < 0 {
				direct = pos
			}
		case e == nil && runs != nil:
			if direct >= 0 || fetch >= 0 && (pos-fetch)/cacheBlockSize >= maxBlockRun {
				if at, err := flush(pos); err != nil {
					return int(at - off), err
				}
			}
			if fetch < 0 {
				fetch = pos
			}
		default:
			if at, err := flush(pos); err != nil {
				if e != nil {
					c.unpinBlock(e)
				}
				return int(at - off), err
			}
			if e == nil {
				var err error
				if e, err = c.fetchBlock(r.sf, index); err != nil {
					return int(pos - off), err
				}
			} else {
				r.counts.cachedBytes(int(stop - pos))
			}
			copy(p[pos-off:stop-off], e.data[pos-start:])
			c.unpinBlock(e)
		}
		pos = stop
	}
	if at, err := flush(end); err != nil {
		return int(at - off), err
	}
	return int(end - off), tailErr
}

// maxBlockRun bounds the blocks one request fetches (4 MiB).
const maxBlockRun = 64

// blockRunReader is a file whose consecutive blocks are best read by one
// request: an object of a remote bucket (remoteObject).
type blockRunReader interface {
	// readRun fills bufs, in order, from the bytes at off on.
	readRun(off int64, bufs [][]byte) error
}

// fetchRun reads the admitted blocks of [from, to), a run of p's range
// [off, off+len(p)), by one request, caches them, and copies them to p.
func (r *cachedFileReader) fetchRun(runs blockRunReader, p []byte, off, from, to int64) error {
	c := r.sf.cache
	first, last := from/cacheBlockSize, (to-1)/cacheBlockSize
	bufs := make([][]byte, last-first+1)
	for i := range bufs {
		start := (first + int64(i)) * cacheBlockSize
		bufs[i] = c.blockBuffer()[:min(cacheBlockSize, r.sf.size-start)]
	}
	if err := runs.readRun(first*cacheBlockSize, bufs); err != nil {
		c.mu.Lock()
		for _, b := range bufs {
			c.recycle(b)
		}
		c.mu.Unlock()
		return err
	}
	for i, data := range bufs {
		index := first + int64(i)
		start := index * cacheBlockSize
		lo, hi := max(start, from), min(start+cacheBlockSize, to)
		e := c.cacheBlock(r.sf, index, data)
		copy(p[lo-off:hi-off], e.data[lo-start:])
		c.unpinBlock(e)
	}
	return nil
}

// readFullAt fills p from f at off; a short read is an error.
func readFullAt(f io.ReaderAt, p []byte, off int64) error {
	n, err := f.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// blockHash is the sketch key of block index of the file with key h.
func blockHash(h uint64, index int64) uint64 {
	h ^= uint64(index+1) * 0xff51afd7ed558ccd
	h ^= h >> 33
	return h * 0xc4ceb9fe1a85ec53
}

// block returns block index of sf pinned when it is cached; otherwise
// admit tells whether to read it into the cache (fetchBlock). Every call
// counts a use of the block.
func (c *segmentFiles) block(sf *segmentFile, index int64) (e *cacheEntry, admit bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := blockHash(sf.hash, index)
	if p := c.paths[sf.path.name]; p != nil {
		if e := p.blocks[index]; e != nil {
			e.refs++
			c.use(e, &c.blocks)
			return e, false
		}
	}
	c.sketch.add(h)
	if sf.forgotten || c.budget < cacheBlockSize {
		return nil, false
	}
	if c.used+cacheBlockSize <= c.budget {
		return nil, true
	}
	v := c.victim()
	return nil, v != nil && c.sketch.estimate(h) > c.sketch.estimate(v.hash)
}

// fetchBlock reads block index of sf from the file and caches it,
// returning it pinned.
func (c *segmentFiles) fetchBlock(sf *segmentFile, index int64) (*cacheEntry, error) {
	start := index * cacheBlockSize
	n := min(cacheBlockSize, sf.size-start)
	data := c.blockBuffer()[:n]
	if err := readFullAt(sf.f, data, start); err != nil {
		c.mu.Lock()
		c.recycle(data)
		c.mu.Unlock()
		return nil, err
	}
	return c.cacheBlock(sf, index, data), nil
}

// cacheBlock caches data, just read, as block index of sf, and returns
// the block pinned (the one another reader cached meanwhile, if any,
// data going back to the arena).
func (c *segmentFiles) cacheBlock(sf *segmentFile, index int64, data []byte) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sf.forgotten {
		// The segment is being deleted: serve this read, cache nothing.
		return &cacheEntry{refs: 1, evicted: true, data: data}
	}
	p := c.pathOf(sf.path.name)
	if e := p.blocks[index]; e != nil {
		// Another reader cached it meanwhile.
		e.refs++
		c.use(e, &c.blocks)
		c.recycle(data)
		return e
	}
	e := &cacheEntry{hash: blockHash(sf.hash, index), charge: cacheBlockSize, refs: 1, path: p, index: index, data: data}
	p.blocks[index] = e
	c.used += e.charge
	c.blocks.moveToFront(e)
	c.trim()
	return e
}

// unpinBlock ends a reader's copy from e.
func (c *segmentFiles) unpinBlock(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unpin(e)
}

// blockBuffer returns a buffer of cacheBlockSize bytes from the cache's
// arena (cache_arena.go), reusing an evicted block's.
func (c *segmentFiles) blockBuffer() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.arena.get()
}

// recycle gives b, a block buffer no entry holds, back to the arena.
// Called with c.mu held.
func (c *segmentFiles) recycle(b []byte) {
	c.arena.put(b)
}

// releaseArena unmaps the block buffers once the store is closed and no
// block is in use.
func (c *segmentFiles) releaseArena() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.arena.release()
}
