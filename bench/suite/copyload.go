package suite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

// copyTable is the table the copy workload loads: not lineitem, so that the
// TPC-H tables of a PostgreSQL database shared with the tpch workload stay.
const copyTable = "lineitem_copy"

// copyCheck is the answer every engine's loaded table must give, the same as
// DuckDB's over the Parquet file: every column enters a sum, a min or a max,
// so a value loaded wrong, lost or doubled shows.
var copyCheck = tpch.Query{Name: "copy check", SQL: `SELECT count(*), sum(l_orderkey), sum(l_partkey), sum(l_suppkey),
	sum(l_linenumber), sum(l_quantity), sum(l_extendedprice), sum(l_discount), sum(l_tax),
	min(l_returnflag), max(l_linestatus), min(l_shipdate), max(l_commitdate), max(l_receiptdate),
	min(l_shipinstruct), max(l_shipmode), sum(length(l_comment)) FROM ` + copyTable}

// CopyConfig is one run of the copy workload.
type CopyConfig struct {
	ScaleFactor int64
	// Parquet is lineitem's Parquet file and Rows its row count; Files are
	// the COPY files made from it (EnsureCopyFiles).
	Parquet string
	Rows    int64
	Files   map[string]string
	// PQDBDSN is pqdb's session and PQDBPID its process (0: not ours, no
	// memory figure); PostgresDSN PostgreSQL's ("": skipped).
	PQDBDSN     string
	PQDBPID     int
	PostgresDSN string
	// Timeout bounds each COPY and each check.
	Timeout time.Duration
	Log     io.Writer
}

// copyFigure is one engine's load of one format.
type copyFigure struct {
	rate float64 // rows per second of the COPY statement
	err  error
}

// RunCopy loads lineitem in each COPY format into pqdb (COPY FROM STDIN),
// PostgreSQL (the same) and DuckDB (COPY FROM the file, for csv and for text
// as tab-separated CSV; DuckDB reads no PGCOPY), checks each loaded table
// against DuckDB's answer over the Parquet file, and returns one row per
// format. A failure of pqdb is its row's; a reference engine's failures
// leave its figures out and are returned together after every format ran.
func RunCopy(ctx context.Context, cfg CopyConfig) ([]Row, error) {
	reference, err := copyReference(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var rows []Row
	var referenceErrs []error
	for _, format := range CopyFormats {
		row := Row{Workload: fmt.Sprintf("COPY lineitem SF%d (FORMAT %s)", cfg.ScaleFactor, format), Unit: "rows/s", Figures: map[string]float64{}, Against: EnginePostgreSQL}
		if format != "binary" {
			if duck := copyIntoDuckDB(ctx, cfg, format, reference); duck.err != nil {
				fmt.Fprintf(cfg.Log, "DuckDB COPY %s FAILED: %v\n", format, duck.err)
				referenceErrs = append(referenceErrs, duck.err)
			} else {
				row.Figures[EngineDuckDB] = duck.rate
			}
		}
		if cfg.PostgresDSN != "" {
			if pg := copyIntoServer(ctx, cfg, EnginePostgreSQL, cfg.PostgresDSN, format, reference); pg.err != nil {
				fmt.Fprintf(cfg.Log, "PostgreSQL COPY %s FAILED: %v\n", format, pg.err)
				referenceErrs = append(referenceErrs, pg.err)
			} else {
				row.Figures[EnginePostgreSQL] = pg.rate
			}
		}
		if cfg.PQDBDSN != "" {
			peak := WatchPeak(cfg.PQDBPID)
			pqdb := copyIntoServer(ctx, cfg, EnginePQDB, cfg.PQDBDSN, format, reference)
			p := peak()
			row.PeakRSS, row.PeakRSSLifetime = p.Bytes, p.Lifetime
			if pqdb.err != nil {
				fmt.Fprintf(cfg.Log, "pqdb COPY %s FAILED: %v\n", format, pqdb.err)
				row.Failed = failureWord(pqdb.err)
			} else {
				row.Figures[EnginePQDB] = pqdb.rate
				row.Ratio = ratio(pqdb.rate, row.Figures[EnginePostgreSQL])
			}
			row.Target, row.Verdict = CopyTarget(format, row.Figures[EnginePQDB], row.Figures[EnginePostgreSQL])
		}
		rows = append(rows, row)
	}
	return rows, errors.Join(referenceErrs...)
}

// errWrongAnswer marks a load whose table differs from the Parquet file.
type errWrongAnswer struct{ diffs []string }

func (e errWrongAnswer) Error() string {
	return "WRONG ANSWER: the loaded table differs from the Parquet file: " + strings.Join(e.diffs, "; ")
}

// failureWord is the summary table's word for a failure.
func failureWord(err error) string {
	if errors.As(err, new(errWrongAnswer)) {
		return "wrong answer"
	}
	return tpch.ErrorCode(err)
}

// copyReference is copyCheck's answer from DuckDB over the Parquet file.
func copyReference(ctx context.Context, cfg CopyConfig) (tpch.Result, error) {
	duck, err := tpch.OpenDuckDB(ctx, map[string]string{copyTable: cfg.Parquet})
	if err != nil {
		return tpch.Result{}, err
	}
	defer duck.Close()
	res, _, err := duck.Run(ctx, copyCheck)
	return res, err
}

// copyIntoDuckDB times DuckDB's COPY of the file into a table of a fresh
// in-memory database.
func copyIntoDuckDB(ctx context.Context, cfg CopyConfig, format string, reference tpch.Result) copyFigure {
	duck, err := tpch.OpenDuckDB(ctx, nil)
	if err != nil {
		return copyFigure{err: err}
	}
	defer duck.Close()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := duck.Exec(ctx, copyCreateSQL()); err != nil {
		return copyFigure{err: err}
	}
	options := "FORMAT csv, HEADER false"
	if format == "text" {
		// The file has no backslash escapes (the data holds no tab, line
		// break or backslash), so it reads as tab-separated CSV without quotes.
		options += `, DELIMITER '\t', QUOTE '', ESCAPE ''`
	}
	start := time.Now()
	if err := duck.Exec(ctx, fmt.Sprintf("COPY %s FROM '%s' (%s)", copyTable, strings.ReplaceAll(cfg.Files[format], "'", "''"), options)); err != nil {
		return copyFigure{err: err}
	}
	elapsed := time.Since(start)
	res, _, err := duck.Run(ctx, copyCheck)
	if err != nil {
		return copyFigure{err: err}
	}
	if diffs := tpch.Compare(reference, res); len(diffs) > 0 {
		return copyFigure{err: fmt.Errorf("DuckDB COPY %s: %w", format, errWrongAnswer{diffs})}
	}
	fmt.Fprintf(cfg.Log, "DuckDB COPY %s: %d rows in %.2f s (%.0f rows/s), checked\n", format, cfg.Rows, elapsed.Seconds(), float64(cfg.Rows)/elapsed.Seconds())
	return copyFigure{rate: float64(cfg.Rows) / elapsed.Seconds()}
}

// copyIntoServer times one COPY FROM STDIN of the whole file into a new
// table on a PostgreSQL-protocol server, checks the table and drops it.
func copyIntoServer(ctx context.Context, cfg CopyConfig, name, dsn, format string, reference tpch.Result) copyFigure {
	srv, err := tpch.ConnectServer(ctx, name, dsn)
	if err != nil {
		return copyFigure{err: err}
	}
	defer srv.Close(ctx)
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := srv.Exec(ctx, "DROP TABLE IF EXISTS "+copyTable); err != nil {
		return copyFigure{err: err}
	}
	if err := srv.Exec(ctx, copyCreateSQL()); err != nil {
		return copyFigure{err: err}
	}
	defer srv.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+copyTable)
	f, err := os.Open(cfg.Files[format])
	if err != nil {
		return copyFigure{err: err}
	}
	defer f.Close()
	start := time.Now()
	n, err := srv.CopyFrom(ctx, fmt.Sprintf("COPY %s FROM STDIN (FORMAT %s)", copyTable, format), f)
	elapsed := time.Since(start)
	if err != nil {
		return copyFigure{err: err}
	}
	if n != cfg.Rows {
		return copyFigure{err: fmt.Errorf("%s COPY %s reported %d rows, the file has %d", name, format, n, cfg.Rows)}
	}
	checkpointStart := time.Now()
	if err := srv.Checkpoint(ctx); err != nil {
		return copyFigure{err: err}
	}
	checkpoint := time.Since(checkpointStart)
	res, _, err := srv.Run(ctx, copyCheck)
	if err != nil {
		return copyFigure{err: err}
	}
	if diffs := tpch.Compare(reference, res); len(diffs) > 0 {
		return copyFigure{err: fmt.Errorf("%s COPY %s: %w", name, format, errWrongAnswer{diffs})}
	}
	rate := float64(n) / elapsed.Seconds()
	fmt.Fprintf(cfg.Log, "%s COPY %s: %d rows in %.2f s (%.0f rows/s), CHECKPOINT %.2f s, checked\n", name, format, n, elapsed.Seconds(), rate, checkpoint.Seconds())
	return copyFigure{rate: rate}
}

// copyCreateSQL is lineitem's CREATE TABLE under the copy workload's name.
func copyCreateSQL() string {
	return strings.Replace(tpch.LineItemTable.CreateSQL(), "CREATE TABLE lineitem", "CREATE TABLE "+copyTable, 1)
}
