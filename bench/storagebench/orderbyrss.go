package storagebench

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/bench/tpch"
)

// orderBySQL is the query OrderByRSS drains.
const orderBySQL = "SELECT * FROM lineitem ORDER BY l_shipdate, l_orderkey"

// Positions of the columns the drain checks, in lineitem's column order.
const (
	orderKeyColumn = 0
	shipDateColumn = 10
)

// OrderByResult is one server's large-sort measurement.
type OrderByResult struct {
	Server           string
	Rows             int64
	Load, Checkpoint time.Duration
	// LoadMeasured and LoadMemory: the server's peak over the load and its
	// CHECKPOINT (pqdb only; PostgreSQL's load runs in another backend).
	LoadMeasured bool
	LoadMemory   MemoryPeak
	// Query is the time from sending the query to reading its last row.
	Query time.Duration
	// Measured and Memory: the serving process's peak over the query.
	Measured bool
	Memory   MemoryPeak
	WorkMem  string
}

// OrderByRSS measures a full sort of lineitem drained by the client on pqdb
// and, if configured, on PostgreSQL.
func OrderByRSS(ctx context.Context, cfg Config) ([]OrderByResult, error) {
	cfg = cfg.withDefaults()
	path, rows, err := ensureLineitem(cfg)
	if err != nil {
		return nil, err
	}
	sum, err := orderKeySum(ctx, path)
	if err != nil {
		return nil, err
	}
	res, err := onPQDB(ctx, cfg, func(dsn string, pid int) (OrderByResult, error) {
		return measureOrderBy(ctx, cfg, "pqdb", dsn, pid, path, rows, sum)
	})
	if err != nil {
		return nil, err
	}
	results := []OrderByResult{res}
	if cfg.PostgresDSN != "" {
		res, err := measureOrderBy(ctx, cfg, "PostgreSQL", cfg.PostgresDSN, 0, path, rows, sum)
		if err != nil {
			return results, err
		}
		results = append(results, res)
	}
	return results, nil
}

// orderKeySum is DuckDB's sum of l_orderkey over the file, which the drained
// rows must add up to.
func orderKeySum(ctx context.Context, path string) (string, error) {
	duck, err := tpch.OpenDuckDB(ctx, map[string]string{"lineitem": path})
	if err != nil {
		return "", err
	}
	defer duck.Close()
	res, _, err := duck.Run(ctx, tpch.Query{Name: "sum(l_orderkey)", SQL: "SELECT sum(l_orderkey) FROM lineitem"})
	if err != nil {
		return "", err
	}
	if len(res.Rows) != 1 {
		return "", fmt.Errorf("duckdb: sum(l_orderkey) returned %d rows", len(res.Rows))
	}
	return res.Rows[0][0].Text, nil
}

// measureOrderBy loads lineitem into a server and drains the sort, watching
// process pid (0: the query session's PostgreSQL backend, if on this
// machine).
func measureOrderBy(ctx context.Context, cfg Config, name, dsn string, pid int, path string, rows int64, sum string) (OrderByResult, error) {
	res := OrderByResult{Server: name, Rows: rows}
	srv, err := tpch.ConnectServer(ctx, name, dsn)
	if err != nil {
		return res, err
	}
	defer srv.Close(context.WithoutCancel(ctx))
	cfg.logf("%s: %s", name, srv.Version(ctx))
	if name != "pqdb" {
		defer runStatement(context.WithoutCancel(ctx), cfg, srv, "DROP TABLE IF EXISTS lineitem")
	}
	var loadWatch *memoryWatch
	if pid != 0 {
		if loadWatch, err = watchMemory(pid); err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
	}
	res.Load, res.Checkpoint, err = loadLineitem(ctx, cfg, srv, path, rows, "")
	if loadWatch != nil {
		var werr error
		res.LoadMemory, werr = loadWatch.finish()
		res.LoadMeasured = werr == nil
	}
	if err != nil {
		return res, err
	}

	conf, err := pgx.ParseConfig(dsn)
	if err != nil {
		return res, err
	}
	conf.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pgx.ConnectConfig(ctx, conf)
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	s := session{name: name, conn: conn, cfg: cfg}
	res.WorkMem = s.setting(ctx, "work_mem")
	watch, err := s.watchServer(ctx, pid)
	if err != nil {
		return res, err
	}
	defer func() {
		if watch != nil {
			watch.finish()
		}
	}()
	cfg.logf("%s: %s (work_mem %s)", name, orderBySQL, res.WorkMem)
	qctx, cancel := cfg.statement(ctx)
	defer cancel()
	start := time.Now()
	got, gotSum, err := drainSorted(qctx, conn)
	res.Query = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("%s: %s: %w", name, orderBySQL, err)
	}
	if watch != nil {
		res.Memory, err = watch.finish()
		watch = nil
		if err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		res.Measured = true
	}
	if got != rows || strconv.FormatInt(gotSum, 10) != sum {
		return res, fmt.Errorf("%s: WRONG ANSWER: %s returned %d rows with sum(l_orderkey) %d; lineitem has %d rows with sum %s",
			name, orderBySQL, got, gotSum, rows, sum)
	}
	cfg.logf("%s: sorted %d rows in %s, peak RSS %s", name, got, seconds(res.Query), res.Memory.describePeak())
	return res, nil
}

// drainSorted runs orderBySQL and reads every row without keeping any,
// checking the order and adding up l_orderkey.
func drainSorted(ctx context.Context, conn *pgx.Conn) (count, orderKeySum int64, err error) {
	rows, err := conn.Query(ctx, orderBySQL)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var check sortCheck
	for rows.Next() {
		raw := rows.RawValues()
		if len(raw) <= shipDateColumn {
			return check.rows, check.keySum, fmt.Errorf("row %d has %d columns", check.rows+1, len(raw))
		}
		if err := check.add(raw[shipDateColumn], raw[orderKeyColumn]); err != nil {
			return check.rows, check.keySum, err
		}
	}
	return check.rows, check.keySum, rows.Err()
}

// sortCheck follows the rows of orderBySQL as text: (l_shipdate, l_orderkey)
// must never decrease. Dates arrive as YYYY-MM-DD, which order as bytes.
type sortCheck struct {
	rows, keySum int64
	lastDate     []byte
	lastKey      int64
}

func (c *sortCheck) add(date, orderKey []byte) error {
	key, err := strconv.ParseInt(string(orderKey), 10, 64)
	if err != nil {
		return fmt.Errorf("row %d: l_orderkey %q: %w", c.rows+1, orderKey, err)
	}
	if c.rows > 0 {
		if d := bytes.Compare(date, c.lastDate); d < 0 || d == 0 && key < c.lastKey {
			return fmt.Errorf("WRONG ANSWER: row %d (%s, %d) comes after (%s, %d)", c.rows+1, date, key, c.lastDate, c.lastKey)
		}
	}
	c.lastDate = append(c.lastDate[:0], date...)
	c.lastKey = key
	c.keySum += key
	c.rows++
	return nil
}

// OrderByTable is the Markdown table of the results.
func OrderByTable(results []OrderByResult, cfg Config) string {
	cfg = cfg.withDefaults()
	rows := [][]string{{"server", "rows", "load (COPY)", "rows/s", "CHECKPOINT", "peak RSS through load", "work_mem", "ORDER BY, drained", "peak RSS during ORDER BY", "peak anon RSS (sampled)"}}
	for _, r := range results {
		loadPeak, peak, anon := "-", "-", "-"
		if r.LoadMeasured {
			loadPeak = r.LoadMemory.describePeak()
		}
		if r.Measured {
			peak, anon = r.Memory.describePeak(), mib(r.Memory.PeakAnon)
		}
		rows = append(rows, []string{r.Server, thousands(r.Rows), seconds(r.Load), perSecond(r.Rows, r.Load), seconds(r.Checkpoint), loadPeak,
			r.WorkMem, seconds(r.Query), peak, anon})
	}
	scale := fmt.Sprintf("SF%d", cfg.ScaleFactor)
	if cfg.MaxOrders > 0 {
		scale += fmt.Sprintf(" cut after %d orders", cfg.MaxOrders)
	}
	return fmt.Sprintf("`%s` over lineitem %s (no sort key, loaded by binary COPY of %d rows per statement, then CHECKPOINT), on a new session with the simple protocol, every row read and dropped by the client (order, count and sum(l_orderkey) checked). Peak RSS is the server process's VmHWM (PostgreSQL: the query's backend, including the shared buffers it touched), reset after the load.\n\n",
		orderBySQL, scale, cfg.CopyBatch) + tpch.FormatTable(rows)
}
