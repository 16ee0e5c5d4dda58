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
//
// With --complete the files are rewritten instead of judged:
//
//	pqdb-slt --complete --dsn postgres://postgres@127.0.0.1:54316/scratch file.slt...
//
// runs each file on the server (meant to be PostgreSQL 15, the reference
// pqdb is held to) and replaces every query's expected result with the
// server's answer, in the file's dialect and sorted by the query's sort
// mode (see sqltests.CompleteFile). Statement records and expected errors
// are left as written; where the server disagrees with one (a "statement
// ok" that fails, a "statement error" or "query error" that succeeds, a
// query that fails or has another number of columns than its type string)
// the record is printed on stderr and the exit status is 1.
//
// With --list-failures every failed record is printed on stdout as
// path:line, the path as reached from the arguments, and the summaries
// go to stderr. That is how sqltests/testdata/postgres15-failures.txt, the
// records PostgreSQL 15 itself fails, is made (its header has the
// commands).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
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
	complete := flags.Bool("complete", false, "rewrite each file's expected query results with the server's answers")
	listFailures := flags.Bool("list-failures", false, "print each failed record as path:line on stdout (the summaries go to stderr)")
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
	if *complete {
		return completeFiles(ctx, connect, files, opts, *reset, stdout, stderr)
	}
	summaries := stdout
	if *listFailures {
		opts.MaxFailures = -1
		summaries = stderr
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
		fmt.Fprintf(summaries, "%s: %s\n", file, res.Summary())
		for _, f := range res.Failures {
			if *verbose {
				fmt.Fprintln(summaries, f.String())
			}
			if *listFailures {
				fmt.Fprintf(stdout, "%s:%d\n", filepath.ToSlash(f.File), f.Line)
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
	fmt.Fprintf(summaries, "%d passed, %d failed, %d skipped\n", total.Passed, total.Failed, total.Skipped)
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

// completeFiles rewrites each file with sqltests.CompleteFile, printing a
// line per file on stdout and each disagreement on stderr. The status is
// 2 when a file could not be completed, else 1 when anything disagreed.
func completeFiles(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), files []string, opts sqltests.Options, reset bool, stdout, stderr io.Writer) int {
	status := 0
	for _, file := range files {
		if reset {
			if err := resetDatabase(ctx, connect); err != nil {
				fmt.Fprintf(stderr, "%s: reset: %v\n", file, err)
			}
		}
		c, err := sqltests.CompleteFile(ctx, connect, file, opts)
		if err != nil {
			fmt.Fprintf(stderr, "%s: not completed: %v\n", file, err)
			status = 2
			if errors.Is(err, context.Canceled) {
				break
			}
			continue
		}
		for _, d := range c.Disagreements {
			fmt.Fprintln(stderr, d.String())
		}
		fmt.Fprintf(stdout, "%s: %d query results written, %d changed, %d records disagree\n", file, c.Queries, c.Changed, len(c.Disagreements))
		if len(c.Disagreements) > 0 && status == 0 {
			status = 1
		}
	}
	return status
}
