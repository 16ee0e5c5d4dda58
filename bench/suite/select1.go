package suite

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// Select1Config is one run of the SELECT 1 workload.
type Select1Config struct {
	// PQDBDSN is pqdb's session and PQDBPID its process (0: no memory
	// figure).
	PQDBDSN string
	PQDBPID int
	// MockAddr is where the mock listens ("127.0.0.1:0": a free port).
	MockAddr string
	// MockCommand, when set, runs the mock as a process of its own (a
	// program calling ServeMock), as pqdb runs; otherwise it runs in this
	// process.
	MockCommand []string
	Duration    time.Duration
	Log         io.Writer
}

// RunSelect1 runs SELECT 1 over the simple protocol on one session for the
// configured duration, first against the mock and then against pqdb, and
// returns the row comparing the two rates.
func RunSelect1(ctx context.Context, cfg Select1Config) (Row, error) {
	row := Row{Workload: fmt.Sprintf("SELECT 1, simple protocol, 1 client (%v)", cfg.Duration), Unit: "queries/s", Figures: map[string]float64{}, Against: EngineMock}
	var mock interface {
		DSN() string
		Close() error
	}
	var err error
	if len(cfg.MockCommand) > 0 {
		mock, err = StartMockProcess(cfg.MockCommand)
	} else {
		mock, err = StartMock(cfg.MockAddr)
	}
	if err != nil {
		return row, err
	}
	mockRate, err := Select1Rate(ctx, mock.DSN(), cfg.Duration)
	mock.Close()
	if err != nil {
		return row, fmt.Errorf("mock: %w", err)
	}
	row.Figures[EngineMock] = mockRate
	fmt.Fprintf(cfg.Log, "mock: SELECT 1 at %.0f queries/s\n", mockRate)

	peak := WatchPeak(cfg.PQDBPID)
	rate, err := Select1Rate(ctx, cfg.PQDBDSN, cfg.Duration)
	p := peak()
	row.PeakRSS, row.PeakRSSLifetime = p.Bytes, p.Lifetime
	if err != nil {
		fmt.Fprintf(cfg.Log, "pqdb SELECT 1 FAILED: %v\n", err)
		row.Failed = failureWord(err)
	} else {
		row.Figures[EnginePQDB] = rate
		row.Ratio = ratio(rate, mockRate)
		fmt.Fprintf(cfg.Log, "pqdb: SELECT 1 at %.0f queries/s\n", rate)
	}
	row.Target, row.Verdict = Select1Target(row.Figures[EnginePQDB], mockRate)
	return row, nil
}

// Select1Rate sends `SELECT 1` as simple Query messages, one at a time on
// one session, for d (after a warm-up of a hundred), checks every answer and
// returns the queries per second.
func Select1Rate(ctx context.Context, dsn string, d time.Duration) (float64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var one int32
	query := func() error {
		if err := conn.QueryRow(ctx, "SELECT 1", pgx.QueryExecModeSimpleProtocol).Scan(&one); err != nil {
			return err
		}
		if one != 1 {
			return errWrongAnswer{[]string{fmt.Sprintf("SELECT 1 returned %d", one)}}
		}
		return nil
	}
	for range 100 {
		if err := query(); err != nil {
			return 0, err
		}
	}
	var n int64
	start := time.Now()
	deadline := start.Add(d)
	for {
		if err := query(); err != nil {
			return 0, err
		}
		n++
		// The clock is read every 64 queries, not on each.
		if n%64 == 0 && time.Now().After(deadline) {
			break
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
