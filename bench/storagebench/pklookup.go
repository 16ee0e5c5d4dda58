package storagebench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pqdb/pqdb/bench/tpch"
)

// PKLookupResult is one server's point-lookup measurement.
type PKLookupResult struct {
	Server  string
	Version string
	Rows    int64
	// Load is the time of all the COPY statements, Checkpoint the
	// CHECKPOINT after them.
	Load, Checkpoint time.Duration
	Latency          LatencyStats
	// Scan is what EXPLAIN ANALYZE of one lookup says the scan read (pqdb).
	Scan ScanCounts
}

// PKLookup measures point lookups by primary key on pqdb and, if configured,
// on PostgreSQL (see the package documentation).
func PKLookup(ctx context.Context, cfg Config) ([]PKLookupResult, error) {
	cfg = cfg.withDefaults()
	res, err := onPQDB(ctx, cfg, func(dsn string, _ int) (PKLookupResult, error) {
		return measureLookups(ctx, cfg, "pqdb", dsn)
	})
	if err != nil {
		return nil, err
	}
	results := []PKLookupResult{res}
	if cfg.PostgresDSN != "" {
		res, err := measureLookups(ctx, cfg, "PostgreSQL", cfg.PostgresDSN)
		if err != nil {
			return results, err
		}
		results = append(results, res)
	}
	return results, nil
}

func measureLookups(ctx context.Context, cfg Config, name, dsn string) (PKLookupResult, error) {
	res := PKLookupResult{Server: name, Rows: cfg.Rows}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close(ctx)
	s := session{name: name, conn: conn, cfg: cfg}
	res.Version = s.version(ctx)
	drop, err := s.createKV(ctx)
	if err != nil {
		return res, err
	}
	defer drop()
	ids := newKVIDs(cfg.Rows, cfg.Shuffled)
	cfg.logf("%s: loading kv, %d rows (%s) in COPY statements of %d rows", name, cfg.Rows, ids, cfg.CopyBatch)
	start := time.Now()
	for from := int64(0); from < cfg.Rows; from += cfg.CopyBatch {
		if err := s.copyKV(ctx, ids, from, min(from+cfg.CopyBatch, cfg.Rows)); err != nil {
			return res, err
		}
	}
	res.Load = time.Since(start)
	if res.Checkpoint, err = s.timed(ctx, "CHECKPOINT"); err != nil {
		return res, err
	}
	cfg.logf("%s: loaded in %s (%s rows/s), CHECKPOINT %s", name, seconds(res.Load), perSecond(cfg.Rows, res.Load), seconds(res.Checkpoint))
	if err := s.checkCount(ctx, "kv", cfg.Rows); err != nil {
		return res, err
	}

	if _, err := conn.Prepare(ctx, "kv_lookup", kvLookup); err != nil {
		return res, fmt.Errorf("%s: prepare %s: %w", name, kvLookup, err)
	}
	lctx, cancel := cfg.statement(ctx)
	defer cancel()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b76))
	latencies := make([]time.Duration, cfg.Lookups)
	var v int32
	for i := -cfg.Warmup; i < cfg.Lookups; i++ {
		id := rng.Int64N(cfg.Rows) + 1
		start := time.Now()
		err := conn.QueryRow(lctx, "kv_lookup", id).Scan(&v)
		elapsed := time.Since(start)
		if err != nil {
			return res, fmt.Errorf("%s: lookup of id %d: %w", name, id, err)
		}
		if want := kvValue(id); v != want {
			return res, fmt.Errorf("%s: WRONG ANSWER: lookup of id %d returned v = %d, the row loaded has %d", name, id, v, want)
		}
		if i >= 0 {
			latencies[i] = elapsed
		}
	}
	if err := conn.QueryRow(lctx, "kv_lookup", cfg.Rows+1).Scan(&v); !errors.Is(err, pgx.ErrNoRows) {
		return res, fmt.Errorf("%s: WRONG ANSWER: lookup of absent id %d gave v = %d, error %v; want no row", name, cfg.Rows+1, v, err)
	}
	res.Latency = summarizeLatencies(latencies)

	plan, err := s.explainAnalyze(ctx, fmt.Sprintf("SELECT v FROM kv WHERE id = %d", cfg.Rows/2+1))
	if err != nil {
		return res, err
	}
	cfg.logf("%s: EXPLAIN ANALYZE of one lookup:\n%s", name, strings.Join(plan, "\n"))
	res.Scan, err = parseScanCounts(plan)
	return res, err
}

// PKLookupTable is the Markdown table of the results.
func PKLookupTable(results []PKLookupResult, cfg Config) string {
	cfg = cfg.withDefaults()
	rows := [][]string{{"server", "kv rows", "COPY", "rows/s", "CHECKPOINT", "lookups", "mean", "p50", "p95", "p99", "max", "one lookup's scan (EXPLAIN ANALYZE)"}}
	for _, r := range results {
		scan := "-"
		if r.Scan.Has {
			scan = fmt.Sprintf("row groups %s, pages %s, %s bytes",
				readOfTotal(r.Scan.RowGroupsRead, r.Scan.RowGroupsSkipped), readOfTotal(r.Scan.PagesRead, r.Scan.PagesSkipped), thousands(r.Scan.BytesRead))
		}
		l := r.Latency
		rows = append(rows, []string{r.Server, thousands(r.Rows), seconds(r.Load), perSecond(r.Rows, r.Load), seconds(r.Checkpoint),
			thousands(int64(l.Count)), millis(l.Mean), millis(l.P50), millis(l.P95), millis(l.P99), millis(l.Max), scan})
	}
	return fmt.Sprintf("Point lookups: `%s` through a pgx prepared statement, 1 client, %d random ids (uniform, seed %d) after %d untimed; kv loaded with %s by binary COPY of %d rows per statement, then CHECKPOINT.\n\n",
		kvLookup, cfg.Lookups, cfg.Seed, cfg.Warmup, newKVIDs(cfg.Rows, cfg.Shuffled), cfg.CopyBatch) + tpch.FormatTable(rows)
}
