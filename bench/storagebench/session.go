package storagebench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// session is one pgx connection to a measured server, with the statements
// the measurements share; errors name the server and the statement.
type session struct {
	name string
	conn *pgx.Conn
	cfg  Config
}

func (s session) exec(ctx context.Context, sql string) error {
	ctx, cancel := s.cfg.statement(ctx)
	defer cancel()
	if _, err := s.conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %s: %w", s.name, sql, err)
	}
	return nil
}

// timed runs a statement and returns its wall time.
func (s session) timed(ctx context.Context, sql string) (time.Duration, error) {
	start := time.Now()
	err := s.exec(ctx, sql)
	return time.Since(start), err
}

// version is the server's version() text.
func (s session) version(ctx context.Context) string {
	var v string
	if err := s.conn.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		return "version unknown"
	}
	s.cfg.logf("%s: %s", s.name, v)
	return v
}

// setting is SHOW name's value, or "?".
func (s session) setting(ctx context.Context, name string) string {
	var v string
	if err := s.conn.QueryRow(ctx, "SHOW "+name).Scan(&v); err != nil {
		return "?"
	}
	return v
}

func (s session) checkCount(ctx context.Context, table string, want int64) error {
	var n int64
	if err := s.conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		return fmt.Errorf("%s: count %s: %w", s.name, table, err)
	}
	if n != want {
		return fmt.Errorf("%s: WRONG ANSWER: %s has %d rows, %d were loaded", s.name, table, n, want)
	}
	return nil
}

// copyKV loads the kv rows at load positions [from, to) with one COPY.
func (s session) copyKV(ctx context.Context, ids kvIDs, from, to int64) error {
	ctx, cancel := s.cfg.statement(ctx)
	defer cancel()
	n, err := s.conn.CopyFrom(ctx, pgx.Identifier{"kv"}, kvColumns, newKVSource(ids, from, to))
	if err != nil {
		return fmt.Errorf("%s: COPY kv rows %d..%d: %w", s.name, from, to, err)
	}
	if n != to-from {
		return fmt.Errorf("%s: COPY kv reported %d rows, %d were sent", s.name, n, to-from)
	}
	return nil
}

// explainAnalyze returns the lines of EXPLAIN ANALYZE's text plan of sql.
func (s session) explainAnalyze(ctx context.Context, sql string) ([]string, error) {
	ctx, cancel := s.cfg.statement(ctx)
	defer cancel()
	rows, err := s.conn.Query(ctx, "EXPLAIN ANALYZE "+sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, fmt.Errorf("%s: EXPLAIN ANALYZE: %w", s.name, err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: EXPLAIN ANALYZE: %w", s.name, err)
	}
	return lines, nil
}

// createKV creates the kv table anew; on a reference server, which keeps
// no 10 M-row table of ours, the returned func drops it again.
func (s session) createKV(ctx context.Context) (drop func(), err error) {
	if err := s.exec(ctx, "DROP TABLE IF EXISTS kv"); err != nil {
		return nil, err
	}
	drop = func() {}
	if s.name != "pqdb" {
		drop = func() { s.exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS kv") }
	}
	if err := s.exec(ctx, kvCreate); err != nil {
		drop()
		return nil, err
	}
	return drop, nil
}

// watchServer starts sampling the memory of process pid (0: the session's
// PostgreSQL backend); nil when there is none on this machine to watch.
func (s session) watchServer(ctx context.Context, pid int) (*memoryWatch, error) {
	if pid == 0 {
		pid = s.backendPID(ctx)
	}
	if pid == 0 {
		return nil, nil
	}
	w, err := watchMemory(pid)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	return w, nil
}

// backendPID is the process serving this session on a PostgreSQL server,
// when that process runs on this machine (so its memory can be read), else
// 0.
func (s session) backendPID(ctx context.Context) int {
	var pid int
	if err := s.conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return 0
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.HasPrefix(string(cmdline), "postgres") {
		s.cfg.logf("%s: backend %d is not a postgres process on this machine; its memory is not measured", s.name, pid)
		return 0
	}
	return pid
}
