package engine

import (
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// A statement keeps the plan it was last bound to (the binder's plan,
// optimized) and its next run reuses it instead of binding again, as
// PostgreSQL's plan cache keeps a prepared statement's plan. The binding
// is kept, and every run lowers the plan to fresh operators with its own
// parameter values and snapshot, so what a run reads is always its
// snapshot's rows. The one exception is a query lowering binds nothing of
// a run into (planner.LoweringReusable: VALUES rows, filters and
// projections of constants, as SELECT 1 is): its operators are re-opened
// by the next run (every exec operator is re-openable), as are the row
// encoder of a query's result (for the same formats and TimeZone) and
// its result columns, so such a statement costs no lowering at all.
//
// A kept plan is reused only while nothing binding reads has changed:
//
//   - the catalog: the run's snapshot must see the catalog the plan was
//     bound in (storage.Snapshot.SameCatalog: the same schemas, tables,
//     views, indexes, sequences, types, comments and roles, compared by
//     identity). Any DDL, committed by anyone or made by the run's own
//     transaction (a temporary table included), binds the statement
//     again; a new binding whose result columns differ from those a
//     client was told fails with 0A000 (cached_result.go), one that keeps
//     them runs silently, as in PostgreSQL.
//   - the session state binding reads: search_path, TimeZone (literals
//     and constant folding), every setting current_setting() folded, the
//     parameter types asked for, and whether the run has parameter
//     values. The user, database, backend pid and temporary schema do not
//     change in a session. DISCARD PLANS and DISCARD ALL drop every kept
//     plan (planGeneration).
//   - the table sizes that ordered its joins: a plan whose join order read
//     a table's estimated rows or distinct values is bound again once an
//     estimate moved by more than a factor of two (staleEstimates), where
//     PostgreSQL re-plans after ANALYZE. Between those, a plan is reused
//     for other data as PostgreSQL reuses a generic plan.
//
// Not kept: plans other than queries and INSERT, UPDATE, DELETE (a DDL
// or utility statement binds each time, as PostgreSQL re-analyzes
// utility statements), plans that read server files (read_parquet
// describes the files when bound, and they may change), and plans over a
// view whose stored query still holds a special datetime literal ('now',
// 'today': the binder reports each, Options.ReadClock), which would be
// read each time the view is bound. (CREATE VIEW stores the time such a
// literal read, as PostgreSQL does; a view stored before it did keeps
// the word.) Such a literal in the statement's own text is read
// when the statement is bound, so a prepared statement keeps the time it
// was bound at, as in PostgreSQL, where it is read at PREPARE; a simple
// Query's is read anew at every run (freshLiterals), as PostgreSQL
// analyzes every Query again.
//
// The kept snapshot is a catalog-only copy (catalogOf): it holds the
// catalog and the committed table states it saw, never the transaction's
// own pending rows.

// cachedPlan is a statement's kept binding and what it was bound under.
type cachedPlan struct {
	bound *planner.Bound
	// catalog is the catalog it was bound in.
	catalog *storage.Snapshot
	// params are the parameter types the run asked for (the client's,
	// Unknown where it left them to the server); noParams is the run's
	// Options.NoParams.
	params   []catalog.Type
	noParams bool
	// searchPath and timeZone are the raw settings when bound.
	searchPath, timeZone string
	// settings are the settings binding read, with what it read;
	// settingsChecked is the session's settingsVersion when the settings
	// were last found as they were.
	settings        []settingRead
	settingsChecked uint64
	// estimates are the table estimates binding read (join order).
	estimates []estimateRead
	// generation is the session's planGeneration when bound.
	generation uint64
	// columns are the result columns (resultColumns), computed once.
	columns []Column
	// encoder is the row encoder its last run used, lent to the next
	// (startRowsKept).
	encoder *rowEncoder
	// reusable is set for a query whose operators may run again
	// (planner.LoweringReusable); op is the last run's, lent to the next
	// (lowerQuery).
	reusable bool
	op       exec.Operator
	// rebindable is set for a lookup by primary key, or an UPDATE or
	// DELETE of the row one finds, whose operators may run again with
	// the next run's parameters and snapshot
	// (planner.LoweringRebindable); rebound is the last run's, lent to
	// the next (lendRebound).
	rebindable bool
	rebound    *planner.Rebindable
}

// settingRead is one read of a setting by the binder (current_setting).
type settingRead struct {
	name, value string
	ok          bool
}

// estimateRead is one table estimate the binder read: the table's
// estimated rows (col < 0) or a column's estimated distinct values.
type estimateRead struct {
	table *catalog.Table
	col   int
	n     int64
	ok    bool
	// fraction, for a fraction of rows read (a range's, the NULLs'),
	// reads it again; n is then the rows it picked.
	fraction func(*storage.Snapshot) (float64, bool)
}

// keptPlan returns st's kept plan when a run on snap with parameter
// types params may reuse it, else nil.
func (s *Session) keptPlan(st *statement, snap *storage.Snapshot, params []catalog.Type, noParams bool) *cachedPlan {
	c := st.plan
	if c == nil {
		return nil
	}
	if c.generation != s.planGeneration || !slices.Equal(c.params, params) ||
		// NoParams only decides how a $n binds, and a plan with none has
		// no $n.
		c.noParams != noParams && len(c.bound.Params) > 0 {
		return nil
	}
	if c.settingsChecked != s.settingsVersion {
		if c.searchPath != s.settings["search_path"] || c.timeZone != s.settings["timezone"] {
			return nil
		}
		for _, r := range c.settings {
			if v, ok := s.settings[r.name]; v != r.value || ok != r.ok {
				return nil
			}
		}
		c.settingsChecked = s.settingsVersion
	}
	if !c.catalog.SameCatalog(snap) || staleEstimates(c.estimates, snap) {
		return nil
	}
	return c
}

// bindRecorder watches one binding for what makes its plan reusable or
// not: the settings and estimates it reads and whether it opened files.
type bindRecorder struct {
	s         *Session
	settings  []settingRead
	estimates []estimateRead
	files     planner.FileAccess
	usedFiles bool
	// clockView is set when a view's query read the clock while bound,
	// clockLiteral when the statement's own text did.
	clockView, clockLiteral bool
}

// bindPlan binds st on snap with the session's options (NoParams set to
// noParams), watching what the binding reads; keep then keeps the plan
// for later runs when it may be.
func (s *Session) bindPlan(st *statement, snap *storage.Snapshot, params []catalog.Type, noParams bool) (*planner.Bound, *bindRecorder, error) {
	r := &bindRecorder{s: s}
	opts := s.bindOptions()
	opts.NoParams = noParams
	opts.Setting = r.setting
	opts.ReadClock = r.readClock
	r.files, opts.Files = opts.Files, r
	bound, err := planner.Bind(watchedCatalog{snap, r}, st.Statement, params, opts)
	return bound, r, err
}

func (r *bindRecorder) setting(name string) (string, bool) {
	name = lower(name)
	v, ok := r.s.settings[name]
	r.settings = append(r.settings, settingRead{name: name, value: v, ok: ok})
	return v, ok
}

// readClock hears of a literal read from the clock while binding.
func (r *bindRecorder) readClock(inView bool) {
	if inView {
		r.clockView = true
	} else {
		r.clockLiteral = true
	}
}

// ParquetFiles opens files for read_parquet; a plan that does is not kept.
func (r *bindRecorder) ParquetFiles(name string, paths []string) (*storage.ParquetFiles, error) {
	r.usedFiles = true
	return r.files.ParquetFiles(name, paths)
}

// keep keeps bound, the binding r watched on snap, as st's plan when its
// kind of plan is kept (see above); otherwise st keeps none.
func (r *bindRecorder) keep(st *statement, bound *planner.Bound, snap *storage.Snapshot, params []catalog.Type, noParams bool) *cachedPlan {
	st.plan = nil
	if r.usedFiles || r.clockView || st.freshLiterals && r.clockLiteral || !plannedQuery(bound.Plan) {
		return nil
	}
	s := r.s
	st.plan = &cachedPlan{
		bound:      bound,
		catalog:    catalogOf(snap),
		params:     slices.Clone(params),
		noParams:   noParams,
		searchPath: s.settings["search_path"],
		timeZone:   s.settings["timezone"],
		settings:   r.settings,
		estimates:  r.estimates,
		generation: s.planGeneration,
		columns:    resultColumns(bound.Plan, s),
	}
	// (settingsChecked starts at 0, which no session's settingsVersion
	// is: the first reuse compares the settings.)
	switch q := bound.Plan.(type) {
	case *planner.QueryPlan:
		if q.LockStrength == "" {
			st.plan.reusable = planner.LoweringReusable(q.Root)
			st.plan.rebindable = !st.plan.reusable && planner.LoweringRebindable(q.Root)
		}
	case *planner.UpdatePlan, *planner.DeletePlan:
		st.plan.rebindable = planner.LoweringRebindable(modifiedSource(q))
	}
	return st.plan
}

// catalogOf is a copy of snap that sees its catalog but none of a
// transaction's pending rows, for a kept plan to compare later
// snapshots' catalogs with (a copy made for time travel drops them; it is
// never read).
func catalogOf(snap *storage.Snapshot) *storage.Snapshot {
	return snap.At(storage.AsOf{})
}

// watchedCatalog is the snapshot a statement binds against, recording
// the table estimates the binder reads (join_estimate.go's
// tableEstimates). Every other method is the snapshot's.
type watchedCatalog struct {
	*storage.Snapshot
	r *bindRecorder
}

func (e watchedCatalog) EstimatedRows(t *catalog.Table) int64 {
	n := e.Snapshot.EstimatedRows(t)
	e.r.estimates = append(e.r.estimates, estimateRead{table: t, col: -1, n: n, ok: true})
	return n
}

func (e watchedCatalog) EstimatedDistinct(t *catalog.Table, col int) (int64, bool) {
	n, ok := e.Snapshot.EstimatedDistinct(t, col)
	e.r.estimates = append(e.r.estimates, estimateRead{table: t, col: col, n: n, ok: ok})
	return n, ok
}

func (e watchedCatalog) EstimatedRangeFraction(t *catalog.Table, col int, preds []storage.Predicate) (float64, bool) {
	return e.fraction(t, col, func(s *storage.Snapshot) (float64, bool) { return s.EstimatedRangeFraction(t, col, preds) })
}

func (e watchedCatalog) EstimatedNullFraction(t *catalog.Table, col int) (float64, bool) {
	return e.fraction(t, col, func(s *storage.Snapshot) (float64, bool) { return s.EstimatedNullFraction(t, col) })
}

// fraction reads a fraction of t's rows and records the rows it picks,
// which staleEstimates compares like any other estimate.
func (e watchedCatalog) fraction(t *catalog.Table, col int, read func(*storage.Snapshot) (float64, bool)) (float64, bool) {
	f, ok := read(e.Snapshot)
	e.r.estimates = append(e.r.estimates, estimateRead{table: t, col: col, n: pickedRows(e.Snapshot, t, f), ok: ok, fraction: read})
	return f, ok
}

func pickedRows(snap *storage.Snapshot, t *catalog.Table, f float64) int64 {
	return int64(f * float64(snap.EstimatedRows(t)))
}

// staleEstimates reports whether an estimate a plan was bound with moved
// enough on snap to bind it again: by more than a factor of two and more
// than minEstimateChange rows, or from known to unknown.
func staleEstimates(reads []estimateRead, snap *storage.Snapshot) bool {
	for _, r := range reads {
		var n int64
		ok := true
		switch {
		case r.fraction != nil:
			var f float64
			f, ok = r.fraction(snap)
			n = pickedRows(snap, r.table, f)
		case r.col < 0:
			n = snap.EstimatedRows(r.table)
		default:
			n, ok = snap.EstimatedDistinct(r.table, r.col)
		}
		if ok != r.ok {
			return true
		}
		lo, hi := min(n, r.n), max(n, r.n)
		if hi-lo > minEstimateChange && hi > 2*lo {
			return true
		}
	}
	return false
}

// minEstimateChange is the smallest change of an estimate that binds a
// kept plan again: below it, join orders differ too little to matter.
const minEstimateChange = 1000
