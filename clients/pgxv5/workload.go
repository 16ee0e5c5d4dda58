package pgxv5

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
)

// Run connects to dsn and runs the workload, printing to w. A failing step
// is printed and the next one runs; the error is for a failure to connect.
func Run(ctx context.Context, w io.Writer, dsn string) error {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return err
	}
	// Cancel a statement the way PostgreSQL clients do when its context
	// ends: a CancelRequest on a second connection, keeping this one.
	config.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: 10 * time.Second}
	}
	conn, err := pgx.ConnectConfig(ctx, config)
	if err != nil {
		return err
	}
	defer func() { conn.Close(context.Background()) }()
	steps := []struct {
		name string
		run  func(context.Context, io.Writer, *pgx.Conn) error
	}{
		{"create", create},
		{"batch", batch},
		{"pipeline", pipeline},
		{"binary results", binaryResults},
		{"application", application},
		{"context cancellation", cancellation},
	}
	for _, s := range steps {
		fmt.Fprintln(w, "==", s.name)
		if err := s.run(ctx, w, conn); err != nil {
			fmt.Fprintln(w, "error", describe(err))
		}
		if conn.IsClosed() {
			if conn, err = pgx.ConnectConfig(ctx, config); err != nil {
				return err
			}
		}
	}
	return nil
}

// describe shows a server error as SQLSTATE and message.
func describe(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code + " " + pe.Message
	}
	return err.Error()
}

func create(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `CREATE TABLE samples (id int PRIMARY KEY, small smallint, big bigint, real4 real, real8 double precision,
		amount numeric(12,4), label text, code varchar(8), flag boolean, day date, at timestamp, atz timestamptz)`)
	if err == nil {
		fmt.Fprintln(w, "created")
	}
	return err
}

func batch(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	b := &pgx.Batch{}
	b.Queue("INSERT INTO samples (id, label) VALUES ($1, $2)", 1, "one")
	b.Queue("INSERT INTO samples (id, label) VALUES ($1, $2), ($3, $4)", 2, "two", 3, nil)
	b.Queue("SELECT id, label FROM samples ORDER BY id")
	b.Queue("SELECT count(*) FROM samples WHERE label IS NULL")
	results := conn.SendBatch(ctx, b)
	for _, want := range []string{"exec", "exec"} {
		tag, err := results.Exec()
		if err != nil {
			results.Close()
			return err
		}
		fmt.Fprintln(w, want, tag.String())
	}
	rows, err := results.Query()
	if err != nil {
		results.Close()
		return err
	}
	for rows.Next() {
		var id int32
		var label pgtype.Text
		if err := rows.Scan(&id, &label); err != nil {
			results.Close()
			return err
		}
		fmt.Fprintln(w, id, label.String, label.Valid)
	}
	rows.Close()
	var nulls int64
	if err := results.QueryRow().Scan(&nulls); err != nil {
		results.Close()
		return err
	}
	fmt.Fprintln(w, "null labels", nulls)
	if err := results.Close(); err != nil {
		return err
	}

	// An error inside a batch ends it: later statements are skipped, and
	// the statements before it roll back with it, since the whole batch
	// runs as one implicit transaction.
	b = &pgx.Batch{}
	b.Queue("INSERT INTO samples (id, label) VALUES ($1, $2)", 10, "ten")
	b.Queue("INSERT INTO samples (id, label) VALUES ($1, $2)", 1, "duplicate")
	b.Queue("INSERT INTO samples (id, label) VALUES ($1, $2)", 11, "eleven")
	err = conn.SendBatch(ctx, b).Close()
	fmt.Fprintln(w, "failing batch:", describe(err))
	var n int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM samples WHERE id = 11").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(w, "rows after the failing statement", n)
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM samples WHERE id = 10").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(w, "rows before the failing statement", n)
	return nil
}

// pipeline sends two segments, each ended by a Sync, in one round trip
// through pgconn. The error in the first segment skips the rest of it and
// rolls back its insert; the second segment runs as if nothing happened.
func pipeline(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	p := conn.PgConn().StartPipeline(ctx)
	insert := "INSERT INTO samples (id, label) VALUES ($1, $2)"
	p.SendQueryParams(insert, [][]byte{[]byte("40"), []byte("forty")}, nil, nil, nil)
	p.SendQueryParams(insert, [][]byte{[]byte("1"), []byte("duplicate")}, nil, nil, nil)
	p.SendQueryParams(insert, [][]byte{[]byte("41"), []byte("forty-one")}, nil, nil, nil)
	p.SendPipelineSync()
	p.SendQueryParams(insert, [][]byte{[]byte("42"), []byte("forty-two")}, nil, nil, nil)
	p.SendQueryParams("SELECT count(*) FROM samples WHERE id >= $1", [][]byte{[]byte("40")}, nil, nil, nil)
	if err := p.Sync(); err != nil {
		p.Close()
		return err
	}
	for syncs := 0; syncs < 2; {
		results, err := p.GetResults()
		switch r := results.(type) {
		case nil:
			if err == nil {
				p.Close()
				return errors.New("pipeline ended before its second sync")
			}
			fmt.Fprintln(w, "result error", describe(err))
		case *pgconn.ResultReader:
			res := r.Read()
			if res.Err != nil {
				fmt.Fprintln(w, "result error", describe(res.Err))
				continue
			}
			fmt.Fprintln(w, "result", res.CommandTag.String(), len(res.Rows), rowsText(res.Rows))
		case *pgconn.PipelineSync:
			syncs++
			fmt.Fprintln(w, "sync")
		default:
			fmt.Fprintf(w, "unexpected %T\n", r)
		}
	}
	if err := p.Close(); err != nil {
		return err
	}
	rows, err := conn.Query(ctx, "SELECT id, label FROM samples WHERE id >= 40 ORDER BY id")
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
		ID    int32
		Label string
	}])
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "rows after the pipeline", ids)
	return nil
}

// rowsText shows rows of text-format values.
func rowsText(rows [][][]byte) string {
	var s []string
	for _, row := range rows {
		for _, v := range row {
			s = append(s, string(v))
		}
	}
	return fmt.Sprint(s)
}

func binaryResults(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `INSERT INTO samples VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		20, int16(-7), int64(-1)<<50, float32(1.5), 1e-300, "12345678.1234", "ünïcode", "abc", true,
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 58, 123456000, time.UTC),
		time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	// pgx asks for binary results for every type it knows in the extended
	// protocol; the field descriptions say which format came back.
	rows, err := conn.Query(ctx, "SELECT id, small, big, real4, real8, amount, label, code, flag, day, at, atz FROM samples WHERE id = $1", 20)
	if err != nil {
		return err
	}
	defer rows.Close()
	for _, fd := range rows.FieldDescriptions() {
		fmt.Fprintf(w, "%s oid=%d format=%d\n", fd.Name, fd.DataTypeOID, fd.Format)
	}
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return err
		}
		for i, v := range values {
			if t, ok := v.(time.Time); ok {
				v = t.UTC().Format(time.RFC3339Nano)
			}
			if num, ok := v.(pgtype.Numeric); ok {
				v = numericText(num)
			}
			fmt.Fprintf(w, "%s %T %v\n", rows.FieldDescriptions()[i].Name, values[i], v)
		}
	}
	return rows.Err()
}

func cancellation(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	// 2^10 rows, then a filtered four-way cross join of 2^40 rows: far
	// longer than the deadline on any server.
	if _, err := conn.Exec(ctx, "CREATE TABLE spin (n int)"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "INSERT INTO spin VALUES (1)"); err != nil {
		return err
	}
	for i := 0; i < 10; i++ {
		if _, err := conn.Exec(ctx, "INSERT INTO spin SELECT n + 1 FROM spin"); err != nil {
			return err
		}
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	var n int64
	err := conn.QueryRow(short, "SELECT count(*) FROM spin a, spin b, spin c, spin d WHERE a.n + b.n * c.n = d.n * 7").Scan(&n)
	var pe *pgconn.PgError
	fmt.Fprintln(w, "deadline exceeded:", errors.Is(err, context.DeadlineExceeded), "server error:", errors.As(err, &pe))
	if pe != nil {
		fmt.Fprintln(w, describe(pe))
	}
	fmt.Fprintln(w, "connection closed:", conn.IsClosed())
	if conn.IsClosed() {
		return nil
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM spin").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(w, "after cancel", n)
	return nil
}
