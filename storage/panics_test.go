package storage

import (
	"database/sql"
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// panicsAt makes the goroutine at site panic (panicHook) until the test
// ends, and counts the panics.
func panicsAt(t *testing.T, site string) *atomic.Int64 {
	var n atomic.Int64
	hook := func(at string) {
		if at == site {
			n.Add(1)
			panic("injected panic at " + site)
		}
	}
	panicHook.Store(&hook)
	t.Cleanup(func() { panicHook.Store(nil) })
	return &n
}

// wantInternalError fails t unless err is an XX000 naming the injected
// panic.
func wantInternalError(t *testing.T, err error) {
	t.Helper()
	if pgerr.CodeOf(err) != pgerr.InternalError || !strings.Contains(err.Error(), "injected panic") {
		t.Fatalf("got %v (SQLSTATE %q), want XX000 from the injected panic", err, pgerr.CodeOf(err))
	}
}

// within fails t if fn does not return in time: a goroutine that died
// without answering leaves its waiters hanging.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: still waiting after 30 s", what)
	}
}

// TestPanicInScanProducerFailsTheScan: a panic on a scan's read-ahead
// goroutine fails that scan with XX000; the next scan reads every row.
func TestPanicInScanProducerFailsTheScan(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	kvSegments(t, s, tbl, 4, 1000)
	panics := panicsAt(t, siteScanProducer)
	r, err := s.Snapshot().Scan(tbl, []int{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	within(t, "scan", func() {
		for {
			rec, err := r.Next()
			if err != nil {
				wantInternalError(t, err)
				break
			}
			if rec == nil {
				t.Error("the scan ended without the producer's error")
				break
			}
		}
		r.Close()
	})
	if panics.Load() == 0 {
		t.Fatal("no scan producer ran")
	}
	panicHook.Store(nil)
	if n := countRows(t, s.Snapshot(), tbl, []int{0, 1}, nil); n != 4000 {
		t.Fatalf("after the panic a scan reads %d rows, want 4000", n)
	}
}

// TestPanicInFlushFailsTheFlush: a panic while a flush writes its
// segments or its deletion vectors fails the flush (a CHECKPOINT, with
// the internal error as its cause), or the background flush, which is
// retried; no row is lost,
// and the flush succeeds once nothing panics, before and after a restart.
func TestPanicInFlushFailsTheFlush(t *testing.T) {
	for _, site := range []string{siteColumnWrite, siteFlushMarks, siteFlushWrite} {
		t.Run(site, func(t *testing.T) {
			dir := t.TempDir()
			opts := Options{}
			if site == siteFlushWrite {
				opts = heldFlushOptions // a background flush past 100 rows
			}
			s := openTest(t, dir, opts)
			tbl := kvTable("kv")
			mustCreate(t, s, tbl)
			model := map[string]string{}
			mustInsert(t, s, tbl, kvRows(50, 0, "a"))
			kvModelPut(model, 0, 50, "a")
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			panics := panicsAt(t, site)
			// Deletions of flushed rows make the flush write deletion
			// vectors; new rows make it write a segment.
			_, ids := scanAll(t, s.Snapshot(), tbl)
			tx := s.Begin()
			if err := tx.Delete(tbl, []int64{ids["3"], ids["7"]}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			delete(model, "3")
			delete(model, "7")
			mustInsert(t, s, tbl, kvRows(150, 100, "b"))
			kvModelPut(model, 100, 150, "b")
			within(t, "flush", func() {
				if site == siteFlushWrite {
					settleFlushes(t, s)
				} else if err := s.Checkpoint(); err == nil || !strings.Contains(err.Error(), "internal error: injected panic") {
					// CHECKPOINT reports a failed flush as 58030 with the cause.
					t.Errorf("CHECKPOINT: %v, want the injected panic as its cause", err)
				}
			})
			if panics.Load() == 0 {
				t.Fatalf("no flush reached %s", site)
			}
			if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
				t.Fatalf("after the failed flush: %d rows, want %d", len(got), len(model))
			}
			panicHook.Store(nil)
			if err := s.Checkpoint(); err != nil {
				t.Fatalf("CHECKPOINT once nothing panics: %v", err)
			}
			if n := len(s.namespace("public").state.Load().byID[tbl.ID].manifest.Segments); n < 2 {
				t.Fatalf("the flush published %d segments, want the first and the new rows'", n)
			}
			s.Close()
			s = openTest(t, dir, opts)
			defer s.Close()
			if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
				t.Fatalf("after a restart: %d rows, want %d", len(got), len(model))
			}
		})
	}
}

// TestWriterPanicStopsItsSchemaOnly: a panic on a schema's writer
// goroutine rolls back its SQLite transaction and stops that writer: the
// request and every later change to the schema fail with XX000 instead of
// hanging, reads go on, other schemas commit, the store closes, and a
// restart brings the schema back with every commit made before.
func TestWriterPanicStopsItsSchemaOnly(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	other := schemaWithTable(t, s, "other") // rows 0|a 1|a
	mustInsert(t, s, tbl, kvRows(10, 0, "a"))

	ns := s.namespace("public")
	err := ns.do(func() error {
		return ns.writeTx(func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES('panic_probe', 1)`); err != nil {
				return err
			}
			panic("injected panic in the writer")
		})
	})
	wantInternalError(t, err)
	within(t, "a commit after the writer stopped", func() {
		tx := s.Begin()
		if err := tx.Insert(tbl, kvRows(1, 100, "b")); err != nil {
			t.Error(err)
		}
		wantInternalError(t, tx.Commit())
	})
	if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != 10 {
		t.Fatalf("reads after the writer stopped: %d rows, want 10", len(got))
	}
	mustInsert(t, s, other, kvRows(1, 2, "o")) // another schema's writer goes on
	within(t, "close", func() { s.Close() })

	s = openTest(t, dir, Options{})
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != 10 {
		t.Fatalf("after a restart: %d rows, want 10", len(got))
	}
	var probes int
	if err := s.namespace("public").db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'panic_probe'`).Scan(&probes); err != nil || probes != 0 {
		t.Fatalf("the panicking transaction's row: %d (%v), want it rolled back", probes, err)
	}
	mustInsert(t, s, tbl, kvRows(1, 100, "b"))
	if got, _ := scanAll(t, s.Snapshot(), other); len(got) != 3 {
		t.Fatalf("the other schema after a restart: %d rows, want 3", len(got))
	}
}
