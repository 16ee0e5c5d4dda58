package storage

import (
	"io"
)

// cachedFileReader reads an open segment's bytes through the cache's
// blocks (see cache.go): cached blocks are copied from memory, admitted
// ones are read whole from the file and cached, and runs of the others
// are read straight from the file into the caller's buffer, one read per
// run. The segment must stay pinned while it is used.
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
	direct := int64(-1) // start of the pending run read straight from the file
	for pos := off; pos < end; {
		index := pos / cacheBlockSize
		start := index * cacheBlockSize
		stop := min(start+cacheBlockSize, end)
		e, admit := c.block(r.sf, index)
		if e == nil && !admit {
			if direct < 0 {
				direct = pos
			}
			pos = stop
			continue
		}
		if direct >= 0 {
			if err := readFullAt(r.sf.f, p[direct-off:pos-off], direct); err != nil {
				if e != nil {
					c.unpinBlock(e)
				}
				return int(direct - off), err
			}
			direct = -1
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
		pos = stop
	}
	if direct >= 0 {
		if err := readFullAt(r.sf.f, p[direct-off:end-off], direct); err != nil {
			return int(direct - off), err
		}
	}
	return int(end - off), tailErr
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if sf.forgotten {
		// The segment is being deleted: serve this read, cache nothing.
		return &cacheEntry{refs: 1, evicted: true, data: data}, nil
	}
	p := c.pathOf(sf.path.name)
	if e := p.blocks[index]; e != nil {
		// Another reader cached it meanwhile.
		e.refs++
		c.use(e, &c.blocks)
		c.recycle(data)
		return e, nil
	}
	e := &cacheEntry{hash: blockHash(sf.hash, index), charge: cacheBlockSize, refs: 1, path: p, index: index, data: data}
	p.blocks[index] = e
	c.used += e.charge
	c.blocks.moveToFront(e)
	c.trim()
	return e, nil
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
