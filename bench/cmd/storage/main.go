// Command storage measures what the storage issue asks BENCHMARKS.md to
// report: point-lookup latency by primary key, the peak RSS of a large COPY
// and of a large ORDER BY, and what a sort key lets TPC-H Q6 skip, each
// beside PostgreSQL 15 (-pg-dsn) or DuckDB. Package storagebench describes
// each measurement.
//
//	go run ./cmd/storage -server ../pqdb-server -mode pklookup -rows 10000000 -pg-dsn postgres://postgres@127.0.0.1:54316/bench_storage
//	go run ./cmd/storage -server ../pqdb-server -mode copyrss -rows 10000000
//	go run ./cmd/storage -server ../pqdb-server -mode q6sorted -sf 1
//	go run ./cmd/storage -server ../pqdb-server -mode orderbyrss -sf 10
//	go run ./cmd/storage -server ../pqdb-server -mode all -pg-dsn ...
//
// -mode generate -sf N only makes the lineitem file that q6sorted and
// orderbyrss would generate on first use, so a timed run can start from it.
//
// Each mode starts its own pqdb-server on a fresh data directory and prints
// the machine, progress, and a Markdown table for BENCHMARKS.md. -mode all
// (or a list such as pklookup,copyrss) runs each mode in a child process of
// this command, because dbgen, which generates lineitem, runs once per
// process. The exit status is 1 when a measurement fails or an answer is
// wrong.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/storagebench"
	"github.com/pqdb/pqdb/bench/tpch"
)

var modes = []string{"pklookup", "copyrss", "q6sorted", "orderbyrss"}

// defaultScaleFactors are the lineitem scale factors of the modes that use
// it, when -sf is not given.
var defaultScaleFactors = map[string]int64{"q6sorted": 1, "orderbyrss": 10, "generate": 1}

func main() {
	var cfg storagebench.Config
	var mode, serverArgs string
	flag.StringVar(&mode, "mode", "", "what to measure: "+strings.Join(modes, ", ")+", a comma-separated list of them, or all; generate only makes the lineitem file of -sf")
	flag.StringVar(&cfg.Server, "server", "", "pqdb-server binary to start (on a fresh data directory) for each measurement")
	flag.IntVar(&cfg.Port, "port", 0, "loopback port of the started pqdb-server (0: a free one)")
	flag.StringVar(&serverArgs, "server-args", "", "extra pqdb-server arguments, separated by spaces (e.g. '--memory-limit 2GB')")
	flag.DurationVar(&cfg.ReadyTimeout, "ready-timeout", time.Minute, "how long to wait for the started pqdb-server to accept sessions")
	flag.StringVar(&cfg.PostgresDSN, "pg-dsn", "", "PostgreSQL 15 database to measure beside pqdb (pklookup, copyrss, orderbyrss); its tables kv and lineitem are replaced and dropped")
	flag.Int64Var(&cfg.Rows, "rows", 10_000_000, "kv rows (pklookup, copyrss)")
	ids := flag.String("ids", "sequential", "kv ids as loaded: sequential (1..N in order) or shuffled")
	flag.Int64Var(&cfg.CopyBatch, "copy-batch", tpch.RowGroupRows, "rows per COPY statement (pklookup, lineitem loads; copyrss uses one COPY)")
	flag.IntVar(&cfg.Lookups, "lookups", 10_000, "timed point lookups (pklookup)")
	flag.IntVar(&cfg.Warmup, "warmup", 1_000, "untimed point lookups before the timed ones (pklookup)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the random lookup ids (pklookup)")
	flag.StringVar(&cfg.DataDir, "data-dir", "data", "directory of the generated Parquet files (shared with cmd/tpch)")
	flag.Int64Var(&cfg.ScaleFactor, "sf", 0, "TPC-H scale factor of lineitem (default: 1 for q6sorted, 10 for orderbyrss)")
	flag.Int64Var(&cfg.MaxOrders, "max-orders", 0, "cut lineitem after the lines of this many orders, for quick runs (0: the whole scale factor)")
	flag.IntVar(&cfg.Runs, "runs", 5, "runs of Q6 per configuration; the median is reported (q6sorted)")
	flag.BoolVar(&cfg.Baseline, "baseline", true, "also measure Q6 on lineitem without a sort key (q6sorted)")
	flag.DurationVar(&cfg.Timeout, "timeout", time.Hour, "limit for each statement (a load, a query, all the lookups)")
	flag.Parse()

	switch *ids {
	case "sequential":
	case "shuffled":
		cfg.Shuffled = true
	default:
		fail(2, "-ids must be sequential or shuffled, not %q", *ids)
	}
	cfg.ServerArgs = strings.Fields(serverArgs)
	selected, err := selectModes(mode)
	if err != nil {
		fail(2, "%v", err)
	}
	if cfg.Server == "" && selected[0] != "generate" {
		fail(2, "-server (the pqdb-server binary) is required")
	}
	if len(selected) > 1 {
		os.Exit(runChildren(selected))
	}
	cfg.Log = os.Stdout
	if err := run(context.Background(), selected[0], cfg, os.Stdout); err != nil {
		fail(1, "%v", err)
	}
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "storage: "+format+"\n", args...)
	os.Exit(code)
}

func selectModes(list string) ([]string, error) {
	if list == "all" {
		return modes, nil
	}
	if list == "generate" {
		return []string{list}, nil
	}
	var out []string
	for _, m := range strings.Split(list, ",") {
		m = strings.TrimSpace(m)
		known := false
		for _, k := range modes {
			known = known || k == m
		}
		if !known {
			return nil, fmt.Errorf("-mode: %q is not one of %s or all", m, strings.Join(modes, ", "))
		}
		out = append(out, m)
	}
	return out, nil
}

// runChildren runs each mode as `this-command <same flags> -mode M`, one
// after the other, and returns 1 if any failed.
func runChildren(selected []string) int {
	self, err := os.Executable()
	if err != nil {
		fail(1, "%v", err)
	}
	var args []string
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "mode" {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	status := 0
	for _, m := range selected {
		cmd := exec.Command(self, append(args, "-mode="+m)...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "storage: -mode %s: %v\n", m, err)
			status = 1
		}
	}
	return status
}

func run(ctx context.Context, mode string, cfg storagebench.Config, out io.Writer) error {
	if cfg.ScaleFactor == 0 {
		cfg.ScaleFactor = defaultScaleFactors[mode]
	}
	fmt.Fprintf(out, "## storage benchmark: %s\n\nmachine: %s\nstarted: %s\n\n", mode, tpch.DescribeMachine(), time.Now().UTC().Format(time.RFC3339))
	var table string
	var failed []string
	switch mode {
	case "pklookup":
		res, err := storagebench.PKLookup(ctx, cfg)
		if len(res) > 0 {
			table = storagebench.PKLookupTable(res, cfg)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	case "copyrss":
		res, err := storagebench.CopyRSS(ctx, cfg)
		if len(res) > 0 {
			table = storagebench.CopyRSSTable(res, cfg)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	case "q6sorted":
		res, err := storagebench.Q6Sorted(ctx, cfg)
		if res != nil && len(res.Steps) > 0 {
			table = res.Table()
			failed = append(failed, res.Mismatches()...)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	case "generate":
		path, rows, err := storagebench.PrepareLineitem(cfg)
		if err != nil {
			failed = append(failed, err.Error())
		}
		table = fmt.Sprintf("lineitem SF%d: %s, %d rows", cfg.ScaleFactor, path, rows)
	case "orderbyrss":
		res, err := storagebench.OrderByRSS(ctx, cfg)
		if len(res) > 0 {
			table = storagebench.OrderByTable(res, cfg)
		}
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	fmt.Fprintf(out, "\n%s\nload average at the end: %s\n\n", table, tpch.DescribeMachine().LoadAverage)
	if len(failed) > 0 {
		return fmt.Errorf("%s FAILED:\n%s", mode, strings.Join(failed, "\n"))
	}
	return nil
}
