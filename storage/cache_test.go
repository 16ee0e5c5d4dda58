package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// cacheTestFile is a cache over a file of n random bytes, and a
// segmentFile reading it, pinned, made by hand (the bytes are no
// Parquet).
func cacheTestFile(t *testing.T, size int64, n int) (*segmentFiles, *segmentFile, []byte) {
	t.Helper()
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	path := filepath.Join(t.TempDir(), "blocks")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := new(segmentFiles)
	c.configure(nil, size, 4)
	sf := &segmentFile{cache: c, f: f, size: int64(n), loaded: make(chan struct{})}
	close(sf.loaded)
	c.mu.Lock()
	p := c.pathOf(path)
	sf.file, sf.path, sf.refs, sf.hash = sf, p, 1, 42
	p.file = sf
	c.openFiles++
	c.use(&sf.cacheEntry, &c.files)
	c.mu.Unlock()
	t.Cleanup(func() { sf.release(); c.forget(func(string) bool { return true }) })
	return c, sf, data
}

// runFile is a file read as an object store's are: runs of blocks by one
// request each (blockRunReader), counted.
type runFile struct {
	objectFile
	requests atomic.Int64
}

func (f *runFile) ReadAt(p []byte, off int64) (int, error) {
	f.requests.Add(1)
	return f.objectFile.ReadAt(p, off)
}

func (f *runFile) readRun(off int64, bufs [][]byte) error {
	f.requests.Add(1)
	for _, b := range bufs {
		if err := readFullAt(f.objectFile, b, off); err != nil {
			return err
		}
		off += int64(len(b))
	}
	return nil
}

// TestCacheReaderReadsFileBytes: reads through the cache's blocks return
// the file's bytes at any offset and length, io.EOF past the end, with a
// budget of no block, of a few blocks and of the whole file, from a
// local file and from one read in runs of blocks; the budget holds, and
// a whole-file budget serves a second pass from memory.
func TestCacheReaderReadsFileBytes(t *testing.T) {
	for _, runs := range []bool{false, true} {
		t.Run(fmt.Sprint("runs=", runs), func(t *testing.T) { testCacheReaderReadsFileBytes(t, runs) })
	}
}

func testCacheReaderReadsFileBytes(t *testing.T, runs bool) {
	n := 10*cacheBlockSize + 12345
	for _, size := range []int64{-1, 3 * cacheBlockSize, 32 * cacheBlockSize} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			c, sf, data := cacheTestFile(t, size, n)
			if runs {
				sf.f = &runFile{objectFile: sf.f}
			}
			rng := rand.New(rand.NewPCG(5, 6))
			for pass := range 2 {
				counts := new(ScanCounts)
				r := sf.reader(counts)
				for i := range 300 {
					off := rng.Int64N(int64(n) + 10)
					length := rng.IntN(3 * cacheBlockSize)
					if i%5 == 0 {
						off = int64(rng.IntN(11)) * cacheBlockSize // aligned
					}
					buf := make([]byte, length)
					got, err := r.ReadAt(buf, off)
					want := max(0, min(int64(length), int64(n)-off))
					if int64(got) != want {
						t.Fatalf("ReadAt(%d bytes at %d) = %d bytes, want %d (err %v)", length, off, got, want, err)
					}
					if want < int64(length) && !errors.Is(err, io.EOF) || want == int64(length) && err != nil {
						t.Fatalf("ReadAt(%d bytes at %d): err %v", length, off, err)
					}
					if want > 0 && !bytes.Equal(buf[:got], data[off:off+want]) {
						t.Fatalf("ReadAt(%d bytes at %d) returned other bytes", length, off)
					}
				}
				u := c.usage()
				if u.bytes > max(size, 0) {
					t.Fatalf("pass %d: the cache holds %d bytes over a budget of %d", pass, u.bytes, size)
				}
				switch {
				case size < 0 && (u.blocks != 0 || counts.BytesCached.Load() != 0):
					t.Fatalf("no budget, yet %d blocks cached, %d bytes served", u.blocks, counts.BytesCached.Load())
				case size > int64(n) && pass == 1 && u.blocks != 11:
					t.Fatalf("a budget above the file's size cached %d blocks of 11", u.blocks)
				case size > int64(n) && pass == 1 && counts.BytesCached.Load() == 0:
					t.Fatal("the second pass read nothing from the cache")
				}
			}
		})
	}
}

// TestCacheFetchesRunsOfBlocks: a read of uncached blocks of an object
// store's file is one request per run of up to maxBlockRun blocks, also
// around the blocks already cached, and caches them all.
func TestCacheFetchesRunsOfBlocks(t *testing.T) {
	blocks := 2*maxBlockRun + 10
	n := blocks*cacheBlockSize - 100
	c, sf, data := cacheTestFile(t, int64(4*blocks*cacheBlockSize), n)
	f := &runFile{objectFile: sf.f}
	sf.f = f
	r := sf.reader(new(ScanCounts))
	buf := make([]byte, 3*cacheBlockSize)
	if _, err := r.ReadAt(buf, 20*cacheBlockSize+7); err != nil { // blocks 20..23
		t.Fatal(err)
	}
	if got := f.requests.Load(); got != 1 {
		t.Fatalf("a read of 4 blocks took %d requests", got)
	}
	whole := make([]byte, n)
	if _, err := r.ReadAt(whole, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole, data) {
		t.Fatal("the whole-file read returned other bytes")
	}
	// Blocks 0..19 are one run, 24..(24+maxBlockRun-1) another, then the
	// rest (blocks-24-maxBlockRun of them) a third.
	if got := f.requests.Load() - 1; got != 3 {
		t.Fatalf("a whole-file read around 4 cached blocks took %d requests, want 3", got)
	}
	if u := c.usage(); u.blocks != blocks {
		t.Fatalf("%d blocks cached of %d", u.blocks, blocks)
	}
}

// TestCacheAdmitsFrequentBlocks: once the cache is full, a block read
// once does not displace blocks read again and again.
func TestCacheAdmitsFrequentBlocks(t *testing.T) {
	c, sf, _ := cacheTestFile(t, 2*cacheBlockSize, 8*cacheBlockSize)
	buf := make([]byte, 10)
	r := sf.reader(nil)
	hot := func() {
		for _, b := range []int64{0, 1} {
			if _, err := r.ReadAt(buf, b*cacheBlockSize); err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 5 {
		hot()
	}
	for b := int64(2); b < 8; b++ { // one pass over the rest
		if _, err := r.ReadAt(buf, b*cacheBlockSize); err != nil {
			t.Fatal(err)
		}
	}
	counts := new(ScanCounts)
	for _, b := range []int64{0, 1} {
		if _, err := sf.reader(counts).ReadAt(buf, b*cacheBlockSize); err != nil {
			t.Fatal(err)
		}
	}
	if got := counts.BytesCached.Load(); got != int64(2*len(buf)) {
		t.Fatalf("hot blocks served %d bytes from the cache, want %d", got, 2*len(buf))
	}
	if u := c.usage(); u.bytes > 2*cacheBlockSize {
		t.Fatalf("cache holds %d bytes", u.bytes)
	}
}

// cacheTestStore is a store whose table "kv" has segs segments of rows
// rows each (keys 0..segs*rows-1), compaction off, row groups of 50
// rows unless opts says otherwise.
func cacheTestStore(t *testing.T, dir string, opts Options, segs, rows int) (*Store, *catalog.Table) {
	t.Helper()
	opts.Compaction.Disabled = true
	if opts.RowGroupRows == 0 {
		opts.RowGroupRows = 50
	}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	if s.Snapshot().Table("public", "kv") == nil {
		mustCreate(t, s, tbl)
		for g := range segs {
			keys, vals := make([]int64, rows), make([]string, rows)
			for i := range keys {
				keys[i] = int64(g*rows + i)
				vals[i] = fmt.Sprintf("%016x%016x", rand.Uint64(), uint64(keys[i])*0x9e3779b97f4a7c15) // barely compressible
			}
			mustInsert(t, s, tbl, kvRecord(keys, vals))
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s, s.Snapshot().Table("public", "kv")
}

// TestCacheOpenFileCap: a scan over more segments than MaxOpenFiles
// returns every row, and leaves at most MaxOpenFiles segments open and
// none pinned; a segment found open counts as a cache hit, one opened
// again after eviction as an open.
func TestCacheOpenFileCap(t *testing.T) {
	dir := t.TempDir()
	s, tbl := cacheTestStore(t, dir, Options{MaxOpenFiles: 3}, 10, 120)
	defer s.Close()
	if segs := len(s.Snapshot().tableState(tbl).manifest.Segments); segs != 10 {
		t.Fatalf("%d segments, want 10", segs)
	}
	s.files.forget(func(string) bool { return true })
	for pass := range 3 {
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		if len(rows) != 1200 {
			t.Fatalf("pass %d: %d rows, want 1200", pass, len(rows))
		}
		_, counts := scanIDs(t, s, tbl, nil, 0)
		if opened, hits := counts.FileOpens.Load(), counts.FileCacheHits.Load(); opened+hits != 10 || opened < 7 {
			t.Fatalf("pass %d: %d segments opened, %d found open; want >= 7 and 10 in all", pass, opened, hits)
		}
		if u := s.files.usage(); u.files > 3 || u.pinnedFiles != 0 {
			t.Fatalf("pass %d: %d files open (cap 3), %d pinned after the scans", pass, u.files, u.pinnedFiles)
		}
	}
	// With the default cap every segment stays open: the next scan opens none.
	s2, _ := cacheTestStore(t, t.TempDir(), Options{}, 10, 120)
	defer s2.Close()
	scanIDs(t, s2, tbl, nil, 0)
	if _, counts := scanIDs(t, s2, tbl, nil, 0); counts.FileOpens.Load() != 0 || counts.FileCacheHits.Load() != 10 {
		t.Fatalf("uncapped: %d opened, %d hits", counts.FileOpens.Load(), counts.FileCacheHits.Load())
	}
}

// TestCacheKeepsFilesOverBlocks: under a budget smaller than the data,
// blocks are evicted before open segments, so repeated scans reopen
// none, and some blocks still serve them.
func TestCacheKeepsFilesOverBlocks(t *testing.T) {
	budget := int64(4 * cacheBlockSize)
	s, tbl := cacheTestStore(t, t.TempDir(), Options{CacheSize: budget, RowGroupRows: 500}, 10, 3000)
	defer s.Close()
	var total int64
	for _, seg := range s.Snapshot().tableState(tbl).manifest.Segments {
		st, err := os.Stat(localFile(t, s, s.Snapshot().tableState(tbl), seg.File))
		if err != nil {
			t.Fatal(err)
		}
		total += st.Size()
	}
	if total < 2*budget {
		t.Fatalf("the table's %d bytes do not outgrow the budget of %d", total, budget)
	}
	for pass := range 4 {
		_, counts := scanIDs(t, s, tbl, nil, 0)
		if pass > 0 && (counts.FileOpens.Load() != 0 || counts.BytesCached.Load() == 0) {
			t.Fatalf("pass %d: %d segments reopened, %d bytes from the cache", pass, counts.FileOpens.Load(), counts.BytesCached.Load())
		}
		if u := s.files.usage(); u.bytes > budget || u.files != 10 {
			t.Fatalf("pass %d: %+v", pass, u)
		}
	}
}

// TestCachePinnedFileNotClosed: a segment a reader holds is not evicted
// by the open-file cap (the others are), and is closed once released and
// evicted; forgotten (collected) while held, it stays open and readable
// until released, and its blocks are not cached.
func TestCachePinnedFileNotClosed(t *testing.T) {
	s, tbl := cacheTestStore(t, t.TempDir(), Options{MaxOpenFiles: 1}, 3, 120)
	defer s.Close()
	ts := s.Snapshot().tableState(tbl)
	path := func(i int) string { return tableFile(ts.prefix, ts.manifest.Segments[i].File) }
	s.files.forget(func(string) bool { return true })
	held, err := s.files.open(path(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2} {
		sf, err := s.files.open(path(i))
		if err != nil {
			t.Fatal(err)
		}
		sf.release()
	}
	if held.evicted {
		t.Fatal("a segment in use was evicted")
	}
	if u := s.files.usage(); u.files != 1 || u.pinnedFiles != 1 {
		t.Fatalf("with one segment held and a cap of one: %+v", u)
	}
	buf := make([]byte, 4)
	if _, err := held.reader(nil).ReadAt(buf, 0); err != nil || string(buf) != "PAR1" {
		t.Fatalf("reading the held segment: %q, %v", buf, err)
	}
	held.release()
	// Released, it is the least recently used: the next open evicts and
	// closes it.
	sf, err := s.files.open(path(1))
	if err != nil {
		t.Fatal(err)
	}
	sf.release()
	if !held.evicted {
		t.Fatal("the released segment was not evicted past the cap of one")
	}
	if f, ok := held.f.(*os.File); !ok {
		t.Logf("the segment is a %T, whose Close is not observable", held.f)
	} else if _, err := f.ReadAt(buf, 0); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("evicted segment not closed: %v", err)
	}

	held, err = s.files.open(path(1))
	if err != nil {
		t.Fatal(err)
	}
	s.files.forget(func(p string) bool { return p == path(1) })
	counts := new(ScanCounts)
	big := make([]byte, held.size)
	for range 2 {
		if _, err := held.reader(counts).ReadAt(big, 0); err != nil {
			t.Fatalf("reading the forgotten but held segment: %v", err)
		}
	}
	if counts.BytesCached.Load() != 0 {
		t.Fatal("blocks of a forgotten segment were cached")
	}
	held.release()
	if f, ok := held.f.(*os.File); !ok {
		t.Logf("the segment is a %T, whose Close is not observable", held.f)
	} else if _, err := f.ReadAt(buf, 0); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("released forgotten segment not closed: %v", err)
	}
}

// TestCacheConcurrentScans: scans running at once over a cache smaller
// than the table and a cap below its segment count return what an
// uncapped store returns (run with -race), and leave nothing pinned and
// the cache within its limits.
func TestCacheConcurrentScans(t *testing.T) {
	dir := t.TempDir()
	ref, tbl := cacheTestStore(t, dir, Options{RowGroupRows: 500}, 12, 2000)
	want, _ := scanAll(t, ref.Snapshot(), tbl)
	if err := ref.Close(); err != nil {
		t.Fatal(err)
	}
	budget := int64(3 * cacheBlockSize)
	s, tbl := cacheTestStore(t, dir, Options{MaxOpenFiles: 4, CacheSize: budget, RowGroupRows: 500}, 12, 2000)
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				snap := s.Snapshot()
				var readers []RecordReader
				if (w+i)%2 == 0 {
					r, err := snap.Scan(tbl, []int{0, 1}, nil)
					if err != nil {
						errs <- err
						return
					}
					readers = []RecordReader{r}
				} else {
					var err error
					if readers, err = snap.ScanPartitions(tbl, []int{0, 1}, nil, 3); err != nil {
						errs <- err
						return
					}
				}
				got := map[string]string{}
				for _, r := range readers {
					for {
						rec, err := r.Next()
						if err != nil {
							errs <- err
							return
						}
						if rec == nil {
							break
						}
						for j := range int(rec.NumRows()) {
							k := rec.Column(0).ValueStr(j)
							got[k] = k + "|" + rec.Column(1).ValueStr(j)
						}
					}
					r.Close()
				}
				if len(got) != len(want) {
					errs <- fmt.Errorf("scan returned %d rows, want %d", len(got), len(want))
					return
				}
				for k, v := range want {
					if got[k] != v {
						errs <- fmt.Errorf("row %s: %q, want %q", k, got[k], v)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if u := s.files.usage(); u.files > 4 || u.pinnedFiles != 0 || u.bytes > budget {
		t.Fatalf("after the scans: %+v (cap 4 files, %d bytes)", u, budget)
	}
}

// TestCacheUnderCompactionAndCollection: transactions keep reading
// correct snapshots through a tiny cache (two open files, two blocks)
// while commits flush small segments, background compaction merges them
// and history collection deletes (and makes the cache forget) the files
// no snapshot needs; afterwards nothing is pinned. Every commit inserts
// ten rows and updates three, so a snapshot holds a multiple of ten rows,
// each key once, never fewer than an earlier snapshot.
func TestCacheUnderCompactionAndCollection(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{
		FlushRows: 30, RowGroupRows: 20, MaxOpenFiles: 2, CacheSize: 2 * cacheBlockSize,
		HistoryRetention: time.Nanosecond, Compaction: CompactionPolicy{MaxSmall: 2},
	})
	defer s.Close()
	mustCreate(t, s, kvTable("kv"))
	tbl := s.Snapshot().Table("public", "kv")
	done := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				tx := s.Begin()
				n, err := countKeys(tx.Snapshot(), tbl)
				tx.Rollback()
				if err == nil && (n%10 != 0 || n < last) {
					err = fmt.Errorf("a snapshot holds %d rows after one of %d", n, last)
				}
				if err != nil {
					errs <- err
					return
				}
				last = n
				time.Sleep(time.Millisecond)
			}
		}()
	}
	rng := rand.New(rand.NewPCG(8, 9))
	for c := range 60 {
		tx := s.Begin()
		if err := tx.Insert(tbl, kvRows(10, int64(c*10), "v")); err != nil {
			t.Fatal(err)
		}
		if c > 0 {
			_, ids := scanAll(t, tx.Snapshot(), tbl)
			for range 3 {
				k := rng.Int64N(int64(c * 10))
				if err := tx.Update(tbl, []int64{ids[strconv.FormatInt(k, 10)]}, kvRecord([]int64{k}, []string{fmt.Sprint("u", c)})); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if rows, _ := scanAll(t, s.Snapshot(), tbl); len(rows) != 600 {
		t.Fatalf("%d rows, want 600", len(rows))
	}
	if s.Stats().Compactions == 0 || s.stats.historyFilesRemoved.Load() == 0 {
		t.Errorf("%d compactions ran, %d files collected", s.Stats().Compactions, s.stats.historyFilesRemoved.Load())
	}
	// A flush written off the writer, and the compaction it starts, may
	// still be reading files: let them end first.
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	s.compactor.wg.Wait()
	if u := s.files.usage(); u.pinnedFiles != 0 || u.files > 2 {
		t.Fatalf("after the reads: %+v", u)
	}
}

// countKeys counts the rows of kv in snap, failing on a key seen twice.
func countKeys(snap *Snapshot, tbl *catalog.Table) (int, error) {
	r, err := snap.Scan(tbl, []int{0}, nil)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	seen := map[int64]bool{}
	for {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return len(seen), err
		}
		for _, k := range rec.Column(0).(*array.Int64).Int64Values() {
			if seen[k] {
				return 0, fmt.Errorf("key %d returned twice", k)
			}
			seen[k] = true
		}
	}
}
