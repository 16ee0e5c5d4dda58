package storagebench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestKVIDsVisitEveryIDOnce(t *testing.T) {
	for _, rows := range []int64{1, 2, 3, 10, 1000, 65536, 100003} {
		for _, shuffled := range []bool{false, true} {
			ids := newKVIDs(rows, shuffled)
			seen := make([]bool, rows+1)
			inOrder := true
			for pos := int64(0); pos < rows; pos++ {
				id := ids.at(pos)
				if id < 1 || id > rows || seen[id] {
					t.Fatalf("rows %d shuffled %v: position %d gives id %d (out of range or repeated)", rows, shuffled, pos, id)
				}
				seen[id] = true
				inOrder = inOrder && id == pos+1
			}
			if shuffled && rows > 10 && inOrder {
				t.Errorf("rows %d: shuffled ids came out in order", rows)
			}
			if !shuffled && !inOrder {
				t.Errorf("rows %d: sequential ids are not in order", rows)
			}
		}
	}
}

func TestKVSourceRows(t *testing.T) {
	src := newKVSource(newKVIDs(10, false), 3, 6)
	var got []int64
	pads := map[string]bool{}
	for src.Next() {
		v, err := src.Values()
		if err != nil {
			t.Fatal(err)
		}
		id := v[0].(int64)
		got = append(got, id)
		if v[1].(int32) != kvValue(id) || v[1].(int32) < 0 {
			t.Errorf("id %d: v = %v, want %d", id, v[1], kvValue(id))
		}
		pad := v[2].(string)
		if len(pad) != kvPadLen || strings.Trim(pad, "0123456789abcdef") != "" {
			t.Errorf("id %d: pad %q is not %d hex digits", id, pad, kvPadLen)
		}
		pads[pad] = true
	}
	if len(got) != 3 || got[0] != 4 || got[2] != 6 || len(pads) != 3 {
		t.Errorf("positions 3..6 gave ids %v and %d distinct pads, want [4 5 6] and 3", got, len(pads))
	}
}

func TestSummarizeLatencies(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	s := summarizeLatencies(d)
	want := LatencyStats{Count: 100, Mean: 50500 * time.Microsecond, P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if one := summarizeLatencies([]time.Duration{7}); one.P50 != 7 || one.P99 != 7 || one.Mean != 7 {
		t.Errorf("one latency: %+v", one)
	}
}

func TestParseScanCounts(t *testing.T) {
	plan := strings.Split(`Project (actual time=4.320..4.321 rows=1 loops=1)
  ->  Parallel Aggregate (actual time=4.319..4.320 rows=1 loops=1)
        ->  Seq Scan on t2 (actual time=3.528..3.531 rows=29200 loops=2)
              Filter: ((d >= 1994-01-01) AND (d < 1995-01-01))
              Rows Removed by Filter: 7664
              Segments Read: 1
              Segments Skipped: 2
              Row Groups Read: 2
              Row Groups Skipped: 5
              Row Groups Skipped by Bloom Filter: 1
              Pages Read: 12
              Pages Skipped: 26
              Bytes Read: 2119
              Segment Cache Hits: 1
        ->  Seq Scan on t3 (actual time=3.528..3.531 rows=29200 loops=2)
              Row Groups Read: 3
              Row Groups Skipped: 0
              Pages Read: 4
              Pages Skipped: 0
              Bytes Read: 100
Planning Time: 0.099 ms
Execution Time: 4.331 ms`, "\n")
	c, err := parseScanCounts(plan)
	if err != nil {
		t.Fatal(err)
	}
	want := ScanCounts{SegmentsRead: 1, SegmentsSkipped: 2, RowGroupsRead: 5, RowGroupsSkipped: 5, RowGroupsBloomSkipped: 1,
		PagesRead: 16, PagesSkipped: 26, BytesRead: 2219, Has: true}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
	if c, _ := parseScanCounts([]string{"Index Scan using kv_pkey on kv", "Execution Time: 0.1 ms"}); c.Has {
		t.Errorf("a plan without scan counters gave %+v", c)
	}
}

func TestProcessMemoryOfThisProcess(t *testing.T) {
	w, err := watchMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Touch 64 MiB so the peak must grow by about that much.
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = 1
	}
	time.Sleep(2 * memorySampleInterval)
	peak, err := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	if peak.Peak < peak.Before.Resident+60<<20 || peak.PeakAnon < peak.Before.Anon+60<<20 {
		t.Errorf("after touching 64 MiB: %+v", peak)
	}
	if big[len(big)-1] != 1 {
		t.Fatal("unreachable")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10000000: "10,000,000", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The measurements end to end at tiny sizes, on a pqdb-server built from
// the enclosing repository ($PQDB_BENCH_SERVER names a binary instead) and,
// with $PQDB_BENCH_PG_DSN, on PostgreSQL. $PQDB_BENCH_PORT picks the
// server's loopback port (default: a free one).

func testConfig(t *testing.T) Config {
	t.Helper()
	if testing.Short() {
		t.Skip("starts pqdb-server")
	}
	server := os.Getenv("PQDB_BENCH_SERVER")
	if server == "" {
		server = buildServer(t)
	}
	port, _ := strconv.Atoi(os.Getenv("PQDB_BENCH_PORT"))
	var log bytes.Buffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", log.String())
		}
	})
	return Config{Server: server, Port: port, PostgresDSN: os.Getenv("PQDB_BENCH_PG_DSN"), Log: &log,
		Timeout: 5 * time.Minute, Rows: 20_000, CopyBatch: 7_000, Lookups: 300, Warmup: 10, Runs: 2, Baseline: true,
		DataDir: sharedDataDir(t), MaxOrders: 3_000}
}

var builtServer string

func buildServer(t *testing.T) string {
	t.Helper()
	if builtServer != "" {
		return builtServer
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "pqdb-server")); err != nil {
		t.Skipf("PQDB_BENCH_SERVER is not set and the pqdb repository is not at %s", root)
	}
	binary := filepath.Join(sharedTempDir, "pqdb-server")
	cmd := exec.Command("go", "build", "-o", binary, "./cmd/pqdb-server")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/pqdb-server: %v\n%s", err, out)
	}
	builtServer = binary
	return binary
}

// sharedTempDir holds what the tests of this binary share: the built server
// and the lineitem file, which dbgen can generate only once per process.
var sharedTempDir string

func sharedDataDir(t *testing.T) string { return filepath.Join(sharedTempDir, "data") }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "storagebench-test-*")
	if err != nil {
		panic(err)
	}
	sharedTempDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestPKLookupSmall(t *testing.T) {
	for _, shuffled := range []bool{false, true} {
		cfg := testConfig(t)
		cfg.Shuffled = shuffled
		res, err := PKLookup(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		pq := res[0]
		if pq.Server != "pqdb" || pq.Latency.Count != cfg.Lookups || pq.Latency.P50 <= 0 || pq.Latency.P99 < pq.Latency.P50 || pq.Latency.Max < pq.Latency.P99 {
			t.Errorf("shuffled %v: %+v", shuffled, pq)
		}
		// The lookup's scan must skip something: the key is in one row
		// group of one segment.
		if !pq.Scan.Has || pq.Scan.PagesSkipped == 0 {
			t.Errorf("shuffled %v: one lookup's scan skipped nothing: %+v", shuffled, pq.Scan)
		}
		table := PKLookupTable(res, cfg)
		if !strings.Contains(table, "| pqdb ") || !strings.Contains(table, "20,000") {
			t.Errorf("table:\n%s", table)
		}
	}
}

func TestCopyRSSSmall(t *testing.T) {
	cfg := testConfig(t)
	res, err := CopyRSS(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pq := res[0]
	if !pq.Measured || pq.DuringCopy.Peak < pq.DuringCopy.Before.Resident || pq.ThroughCheckpoint.Peak < pq.DuringCopy.Peak || pq.Copy <= 0 {
		t.Errorf("%+v", pq)
	}
	if !pq.DuringCopy.PeakReset {
		t.Logf("the kernel did not let the peak be reset: figures are lifetime peaks")
	}
	t.Logf("\n%s", CopyRSSTable(res, cfg))
}

func TestQ6SortedSmall(t *testing.T) {
	cfg := testConfig(t)
	res, err := Q6Sorted(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Mismatches(); len(m) > 0 {
		t.Fatal(m)
	}
	// DuckDB twice, pqdb without a sort key, then with it after CHECKPOINT,
	// VACUUM and VACUUM FULL.
	if len(res.Steps) != 6 {
		t.Fatalf("%d steps:\n%s", len(res.Steps), res.Table())
	}
	for _, s := range res.Steps[2:] {
		if !s.Scan.Has || s.Scan.RowGroupsRead == 0 {
			t.Errorf("%s: no scan counts: %+v", s.Layout, s.Scan)
		}
	}
	t.Logf("\n%s", res.Table())
}

func TestOrderByRSSSmall(t *testing.T) {
	cfg := testConfig(t)
	res, err := OrderByRSS(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	pq := res[0]
	if !pq.Measured || !pq.LoadMeasured || pq.Query <= 0 || pq.Rows == 0 {
		t.Errorf("%+v", pq)
	}
	t.Logf("\n%s", OrderByTable(res, cfg))
}

func TestSortCheck(t *testing.T) {
	type row struct{ date, key string }
	for _, tc := range []struct {
		rows []row
		bad  int // the 1-based row that must be refused; 0: all accepted
	}{
		{[]row{{"1995-01-09", "7"}, {"1995-01-09", "7"}, {"1995-01-09", "12"}, {"1995-01-10", "1"}, {"2000-01-01", "3"}}, 0},
		{[]row{{"1995-01-09", "7"}, {"1995-01-09", "6"}}, 2},
		{[]row{{"1995-01-10", "1"}, {"1995-01-09", "9"}}, 2},
		{[]row{{"1999-12-31", "1"}, {"2000-01-01", "1"}, {"1999-12-31", "2"}}, 3},
		{[]row{{"1995-01-09", "x"}}, 1},
	} {
		var c sortCheck
		bad := 0
		for i, r := range tc.rows {
			if err := c.add([]byte(r.date), []byte(r.key)); err != nil {
				bad = i + 1
				break
			}
		}
		if bad != tc.bad {
			t.Errorf("%v: refused row %d, want %d", tc.rows, bad, tc.bad)
		}
		if tc.bad == 0 && (c.rows != 5 || c.keySum != 30) {
			t.Errorf("%v: %d rows, key sum %d", tc.rows, c.rows, c.keySum)
		}
	}
}
