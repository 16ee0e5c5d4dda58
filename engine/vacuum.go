package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// vacuum runs VACUUM and ANALYZE (planner.VacuumPlan says what each does
// in pqdb). VACUUM, as in PostgreSQL, cannot run inside a transaction
// block: it works on committed data only, and neither its flush nor its
// compaction is undone by a rollback.
//
// VACUUM flushes the tails of the tables it names (of every table without
// names) and compacts their segments (storage.Store.Compact): small and
// delete-heavy segments are merged into large ones holding only live
// rows; FULL rewrites every segment. ANALYZE, and VACUUM (ANALYZE) after
// compacting, give the segments that lack distinct-value sketches (those
// written before segments carried them) theirs (storage.Store.Analyze).
// Readers are never blocked: they keep the segments of their snapshots.
func (s *Session) vacuum(p *planner.VacuumPlan, out ResultWriter) (string, error) {
	if p.Vacuum && s.txn != nil {
		return "", pgerr.New(pgerr.ActiveSqlTransaction, "VACUUM cannot run inside a transaction block")
	}
	tables := p.Tables
	if p.AllTables {
		if err := s.eng.store.Checkpoint(); err != nil {
			return "", err
		}
		snap := s.eng.store.Snapshot()
		for _, schema := range snap.Schemas() {
			tables = append(tables, snap.Tables(schema)...)
		}
	}
	notices := s.progressNotices(out)
	for i, t := range tables {
		if i > 0 && notices.due() {
			if err := notices.send("VACUUM: %d of %d tables done", i, len(tables)); err != nil {
				return "", err
			}
		}
		if p.Vacuum {
			if err := s.vacuumTable(p, t, out, &notices); err != nil {
				if p.AllTables && pgerr.CodeOf(err) == pgerr.UndefinedTable {
					continue // dropped since the list was made
				}
				return "", err
			}
		}
		if !p.Analyze {
			continue
		}
		if _, err := s.eng.store.Analyze(t.Schema, t.Name); err != nil {
			// A table dropped since the list was made, or one this
			// transaction created: its rows are not committed, so
			// there is nothing flushed to analyze.
			if pgerr.CodeOf(err) == pgerr.UndefinedTable && (p.AllTables || s.txn != nil) {
				continue
			}
			return "", err
		}
	}
	return p.Tag(), nil
}

// vacuumTable compacts t for VACUUM p, with progress notices while it
// merges.
func (s *Session) vacuumTable(p *planner.VacuumPlan, t *catalog.Table, out ResultWriter, notices *progressNotices) error {
	start := time.Now()
	if p.Verbose {
		if err := out.Notice(vacuumInfo("vacuuming \"%s\"", s.vacuumName(t, p.Full))); err != nil {
			return err
		}
	}
	var noticeErr error
	progress := func(merged, groups int, rows int64) {
		if noticeErr == nil && notices.due() {
			noticeErr = notices.send("vacuuming \"%s\": %d of %d segment groups merged, %d rows written", s.vacuumName(t, p.Full), merged, groups, rows)
		}
	}
	res, err := s.eng.store.Compact(t.Schema, t.Name, storage.CompactOptions{Full: p.Full, Progress: progress})
	if err == nil {
		err = noticeErr
	}
	if err != nil {
		return err
	}
	if p.Verbose {
		return out.Notice(vacuumReport(s.vacuumName(t, p.Full), p.Full, res, time.Since(start)))
	}
	return nil
}

// vacuumName is how VACUUM VERBOSE names t: database.schema.table, or
// schema.table for VACUUM FULL, as PostgreSQL 15 does.
func (s *Session) vacuumName(t *catalog.Table, full bool) string {
	if full {
		return t.Schema + "." + t.Name
	}
	return s.info.Database + "." + t.Schema + "." + t.Name
}

func vacuumInfo(format string, args ...any) *pgerr.Error {
	return &pgerr.Error{Severity: "INFO", Code: pgerr.SuccessfulCompletion, Message: fmt.Sprintf(format, args...)}
}

// vacuumReport is VACUUM VERBOSE's closing INFO message about one table,
// in PostgreSQL's shape with pqdb's facts: segments instead of pages,
// and the deleted rows a compaction stopped storing.
func vacuumReport(name string, full bool, res storage.CompactResult, took time.Duration) *pgerr.Error {
	segments := fmt.Sprintf("segments: %d merged into %d, %d before, %d remain", res.Inputs, res.Outputs, res.SegmentsBefore, res.SegmentsAfter)
	if full {
		e := vacuumInfo("\"%s\": found %d removable, %d nonremovable row versions in %d segments", name, res.DeletedRowsRemoved, res.LiveRows, res.Inputs)
		e.Detail = segments + "."
		return e
	}
	var b strings.Builder
	fmt.Fprintf(&b, "finished vacuuming \"%s\": %s\n", name, segments)
	fmt.Fprintf(&b, "tuples: %d removed, %d rewritten\n", res.DeletedRowsRemoved, res.LiveRows)
	fmt.Fprintf(&b, "system usage: elapsed: %.2f s", took.Seconds())
	return vacuumInfo("%s", b.String())
}
