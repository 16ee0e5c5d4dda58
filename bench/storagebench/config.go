package storagebench

import (
	"context"
	"debug/buildinfo"
	"fmt"
	"io"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

// Config is one measurement's setup. Zero fields that have a default take it
// in withDefaults.
type Config struct {
	// Server is the pqdb-server binary each measurement starts.
	Server string
	// Port is the loopback port of the started server (0: a free one).
	Port int
	// ServerArgs are extra pqdb-server arguments (e.g. --memory-limit 2GB).
	ServerArgs []string
	// ReadyTimeout bounds the wait for the started server.
	ReadyTimeout time.Duration
	// PostgresDSN, if set, is a PostgreSQL 15 database measured beside pqdb.
	PostgresDSN string

	// Rows is the kv table's size (PKLookup, CopyRSS).
	Rows int64
	// Shuffled loads kv's ids as a stride permutation of 1..Rows instead of
	// in order.
	Shuffled bool
	// CopyBatch is the rows per COPY statement of PKLookup's and the
	// lineitem loads.
	CopyBatch int64
	// Lookups and Warmup are PKLookup's timed and untimed lookups.
	Lookups, Warmup int
	// Seed drives the lookups' random ids.
	Seed uint64

	// DataDir holds the generated Parquet files.
	DataDir string
	// ScaleFactor is the TPC-H scale factor of lineitem (Q6Sorted,
	// OrderByRSS).
	ScaleFactor int64
	// MaxOrders cuts lineitem after the lines of this many orders (0: the
	// whole scale factor); small runs for tests.
	MaxOrders int64
	// Runs is how often Q6 runs per configuration; the median is reported.
	Runs int
	// Baseline also measures Q6 on a lineitem without a sort key.
	Baseline bool

	// Timeout bounds each statement (a load, a query).
	Timeout time.Duration
	// Log receives progress lines and diagnostics (plans, versions).
	Log io.Writer
}

func (c Config) withDefaults() Config {
	if c.ReadyTimeout <= 0 {
		c.ReadyTimeout = time.Minute
	}
	if c.Rows <= 0 {
		c.Rows = 10_000_000
	}
	if c.CopyBatch <= 0 {
		c.CopyBatch = tpch.RowGroupRows
	}
	if c.Lookups <= 0 {
		c.Lookups = 10_000
	}
	if c.Warmup < 0 {
		c.Warmup = 0
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if c.ScaleFactor <= 0 {
		c.ScaleFactor = 1
	}
	if c.Runs <= 0 {
		c.Runs = 5
	}
	if c.Timeout <= 0 {
		c.Timeout = time.Hour
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c
}

func (c Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, format+"\n", args...)
}

// startPQDB starts the configured pqdb-server on a fresh data directory and
// logs which build it is.
func (c Config) startPQDB(ctx context.Context) (*tpch.ServerProcess, error) {
	if c.Server == "" {
		return nil, fmt.Errorf("no pqdb-server binary given")
	}
	proc, err := tpch.StartServerProcessWith(ctx, c.Server, tpch.ServerOptions{Port: c.Port, Args: c.ServerArgs}, c.ReadyTimeout)
	if err != nil {
		return nil, err
	}
	c.logf("pqdb: started %s (%s) at %s, pid %d", c.Server, BuildRevision(c.Server), proc.DSN, proc.PID())
	return proc, nil
}

// onPQDB starts the configured pqdb-server on a fresh data directory, runs
// measure against it (its DSN and process id), and stops it; a failure
// carries the server's last log lines.
func onPQDB[R any](ctx context.Context, c Config, measure func(dsn string, pid int) (R, error)) (R, error) {
	proc, err := c.startPQDB(ctx)
	if err != nil {
		var none R
		return none, err
	}
	res, err := measure(proc.DSN, proc.PID())
	if err != nil {
		err = fmt.Errorf("%w\npqdb server log (last lines):\n%s", err, proc.LogTail(20))
	}
	if stopErr := proc.Stop(); err == nil && stopErr != nil {
		err = stopErr
	}
	return res, err
}

// BuildRevision is the commit a Go binary was built from, as its build
// information records it ("+dirty" when the tree had changes).
func BuildRevision(binary string) string {
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		return "build unknown"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "built without version control information"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "commit " + rev
}

// statement bounds one statement by the configured timeout.
func (c Config) statement(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.Timeout)
}
