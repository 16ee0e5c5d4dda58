package tpch

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a database reached over the PostgreSQL protocol: pqdb, or
// PostgreSQL itself as a second reference.
type Server struct {
	Name string
	conn *pgx.Conn
}

// ConnectServer opens one session to dsn. Queries run with the simple
// protocol, so results arrive as the server's own text.
func ConnectServer(ctx context.Context, name, dsn string) (*Server, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Server{Name: name, conn: conn}, nil
}

// Version is the server's version() text, or its server_version parameter if
// version() is not available.
func (s *Server) Version(ctx context.Context) string {
	var v string
	if err := s.conn.QueryRow(ctx, "SELECT version()").Scan(&v); err == nil {
		return v
	}
	return s.conn.PgConn().ParameterStatus("server_version")
}

// exec runs one statement and names it in the error.
func (s *Server) exec(ctx context.Context, sql string) error {
	if _, err := s.conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %s: %w", s.Name, firstLine(sql), err)
	}
	return nil
}

// Exec runs one statement that returns no rows.
func (s *Server) Exec(ctx context.Context, sql string) error { return s.exec(ctx, sql) }

// CopyFrom runs sql, a COPY ... FROM STDIN, with r as its data and returns
// the rows the server reports loaded.
func (s *Server) CopyFrom(ctx context.Context, sql string, r io.Reader) (int64, error) {
	tag, err := s.conn.PgConn().CopyFrom(ctx, r, sql)
	if err != nil {
		return 0, fmt.Errorf("%s: %s: %w", s.Name, sql, err)
	}
	return tag.RowsAffected(), nil
}

// DropTable removes a table left by an earlier run.
func (s *Server) DropTable(ctx context.Context, t Table) error {
	return s.exec(ctx, "DROP TABLE IF EXISTS "+t.Name())
}

// CreateTable creates a table with the TPC-H column types.
func (s *Server) CreateTable(ctx context.Context, t Table) error {
	return s.exec(ctx, t.CreateSQL())
}

// Checkpoint asks the server to make everything loaded durable and, in pqdb,
// flushed to Parquet, so that queries measure the steady state.
func (s *Server) Checkpoint(ctx context.Context) error {
	return s.exec(ctx, "CHECKPOINT")
}

// LoadTable copies the rows of a table's Parquet file into the table with
// binary COPY, batchRows rows per COPY statement. progress, if set, is told the
// running total after each statement.
func (s *Server) LoadTable(ctx context.Context, t Table, parquetPath string, batchRows int64, progress func(int64)) (int64, error) {
	if batchRows < 1 {
		return 0, fmt.Errorf("%s: COPY batch size must be positive, got %d", s.Name, batchRows)
	}
	rows, err := t.copyRows(parquetPath)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var total int64
	for !rows.exhausted() {
		n, err := s.conn.CopyFrom(ctx, pgx.Identifier{t.Name()}, t.Columns(), rows.batch(batchRows))
		total += n
		if err != nil {
			return total, fmt.Errorf("%s: COPY %s after %d rows: %w", s.Name, t.Name(), total, err)
		}
		if progress != nil {
			progress(total)
		}
		if n == 0 {
			break
		}
	}
	return total, nil
}

// Count returns the number of rows the server has in a table.
func (s *Server) Count(ctx context.Context, table string) (int64, error) {
	var text string
	if err := s.conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&text); err != nil {
		return 0, fmt.Errorf("%s: count %s: %w", s.Name, table, err)
	}
	return strconv.ParseInt(text, 10, 64)
}

// Run executes q, reads its whole answer as text and returns it with the wall
// time.
func (s *Server) Run(ctx context.Context, q Query) (Result, time.Duration, error) {
	start := time.Now()
	rows, err := s.conn.Query(ctx, q.SQL)
	if err != nil {
		return Result{}, 0, fmt.Errorf("%s %s: %w", s.Name, q.Name, err)
	}
	defer rows.Close()
	var res Result
	for _, f := range rows.FieldDescriptions() {
		typeName := strconv.FormatUint(uint64(f.DataTypeOID), 10)
		if t, ok := s.conn.TypeMap().TypeForOID(f.DataTypeOID); ok {
			typeName = t.Name
		}
		res.Columns = append(res.Columns, Column{
			Name:        f.Name,
			Type:        typeName,
			Approximate: f.DataTypeOID == pgTypeFloat4 || f.DataTypeOID == pgTypeFloat8,
			Padded:      f.DataTypeOID == pgTypeBpchar,
		})
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]Value, len(raw))
		for i, b := range raw {
			if b == nil {
				row[i] = Value{Null: true}
			} else {
				row[i] = Value{Text: string(b)}
			}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return Result{}, 0, fmt.Errorf("%s %s: %w", s.Name, q.Name, err)
	}
	return res, time.Since(start), nil
}

// PostgreSQL type OIDs of the binary floating-point types and of char(n).
const (
	pgTypeBpchar = 1042
	pgTypeFloat4 = 700
	pgTypeFloat8 = 701
)

// Closed reports whether the server ended the session (after a FATAL error,
// for example).
func (s *Server) Closed() bool { return s.conn.IsClosed() }

// Close ends the session.
func (s *Server) Close(ctx context.Context) error { return s.conn.Close(ctx) }

func firstLine(sql string) string {
	for i, c := range sql {
		if c == '\n' {
			return sql[:i]
		}
	}
	return sql
}
