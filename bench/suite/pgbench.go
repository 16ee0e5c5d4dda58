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
)

// PgbenchConfig is one run of the pgbench workload.
type PgbenchConfig struct {
	// Binary is PostgreSQL 15's pgbench.
	Binary string
	// Scale is pgbench -i's scale factor (100,000 accounts each) and
	// Duration each run's -T.
	Scale    int
	Duration time.Duration
	// PQDBDSN is pqdb's database and PQDBPID its process (0: no memory
	// figure); PostgresDSN PostgreSQL's ("": skipped). pgbench -i replaces
	// the pgbench_* tables there.
	PQDBDSN     string
	PQDBPID     int
	PostgresDSN string
	Log         io.Writer
}

// pgbenchRun is one timed pgbench invocation.
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

// RunPgbench initialises pgbench's tables on pqdb and PostgreSQL and runs
// each of pgbenchRuns on both; it returns one row per run. A pgbench failure
// on pqdb is its rows'; one on PostgreSQL, the reference, leaves its figures
// out and is returned.
func RunPgbench(ctx context.Context, cfg PgbenchConfig) ([]Row, error) {
	rows := make([]Row, len(pgbenchRuns))
	for i, run := range pgbenchRuns {
		rows[i] = Row{Workload: fmt.Sprintf("%s (scale %d, %v)", run.title, cfg.Scale, cfg.Duration), Unit: "tps", Figures: map[string]float64{}, Against: EnginePostgreSQL}
	}
	var referenceErr error
	if cfg.PostgresDSN != "" {
		results, err := pgbenchServer(ctx, cfg, EnginePostgreSQL, cfg.PostgresDSN, 0, rows)
		if err != nil {
			fmt.Fprintf(cfg.Log, "PostgreSQL pgbench FAILED: %v\n", err)
			referenceErr = err
		}
		for i, r := range results {
			rows[i].Figures[EnginePostgreSQL] = r.TPS
		}
	}
	if cfg.PQDBDSN == "" {
		return rows, referenceErr
	}
	results, err := pgbenchServer(ctx, cfg, EnginePQDB, cfg.PQDBDSN, cfg.PQDBPID, rows)
	for i, run := range pgbenchRuns {
		row := &rows[i]
		if i < len(results) {
			row.Figures[EnginePQDB] = results[i].TPS
			row.Ratio = ratio(results[i].TPS, row.Figures[EnginePostgreSQL])
			row.Target, row.Verdict = PgbenchTarget(run.tpcb, results[i].TPS, row.Figures[EnginePostgreSQL], results[i].Failed)
			continue
		}
		row.Failed = "not run"
		if i == len(results) {
			row.Failed = "pgbench failed"
		}
		row.Target, row.Verdict = PgbenchTarget(run.tpcb, 0, row.Figures[EnginePostgreSQL], 0)
	}
	if err != nil {
		fmt.Fprintf(cfg.Log, "pqdb pgbench FAILED: %v\n", err)
	}
	return rows, referenceErr
}

// pgbenchServer runs pgbench -i and then pgbenchRuns against one server,
// stopping at the first failure; it returns the results of the runs that
// completed. With a pid, each run's peak resident set goes into its row.
func pgbenchServer(ctx context.Context, cfg PgbenchConfig, name, dsn string, pid int, rows []Row) ([]PgbenchResult, error) {
	conn, err := pgbenchConnection(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	start := time.Now()
	if _, err := runPgbench(ctx, cfg, conn, "-i", "-s", strconv.Itoa(cfg.Scale), "-q"); err != nil {
		return nil, fmt.Errorf("%s: pgbench -i: %w", name, err)
	}
	fmt.Fprintf(cfg.Log, "%s: pgbench -i -s %d in %.1f s\n", name, cfg.Scale, time.Since(start).Seconds())
	var results []PgbenchResult
	for i, run := range pgbenchRuns {
		jobs := min(run.clients, runtime.NumCPU())
		peak := WatchPeak(pid)
		out, err := runPgbench(ctx, cfg, conn, "-b", run.builtin, "-M", "prepared", "-c", strconv.Itoa(run.clients),
			"-j", strconv.Itoa(jobs), "-T", strconv.Itoa(int(cfg.Duration.Seconds())))
		if pid != 0 {
			p := peak()
			rows[i].PeakRSS, rows[i].PeakRSSLifetime = p.Bytes, p.Lifetime
		}
		if err != nil {
			return results, fmt.Errorf("%s: %s: %w", name, run.title, err)
		}
		res, err := ParsePgbench(out)
		if err != nil {
			return results, fmt.Errorf("%s: %s: %w", name, run.title, err)
		}
		fmt.Fprintf(cfg.Log, "%s: %s: %.0f tps, %d transactions, %d failed\n", name, run.title, res.TPS, res.Processed, res.Failed)
		results = append(results, res)
	}
	return results, nil
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
