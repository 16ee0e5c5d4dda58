package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/storage/bucket"
	"github.com/pqdb/pqdb/storage/iceberg"
)

// Every table is also an Apache Iceberg v2 table in the same bucket
// (storage/iceberg), at its prefix: <prefix>/metadata/ holds its Iceberg
// metadata, whose data files are the table's segments and whose position
// delete files come from their deletion vectors, so that an engine
// reading the table as Iceberg gets exactly its live flushed rows. The
// unflushed tail is not in it: what Iceberg readers see is the table as
// of its manifest's FlushedSeq, which CHECKPOINT brings up to date.
//
// Publication runs off the writers, on one goroutine of the store
// (lakePublisher): a published manifest version notes its table as due,
// and the goroutine publishes the newest version of each due table, at
// most once per Options.IcebergInterval, so that a burst of flushes
// costs one Iceberg snapshot (a publication reads the last snapshot's
// manifests and writes four files: once per flush, it cost TPC-B, whose
// small tables flush every second, a quarter of its throughput on two
// cores; BENCHMARKS.md). The snapshot's id
// is the manifest version and its time the commit time of the version's
// FlushedSeq. Snapshots of versions that history collection deleted
// are expired as the next version is published. A failure is logged and
// retried, with backoff, with the then newest version. Close publishes
// what is due before it returns.
//
// Columns map to Iceberg types by iceberg.ForPostgres, arrays to lists,
// enums to their labels' text and intervals to their ISO 8601 text (once
// no segment holds them in the older 16-byte form); one whose type has
// no Iceberg form (oid, arrays of oids, ...) stays in the segments and is
// left out of the Iceberg schema. Field ids are column
// positions plus one: a table's columns never move, are never dropped or
// renamed under one table id (a rewrite makes a new table, at a new
// prefix).

// startLake starts publishing Iceberg tables, with Options.Iceberg.
func (s *Store) startLake() error {
	if !s.opts.Iceberg {
		return nil
	}
	uri := s.opts.BucketURI
	if uri == "" && s.ownBucket {
		uri = bucket.URI(s.dir)
	}
	if uri == "" {
		return errors.New("publishing Iceberg tables needs the bucket's URI (Options.BucketURI)")
	}
	s.lake = newLakePublisher(s, uri)
	s.objects.published = s.lake.note
	return nil
}

// stopLake publishes the Iceberg versions due and stops publishing.
func (s *Store) stopLake() {
	if s.lake != nil {
		s.lake.stop()
		s.lake = nil
	}
}

// lakePublisher publishes the store's tables as Iceberg tables.
type lakePublisher struct {
	store *Store
	pub   *iceberg.Publisher

	mu     sync.Mutex
	due    map[string]int64 // table prefix → newest manifest version to publish
	busy   bool             // a round is running
	rounds int64            // rounds ended
	ended  bool             // the goroutine returned
	idle   *sync.Cond       // broadcast when a round ends
	wake   chan struct{}
	quit   chan struct{}
	done   chan struct{}

	backoff retryBackoff
	// ahead counts the rounds in a row that found a due version whose
	// state was not published yet.
	ahead int
	// interval is the least time between two publications of a table,
	// last the time of each table's last one; force publishes what is
	// due at once (wait, stop).
	interval time.Duration
	last     map[string]time.Time
	force    bool
}

// defaultIcebergInterval is Options.IcebergInterval's default: an engine
// reading the lake sees a table's flushed rows at most this late.
const defaultIcebergInterval = 10 * time.Second

// newLakePublisher starts publishing into the store's bucket, whose root
// other engines reach at rootURI.
func newLakePublisher(s *Store, rootURI string) *lakePublisher {
	l := &lakePublisher{
		store: s,
		pub:   iceberg.NewPublisher(s.opts.Bucket, rootURI),
		due:   map[string]int64{},
		last:  map[string]time.Time{},
		wake:  make(chan struct{}, 1),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	l.idle = sync.NewCond(&l.mu)
	switch l.interval = s.opts.IcebergInterval; {
	case l.interval == 0:
		l.interval = defaultIcebergInterval
	case l.interval < 0:
		l.interval = 0
	}
	go l.run()
	return l
}

// note marks version of the table under prefix as due.
func (l *lakePublisher) note(prefix string, version int64) {
	l.mu.Lock()
	l.due[prefix] = max(l.due[prefix], version)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// run publishes due tables until stop, then once more.
func (l *lakePublisher) run() {
	defer close(l.done)
	var retry <-chan time.Time
	for {
		select {
		case <-l.wake:
		case <-retry:
		case <-l.quit:
			l.mu.Lock()
			l.force = true
			l.mu.Unlock()
			l.round()
			l.mu.Lock()
			l.ended = true
			l.idle.Broadcast()
			l.mu.Unlock()
			return
		}
		retry = nil
		if d := l.round(); d > 0 {
			retry = time.After(d)
		}
	}
}

// round publishes every due table's newest version and returns how long
// to wait before retrying what is still due (0: nothing is).
func (l *lakePublisher) round() time.Duration {
	l.mu.Lock()
	due := l.due
	l.due = map[string]int64{}
	l.busy = true
	force := l.force
	l.mu.Unlock()

	tables := l.store.tablesByPrefix(due)
	var failed error
	var ahead bool
	var deferred time.Duration // until the first table held back by the interval is due
	later := map[string]int64{}
	now := time.Now()
	for prefix, version := range due {
		t, ok := tables[prefix]
		next := l.last[prefix].Add(l.interval)
		switch {
		case !ok:
			// Dropped or rewritten: its objects go, Iceberg's with them.
			delete(l.last, prefix)
		case t.ts.manifest.Version < version:
			later[prefix] = version // its state is not published yet
			ahead = true
		case !force && now.Before(next):
			later[prefix] = version
			if d := next.Sub(now); deferred == 0 || d < deferred {
				deferred = d
			}
		default:
			if err := l.publish(t); err != nil {
				later[prefix] = version
				failed = errors.Join(failed, err)
				continue
			}
			l.last[prefix] = now
		}
	}

	var wait time.Duration
	if failed != nil {
		first := l.backoff.failed(time.Now())
		wait = l.backoff.delay
		if first {
			slog.Warn("publishing tables as Iceberg tables failed; retrying", "err", failed, "retry_in", wait)
		}
	} else if l.backoff.failures > 0 {
		slog.Info("publishing tables as Iceberg tables succeeded after failing", "failures", l.backoff.failures)
		l.backoff = retryBackoff{}
	}
	l.mu.Lock()
	for prefix, version := range later {
		l.due[prefix] = max(l.due[prefix], version)
	}
	l.busy = false
	l.rounds++
	l.idle.Broadcast()
	switch {
	case len(l.due) == 0:
		l.force = false
		l.ahead = 0
	case wait == 0 && ahead:
		// A manifest published before its state: the state follows at
		// once, unless its writer stopped (a panic), which must not
		// cost a round every few milliseconds.
		wait = min(10*time.Millisecond<<min(l.ahead, 10), 5*time.Second)
		l.ahead++
	}
	if deferred > 0 && (wait == 0 || deferred < wait) {
		wait = deferred
	}
	l.mu.Unlock()
	return wait
}

// tableAt is a table's state and its namespace.
type tableAt struct {
	ns *namespace
	ts *tableState
}

// tablesByPrefix finds the current state of the tables under the
// prefixes of due.
func (s *Store) tablesByPrefix(due map[string]int64) map[string]tableAt {
	out := make(map[string]tableAt, len(due))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ns := range s.namespaces {
		for _, ts := range ns.state.Load().byID {
			if _, ok := due[ts.prefix]; ok {
				out[ts.prefix] = tableAt{ns, ts}
			}
		}
	}
	return out
}

// publish publishes the table's current manifest version.
func (l *lakePublisher) publish(t tableAt) error {
	v, err := l.version(t)
	if err != nil {
		return fmt.Errorf("table %s.%s: %w", t.ns.name, t.ts.table.Name, err)
	}
	if v.Number == 0 {
		return nil // nothing flushed yet
	}
	if _, err := l.pub.Publish(objectContext, v); err != nil && !errors.Is(err, iceberg.ErrStale) {
		return fmt.Errorf("table %s.%s: %w", t.ns.name, t.ts.table.Name, err)
	}
	return nil
}

// version is the Iceberg version of the table's current manifest.
func (l *lakePublisher) version(t tableAt) (*iceberg.Version, error) {
	ts, m := t.ts, t.ts.manifest
	// The snapshots of the versions pqdb keeps stay; history collection
	// deleted the others' files (iceberg/expire.go).
	kept, err := l.store.objects.manifestVersions(ts.prefix)
	if err != nil {
		return nil, err
	}
	v := &iceberg.Version{Location: ts.prefix, Number: m.Version, CommitTime: time.Now(), Retain: kept}
	if at, _, ok := t.ns.commits.commit(m.FlushedSeq); ok {
		v.CommitTime = time.UnixMicro(at)
	}
	// Intervals are ISO 8601 text, but in segments written before that
	// (Segment.IntervalText), which Iceberg's string column would not
	// read.
	intervalText := true
	for _, seg := range m.Segments {
		intervalText = intervalText && seg.IntervalText
	}
	for i, c := range ts.table.Columns {
		id := i + 1
		typ, err := icebergType(c.Type, intervalText)
		if errors.Is(err, iceberg.ErrUnsupportedType) {
			v.Ignored = append(v.Ignored, iceberg.IgnoredColumn{Name: c.Name, FieldID: id, List: c.Type.Kind == catalog.Array})
			continue
		}
		if err != nil {
			return nil, err
		}
		v.Columns = append(v.Columns, iceberg.Column{Name: c.Name, FieldID: id, Type: typ, Required: columnNotNull(ts.table, i)})
	}
	for _, seg := range m.Segments {
		key := tableFile(ts.prefix, seg.File)
		size := seg.Bytes
		if size == 0 { // a segment written before manifests kept sizes
			var err error
			if size, err = l.store.objects.size(key); err != nil {
				return nil, err
			}
		}
		deleted, err := l.store.deletedPositions(ts.prefix, seg)
		if err != nil {
			return nil, err
		}
		v.Files = append(v.Files, iceberg.DataFile{Key: key, Rows: seg.Rows, Size: size, Deleted: deleted})
	}
	return v, nil
}

// icebergType is the Iceberg type of a column of type t, as its segments
// store it: a numeric's form follows its layout (parquet_layout.go), a
// decimal of its precision on INT32 and INT64, of 38 digits on 16 bytes,
// or text; an interval is its ISO 8601 text when intervalText says every
// segment holds that, an enum its label; an array is a list of its
// element's type.
func icebergType(t catalog.Type, intervalText bool) (iceberg.Type, error) {
	if t.Kind == catalog.Array {
		elem, err := icebergType(t.ElemType(), intervalText)
		if err != nil {
			return iceberg.Type{}, err
		}
		return iceberg.List(elem)
	}
	if t.Kind == catalog.Enum {
		return iceberg.ForPostgres("text", 0, 0) // segments hold the labels
	}
	precision := int(t.Precision())
	switch layoutOf(t) {
	case physVarNumeric:
		precision = 0
	case physDecimal128:
		precision = catalog.MaxNumericPrecision
	case physInterval:
		if intervalText {
			return iceberg.ForPostgres("text", 0, 0)
		}
	}
	return iceberg.ForPostgres(t.Typname(), precision, int(t.Scale))
}

// publishDue publishes what is due now, regardless of the interval, and
// returns once a round that started after the call has ended (failures
// stay due, retried with backoff): CHECKPOINT brings the Iceberg tables
// up to date.
func (l *lakePublisher) publishDue() {
	l.mu.Lock()
	l.force = true
	target := l.rounds + 1
	if l.busy {
		target++ // the running round started before the call
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	l.mu.Lock()
	for l.rounds < target && !l.ended {
		l.idle.Wait()
	}
	l.mu.Unlock()
}

// wait publishes what is due, regardless of the interval, and returns
// once nothing is (for tests).
func (l *lakePublisher) wait() {
	l.mu.Lock()
	for (len(l.due) > 0 || l.busy) && !l.ended {
		l.mu.Unlock()
		l.publishDue()
		l.mu.Lock()
	}
	l.mu.Unlock()
}

// stop publishes what is due and stops the goroutine.
func (l *lakePublisher) stop() {
	close(l.quit)
	<-l.done
}
