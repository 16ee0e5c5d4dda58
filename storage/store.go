package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pqdb/pqdb/storage/bucket"
	"gocloud.dev/blob"

	"github.com/pqdb/pqdb/pgerr"
)

// Options tune a Store. Zero values choose the defaults.
type Options struct {
	// CountScans makes every table scan count what it reads, skips and
	// finds cached into the store's totals (Stats; the metrics ask for
	// it): atomic adds per page and file, shared by all scans, so they
	// are off unless wanted. A scan counting for EXPLAIN ANALYZE counts
	// there instead.
	CountScans bool
	// FlushRows: a table's unflushed tail is written to a Parquet segment
	// once it holds more than this many changed rows. Default 1<<20.
	FlushRows int
	// RowGroupRows is the number of rows per Parquet row group. Default
	// 128*1024.
	RowGroupRows int
	// IndexKeys computes the keys of unique indexes over expressions or
	// with a predicate (index_keys.go); without it such an index cannot
	// be enforced (0A000).
	IndexKeys IndexKeysFunc
	// HistoryRetention is how long history stays readable by time travel
	// and pqdb_history (history_gc.go). 0 means 24 hours; a negative
	// value keeps all history.
	HistoryRetention time.Duration
	// NoPruning makes scans read every row of the row groups their
	// statistics leave, ignoring bloom filters and page indexes: for
	// tests that compare results with and without that pruning.
	NoPruning bool
	// NoDictionaryFilter makes scans ignore column dictionaries: no row
	// group is skipped, no row dropped by its dictionary codes
	// (dictionary_filter.go); for tests and benchmarks that compare.
	NoDictionaryFilter bool
	// Compaction steers the background merging of small and delete-heavy
	// segments (compact.go).
	Compaction CompactionPolicy
	// SpillBytes is how much Arrow data of its pending inserted rows a
	// transaction keeps in memory before it moves them to a temporary
	// file (pending_spill.go). 0 means 64 MiB; a negative value never
	// spills.
	SpillBytes int64
	// TempDir is where transactions' spill files go; "" means the
	// system's temporary directory.
	TempDir string
	// CacheSize is the byte budget of the cache of open segments (their
	// footers and page indexes) and of hot file blocks (cache.go). 0
	// means DefaultCacheSize; a negative value caches no block and keeps
	// no segment open once no scan reads it.
	CacheSize int64
	// MaxOpenFiles caps the segment files the cache keeps open. 0 means
	// a quarter of the process's RLIMIT_NOFILE, from 64 to 8192.
	MaxOpenFiles int
	// IdleTidy: once a schema's writer has had nothing to do for this
	// long, it flushes its tables' tails and merges their small segments
	// (idle_tidy.go). 0 never does.
	IdleTidy time.Duration
	// Bucket holds the tables' files (objects.go); nil means the data
	// directory itself, through storage/bucket's local driver. The
	// directory keeps the lock and the SQLite databases either way.
	Bucket *blob.Bucket
	// Iceberg publishes every table as an Iceberg table too
	// (iceberg_tables.go), whose metadata names files by BucketURI, the
	// URI at which other engines reach the bucket's root
	// (s3://bucket/prefix); for the data directory's own bucket it is
	// the directory's file:// URI.
	Iceberg   bool
	BucketURI string
	// IcebergInterval is the least time between two Iceberg snapshots
	// of one table (0: defaultIcebergInterval; negative: none).
	IcebergInterval time.Duration
}

const (
	defaultFlushRows    = 1 << 20
	defaultRowGroupRows = 128 * 1024
	publicSchema        = "public"
	lockFileName        = "LOCK"
	// initFileName marks a data directory whose "public" schema was
	// created once; without it a dropped public would come back on open.
	initFileName = "INITIALIZED"
	// tmpPrefix and trashPrefix start the names of schema directories
	// being created and being dropped. dirName never starts a name with
	// '.', so neither is mistaken for a schema.
	tmpPrefix   = ".tmp-"
	trashPrefix = ".trash-"
	// firstObjectID is where table, view and index ids start, like
	// Postgres' first user OID.
	firstObjectID = 16384
)

// Store is a pqdb data directory: one namespace per schema, each with its
// own writer.
type Store struct {
	dir  string
	opts Options
	lock *os.File
	// objects is the bucket of the tables' files; ownBucket says Open
	// opened it, so Close closes it.
	objects   *objectStore
	ownBucket bool
	// bucketLocked says the store holds its bucket's lock (bucket_lock.go).
	bucketLocked bool
	// lake publishes the tables as Iceberg tables; nil unless
	// Options.Iceberg.
	lake *lakePublisher

	mu         sync.RWMutex
	namespaces map[string]*namespace // changed only through putNamespace and removeNamespace
	// nsVersion counts the changes of namespaces (under mu), so that
	// Snapshot can tell lastSpaces was read from the namespaces there are.
	nsVersion atomic.Uint64
	// lastSpaces is the namespace states the last Snapshot read,
	// shared by snapshots while no namespace publishes a new one.
	lastSpaces atomic.Pointer[spacesView]
	closed     bool
	createMu   sync.Mutex

	nextObjectID atomic.Int64
	nextTxID     atomic.Int64 // see transaction_id.go
	roles        roleRegistry
	decisions    decisionLog  // commit decisions of cross-schema transactions (global_log.go)
	cross        crossCommits // see cross_commit.go
	files        segmentFiles
	deletions    deletionVectors
	compactor    compactor
	// firstFileTag is the first file tag the store may give: files with
	// lower tags were written before it opened (orphan_sweep.go).
	firstFileTag uint64
	stats        counters
	// scanTotals are what scans read and skipped (Options.CountScans).
	scanTotals ScanCounts
	// keyFilterBytes counts the bytes of segment filters kept in memory
	// (segment_key_filters.go): an object of its own, so that the
	// cleanups that give bytes back do not keep the store reachable.
	keyFilterBytes *atomic.Int64

	txnMu  sync.Mutex
	active map[*Txn]struct{}
	locks  rowLocks

	compiled compiledKeys
	ssi      ssiTracker // serializable transactions (serializable.go)
}

// counters are observable scan and flush statistics.
type counters struct {
	segmentsSkipped  atomic.Int64
	rowGroupsSkipped atomic.Int64
	rowGroupsRead    atomic.Int64
	// rowsRead and rowsSkipped count the rows of the row groups scans
	// read, and of the segments and row groups they skipped.
	rowsRead, rowsSkipped atomic.Int64
	flushes               atomic.Int64
	// historyFilesRemoved counts files history collection deleted.
	historyFilesRemoved atomic.Int64
	commits             atomic.Int64
	commitGroups        atomic.Int64
	compactions         atomic.Int64
	compactedInputs     atomic.Int64
	compactFailures     atomic.Int64
	orphanSweeps        atomic.Int64
	spilledBatches      atomic.Int64
	bulkCommits         atomic.Int64
	// groupSizes counts commit groups by size: bucket k holds the groups
	// of 2^(k-1) < size <= 2^k commits (GroupSizeBuckets).
	groupSizes [groupSizeBuckets]atomic.Int64
	// flushNanos and compactNanos add up the time flushes spent writing
	// their files and compactions ran.
	flushNanos, compactNanos atomic.Int64
}

// segmentSkipped counts a segment of rows rows that a scan did not open.
func (c *counters) segmentSkipped(rows int64) {
	c.segmentsSkipped.Add(1)
	c.rowsSkipped.Add(rows)
}

// rowGroupSkipped counts a row group of rows rows that a scan skipped.
func (c *counters) rowGroupSkipped(rows int64) {
	c.rowGroupsSkipped.Add(1)
	c.rowsSkipped.Add(rows)
}

// rowGroupRead counts a row group of rows rows that a scan read.
func (c *counters) rowGroupRead(rows int64) {
	c.rowGroupsRead.Add(1)
	c.rowsRead.Add(rows)
}

// groupSizeBuckets covers groups of 1 to maxCommitGroup (256) commits.
const groupSizeBuckets = 9

// timed starts timing, and the function it returns adds the time since
// to total.
func (c *counters) timed(total *atomic.Int64) func() {
	start := time.Now()
	return func() { total.Add(int64(time.Since(start))) }
}

// Stats is a copy of a Store's counters.
type Stats struct {
	SegmentsSkipped  int64 // segments no scan had to open, thanks to statistics
	RowGroupsSkipped int64 // row groups pruned by statistics
	RowGroupsRead    int64
	// RowsRead and RowsSkipped are the rows of the row groups scans read,
	// and of the segments and row groups they skipped.
	RowsRead, RowsSkipped int64
	Flushes               int64 // tail flushes to Parquet
	Commits               int64 // namespace commits made durable
	CommitGroups          int64 // SQLite transactions that made them durable
	Compactions           int64 // compactions published (compact.go)
	SegmentsMerged        int64 // input segments those compactions replaced
	CompactFailures       int64 // compactions that failed and changed nothing
	OrphanSweeps          int64 // tables whose objects were listed to find files no manifest names (orphan_sweep.go)
	SpilledBatches        int64 // pending batches transactions moved to spill files (pending_spill.go)
	BulkCommits           int64 // commits with spilled rows or a PreferBulk load, flushed before they were published (bulk_commit.go)
	// What table scans read, with Options.CountScans: pages decoded, left
	// undecoded by the page index and found decoded in the cache; bytes
	// read from files and served from cached blocks; segments opened and
	// found open.
	PagesRead, PagesSkipped, PagesCached int64
	BytesRead, BytesCached               int64
	FileOpens, FileCacheHits             int64
	// CommitGroupSizes counts commit groups by size: entry k those of
	// more than 2^(k-1) and at most 2^k commits.
	CommitGroupSizes [groupSizeBuckets]int64
	// FlushTime and CompactionTime add up the time flushes spent writing
	// their files and compactions ran.
	FlushTime, CompactionTime time.Duration
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	st := Stats{
		SegmentsSkipped:  s.stats.segmentsSkipped.Load(),
		RowGroupsSkipped: s.stats.rowGroupsSkipped.Load(),
		RowGroupsRead:    s.stats.rowGroupsRead.Load(),
		RowsRead:         s.stats.rowsRead.Load(),
		RowsSkipped:      s.stats.rowsSkipped.Load(),
		Flushes:          s.stats.flushes.Load(),
		Commits:          s.stats.commits.Load(),
		CommitGroups:     s.stats.commitGroups.Load(),
		Compactions:      s.stats.compactions.Load(),
		SegmentsMerged:   s.stats.compactedInputs.Load(),
		CompactFailures:  s.stats.compactFailures.Load(),
		OrphanSweeps:     s.stats.orphanSweeps.Load(),
		SpilledBatches:   s.stats.spilledBatches.Load(),
		BulkCommits:      s.stats.bulkCommits.Load(),
		PagesRead:        s.scanTotals.Pages.Load(),
		PagesSkipped:     s.scanTotals.PagesSkipped.Load(),
		PagesCached:      s.scanTotals.PagesCached.Load(),
		BytesRead:        s.scanTotals.BytesRead.Load(),
		BytesCached:      s.scanTotals.BytesCached.Load(),
		FileOpens:        s.scanTotals.FileOpens.Load(),
		FileCacheHits:    s.scanTotals.FileCacheHits.Load(),
		FlushTime:        time.Duration(s.stats.flushNanos.Load()),
		CompactionTime:   time.Duration(s.stats.compactNanos.Load()),
	}
	for k := range st.CommitGroupSizes {
		st.CommitGroupSizes[k] = s.stats.groupSizes[k].Load()
	}
	return st
}

// Open opens (creating if needed) the data directory dir, takes its lock,
// and starts one writer per namespace after replaying the committed but
// unflushed events of each.
func Open(dir string, opts Options) (*Store, error) {
	if opts.FlushRows <= 0 {
		opts.FlushRows = defaultFlushRows
	}
	if opts.RowGroupRows <= 0 {
		opts.RowGroupRows = defaultRowGroupRows
	}
	if err := mkdirAllSync(dir); err != nil {
		return nil, fmt.Errorf("cannot use data directory %q: %w", dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot use data directory %q: %w", dir, err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %q is in use by another pqdb server", dir)
		}
		return nil, fmt.Errorf("cannot lock data directory %q: %w", dir, err)
	}
	s := &Store{
		firstFileTag:   lastFileTag.Load() + 1,
		keyFilterBytes: new(atomic.Int64),
		dir:            dir,
		opts:           opts,
		lock:           lock,
		namespaces:     map[string]*namespace{},
		active:         map[*Txn]struct{}{},
	}
	if opts.Bucket == nil {
		b, err := bucket.OpenDir(dir)
		if err != nil {
			lock.Close()
			return nil, fmt.Errorf("cannot use data directory %q: %w", dir, err)
		}
		s.opts.Bucket, s.ownBucket = b, true
	}
	s.objects = newObjectStore(s.opts.Bucket)
	s.compactor.panicked = s.objects.noteFailedJob
	if err := s.lockBucket(); err != nil {
		s.closeBucket()
		lock.Close()
		return nil, err
	}
	if err := s.startLake(); err != nil {
		s.unlockBucket()
		s.closeBucket()
		lock.Close()
		return nil, err
	}
	s.files.configure(s.objects, opts.CacheSize, opts.MaxOpenFiles)
	s.nextObjectID.Store(firstObjectID)
	s.nextTxID.Store(firstTxID)
	if err := s.openRoles(); err != nil {
		s.abort()
		return nil, err
	}
	if err := s.openDecisions(); err != nil {
		s.abort()
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		s.abort()
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			os.RemoveAll(path) // a schema whose creation did not finish
			continue
		}
		if strings.HasPrefix(e.Name(), trashPrefix) {
			s.removeTrash(path) // a dropped schema whose removal did not finish
			continue
		}
		if _, err := os.Stat(filepath.Join(path, writerDBName)); err != nil {
			continue
		}
		ns, err := openNamespace(s, path)
		if err != nil {
			s.abort()
			return nil, fmt.Errorf("cannot open schema directory %q: %w", path, err)
		}
		s.putNamespace(ns)
	}
	// Every namespace has resolved its prepared parts.
	if err := s.forgetRecovered(); err != nil {
		s.abort()
		return nil, err
	}
	if err := s.assignSchemaOIDs(); err != nil {
		s.abort()
		return nil, err
	}
	if err := s.initialize(); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// initialize creates the "public" schema the first time dir is opened.
// Later opens leave it alone, so a dropped public stays dropped.
func (s *Store) initialize() error {
	marker := filepath.Join(s.dir, initFileName)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if s.namespaces[publicSchema] == nil {
		if _, err := s.createNamespace(publicSchema); err != nil {
			return err
		}
	}
	f, err := os.Create(marker)
	if err == nil {
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = syncDir(s.dir)
	}
	if err != nil {
		return fmt.Errorf("cannot initialize data directory %q: %w", s.dir, err)
	}
	return nil
}

// abort undoes a failed Open.
func (s *Store) abort() {
	for _, ns := range s.namespaces {
		ns.close()
	}
	s.closeRoles()
	s.stopLake()
	s.unlockBucket()
	s.closeBucket()
	s.lock.Close()
}

// closeBucket closes the bucket if Open opened it.
func (s *Store) closeBucket() {
	if s.ownBucket {
		s.opts.Bucket.Close()
	}
}

// createNamespace creates the directory and database of a new schema. It
// is built under a temporary name and renamed into place, so a crash
// never leaves a half-created schema.
func (s *Store) createNamespace(name string) (*namespace, error) {
	// createMu serializes schema creation; s.mu is held only to publish
	// the result, so snapshots do not wait for the file system.
	s.createMu.Lock()
	defer s.createMu.Unlock()
	s.mu.RLock()
	closed, exists := s.closed, s.namespaces[name] != nil
	s.mu.RUnlock()
	if closed {
		return nil, errStoreClosed
	}
	if exists {
		return nil, pgerr.New(pgerr.DuplicateSchema, "schema %q already exists", name)
	}
	final := filepath.Join(s.dir, dirName(name))
	tmp := filepath.Join(s.dir, tmpPrefix+dirName(name))
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	db, err := openWriterDB(filepath.Join(tmp, writerDBName))
	if err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if _, err := db.Exec(`INSERT INTO namespace(name) VALUES(?)`, name); err != nil {
		db.Close()
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if err := writeSchemaOID(db, s.newSchemaOID(name)); err != nil {
		db.Close()
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if !s.objects.local(s.dir) {
		if _, err := db.Exec(upsertMetaSQL, objectTagKey, int64(lastFileTag.Add(1))); err != nil {
			db.Close()
			return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
		}
	}
	// Fold the WAL into the database file before the directory moves.
	db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err := db.Close(); err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if err := syncDir(tmp); err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	if err := syncDir(s.dir); err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not create schema %q: %v", name, err)
	}
	ns, err := openNamespace(s, final)
	if err != nil {
		return nil, pgerr.New(pgerr.IoError, "could not open schema %q: %v", name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		ns.close()
		return nil, errStoreClosed
	}
	s.putNamespace(ns)
	return ns, nil
}

// putNamespace makes ns the namespace of its name; mu is held for
// writing (or the store is not open yet).
func (s *Store) putNamespace(ns *namespace) {
	s.namespaces[ns.name] = ns
	s.nsVersion.Add(1)
}

// removeNamespace removes ns, if it is the namespace of its name; mu is
// held for writing.
func (s *Store) removeNamespace(ns *namespace) {
	if s.namespaces[ns.name] == ns {
		delete(s.namespaces, ns.name)
		s.nsVersion.Add(1)
	}
}

// dirName maps a schema name to a directory name injectively: lower-case
// letters, digits and '_' stay, every other byte becomes %XX.
func dirName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// namespace returns the namespace named name, or nil.
func (s *Store) namespace(name string) *namespace {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.namespaces[name]
}

// sortedNamespaces returns the namespaces in name order.
func (s *Store) sortedNamespaces() []*namespace {
	s.mu.RLock()
	out := make([]*namespace, 0, len(s.namespaces))
	for _, ns := range s.namespaces {
		out = append(out, ns)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// raiseObjectID makes sure future object ids are at least next.
func (s *Store) raiseObjectID(next int64) { raiseCounter(&s.nextObjectID, next) }

// raiseCounter makes c at least next, racing safely with other raises
// and with allocations that add to c.
func raiseCounter(c *atomic.Int64, next int64) {
	for {
		cur := c.Load()
		if cur >= next || c.CompareAndSwap(cur, next) {
			return
		}
	}
}

func (s *Store) allocObjectID() int64 { return s.nextObjectID.Add(1) - 1 }

// allocObjectIDs allocates n consecutive object ids and returns the first.
func (s *Store) allocObjectIDs(n int64) int64 { return s.nextObjectID.Add(n) - n }

// Checkpoint flushes every namespace's unflushed tail to Parquet.
func (s *Store) Checkpoint() error {
	var errs []error
	for _, ns := range s.sortedNamespaces() {
		if err := ns.do(ns.flushAll); err != nil && !ns.dropped.Load() {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return pgerr.New(pgerr.IoError, "checkpoint failed: %v", err)
	}
	if s.lake != nil {
		s.lake.publishDue()
	}
	return nil
}

// Close flushes every tail, stops the writers and releases the directory.
// Events whose flush fails stay in SQLite and are replayed on next open.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.compactor.stop()
	var errs []error
	for _, ns := range s.sortedNamespaces() {
		if err := ns.do(ns.flushAll); err != nil && !ns.dropped.Load() {
			errs = append(errs, err)
		}
		if err := ns.storeExactSequenceValues(); err != nil && !ns.dropped.Load() {
			errs = append(errs, err)
		}
		if err := ns.closeClean(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := s.closeRoles(); err != nil {
		errs = append(errs, err)
	}
	s.files.forget(func(string) bool { return true })
	s.files.releaseArena()
	s.stopLake()
	s.unlockBucket()
	s.closeBucket()
	s.lock.Close()
	return errors.Join(errs...)
}

// Snapshot returns the committed state of every namespace now. The
// states are loaded under the publish lock, so a cross-schema commit is
// in all of them or in none (cross_commit.go).
//
// Statements mostly read states no commit has replaced since the last
// one, so the states read are kept (lastSpaces) and shared
// (Snapshot.sharedSpaces) until one has: a statement then allocates
// only its Snapshot, and takes no lock. Finding every namespace's
// current state to be the one kept, and no namespace added or removed
// since, means the kept set, which was read under the locks, is current
// and whole: a cross-schema commit publishing meanwhile had stored none
// of its states yet (else one would differ), so the snapshot is taken
// before it.
func (s *Store) Snapshot() *Snapshot {
	snap := &Snapshot{store: s, roles: s.committedRoles(), sharedSpaces: true}
	if v := s.lastSpaces.Load(); v != nil && v.version == s.nsVersion.Load() && v.current() {
		snap.spaces = v.spaces
		return snap
	}
	// publishMu before s.mu: a writer publishing under the coordinator's
	// publishMu never waits for a reader that holds s.mu.
	s.cross.publishMu.RLock()
	s.mu.RLock()
	v := &spacesView{
		spaces:  make(map[string]*nsState, len(s.namespaces)),
		from:    make([]*namespace, 0, len(s.namespaces)),
		states:  make([]*nsState, 0, len(s.namespaces)),
		version: s.nsVersion.Load(),
	}
	for name, ns := range s.namespaces {
		st := ns.state.Load()
		v.spaces[name] = st
		v.from, v.states = append(v.from, ns), append(v.states, st)
	}
	s.lastSpaces.Store(v)
	s.mu.RUnlock()
	s.cross.publishMu.RUnlock()
	snap.spaces = v.spaces
	return snap
}

// spacesView is a consistent set of namespace states, read under the
// store's locks, and where each came from.
type spacesView struct {
	spaces  map[string]*nsState
	from    []*namespace // the namespaces read
	states  []*nsState   // the state read of each
	version uint64       // Store.nsVersion when they were read
}

// current reports whether every namespace read still has the state read.
func (v *spacesView) current() bool {
	for i, ns := range v.from {
		if ns.state.Load() != v.states[i] {
			return false
		}
	}
	return true
}

// Begin starts a transaction. It joins the active transactions when it
// first notes a base (Txn.activeLocked), the first thing oldestBase
// would find of it: a statement reads under txnMu, and a transaction
// that ends before one (a lone BEGIN and COMMIT) never takes the lock.
func (s *Store) Begin() *Txn {
	t := &Txn{s: s}
	t.bases, t.firstBase = t.basesInline[:0:2], t.basesInline[2:2:4]
	return t
}

func (s *Store) endTxn(t *Txn) {
	if !t.active {
		return
	}
	s.txnMu.Lock()
	delete(s.active, t)
	s.txnMu.Unlock()
}

// oldestBase is the smallest snapshot seq in namespace ns that an active
// transaction may still commit deletions against, or current if none.
func (s *Store) oldestBase(ns string, current uint64) uint64 {
	s.txnMu.Lock()
	defer s.txnMu.Unlock()
	oldest := current
	for t := range s.active {
		t.mu.Lock()
		if b, ok := t.firstBase.get(ns); ok && b < oldest {
			oldest = b
		}
		t.mu.Unlock()
	}
	return oldest
}
