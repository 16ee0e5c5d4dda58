package storagebench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" database/sql driver

	"github.com/pqdb/pqdb/bench/tpch"
)

// lineitemFile is the path of the lineitem Parquet file of cfg's scale
// factor; a file cut at MaxOrders lives in its own directory, so it is
// never taken for the whole table.
func lineitemFile(cfg Config) string {
	dir := cfg.DataDir
	if cfg.MaxOrders > 0 {
		dir = filepath.Join(dir, fmt.Sprintf("first-%d-orders", cfg.MaxOrders))
	}
	return tpch.TableFile(dir, "lineitem", cfg.ScaleFactor)
}

// ensureLineitem returns the lineitem file of cfg's scale factor and its row
// count, generating it with the dbgen port if it is missing or unreadable.
// dbgen runs once per process, so a process can generate one scale factor.
func ensureLineitem(cfg Config) (string, int64, error) {
	path := lineitemFile(cfg)
	rows, err := tpch.ParquetRowCount(path)
	if err == nil {
		cfg.logf("data: %s (%d rows, existing)", path, rows)
		return path, rows, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		cfg.logf("data: %s unusable (%v); generating it again", path, err)
	}
	cfg.logf("data: generating lineitem at SF%d with the dbgen port into %s", cfg.ScaleFactor, path)
	start := time.Now()
	generated, err := tpch.WriteTables(filepath.Dir(path),
		tpch.GenerateOptions{ScaleFactor: cfg.ScaleFactor, MaxOrders: cfg.MaxOrders, BatchRows: 8192}, "lineitem")
	if err != nil {
		return "", 0, err
	}
	rows = generated["lineitem"]
	cfg.logf("data: generated %d lineitem rows in %s", rows, seconds(time.Since(start)))
	return path, rows, nil
}

// ensureSortedLineitem returns a copy of the lineitem file sorted by
// l_shipdate (then l_orderkey, l_linenumber), written by DuckDB with row
// groups of tpch.RowGroupRows rows, making it if it is missing or does not
// hold rows rows.
func ensureSortedLineitem(ctx context.Context, cfg Config, path string, rows int64) (string, error) {
	sorted := strings.TrimSuffix(path, ".parquet") + "-by-shipdate.parquet"
	if n, err := tpch.ParquetRowCount(sorted); err == nil && n == rows {
		cfg.logf("data: %s (%d rows, existing)", sorted, n)
		return sorted, nil
	}
	start := time.Now()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "", err
	}
	defer db.Close()
	tmp := sorted + ".tmp"
	defer os.Remove(tmp)
	copySQL := fmt.Sprintf(`COPY (SELECT * FROM read_parquet(%s) ORDER BY l_shipdate, l_orderkey, l_linenumber)
TO %s (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE %d)`, quoteLiteral(path), quoteLiteral(tmp), tpch.RowGroupRows)
	if _, err := db.ExecContext(ctx, copySQL); err != nil {
		return "", fmt.Errorf("duckdb: sorting %s: %w", path, err)
	}
	if err := os.Rename(tmp, sorted); err != nil {
		return "", err
	}
	if n, err := tpch.ParquetRowCount(sorted); err != nil || n != rows {
		return "", fmt.Errorf("duckdb wrote %d rows to %s (%v), the source has %d", n, sorted, err, rows)
	}
	cfg.logf("data: %s sorted by l_shipdate by DuckDB in %s", sorted, seconds(time.Since(start)))
	return sorted, nil
}

// quoteLiteral writes s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// loadLineitem creates lineitem on a server (with extra table options such
// as WITH (sort_key = ...), or none), loads the Parquet file into it with
// binary COPY in cfg.CopyBatch-row statements and checkpoints. It returns
// the COPY and CHECKPOINT times.
func loadLineitem(ctx context.Context, cfg Config, srv *tpch.Server, path string, rows int64, tableOptions string) (load, checkpoint time.Duration, err error) {
	if err := runStatement(ctx, cfg, srv, "DROP TABLE IF EXISTS lineitem"); err != nil {
		return 0, 0, err
	}
	create := tpch.LineItemTable.CreateSQL()
	if tableOptions != "" {
		create += " " + tableOptions
	}
	if err := runStatement(ctx, cfg, srv, create); err != nil {
		return 0, 0, err
	}
	lctx, cancel := cfg.statement(ctx)
	defer cancel()
	start := time.Now()
	lastReport := start
	n, err := srv.LoadTable(lctx, tpch.LineItemTable, path, cfg.CopyBatch, func(total int64) {
		if time.Since(lastReport) >= 30*time.Second {
			lastReport = time.Now()
			cfg.logf("%s: loaded %d of %d lineitem rows", srv.Name, total, rows)
		}
	})
	load = time.Since(start)
	if err != nil {
		return load, 0, err
	}
	if n != rows {
		return load, 0, fmt.Errorf("%s: COPY loaded %d lineitem rows, the file has %d", srv.Name, n, rows)
	}
	start = time.Now()
	if err := srv.Checkpoint(lctx); err != nil {
		return load, 0, err
	}
	checkpoint = time.Since(start)
	cfg.logf("%s: lineitem %s: %d rows loaded in %s (%s rows/s), CHECKPOINT %s",
		srv.Name, orDefault(tableOptions, "without table options"), n, seconds(load), perSecond(n, load), seconds(checkpoint))
	if count, err := srv.Count(lctx, "lineitem"); err != nil {
		return load, checkpoint, err
	} else if count != rows {
		return load, checkpoint, fmt.Errorf("%s: WRONG ANSWER: lineitem has %d rows, %d were loaded", srv.Name, count, rows)
	}
	return load, checkpoint, nil
}

// runStatement runs one statement on a tpch.Server, bounded by the timeout.
func runStatement(ctx context.Context, cfg Config, srv *tpch.Server, sql string) error {
	ctx, cancel := cfg.statement(ctx)
	defer cancel()
	_, _, err := srv.Run(ctx, tpch.Query{Name: firstWords(sql), SQL: sql})
	return err
}

func firstWords(sql string) string {
	if i := strings.IndexAny(sql, "(\n"); i > 0 {
		return strings.TrimSpace(sql[:i])
	}
	return sql
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// PrepareLineitem makes the lineitem file of cfg's scale factor ahead of
// the measurements, which otherwise generate it on first use. It returns
// the file and its rows.
func PrepareLineitem(cfg Config) (string, int64, error) {
	return ensureLineitem(cfg.withDefaults())
}
