// Command pqdb-slt runs sqllogictest scripts against a PostgreSQL-protocol
// server and prints, per file, how many records passed, failed and were
// skipped, then the totals.
//
//	pqdb-slt --dsn postgres://user@host:port/db [--engine postgresql] path...
//
// Paths are script files or directories searched recursively for .test,
// .slt and .slt.part files. Each file runs on its own connection; the tables
// and views it creates are dropped when it ends. The exit status is 0 even
// when records fail, unless --strict is given (then 1); it is 2 for usage
// errors and when a file could not be run to its end (unreadable, server
// unreachable).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/pqdb/pqdb/sqltests"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("pqdb-slt", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dsn := flags.String("dsn", os.Getenv("PQDB_DSN"), "connection string of the server under test (default $PQDB_DSN)")
	engine := flags.String("engine", sqltests.DefaultEngine, "engine label matched by skipif/onlyif")
	timeout := flags.Duration("timeout", 30*time.Second, "time limit per record (0 for none)")
	strict := flags.Bool("strict", false, "exit with status 1 when any record fails")
	verbose := flags.Bool("v", false, "print each failure")
	maxFailures := flags.Int("max-failures", sqltests.DefaultMaxFailures, "failures kept per file for -v (negative keeps all)")
	schema := flags.String("schema", "", "run each file in a fresh schema of this name")
	extended := flags.Bool("extended", false, "use the extended query protocol instead of simple queries")
	keep := flags.Bool("keep", false, "keep the tables and views each file creates")
	reset := flags.Bool("reset", false, "drop every table and view in schema public before each file")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: pqdb-slt --dsn postgres://... [flags] path...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *dsn == "" || flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	config, err := pgx.ParseConfig(*dsn)
	if err != nil {
		fmt.Fprintln(stderr, "pqdb-slt:", err)
		return 2
	}
	// A record that runs out of time is cancelled on the server first; the
	// connection is cut only if the cancel is not honoured.
	config.BuildContextWatcherHandler = func(pg *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pg, DeadlineDelay: 2 * time.Second}
	}
	connect := func(ctx context.Context) (*pgx.Conn, error) { return pgx.ConnectConfig(ctx, config) }

	files, err := sqltests.TestFiles(flags.Args())
	if err != nil {
		fmt.Fprintln(stderr, "pqdb-slt:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	opts := sqltests.Options{
		Engine:           *engine,
		Timeout:          *timeout,
		MaxFailures:      *maxFailures,
		KeepObjects:      *keep,
		Schema:           *schema,
		ExtendedProtocol: *extended,
	}
	var total sqltests.Result
	status := 0
	for _, file := range files {
		if *reset {
			if err := resetDatabase(ctx, connect); err != nil {
				fmt.Fprintf(stderr, "%s: reset: %v\n", file, err)
			}
		}
		res, err := sqltests.RunFile(ctx, connect, file, opts)
		fmt.Fprintf(stdout, "%s: %s\n", file, res.Summary())
		if *verbose {
			for _, f := range res.Failures {
				fmt.Fprintln(stdout, f.String())
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			if !errors.Is(err, sqltests.ErrCleanup) {
				status = 2
			}
			if errors.Is(err, context.Canceled) {
				break
			}
		}
		total.Passed += res.Passed
		total.Failed += res.Failed
		total.Skipped += res.Skipped
	}
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", total.Passed, total.Failed, total.Skipped)
	if status == 0 && *strict && total.Failed > 0 {
		status = 1
	}
	return status
}

func resetDatabase(ctx context.Context, connect func(context.Context) (*pgx.Conn, error)) error {
	conn, err := connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return sqltests.ResetDatabase(ctx, conn)
}
