package storagebench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/bench/tpch"
)

// CopyRSSResult is one server's large-COPY measurement.
type CopyRSSResult struct {
	Server string
	Rows   int64
	// Copy is the one COPY statement's time, Checkpoint the CHECKPOINT's
	// after it.
	Copy, Checkpoint time.Duration
	// Measured says whether the server process's memory could be read;
	// DuringCopy is its peak over the COPY, ThroughCheckpoint over the COPY
	// and the CHECKPOINT.
	Measured                      bool
	DuringCopy, ThroughCheckpoint MemoryPeak
}

// CopyRSS measures the peak memory of loading cfg.Rows kv rows with one COPY
// on pqdb and, if configured, on PostgreSQL.
func CopyRSS(ctx context.Context, cfg Config) ([]CopyRSSResult, error) {
	cfg = cfg.withDefaults()
	res, err := onPQDB(ctx, cfg, func(dsn string, pid int) (CopyRSSResult, error) {
		return measureCopy(ctx, cfg, "pqdb", dsn, pid)
	})
	if err != nil {
		return nil, err
	}
	results := []CopyRSSResult{res}
	if cfg.PostgresDSN != "" {
		res, err := measureCopy(ctx, cfg, "PostgreSQL", cfg.PostgresDSN, 0)
		if err != nil {
			return results, err
		}
		results = append(results, res)
	}
	return results, nil
}

// measureCopy loads kv with one COPY, watching process pid (0: the session's
// PostgreSQL backend, if it is on this machine).
func measureCopy(ctx context.Context, cfg Config, name, dsn string, pid int) (CopyRSSResult, error) {
	res := CopyRSSResult{Server: name, Rows: cfg.Rows}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close(ctx)
	s := session{name: name, conn: conn, cfg: cfg}
	s.version(ctx)
	drop, err := s.createKV(ctx)
	if err != nil {
		return res, err
	}
	defer drop()
	watch, err := s.watchServer(ctx, pid)
	if err != nil {
		return res, err
	}
	defer func() {
		if watch != nil {
			watch.finish()
		}
	}()

	ids := newKVIDs(cfg.Rows, cfg.Shuffled)
	cfg.logf("%s: one COPY of %d kv rows (%s)", name, cfg.Rows, ids)
	start := time.Now()
	if err := s.copyKV(ctx, ids, 0, cfg.Rows); err != nil {
		return res, err
	}
	res.Copy = time.Since(start)
	if watch != nil {
		if res.DuringCopy, err = watch.read(); err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
	}
	if res.Checkpoint, err = s.timed(ctx, "CHECKPOINT"); err != nil {
		return res, err
	}
	if watch != nil {
		res.ThroughCheckpoint, err = watch.finish()
		watch = nil
		if err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		res.Measured = true
	}
	cfg.logf("%s: COPY %s (%s rows/s), CHECKPOINT %s", name, seconds(res.Copy), perSecond(cfg.Rows, res.Copy), seconds(res.Checkpoint))
	return res, s.checkCount(ctx, "kv", cfg.Rows)
}

// CopyRSSTable is the Markdown table of the results.
func CopyRSSTable(results []CopyRSSResult, cfg Config) string {
	cfg = cfg.withDefaults()
	rows := [][]string{{"server", "rows", "COPY", "rows/s", "RSS before", "peak RSS during COPY", "peak anon RSS (sampled)", "CHECKPOINT", "peak RSS through CHECKPOINT"}}
	for _, r := range results {
		before, during, anon, through := "-", "-", "-", "-"
		if r.Measured {
			before, during, anon, through = mib(r.DuringCopy.Before.Resident), r.DuringCopy.describePeak(), mib(r.DuringCopy.PeakAnon), r.ThroughCheckpoint.describePeak()
		}
		rows = append(rows, []string{r.Server, thousands(r.Rows), seconds(r.Copy), perSecond(r.Rows, r.Copy), before, during, anon, seconds(r.Checkpoint), through})
	}
	return fmt.Sprintf("One binary COPY of %s rows into kv (id bigint primary key, v int, pad text of %d characters; %s), then CHECKPOINT. Peak RSS is the server process's VmHWM (PostgreSQL: the session's backend, whose resident set includes the shared buffers it touched; its CHECKPOINT runs in the checkpointer), reset just before the COPY.\n\n",
		thousands(cfg.Rows), kvPadLen, newKVIDs(cfg.Rows, cfg.Shuffled)) + tpch.FormatTable(rows)
}
