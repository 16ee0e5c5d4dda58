package storage

import (
	"bytes"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRetryBackoffDoubles: the wait after each failure doubles from
// minRetryDelay up to maxRetryDelay.
func TestRetryBackoffDoubles(t *testing.T) {
	var b retryBackoff
	now := time.Unix(1000, 0)
	want := minRetryDelay
	for i := range 12 {
		if first := b.failed(now); first != (i == 0) {
			t.Fatalf("failure %d: first = %v", i+1, first)
		}
		if b.delay != want || !b.next.Equal(now.Add(want)) {
			t.Fatalf("failure %d: delay %v next %v, want %v", i+1, b.delay, b.next, want)
		}
		if b.due(now.Add(want-time.Millisecond)) || !b.due(now.Add(want)) {
			t.Fatalf("failure %d: due before %v or not after", i+1, want)
		}
		want = min(2*want, maxRetryDelay)
	}
	if b.delay != maxRetryDelay {
		t.Fatalf("delay %v after 12 failures, want the cap %v", b.delay, maxRetryDelay)
	}
}

// TestCompactionRetryBackoff: a failed background compaction of a table
// is not retried before its backoff passes; success resets it.
func TestCompactionRetryBackoff(t *testing.T) {
	var c compactor
	now := time.Now()
	if !c.retryDue(7, now) {
		t.Fatal("a table that never failed waits")
	}
	if !c.compactionFailed(7) || c.compactionFailed(7) {
		t.Fatal("only the first failure starts a run")
	}
	if d := c.retry[7].delay; d != 2*minRetryDelay {
		t.Fatalf("delay after two failures %v", d)
	}
	if c.retryDue(7, time.Now()) || !c.retryDue(8, time.Now()) {
		t.Fatal("backoff of one table not kept, or kept for another")
	}
	if !c.retryDue(7, time.Now().Add(2*minRetryDelay+time.Second)) {
		t.Fatal("still waiting after the delay")
	}
	if !c.compactionSucceeded(7) || c.compactionSucceeded(7) || !c.retryDue(7, time.Now()) {
		t.Fatal("success did not end the backoff once")
	}
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine's logging.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFlushRetriesWithBackoff: while flushes fail (a full disk) commits
// keep succeeding and scans see every row from the tail; the flush is
// not retried before its scheduled delay, which doubles with each
// failure up to the cap; once the disk works the flush succeeds and the
// backoff ends; the failure and the recovery are logged once each; and
// a crash while flushes fail loses nothing.
func TestFlushRetriesWithBackoff(t *testing.T) {
	var logs syncBuffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))

	dir := t.TempDir()
	s := openTest(t, dir, Options{FlushRows: 5, Compaction: CompactionPolicy{Disabled: true}})
	mustCreate(t, s, kvTable("kv"))
	tbl := s.Snapshot().Table("public", "kv")
	ns := s.namespace("public")

	var failing atomic.Bool
	var attempts atomic.Int64 // failed flush steps
	hook := func(op, path string) error {
		if op == "read" {
			return nil // a write fault
		}
		if failing.Load() {
			attempts.Add(1)
			return errors.New("injected: no space left on device")
		}
		return nil
	}
	faultHook.Store(&hook)
	defer faultHook.Store(nil)

	next := int64(0)
	insert := func(n int) {
		t.Helper()
		mustInsert(t, s, tbl, kvRows(n, next, "v"))
		next += int64(n)
	}
	// backoff returns the table's retry state, with change applied to it
	// on the writer first.
	backoff := func(change func(b *retryBackoff)) (failures int, delay time.Duration) {
		t.Helper()
		err := ns.do(func() error {
			b := ns.flushDue[tbl.ID]
			if b == nil {
				return errors.New("no flush retry is scheduled")
			}
			if change != nil {
				change(b)
			}
			failures, delay = b.failures, b.delay
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return failures, delay
	}

	failing.Store(true)
	insert(10) // past FlushRows: the flush after this commit fails
	if f, d := backoff(nil); f < 1 || d != min(minRetryDelay<<(f-1), maxRetryDelay) {
		t.Fatalf("after the first failure: %d failures, delay %v", f, d)
	}

	// Before its time the flush is not retried, however many commits come.
	backoff(func(b *retryBackoff) { b.next = time.Now().Add(time.Hour) })
	before := attempts.Load()
	for range 20 {
		insert(3)
	}
	if got := attempts.Load(); got != before {
		t.Fatalf("%d flush attempts during the backoff", got-before)
	}

	// Each retry that fails doubles the delay, up to the cap.
	lastFailures, lastDelay := backoff(nil)
	for range 12 {
		// Make the retry due now; the writer retries right after this
		// request.
		backoff(func(b *retryBackoff) { b.next = time.Time{} })
		f, d := backoff(nil)
		if f <= lastFailures || d != min(minRetryDelay<<(f-1), maxRetryDelay) || d < lastDelay {
			t.Fatalf("after %d failures (was %d, delay %v): delay %v", f, lastFailures, lastDelay, d)
		}
		lastFailures, lastDelay = f, d
	}
	if lastDelay != maxRetryDelay {
		t.Fatalf("delay %v after %d failures, want the cap", lastDelay, lastFailures)
	}
	if rows, _ := scanAll(t, s.Snapshot(), tbl); int64(len(rows)) != next {
		t.Fatalf("%d rows visible while flushes fail, want %d", len(rows), next)
	}
	if ts := s.Snapshot().tableState(tbl); len(ts.manifest.Segments) != 0 {
		t.Fatalf("a failing flush published %d segments", len(ts.manifest.Segments))
	}

	// The disk works again: the next retry flushes and ends the backoff.
	failing.Store(false)
	backoff(func(b *retryBackoff) { b.next = time.Time{} })
	if err := ns.do(func() error {
		if b := ns.flushDue[tbl.ID]; b != nil {
			return errors.New("the flush is still retried after succeeding")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ts := s.Snapshot().tableState(tbl)
	if len(ts.manifest.Segments) == 0 || len(ts.inserts) != 0 {
		t.Fatalf("after recovery: %d segments, %d tail batches", len(ts.manifest.Segments), len(ts.inserts))
	}
	if out := logs.String(); strings.Count(out, "flush failed") != 1 || strings.Count(out, "flush succeeded after failing") != 1 {
		t.Fatalf("want one failure and one recovery logged, got:\n%s", out)
	}

	// Fail again and crash: what was committed comes back from SQLite.
	failing.Store(true)
	insert(10)
	insert(10)
	s.crash()
	failing.Store(false)
	s = openTest(t, dir, Options{FlushRows: 5, Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if int64(len(rows)) != next {
		t.Fatalf("after a crash while flushes failed: %d rows, want %d", len(rows), next)
	}
	for k := range next {
		if _, ok := rows[strconv.FormatInt(k, 10)]; !ok {
			t.Fatalf("row %d lost", k)
		}
	}
}
