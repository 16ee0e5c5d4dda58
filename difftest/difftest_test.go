package difftest

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	flagQueries  = flag.Int("queries", 2000, "queries to generate (over all schemas)")
	flagSchemas  = flag.Int("schemas", 3, "random schemas (with their data) to spread the queries over")
	flagSeed     = flag.Uint64("seed", 1, "seed of the generator")
	flagOut      = flag.String("out", "", "directory for the load scripts and findings (default: the test's temporary directory)")
	flagFindings = flag.String("findings", "", "also append the findings, as Markdown, to this file")
	flagShrink   = flag.Int("shrink", 300, "statements the shrinker may run per finding")
	flagShrinkT  = flag.Int("shrinktotal", 1000, "statements all shrinks of one schema may run together")
	flagReduce   = flag.Int("reduce", 30, "attempts the data reducer may make per finding (0: no data reduction)")
	flagVerbose  = flag.Bool("dtverbose", false, "log every query")
	flagRounds   = flag.String("rounds", "", "comma-separated schema rounds to run, to reproduce seeds SEED*1000+ROUND of a long run (default: all)")
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(m.Run())
}

// TestDifferential runs random queries on pqdb and PostgreSQL 15 and
// fails on every difference (see doc.go).
func TestDifferential(t *testing.T) {
	bin := PGBinDir()
	if bin == "" {
		msg := "PostgreSQL 15 server binaries (initdb, pg_ctl, postgres) not found in $PQDB_PG15_BIN or, when unset, /usr/lib/postgresql/15/bin: the differential tester needs them (.ci/install-postgres installs them)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	pg, err := StartPostgres(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := pg.Stop(); err != nil {
			t.Log(err)
		}
	}()
	// An interrupted run stops its PostgreSQL too.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			pg.Stop()
			removeDirs()
			os.Exit(2)
		}
	}()
	out := *flagOut
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	nschemas := max(*flagSchemas, 1)
	var total Stats
	var findings int
	mdPath := filepath.Join(out, "findings.md")
	os.Remove(mdPath)
	only := map[int]bool{}
	for _, f := range strings.Split(*flagRounds, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			only[n] = true
		}
	}
	for round := range nschemas {
		if len(only) > 0 && !only[round] {
			continue
		}
		seed := *flagSeed*1000 + uint64(round)
		n := *flagQueries / nschemas
		if round == nschemas-1 {
			n = *flagQueries - n*(nschemas-1)
		}
		rn := runRound(t, pg, seed, n, out)
		total = mergeStats(total, rn.Stats)
		os.WriteFile(filepath.Join(out, fmt.Sprintf("summary-seed%d.txt", seed)), []byte(rn.Stats.Summary()), 0o644)
		var md strings.Builder
		for i, f := range rn.Findings {
			findings++
			rep := rn.Report(f, true)
			if findings <= 15 {
				t.Errorf("%s", rep)
			} else if i == 0 {
				t.Errorf("seed %d: %d more findings, see %s", seed, len(rn.Findings), mdPath)
			}
			fmt.Fprintf(&md, "## seed %d: %s / %s\n\n```\n%s```\n\n", seed, f.Oracle, f.Class, rep)
		}
		// Written round by round, so that a long run shows its findings
		// as it goes.
		for _, path := range []string{mdPath, *flagFindings} {
			if path == "" || md.Len() == 0 {
				continue
			}
			if fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				fh.WriteString(md.String())
				fh.Close()
			}
		}
	}
	t.Logf("seed %d, %d schemas, %s\n%s", *flagSeed, nschemas, time.Since(start).Round(time.Second), total.Summary())
	if findings > 0 {
		t.Logf("%d distinct findings; all in %s", findings, mdPath)
	}
}

// runRound makes one schema with its data on both servers (pqdb fresh,
// PostgreSQL's tables dropped first) and runs n queries over it.
func runRound(t *testing.T, pg *Postgres, seed uint64, n int, out string) *Runner {
	r := rand.New(rand.NewPCG(seed, 0xd1ff))
	schema := GenSchema(r)
	steps := GenData(r, schema)

	dir := dataDir(t)
	defer removeDir(dir)
	srv, pqDSN, err := StartPqdb(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// The round's TimeZone, the same on both servers, reads timestamptz
	// literals without an offset and decides every conversion between
	// timestamptz and the types without a zone.
	zone := drawZone(seed)
	init := []string{"SET TimeZone = " + quote(zone), "SET DateStyle = 'ISO, MDY'", "SET extra_float_digits = 1"}
	pgc, err := Connect("postgres", pg.DSN(), append(init, "SET statement_timeout = '20s'")...)
	if err != nil {
		t.Fatal(err)
	}
	defer pgc.Close()
	pqc, err := Connect("pqdb", pqDSN, init...)
	if err != nil {
		t.Fatal(err)
	}
	defer pqc.Close()

	// The load, on both servers, and in a file for reproductions.
	loadFile := filepath.Join(out, fmt.Sprintf("load-seed%d.sql", seed))
	var script strings.Builder
	if zone != "UTC" {
		script.WriteString("SET TimeZone = " + quote(zone) + ";\n")
	}
	for _, tb := range schema.Tables {
		if r := pgc.Run("DROP TABLE IF EXISTS " + tb.Name); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	for _, d := range schema.DDL() {
		script.WriteString(d + ";\n")
		for _, c := range []*Conn{pgc, pqc} {
			if r := c.Run(d); r.Err != nil {
				t.Fatalf("%s: %s: %v", c.Name, d, r.Err)
			}
		}
	}
	for _, s := range steps {
		if s.PqdbOnly {
			script.WriteString(s.SQL + "; -- pqdb only\n")
		} else {
			script.WriteString(s.SQL + ";\n")
		}
		for _, c := range []*Conn{pgc, pqc} {
			if s.PqdbOnly && c == pgc {
				continue
			}
			if r := c.Run(s.SQL); r.Err != nil {
				t.Fatalf("%s: %s: %v", c.Name, s.SQL, r.Err)
			}
		}
	}
	if err := os.WriteFile(loadFile, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("load: postgres %s, pqdb %s", pgc.Busy.Round(time.Millisecond), pqc.Busy.Round(time.Millisecond))
	pgc.Busy, pqc.Busy = 0, 0
	rn := NewRunner(pgc, pqc, schema, seed)
	rn.LoadFile = loadFile
	rn.TimeZone = zone
	rn.MaxShrink = *flagShrink
	rn.ReduceBudget = *flagReduce
	rn.ShrinkLeft = *flagShrinkT
	if *flagVerbose {
		rn.Debug = t.Logf
	}
	if missing := rn.DetectSettings(); len(missing) > 0 {
		t.Logf("pqdb lacks execution settings, not varied: %s", strings.Join(missing, "; "))
	}
	var sizes []string
	for _, tb := range schema.Tables {
		sizes = append(sizes, fmt.Sprintf("%s:%d rows flushed=%v", tb.Name, tb.Rows, tb.Flushed))
	}
	t.Logf("seed %d, TimeZone %s: %s", seed, zone, strings.Join(sizes, ", "))
	for i := range n {
		if dl, ok := t.Deadline(); ok && time.Until(dl) < time.Minute {
			t.Logf("seed %d: stopping after %d queries, near the test's deadline", seed, i)
			break
		}
		q, g, sc := GenQuery(r, schema)
		if *flagVerbose {
			t.Logf("query %d: %s", i, q.SQL())
		}
		rn.Check(q, g, sc)
	}
	t.Logf("queries: postgres %s, pqdb %s; slowest on pqdb %s: %s", pgc.Busy.Round(time.Millisecond), pqc.Busy.Round(time.Millisecond), pqc.SlowestTime.Round(time.Millisecond), pqc.Slowest)
	return rn
}

func mergeStats(a, b Stats) Stats {
	if a.Shapes == nil {
		a = Stats{Shapes: map[string]int{}, Unsupported: map[string]int{}, UnsupFeature: map[string]int{},
			BothErr: map[string]int{}, PGRejected: map[string]int{}, Configs: map[string]int{}, Tolerated: map[string]int{}}
	}
	a.Queries += b.Queries
	a.TLPChecked += b.TLPChecked
	a.NoRECChecked += b.NoRECChecked
	a.Failures += b.Failures
	for _, m := range [][2]map[string]int{{a.Shapes, b.Shapes}, {a.Unsupported, b.Unsupported}, {a.UnsupFeature, b.UnsupFeature},
		{a.BothErr, b.BothErr}, {a.PGRejected, b.PGRejected}, {a.Configs, b.Configs}, {a.Tolerated, b.Tolerated}} {
		for k, v := range m[1] {
			m[0][k] += v
		}
	}
	return a
}

// dataDir is a fresh directory for pqdb's data: in /dev/shm when there
// is one (the writer syncs every commit; on tmpfs that costs nothing).
// It is removed at the end of the test, or earlier with removeDir, or
// by the interrupt handler.
func dataDir(t testing.TB) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "difftest-pqdb-"); err == nil {
			dirsMu.Lock()
			dirs[dir] = true
			dirsMu.Unlock()
			t.Cleanup(func() { removeDir(dir) })
			return dir
		}
	}
	return t.TempDir()
}

var (
	dirsMu sync.Mutex
	dirs   = map[string]bool{}
)

func removeDir(dir string) {
	dirsMu.Lock()
	defer dirsMu.Unlock()
	if dirs[dir] {
		os.RemoveAll(dir)
		delete(dirs, dir)
	}
}

func removeDirs() {
	dirsMu.Lock()
	defer dirsMu.Unlock()
	for d := range dirs {
		os.RemoveAll(d)
		delete(dirs, d)
	}
}
