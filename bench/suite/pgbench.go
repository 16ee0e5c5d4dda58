package suite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pqdb/pqdb/bench/tpch"
)

// PgbenchConfig is one run of the pgbench workload.
type PgbenchConfig struct {
	// Binary is PostgreSQL 15's pgbench.
	Binary string
	// Scale is pgbench -i's scale factor (100,000 accounts each),
	// Duration each pgbench invocation's -T and Runs how many invocations
	// of each workload each server gets (0: one), alternating between
	// the servers.
	Scale    int
	Duration time.Duration
	Runs     int
	// PQDBDSN is pqdb's database and PQDBPID its process (0: no memory
	// figure); PostgresDSN PostgreSQL's ("": skipped). pgbench -i replaces
	// the pgbench_* tables there.
	PQDBDSN     string
	PQDBPID     int
	PostgresDSN string
	Log         io.Writer
}

// pgbenchRun is one timed pgbench workload.
type pgbenchRun struct {
	title   string
	builtin string // pgbench -b
	clients int
	tpcb    bool
}

// pgbenchRuns are the pgbench targets, in the order they run on
// each server: the TPC-B runs first, as BENCHMARKS.md's pgbench sections
// did, then the read-only one.
var pgbenchRuns = []pgbenchRun{
	{title: "pgbench TPC-B, 4 clients, prepared", builtin: "tpcb-like", clients: 4, tpcb: true},
	{title: "pgbench TPC-B, 16 clients, prepared", builtin: "tpcb-like", clients: 16, tpcb: true},
	{title: "pgbench -S (select-only), 4 clients, prepared", builtin: "select-only", clients: 4},
}

// PgbenchResult is what pgbench reported for one run.
type PgbenchResult struct {
	TPS       float64
	Processed int64
	Failed    int64
}

// pgbenchServer is one server pgbench runs against, and what its runs
// of each workload reported.
type pgbenchServer struct {
	name    string
	conn    pgbenchConn
	pid     int // 0: no memory figure
	results [][]PgbenchResult
	peak    []Peak // per workload, over its runs
	err     error  // the failure that stopped its runs
}

// RunPgbench initialises pgbench's tables on pqdb and PostgreSQL and runs
// each of pgbenchRuns on both, Runs times each, alternating the servers
// run by run (PostgreSQL first, then pqdb first, ...): a machine whose
// speed drifts during a run then favours neither. It returns one row per
// workload, of each server's median tps. A pgbench failure on pqdb is its
// rows' (the workload's and the later ones'); one on PostgreSQL, the
// reference, leaves its figures out and is returned.
func RunPgbench(ctx context.Context, cfg PgbenchConfig) ([]Row, error) {
	runs := max(cfg.Runs, 1)
	rows := make([]Row, len(pgbenchRuns))
	for i, run := range pgbenchRuns {
		title := fmt.Sprintf("%s (scale %d, %v)", run.title, cfg.Scale, cfg.Duration)
		if runs > 1 {
			title = fmt.Sprintf("%s (scale %d, median of %d × %v)", run.title, cfg.Scale, runs, cfg.Duration)
		}
		rows[i] = Row{Workload: title, Unit: "tps", Figures: map[string]float64{}, Against: EnginePostgreSQL}
	}
	pg := newPgbenchServer(ctx, cfg, EnginePostgreSQL, cfg.PostgresDSN, 0)
	pq := newPgbenchServer(ctx, cfg, EnginePQDB, cfg.PQDBDSN, cfg.PQDBPID)
	var servers []*pgbenchServer
	for _, srv := range []*pgbenchServer{pg, pq} {
		if srv != nil {
			servers = append(servers, srv)
		}
	}
	for i, run := range pgbenchRuns {
		for r := range runs {
			for k := range servers {
				if r%2 == 1 {
					k = len(servers) - 1 - k
				}
				servers[k].run(ctx, cfg, i, run)
			}
		}
	}
	for _, srv := range servers {
		if srv.err != nil {
			fmt.Fprintf(cfg.Log, "%s pgbench FAILED: %v\n", srv.name, srv.err)
		}
	}
	var referenceErr error
	if pg != nil {
		referenceErr = pg.err
		for i := range pgbenchRuns {
			if tps, ok := medianTPS(pg.results[i], runs); ok {
				rows[i].Figures[EnginePostgreSQL] = tps
			}
		}
	}
	if pq == nil {
		return rows, referenceErr
	}
	for i, run := range pgbenchRuns {
		row := &rows[i]
		row.PeakRSS, row.PeakRSSLifetime = pq.peak[i].Bytes, pq.peak[i].Lifetime
		if tps, ok := medianTPS(pq.results[i], runs); ok {
			var failed int64
			for _, res := range pq.results[i] {
				failed += res.Failed
			}
			row.Figures[EnginePQDB] = tps
			row.Ratio = ratio(tps, row.Figures[EnginePostgreSQL])
			row.Target, row.Verdict = PgbenchTarget(run.tpcb, tps, row.Figures[EnginePostgreSQL], failed)
			continue
		}
		row.Failed = "not run"
		if pq.err != nil && (i == 0 || len(pq.results[i-1]) == runs) {
			row.Failed = "pgbench failed"
		}
		row.Target, row.Verdict = PgbenchTarget(run.tpcb, 0, row.Figures[EnginePostgreSQL], 0)
	}
	return rows, referenceErr
}

// medianTPS is the median tps of a workload's results, when all runs of
// it completed.
func medianTPS(results []PgbenchResult, runs int) (float64, bool) {
	if len(results) != runs || runs == 0 {
		return 0, false
	}
	tps := make([]float64, len(results))
	for i, r := range results {
		tps[i] = r.TPS
	}
	return tpch.Median(tps), true
}

// newPgbenchServer is the server at dsn (nil when dsn is empty) with
// pgbench -i run on it; a failure is kept in its err and stops its runs.
func newPgbenchServer(ctx context.Context, cfg PgbenchConfig, name, dsn string, pid int) *pgbenchServer {
	if dsn == "" {
		return nil
	}
	srv := &pgbenchServer{name: name, pid: pid, results: make([][]PgbenchResult, len(pgbenchRuns)), peak: make([]Peak, len(pgbenchRuns))}
	srv.initialize(ctx, cfg, dsn)
	return srv
}

// initialize runs pgbench -i on the server; a failure stops its runs.
func (srv *pgbenchServer) initialize(ctx context.Context, cfg PgbenchConfig, dsn string) {
	conn, err := pgbenchConnection(dsn)
	if err != nil {
		srv.err = fmt.Errorf("%s: %w", srv.name, err)
		return
	}
	srv.conn = conn
	start := time.Now()
	if _, err := runPgbench(ctx, cfg, conn, "-i", "-s", strconv.Itoa(cfg.Scale), "-q"); err != nil {
		srv.err = fmt.Errorf("%s: pgbench -i: %w", srv.name, err)
		return
	}
	fmt.Fprintf(cfg.Log, "%s: pgbench -i -s %d in %.1f s\n", srv.name, cfg.Scale, time.Since(start).Seconds())
}

// run runs workload i once on the server, unless an earlier failure
// stopped it; with a pid, the run's peak resident set raises the
// workload's.
func (srv *pgbenchServer) run(ctx context.Context, cfg PgbenchConfig, i int, run pgbenchRun) {
	if srv.err != nil {
		return
	}
	jobs := min(run.clients, runtime.NumCPU())
	peak := WatchPeak(srv.pid)
	out, err := runPgbench(ctx, cfg, srv.conn, "-b", run.builtin, "-M", "prepared", "-c", strconv.Itoa(run.clients),
		"-j", strconv.Itoa(jobs), "-T", strconv.Itoa(int(cfg.Duration.Seconds())))
	if srv.pid != 0 {
		if p := peak(); p.Bytes > srv.peak[i].Bytes {
			srv.peak[i] = p
		}
	}
	if err != nil {
		srv.err = fmt.Errorf("%s: %s: %w", srv.name, run.title, err)
		return
	}
	res, err := ParsePgbench(out)
	if err != nil {
		srv.err = fmt.Errorf("%s: %s: %w", srv.name, run.title, err)
		return
	}
	fmt.Fprintf(cfg.Log, "%s: %s: %.0f tps, %d transactions, %d failed\n", srv.name, run.title, res.TPS, res.Processed, res.Failed)
	srv.results[i] = append(srv.results[i], res)
}

// pgbenchConn is where pgbench connects: its command-line arguments and
// environment.
type pgbenchConn struct {
	args []string
	env  []string
}

// pgbenchConnection turns a connection string into pgbench's -h, -p, -U and
// database arguments, with the password and TLS choice in the environment.
func pgbenchConnection(dsn string) (pgbenchConn, error) {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return pgbenchConn{}, err
	}
	c := pgbenchConn{
		args: []string{"-h", cfg.Host, "-p", strconv.Itoa(int(cfg.Port)), "-U", cfg.User, cfg.Database},
		env:  os.Environ(),
	}
	if cfg.Password != "" {
		c.env = append(c.env, "PGPASSWORD="+cfg.Password)
	}
	if cfg.TLSConfig == nil {
		c.env = append(c.env, "PGSSLMODE=disable")
	}
	return c, nil
}

// runPgbench runs pgbench with args against conn and returns its output.
func runPgbench(ctx context.Context, cfg PgbenchConfig, conn pgbenchConn, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.Binary, append(args, conn.args...)...)
	cmd.Env = conn.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %w\n%s", cfg.Binary, strings.Join(args, " "), err, lastLines(out.String(), 15))
	}
	return out.String(), nil
}

var (
	pgbenchTPS       = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	pgbenchProcessed = regexp.MustCompile(`(?m)^number of transactions actually processed: ([0-9]+)`)
	pgbenchFailed    = regexp.MustCompile(`(?m)^number of failed transactions: ([0-9]+)`)
)

// ParsePgbench reads the figures of pgbench 15's report. A report without a
// failure count (pgbench before 15) counts as none failed.
func ParsePgbench(out string) (PgbenchResult, error) {
	var r PgbenchResult
	m := pgbenchTPS.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no tps line in pgbench's report:\n" + lastLines(out, 15))
	}
	var err error
	if r.TPS, err = strconv.ParseFloat(m[1], 64); err != nil {
		return r, err
	}
	if m := pgbenchProcessed.FindStringSubmatch(out); m != nil {
		r.Processed, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := pgbenchFailed.FindStringSubmatch(out); m != nil {
		r.Failed, _ = strconv.ParseInt(m[1], 10, 64)
	}
	return r, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// PgbenchBinary finds PostgreSQL 15's pgbench: Debian's PostgreSQL 15
// directory first (the wrapper on PATH may pick another version), then PATH.
func PgbenchBinary() string {
	const debian = "/usr/lib/postgresql/15/bin/pgbench"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	return ""
}
