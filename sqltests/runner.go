package sqltests

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultEngine is the engine label skipif/onlyif conditions are matched
// against when Options.Engine is empty.
const DefaultEngine = "postgresql"

// DefaultMaxFailures is how many failures a Result keeps when
// Options.MaxFailures is zero.
const DefaultMaxFailures = 100

// Options tune a run.
type Options struct {
	// Engine is the label skipif/onlyif lines are matched against
	// (DefaultEngine when empty).
	Engine string
	// Timeout bounds each record; zero means no bound. A record that runs
	// out of time fails, and if the server connection did not survive the
	// cancellation the runner reconnects.
	Timeout time.Duration
	// MaxFailures is how many failures Result.Failures keeps: zero keeps
	// DefaultMaxFailures, a negative number keeps all.
	MaxFailures int
	// KeepObjects leaves the tables and views a file created in place
	// instead of dropping them when the file ends.
	KeepObjects bool
	// Schema, when set, runs each file in a fresh schema of that name:
	// it is dropped and created before the file, made the search_path of
	// every connection, and dropped after the file.
	Schema string
	// ExtendedProtocol sends each record through Parse/Bind/Execute
	// (text results) instead of a simple Query message. Records holding
	// several statements then fail, as they would for any extended-protocol
	// client.
	ExtendedProtocol bool
	// MatchErrors checks an expected error's pattern ("statement error
	// <regexp>", "query error <regexp>") against the error the server
	// raised, its message followed by " (SQLSTATE xxxxx)" as pgx prints
	// it. The shared corpora write patterns for other engines' messages,
	// so it is meant for scripts whose patterns are PostgreSQL's own.
	MatchErrors bool
}

// ErrCleanup marks the error RunFile returns when the file ran but the
// objects it created could not all be dropped afterwards.
var ErrCleanup = errors.New("cleanup after the file failed")

// connector opens a new connection to the server under test.
type connector func(ctx context.Context) (*pgx.Conn, error)

// RunFile runs the script at path on a fresh connection from connect and
// reports how its records fared. Failing records are recorded and the run
// goes on; the returned error is for what stops a file as a whole: it
// cannot be read, the server cannot be reached (or reached again after a
// record broke the connection), ctx ends, or cleanup fails. The Result
// holds what was counted up to that point.
func RunFile(ctx context.Context, connect func(ctx context.Context) (*pgx.Conn, error), path string, opts Options) (Result, error) {
	result := Result{File: path}
	script, err := ParseFile(path)
	if err != nil {
		return result, err
	}
	r := newFileRun(path, script, connect, opts)
	err = r.run(ctx)
	return r.result, err
}

// RunFiles runs every script named by paths (files, or directories searched
// recursively, see TestFiles), each with RunFile, and returns their
// results in order. It goes on after a file's error and returns all such
// errors joined; it stops early only when ctx ends.
func RunFiles(ctx context.Context, connect func(ctx context.Context) (*pgx.Conn, error), paths []string, opts Options) ([]Result, error) {
	files, err := TestFiles(paths)
	if err != nil {
		return nil, err
	}
	var results []Result
	var errs []error
	for _, f := range files {
		res, err := RunFile(ctx, connect, f, opts)
		results = append(results, res)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			if ctx.Err() != nil {
				break
			}
		}
	}
	return results, errors.Join(errs...)
}

// fileRun is the state of one script being run.
type fileRun struct {
	path    string
	script  *Script
	connect connector
	opts    Options
	engine  string
	maxKeep int

	conn      *pgx.Conn
	result    Result
	threshold int
	sortMode  SortMode
	labels    map[string]string
	created   objectTracker

	// observe, when set, sees every record that ran (statements and
	// queries with what the server produced, invalid records with an
	// empty outcome) before it is judged; completion (see CompleteFile)
	// records results through it.
	observe func(rec *Record, out outcome)
}

func newFileRun(path string, script *Script, connect connector, opts Options) *fileRun {
	r := &fileRun{
		path:     path,
		script:   script,
		connect:  connect,
		opts:     opts,
		engine:   opts.Engine,
		maxKeep:  opts.MaxFailures,
		result:   Result{File: path},
		sortMode: NoSort,
		labels:   make(map[string]string),
	}
	if r.engine == "" {
		r.engine = DefaultEngine
	}
	if r.maxKeep == 0 {
		r.maxKeep = DefaultMaxFailures
	}
	if script.Dialect == DialectSQLite {
		r.threshold = DefaultHashThreshold
	}
	return r
}

func (r *fileRun) run(ctx context.Context) (err error) {
	if err := r.open(ctx, true); err != nil {
		return err
	}
	defer func() {
		if cerr := r.cleanup(ctx); cerr != nil && err == nil {
			err = cerr
		}
		if r.conn != nil {
			_ = r.conn.Close(context.WithoutCancel(ctx))
		}
	}()
	for i := range r.script.Records {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := &r.script.Records[i]
		if rec.Skipped(r.engine) {
			if rec.Kind == KindStatement || rec.Kind == KindQuery || rec.Kind == KindInvalid {
				r.result.Skipped++
			}
			continue
		}
		switch rec.Kind {
		case KindHalt:
			return nil
		case KindHashThreshold:
			r.threshold = rec.Threshold
		case KindSortMode:
			r.sortMode = rec.Sort
		case KindInvalid:
			if r.observe != nil {
				r.observe(rec, outcome{})
			}
			r.fail(rec, "a valid record", rec.Problem)
		case KindStatement, KindQuery:
			r.runRecord(ctx, rec)
			if r.conn.IsClosed() {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := r.open(ctx, false); err != nil {
					return fmt.Errorf("reconnecting after line %d: %w", rec.Line, err)
				}
			}
		}
	}
	return nil
}

// open connects, and on the first connection of a file with Options.Schema
// recreates that schema.
func (r *fileRun) open(ctx context.Context, first bool) error {
	conn, err := r.connect(ctx)
	if err != nil {
		return err
	}
	r.conn = conn
	if r.opts.Schema == "" {
		return nil
	}
	schema := pgx.Identifier{r.opts.Schema}.Sanitize()
	var setup []string
	if first {
		setup = append(setup, "DROP SCHEMA IF EXISTS "+schema+" CASCADE", "CREATE SCHEMA "+schema)
	}
	setup = append(setup, "SET search_path TO "+schema)
	for _, sql := range setup {
		if err := execute(ctx, conn.PgConn(), sql, false, nil).err; err != nil {
			_ = conn.Close(context.WithoutCancel(ctx))
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}

func (r *fileRun) cleanup(ctx context.Context) error {
	if r.opts.KeepObjects || ctx.Err() != nil {
		return nil
	}
	if r.conn == nil || r.conn.IsClosed() {
		if err := r.open(ctx, false); err != nil {
			return fmt.Errorf("%w: reconnecting: %w", ErrCleanup, err)
		}
	}
	if r.opts.Schema != "" {
		sql := "DROP SCHEMA IF EXISTS " + pgx.Identifier{r.opts.Schema}.Sanitize() + " CASCADE"
		if err := execute(ctx, r.conn.PgConn(), sql, false, nil).err; err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCleanup, sql, err)
		}
		return nil
	}
	if err := dropObjects(ctx, r.conn.PgConn(), r.created.objects); err != nil {
		return fmt.Errorf("%w: dropping created objects: %w", ErrCleanup, err)
	}
	return nil
}

func (r *fileRun) pass() { r.result.Passed++ }

func (r *fileRun) fail(rec *Record, expected, got string) {
	r.result.Failed++
	if r.maxKeep >= 0 && len(r.result.Failures) >= r.maxKeep {
		return
	}
	r.result.Failures = append(r.result.Failures, Failure{
		File: r.path, Line: rec.Line, SQL: rec.SQL, Expected: expected, Got: got,
	})
}

func (r *fileRun) runRecord(parent context.Context, rec *Record) {
	ctx := parent
	if r.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.opts.Timeout)
		defer cancel()
	}
	var print printer
	if rec.Kind == KindQuery && !rec.ExpectError {
		print = r.printerFor(rec.Types)
	}
	out := execute(ctx, r.conn.PgConn(), rec.SQL, r.opts.ExtendedProtocol, print)
	if parent.Err() != nil {
		return // the run is being stopped; this record is not counted
	}
	if out.err == nil {
		r.created.observe(rec.SQL)
	} else if ctx.Err() != nil {
		out.err = fmt.Errorf("timed out after %s: %w", r.opts.Timeout, out.err)
	}
	if r.observe != nil {
		r.observe(rec, out)
	}

	switch {
	case rec.ExpectError:
		if out.err == nil {
			r.fail(rec, "error", "ok")
			return
		}
		if r.opts.MatchErrors && rec.ErrorPattern != "" {
			re, err := regexp.Compile(rec.ErrorPattern)
			if err != nil {
				r.fail(rec, "error matching "+rec.ErrorPattern, "invalid pattern: "+err.Error())
				return
			}
			if !re.MatchString(out.err.Error()) {
				r.fail(rec, "error matching "+rec.ErrorPattern, errorText(out.err))
				return
			}
		}
		r.pass()
	case out.err != nil:
		r.fail(rec, r.expectedSummary(rec), errorText(out.err))
	case rec.Kind == KindStatement:
		if rec.ExpectCount >= 0 && out.affected != rec.ExpectCount {
			r.fail(rec, fmt.Sprintf("%d rows affected", rec.ExpectCount), fmt.Sprintf("%d rows affected", out.affected))
			return
		}
		r.pass()
	default:
		r.checkQuery(rec, out)
	}
}

func errorText(err error) string { return "error: " + err.Error() }

func (r *fileRun) expectedSummary(rec *Record) string {
	if rec.Kind == KindStatement {
		return "ok"
	}
	if len(rec.Expected) == 0 {
		return "no rows"
	}
	return clip(rec.Expected)
}

// printerFor returns how values of a query with the given type string are
// printed in this file's dialect.
func (r *fileRun) printerFor(types string) printer {
	if r.script.Dialect == DialectRS {
		return func(_ int, text []byte, null bool, _ uint32) string { return FormatRaw(text, null) }
	}
	return func(col int, text []byte, null bool, oid uint32) string {
		letter := byte('T')
		if col < len(types) {
			letter = types[col]
		}
		return FormatValue(letter, text, null, oid)
	}
}
