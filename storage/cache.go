package storage

import (
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/parquet-go/parquet-go"
)

// The store's cache (segmentFiles) holds, within one byte budget
// (Options.CacheSize), the segments it keeps open, each with its parsed
// footer and page index and charged by their estimated size, and blocks
// of cacheBlockSize bytes of segment files (the compressed pages scans
// read), charged by their size. At most Options.MaxOpenFiles segments
// stay open. It also holds decoded pages for point lookups
// (cache_pages.go).
//
// Eviction takes the least recently used entry that nothing pins, blocks
// before decoded pages before files (each kind has its LRU list): a
// segment's footer and page index serve every query of its table. A scan pins the segment it reads (acquire/release) and a reader
// pins a block while it copies from it, so an evicted file is closed,
// and an evicted block's buffer reused, only when its last user lets go.
// While everything is pinned the cache may exceed its limits; the next
// release brings it back under them.
//
// A block read that misses is admitted only if the block was used more
// often lately than the entry it would evict (frequencySketch), or if
// there is room; otherwise the bytes go straight from the file to the
// reader. So a scan of a table larger than the cache neither thrashes it
// nor pays more than a lookup per block, and what queries read again and
// again stays. Segment files are immutable and never rewritten under one
// name, so a cached block is never stale; the files of collected
// segments and dropped schemas are forgotten (forget), and their blocks
// with them.
//
// Files are opened outside the cache's mutex: the first user of a path
// opens it while later ones wait for that open, so one slow open never
// holds up readers of other files.

// cacheBlockSize is the unit of cached file bytes. Blocks are aligned to
// it in the file, so a read of a few pages costs at most one block more
// than it asks for, and only when the block is admitted.
const cacheBlockSize = 64 << 10

// DefaultCacheSize is the cache's byte budget when Options.CacheSize is 0.
const DefaultCacheSize = 512 << 20

// Bounds of the default open-file cap, a quarter of the process's
// RLIMIT_NOFILE (connections, SQLite and spill files need the rest).
const (
	minDefaultOpenFiles = 64
	maxDefaultOpenFiles = 8192
)

// cacheEntry is a cached segment file or block, in its LRU list.
type cacheEntry struct {
	prev, next *cacheEntry
	hash       uint64 // its key in the frequency sketch
	charge     int64  // bytes counted against the budget
	refs       int32  // pins: scans reading a file, readers copying a block
	evicted    bool   // out of the cache: closed or reused once refs is 0

	file  *segmentFile // a file entry's file; nil for a block or a page
	path  *cachedPath  // the entry's path
	index int64        // a block's number in its file
	data  []byte       // a block's bytes
	page  *decodedPage // a decoded page's values (cache_pages.go)
	pkey  pageKey      // a decoded page's place in its file
}

// cachedPath is what the cache holds of one segment path.
type cachedPath struct {
	name   string
	file   *segmentFile            // open (or opening) file; nil when closed
	blocks map[int64]*cacheEntry   // cached blocks by number
	pages  map[pageKey]*cacheEntry // cached decoded pages (cache_pages.go)
}

// segmentFile is an open Parquet segment. Segments are immutable, so one
// open file serves every scan of every snapshot concurrently. Callers
// that got it from the cache release it when done.
type segmentFile struct {
	cacheEntry
	cache  *segmentFiles
	loaded chan struct{} // closed once the open finished; then err or the fields below are set
	// done is set just before loaded is closed: its users check it
	// first, since a receive from a closed channel still takes the
	// channel's lock, which every session reading the file would share.
	done atomic.Bool
	err  error

	f      objectFile
	pf     *parquet.File
	size   int64
	leaves map[string]int // column name → leaf column index
	// groupStarts is the position in the file of each row group's first
	// row.
	groupStarts []int64

	// forgotten: the segment was collected or its schema dropped; its
	// blocks are no longer cached.
	forgotten bool
}

// segmentFiles is the store's cache of open segments and file blocks.
// The zero value works, with the default limits.
type segmentFiles struct {
	// objects is where the files are read from (set by configure).
	objects   *objectStore
	mu        sync.Mutex
	ready     bool
	budget    int64
	maxFiles  int
	used      int64 // charges of the cached entries
	openFiles int   // cached files, opening ones included
	paths     map[string]*cachedPath
	files     lruList
	blocks    lruList
	pages     lruList // decoded pages (cache_pages.go)
	pagesUsed int64   // their charges, part of used
	sketch    frequencySketch
	seed      maphash.Seed
	arena     blockArena // the blocks' buffers, off the Go heap
}

// configure sets the byte budget and the open-file cap (zero values take
// the defaults; a negative size caches no block). It is called before
// the cache is first used.
func (c *segmentFiles) configure(objects *objectStore, size int64, maxFiles int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.objects = objects
	c.setup(size, maxFiles)
}

func (c *segmentFiles) setup(size int64, maxFiles int) {
	switch {
	case size == 0:
		size = DefaultCacheSize
	case size < 0:
		size = 0
	}
	if maxFiles <= 0 {
		maxFiles = defaultMaxOpenFiles()
	}
	c.budget, c.maxFiles = size, maxFiles
	c.paths = map[string]*cachedPath{}
	c.seed = maphash.MakeSeed()
	c.sketch.init(int(size/cacheBlockSize) + maxFiles)
	c.ready = true
}

// defaultMaxOpenFiles is a quarter of the process's open-file limit,
// within [minDefaultOpenFiles, maxDefaultOpenFiles].
func defaultMaxOpenFiles() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return minDefaultOpenFiles
	}
	return int(min(max(lim.Cur/4, minDefaultOpenFiles), maxDefaultOpenFiles))
}

// open returns the segment at path, pinned: the caller releases it.
func (c *segmentFiles) open(path string) (*segmentFile, error) {
	return c.openCounting(path, nil)
}

// openCounting is open counting a cache hit or a file opened into counts.
func (c *segmentFiles) openCounting(path string, counts *ScanCounts) (*segmentFile, error) {
	c.mu.Lock()
	if !c.ready {
		c.setup(0, 0)
	}
	p := c.pathOf(path)
	if sf := p.file; sf != nil {
		sf.refs++
		c.use(&sf.cacheEntry, &c.files)
		c.mu.Unlock()
		if !sf.done.Load() {
			<-sf.loaded
		}
		if sf.err != nil {
			err := sf.err
			sf.release()
			return nil, err
		}
		counts.fileOpen(true)
		return sf, nil
	}
	sf := &segmentFile{cache: c, loaded: make(chan struct{})}
	sf.file, sf.path, sf.refs, sf.hash = sf, p, 1, maphash.String(c.seed, path)
	p.file = sf
	c.openFiles++
	c.use(&sf.cacheEntry, &c.files)
	c.mu.Unlock()

	counts.fileOpen(false)
	err := sf.load(path)
	var charge int64
	if err == nil {
		charge = sf.estimatedSize()
	}

	c.mu.Lock()
	sf.err = err
	if !sf.evicted {
		if err != nil {
			c.dropFile(sf)
		} else {
			sf.charge = charge
			c.used += charge
			c.trim()
		}
	}
	sf.done.Store(true)
	close(sf.loaded)
	c.mu.Unlock()
	if err != nil {
		sf.release()
		return nil, err
	}
	return sf, nil
}

// load opens the segment object key and reads its footer and page index.
func (sf *segmentFile) load(key string) error {
	f, size, err := sf.cache.objects.open(key)
	if err != nil {
		return err
	}
	// The parquet.File reads through the cache's blocks too: its footer
	// once, but its bloom filters at every probe, a few bytes at a time,
	// which a point lookup would otherwise pay a pread for.
	sf.f, sf.size = f, size
	pf, err := parquet.OpenFile(&cachedFileReader{sf: sf}, size, parquet.SkipBloomFilters(true), parquet.ReadBufferSize(1<<20))
	if err != nil {
		f.Close()
		sf.f = nil
		return fmt.Errorf("segment %s: %w", key, err)
	}
	sf.pf = pf
	var n int64
	for _, rg := range pf.RowGroups() {
		sf.groupStarts = append(sf.groupStarts, n)
		n += rg.NumRows()
	}
	sf.leaves = map[string]int{}
	for i, path := range pf.Schema().Columns() {
		if len(path) == 1 || len(path) == 3 && path[1] == listLeafPath[0] && path[2] == listLeafPath[1] {
			sf.leaves[path[0]] = i
		}
	}
	return nil
}

// estimatedSize is what an open segment holds in memory: its parsed
// footer (column chunk metadata with statistics), its parsed page index
// and the cache's bookkeeping. Parsed Thrift structures take a few times
// their encoded size.
func (sf *segmentFile) estimatedSize() int64 {
	const perChunk, perFile, parsedFactor = 512, 4096, 3
	var n int64 = perFile
	for _, rg := range sf.pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			n += perChunk + parsedFactor*int64(cc.ColumnIndexLength+cc.OffsetIndexLength)
			n += parsedFactor * int64(len(cc.MetaData.Statistics.MinValue)+len(cc.MetaData.Statistics.MaxValue))
		}
	}
	return n
}

// release unpins sf; the last release of an evicted file closes it.
func (sf *segmentFile) release() {
	c := sf.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unpin(&sf.cacheEntry)
}

// unpin drops a pin of e and frees it if it was evicted meanwhile, or
// makes room if the cache went over its limits while everything was
// pinned.
func (c *segmentFiles) unpin(e *cacheEntry) {
	e.refs--
	if e.refs > 0 {
		return
	}
	if e.evicted {
		c.free(e)
		return
	}
	c.trim()
}

// free closes an evicted file, drops an evicted page's reference to its
// values or keeps an evicted block's buffer for reuse; e has no pins
// left.
func (c *segmentFiles) free(e *cacheEntry) {
	if sf := e.file; sf != nil {
		if sf.f != nil {
			sf.f.Close()
		}
		return
	}
	if e.page != nil {
		e.page.release()
		e.page = nil
		return
	}
	c.recycle(e.data)
	e.data = nil
}

// pathOf returns the cache's record of path, creating it.
func (c *segmentFiles) pathOf(path string) *cachedPath {
	p := c.paths[path]
	if p == nil {
		p = &cachedPath{name: path, blocks: map[int64]*cacheEntry{}, pages: map[pageKey]*cacheEntry{}}
		c.paths[path] = p
	}
	return p
}

// livePath is the cached path of sf's file, or nil; mu is held. While
// sf is the path's open file the path stays cached (dropPathIfEmpty),
// so sf's own is it, found without hashing the name; a file closed
// since may have left its path, and a later open made another.
func (c *segmentFiles) livePath(sf *segmentFile) *cachedPath {
	if p := sf.path; p.file == sf {
		return p
	}
	return c.paths[sf.path.name]
}

// use marks e as just used, at the head of its list l.
func (c *segmentFiles) use(e *cacheEntry, l *lruList) {
	c.sketch.add(e.hash)
	l.moveToFront(e)
}

// trim evicts unpinned entries, least recently used first, until the
// cache is within its open-file cap and its budget (or only pinned
// entries are left).
func (c *segmentFiles) trim() {
	for c.openFiles > c.maxFiles {
		v := c.files.oldestUnpinned()
		if v == nil {
			break
		}
		c.dropFile(v.file)
	}
	for c.pagesUsed > c.budget/pageBudgetShare {
		v := c.pages.oldestUnpinned()
		if v == nil {
			break
		}
		c.dropPage(v)
	}
	for c.used > c.budget {
		v := c.victim()
		if v == nil {
			break
		}
		c.drop(v)
	}
}

// victim is the entry the budget evicts next: the least recently used
// unpinned block, else decoded page, else file. Files go last: an open
// segment's footer and page index serve every query of its table, a
// block or page only those reading its rows, and reopening a segment
// costs more than rereading a block. A page saves a decompression and a
// decoding, a block only a read.
func (c *segmentFiles) victim() *cacheEntry {
	if b := c.blocks.oldestUnpinned(); b != nil {
		return b
	}
	if p := c.pages.oldestUnpinned(); p != nil {
		return p
	}
	return c.files.oldestUnpinned()
}

// drop evicts e.
func (c *segmentFiles) drop(e *cacheEntry) {
	switch {
	case e.file != nil:
		c.dropFile(e.file)
	case e.page != nil:
		c.dropPage(e)
	default:
		c.dropBlock(e)
	}
}

// dropFile evicts the file entry sf: it is closed now, or by its last
// release.
func (c *segmentFiles) dropFile(sf *segmentFile) {
	if sf.evicted {
		return
	}
	sf.evicted = true
	c.files.remove(&sf.cacheEntry)
	c.openFiles--
	c.used -= sf.charge
	if p := sf.path; p.file == sf {
		p.file = nil
		c.dropPathIfEmpty(p)
	}
	if sf.refs == 0 {
		c.free(&sf.cacheEntry)
	}
}

// dropBlock evicts the block e: its buffer is reused now, or after its
// last reader's copy.
func (c *segmentFiles) dropBlock(e *cacheEntry) {
	if e.evicted {
		return
	}
	e.evicted = true
	c.blocks.remove(e)
	c.used -= e.charge
	p := e.path
	delete(p.blocks, e.index)
	c.dropPathIfEmpty(p)
	if e.refs == 0 {
		c.free(e)
	}
}

// dropPathIfEmpty forgets the cache's record of p once it holds no open
// file, block or page.
func (c *segmentFiles) dropPathIfEmpty(p *cachedPath) {
	if p.file == nil && len(p.blocks) == 0 && len(p.pages) == 0 && c.paths[p.name] == p {
		delete(c.paths, p.name)
	}
}

// forget evicts the files whose path satisfies drop, with their blocks,
// and caches no block of them again: their segments are being deleted.
// A file a scan still reads is closed when the scan releases it.
func (c *segmentFiles) forget(drop func(path string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, p := range c.paths {
		if !drop(name) {
			continue
		}
		if sf := p.file; sf != nil {
			sf.forgotten = true
			c.dropFile(sf)
		}
		for _, e := range p.blocks {
			c.dropBlock(e)
		}
		for _, e := range p.pages {
			c.dropPage(e)
		}
		delete(c.paths, name)
	}
}

// cacheUsage is what the cache holds, for tests.
type cacheUsage struct {
	bytes       int64 // charges of cached entries
	files       int   // cached files
	blocks      int   // cached blocks
	pages       int   // cached decoded pages
	pageBytes   int64 // their charges
	pinnedFiles int   // cached files in use
}

func (c *segmentFiles) usage() cacheUsage {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := cacheUsage{bytes: c.used, files: c.openFiles, pageBytes: c.pagesUsed}
	for _, p := range c.paths {
		u.blocks += len(p.blocks)
		u.pages += len(p.pages)
	}
	for e := c.files.head.next; e != nil && e != &c.files.head; e = e.next {
		if e.refs > 0 {
			u.pinnedFiles++
		}
	}
	return u
}

// lruList is a doubly linked list of cache entries, most recently used
// first. The zero value is empty.
type lruList struct {
	head cacheEntry // sentinel: head.next is the newest, head.prev the oldest
}

func (l *lruList) lazyInit() {
	if l.head.next == nil {
		l.head.next, l.head.prev = &l.head, &l.head
	}
}

// moveToFront puts e at the head of l, inserting it if it is in no list.
func (l *lruList) moveToFront(e *cacheEntry) {
	l.lazyInit()
	if e.next != nil {
		e.prev.next, e.next.prev = e.next, e.prev
	}
	e.prev, e.next = &l.head, l.head.next
	l.head.next.prev = e
	l.head.next = e
}

// remove takes e out of l.
func (l *lruList) remove(e *cacheEntry) {
	if e.next == nil {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// oldestUnpinned is the least recently used entry of l without pins.
func (l *lruList) oldestUnpinned() *cacheEntry {
	l.lazyInit()
	for e := l.head.prev; e != &l.head; e = e.prev {
		if e.refs == 0 {
			return e
		}
	}
	return nil
}
