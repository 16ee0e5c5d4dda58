package server

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// TestQueriesUnderSmallSegmentCache: queries over a table of more
// segments than the open-file cap and more data than the cache's budget
// (scans, point lookups, a self-join holding two scans of the table at
// once, parallel scans, concurrent sessions) return what they return
// with the default cache; EXPLAIN ANALYZE shows segments opened again
// after eviction under the cap, and cached bytes served with the default
// cache.
func TestQueriesUnderSmallSegmentCache(t *testing.T) {
	dir := t.TempDir()
	noCompaction := storage.CompactionPolicy{Disabled: true}
	srv, connect := startServerWith(t, Config{DataDir: dir, Storage: storage.Options{Compaction: noCompaction, RowGroupRows: 1000}})
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE big (id int PRIMARY KEY, grp int, pad text)`)
	const segments = 12
	for s := range segments {
		// md5 text barely compresses, so the table outgrows the small cache.
		mustExec(t, conn, fmt.Sprintf(`INSERT INTO big SELECT g, g %% 7, md5(g::text) || md5((g * 3)::text) FROM generate_series(%d, %d) g`, s*3000+1, s*3000+3000), "CHECKPOINT")
	}
	queries := []string{
		`SELECT count(*), sum(id), count(DISTINCT pad) FROM big`,
		`SELECT grp, count(*), min(pad), max(pad) FROM big GROUP BY grp ORDER BY grp`,
		`SELECT id, pad FROM big WHERE id IN (1, 2999, 3001, 17777, 35999, 36000) ORDER BY id`,
		`SELECT id FROM big WHERE id BETWEEN 8990 AND 9010 ORDER BY id`,
		`SELECT count(*), sum(a.id - b.id) FROM big a JOIN big b ON a.id = b.id + 2999 WHERE a.grp = 3`,
		`SELECT pad FROM big ORDER BY pad DESC LIMIT 3`,
	}
	// results runs the queries in a new session, with parallel scans.
	results := func(connect func(t *testing.T) *pgx.Conn) string {
		c := connect(t)
		mustExec(t, c, "SET pqdb.parallel_min_rows = 0", "SET max_parallel_workers_per_gather = 3")
		var out []string
		for _, q := range queries {
			out = append(out, fmt.Sprint(rowsText(t, c, q)))
		}
		return strings.Join(out, "\n")
	}
	want := results(connect)
	plan := explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM big WHERE pad > 'a'`)
	if explainCount(t, plan, "Segments Opened") != 0 || explainCount(t, plan, "Bytes Read from Cache") == 0 {
		t.Errorf("with the default cache, a repeated scan should open no segment and read cached bytes:\n%s", plan)
	}
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	small := storage.Options{Compaction: noCompaction, RowGroupRows: 1000, MaxOpenFiles: 3, CacheSize: 256 << 10}
	_, connect = startServerWith(t, Config{DataDir: dir, Storage: small})
	for round := range 2 {
		if got := results(connect); got != want {
			t.Fatalf("round %d under a small cache:\n%s\nwant\n%s", round, got, want)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := results(connect); got != want {
				errs <- got
			}
		}()
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Fatalf("concurrent session under a small cache:\n%s\nwant\n%s", got, want)
	}
	plan = explainText(t, connect(t), `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM big WHERE pad > 'a'`)
	if n := explainCount(t, plan, "Segments Opened"); n < segments-3 {
		t.Errorf("under a cap of 3 open segments a scan of %d opened only %d:\n%s", segments, n, plan)
	}
}

// TestExplainPagesDecodedFromCache: a repeated lookup by key finds its
// pages decoded in the cache (storage/cache_pages.go), and EXPLAIN
// ANALYZE counts them, while a first lookup decodes its own.
func TestExplainPagesDecodedFromCache(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 4096}})
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE acct (aid int PRIMARY KEY, abalance int)`,
		`INSERT INTO acct SELECT g, g % 1000 FROM generate_series(1, 50000) g`, `CHECKPOINT`)
	const q = `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT abalance FROM acct WHERE aid = 31337`
	first := explainText(t, conn, q)
	again := explainText(t, conn, q)
	if explainCount(t, first, "Pages Decoded from Cache") != 0 || explainCount(t, again, "Pages Decoded from Cache") == 0 {
		t.Fatalf("a repeated lookup should find its pages decoded in the cache, a first one not:\nfirst:\n%s\nagain:\n%s", first, again)
	}
	if got := rowsText(t, conn, `SELECT abalance FROM acct WHERE aid = 31337`); fmt.Sprint(got) != "[[337]]" {
		t.Fatalf("abalance %v, want 337", got)
	}
}
