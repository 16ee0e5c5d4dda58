package storage

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// countedLookup scans cols of tbl for the rows where column 0 equals key,
// calls row for each, and returns how many there were and what the scan
// counted.
func countedLookup(t *testing.T, s *Store, tbl *catalog.Table, cols []int, key any, row func(rec arrow.Record, i int)) (int, *ScanCounts) {
	t.Helper()
	r, err := s.Snapshot().Scan(tbl, cols, []Predicate{{Column: 0, Op: Eq, Value: key}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	counts := new(ScanCounts)
	r.(CountingScan).CountInto(counts)
	n := 0
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return n, counts
		}
		for i := range int(rec.NumRows()) {
			row(rec, i)
			n++
		}
	}
}

// lookupCounts looks aid up in accounts and returns what the scan
// counted; the lookup must find the one row.
func lookupCounts(t *testing.T, s *Store, tbl *catalog.Table, aid int32) *ScanCounts {
	t.Helper()
	n, counts := countedLookup(t, s, tbl, []int{0, 2}, aid, func(rec arrow.Record, i int) {
		if got := datumAt(rec.Column(0), i); got != aid {
			t.Fatalf("lookup of %d returned aid %v", aid, got)
		}
		if got, want := datumAt(rec.Column(1), i), aid%1000; got != want {
			t.Fatalf("lookup of %d returned abalance %v, want %d", aid, got, want)
		}
	})
	if n != 1 {
		t.Fatalf("lookup of %d returned %d rows", aid, n)
	}
	return counts
}

// TestDecodedPageCache: point lookups cache the pages they decode within
// the budget's share for pages, a repeated lookup decodes nothing and
// reads no byte, a full scan caches no page, a cache without budget none,
// and forgetting a segment drops its pages.
func TestDecodedPageCache(t *testing.T) {
	const rows = 1 << 16
	for _, size := range []int64{-1, 4 << 20, 64 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{CacheSize: size, Compaction: CompactionPolicy{Disabled: true}})
			defer s.Close()
			tbl := accountsTable()
			mustCreate(t, s, tbl)
			mustInsert(t, s, tbl, accountsRecord(tbl, 0, rows))
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			scanAll(t, s.Snapshot(), tbl)
			if u := s.files.usage(); u.pages != 0 {
				t.Fatalf("a full scan cached %d pages", u.pages)
			}
			for aid := int32(1); aid <= rows; aid += 997 {
				lookupCounts(t, s, tbl, aid)
				u := s.files.usage()
				if budget := max(size, 0); u.bytes > budget || u.pageBytes > budget/pageBudgetShare {
					t.Fatalf("the cache holds %d bytes, %d of them pages, over a budget of %d", u.bytes, u.pageBytes, budget)
				}
			}
			again := lookupCounts(t, s, tbl, 4242)
			again = lookupCounts(t, s, tbl, 4242)
			u := s.files.usage()
			switch {
			case size < 0 && (u.pages != 0 || again.PagesCached.Load() != 0):
				t.Fatalf("no budget, yet %d pages cached, %d served", u.pages, again.PagesCached.Load())
			case size < 0:
			case u.pages == 0:
				t.Fatal("lookups cached no page")
			case again.PagesCached.Load() != again.Pages.Load() || again.BytesRead.Load() != 0:
				t.Fatalf("a repeated lookup decoded %d pages of %d and read %d bytes", again.Pages.Load()-again.PagesCached.Load(), again.Pages.Load(), again.BytesRead.Load())
			}
			s.files.forget(func(string) bool { return true })
			if u := s.files.usage(); u.pages != 0 || u.pageBytes != 0 {
				t.Fatalf("forgotten segments left %d pages (%d bytes) cached", u.pages, u.pageBytes)
			}
			lookupCounts(t, s, tbl, 4242) // a forgotten segment still reads
		})
	}
}

// TestSmallStringPagesCached: a lookup that reads a text column keeps the
// column's page decoded in the cache when the page is small (a small
// table's), or in code form when its chunk's dictionary is small (one
// value repeated), so that the lookup again decodes nothing, while a
// large page of distinct values has its rows copied out without caching
// it.
func TestSmallStringPagesCached(t *testing.T) {
	for _, c := range []struct {
		rows     int
		distinct bool
		cached   bool
	}{{300, false, true}, {1 << 16, false, true}, {1 << 16, true, false}} {
		s := openTest(t, t.TempDir(), Options{CacheSize: 64 << 20, Compaction: CompactionPolicy{Disabled: true}})
		tbl := kvTable("t")
		mustCreate(t, s, tbl)
		value := func(k int64) string {
			if c.distinct {
				return fmt.Sprintf("text %d of many", k)
			}
			return "some text"
		}
		keys, vals := make([]int64, c.rows), make([]string, c.rows)
		for i := range keys {
			keys[i], vals[i] = int64(i), value(int64(i))
		}
		mustInsert(t, s, tbl, kvRecord(keys, vals))
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		lookup := func() *ScanCounts {
			t.Helper()
			n, counts := countedLookup(t, s, tbl, []int{0, 1}, int64(7), func(rec arrow.Record, i int) {
				if v := datumAt(rec.Column(1), i); v != value(7) {
					t.Fatalf("%d rows: the lookup read v = %v, want %q", c.rows, v, value(7))
				}
			})
			if n != 1 {
				t.Fatalf("%d rows: the lookup returned %d rows", c.rows, n)
			}
			return counts
		}
		lookup()
		again := lookup()
		if all := again.PagesCached.Load() == again.Pages.Load(); all != c.cached {
			t.Errorf("%d rows (distinct values: %v): a repeated lookup found %d of its %d pages decoded, want all %v", c.rows, c.distinct, again.PagesCached.Load(), again.Pages.Load(), c.cached)
		}
		s.Close()
	}
}
