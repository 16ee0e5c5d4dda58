package storage

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Besides files and compressed blocks, the cache (cache.go) holds
// decoded pages: one data page of one column chunk of a segment,
// decompressed and decoded into an Arrow array, charged by the size of
// its buffers. Only reads of a few pages use them (page_cache.go): a
// point lookup then finds its key page and the pages of the columns it
// returns decoded, and costs a binary search and a copy of one row per
// column instead of decompressing and decoding about 128 KiB per column.
// Scans of whole row groups never look them up nor offer them, so a
// scan neither pays for them nor flushes them.
//
// Decoded pages have an LRU list of their own and the blocks' admission
// rule: a page is admitted when there is room or when it was used more
// often lately than the entry it would evict. Unlike blocks they live on
// the Go heap (decoded column buffers, buffer_pool.go), where the
// collector's headroom can double what they hold, so they may take only
// a pageBudgetShare-th of the budget. A reader takes a page by retaining
// its array, under the cache's mutex; eviction releases the cache's
// reference, so an evicted page's buffers go back to the buffer pool
// once its last reader lets go. No pin is needed.

// pageBudgetShare: decoded pages take at most the budget over this.
const pageBudgetShare = 4

// pageKey names a page within a segment: page k (in the offset index) of
// column leaf of row group g.
type pageKey struct{ g, leaf, k int32 }

// decodedPage is a decoded data page.
type decodedPage struct {
	arr arrow.Array
	p   physical // the layout it was decoded from
	// ascending: the page holds no NULL and its values (integers or byte
	// strings) never decrease, so an equality is found by binary search.
	ascending bool
}

func (p *decodedPage) release() { p.arr.Release() }

// pageOverhead is what a cached page costs beyond its buffers: the
// entry, the array and the map slot.
const pageOverhead = 512

// charge is what p counts against the cache's budget.
func (p *decodedPage) charge() int64 {
	n := int64(pageOverhead)
	data := []arrow.ArrayData{p.arr.Data()}
	if c, ok := p.arr.(*array.Dictionary); ok { // a page in code form
		data = append(data, c.Dictionary().Data())
	}
	for _, d := range data {
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Cap())
			}
		}
	}
	return n
}

// pageHash is the sketch key of page k of the file with key h.
func pageHash(h uint64, k pageKey) uint64 {
	return blockHash(h^0x632be59bd9b4e019, int64(k.g)<<42^int64(k.leaf)<<21^int64(k.k))
}

// cachedPage returns page k of sf with its array retained for the
// caller, or nil when it is not cached. Every call counts a use of it.
func (c *segmentFiles) cachedPage(sf *segmentFile, k pageKey) *decodedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.livePath(sf); p != nil {
		if e := p.pages[k]; e != nil {
			e.page.arr.Retain()
			c.use(e, &c.pages)
			return e.page
		}
	}
	c.sketch.add(pageHash(sf.hash, k))
	return nil
}

// hasPage reports whether page k of sf is cached, counting no use.
func (c *segmentFiles) hasPage(sf *segmentFile, k pageKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.livePath(sf)
	return p != nil && p.pages[k] != nil
}

// offerPage caches pg, page k of sf that the caller decoded, if the
// admission rule lets it in; the cache then holds a reference of its
// own. It reports whether the page was cached.
func (c *segmentFiles) offerPage(sf *segmentFile, k pageKey, pg *decodedPage) bool {
	charge := pg.charge()
	c.mu.Lock()
	defer c.mu.Unlock()
	if sf.forgotten || c.budget/pageBudgetShare < charge {
		return false
	}
	p := c.pathOf(sf.path.name)
	if p.pages[k] != nil {
		return false // another reader cached it meanwhile
	}
	// Over a limit, the page must have been used more often lately than
	// what it would evict.
	h := pageHash(sf.hash, k)
	over, v := true, (*cacheEntry)(nil)
	switch {
	case c.pagesUsed+charge > c.budget/pageBudgetShare:
		v = c.pages.oldestUnpinned()
	case c.used+charge > c.budget:
		v = c.victim()
	default:
		over = false
	}
	if over && (v == nil || c.sketch.estimate(h) <= c.sketch.estimate(v.hash)) {
		c.dropPathIfEmpty(p)
		return false
	}
	pg.arr.Retain()
	e := &cacheEntry{hash: h, charge: charge, path: p, page: pg, pkey: k}
	p.pages[k] = e
	c.used += charge
	c.pagesUsed += charge
	c.pages.moveToFront(e)
	c.trim()
	return true
}

// dropPage evicts the decoded page e: the cache's reference to its
// values is released now (readers hold their own).
func (c *segmentFiles) dropPage(e *cacheEntry) {
	if e.evicted {
		return
	}
	e.evicted = true
	c.pages.remove(e)
	c.used -= e.charge
	c.pagesUsed -= e.charge
	delete(e.path.pages, e.pkey)
	c.dropPathIfEmpty(e.path)
	c.free(e)
}
