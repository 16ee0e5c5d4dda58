package engine

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Execute runs one statement and returns its command tag.
func (s *Session) Execute(ctx context.Context, st Statement, paramOIDs []uint32, args [][]byte, argFormats []int16, resultFormats []int16, out ResultWriter) (tag string, err error) {
	described := st.(*statement)
	stmt := described.Statement
	if s.eng.observe != nil {
		began := time.Now()
		defer func() { s.observeStatement(stmt, tag, err, began) }()
	}
	interrupter, _ := out.(WriteInterrupter)
	out = s.filterNotices(out)
	if s.terminated.Load() {
		return "", errTerminated()
	}
	if s.failed && !isTxnEnd(stmt) {
		return "", errFailedBlock()
	}
	if timeout := s.statementTimeout(); timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, timeout, errStatementTimeout)
		defer cancel()
	}
	var start time.Time
	if s.stmtStart.IsZero() {
		// the first statement of a simple Query message, or of the
		// extended-protocol messages up to a Sync
		s.stmtStart = time.Now()
		start = s.stmtStart
	}
	ctx = s.startRunning(ctx)
	defer s.stopRunning()
	if interrupter != nil {
		interrupter.InterruptWrites(ctx)
		defer interrupter.StopInterrupting()
	}
	defer s.noteStatement(stmt, start).end()
	logged, timed := s.logBefore(stmt)
	tag, err = s.execute(ctx, described, paramOIDs, args, argFormats, resultFormats, out)
	s.logAfter(stmt, logged, timed)
	if err != nil {
		if s.terminated.Load() {
			return "", errTerminated()
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			if context.Cause(ctx) == errStatementTimeout {
				err = pgerr.New(pgerr.QueryCanceled, "canceling statement due to statement timeout")
			} else {
				err = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
			}
		}
		if s.txn != nil {
			s.failed = true
		}
		return "", pgerr.From(err)
	}
	return tag, nil
}

func (s *Session) execute(ctx context.Context, described *statement, paramOIDs []uint32, args [][]byte, argFormats, resultFormats []int16, out ResultWriter) (string, error) {
	stmt := described.Statement
	pts, err := s.paramTypes(paramOIDs)
	if err != nil {
		return "", err
	}
	// Transaction control needs no snapshot.
	if ts := stmt.Node.GetTransactionStmt(); ts != nil {
		bound, err := planner.Bind(nil, stmt, nil, planner.Options{})
		if err != nil {
			return "", err
		}
		return s.transaction(ctx, bound.Plan.(*planner.TxnPlan), out)
	}

	txn := s.txn
	if txn == nil {
		txn = s.beginImplicit()
	}
	tag, err := s.run(ctx, txn, described, pts, args, argFormats, resultFormats, out)
	if err != nil && txn == s.implicit {
		s.implicit.Rollback()
		s.implicit = nil
	}
	return tag, err
}

// beginImplicit begins the implicit transaction statements outside a
// block run in, if it has not begun yet, and returns it.
func (s *Session) beginImplicit() *storage.Txn {
	if s.implicit != nil {
		return s.implicit
	}
	s.implicit = s.eng.store.Begin()
	s.txnStart = s.stmtStart
	// Statements outside a block run at the session's default
	// isolation level, as PostgreSQL's do.
	iso := s.settings["default_transaction_isolation"]
	if s.settings["transaction_isolation"] != iso {
		s.setSetting("transaction_isolation", iso)
	}
	s.implicit.SetRepeatableRead(iso == "repeatable read" || iso == "serializable")
	s.implicit.SetSerializable(iso == "serializable")
	return s.implicit
}

// EndImplicitTransaction commits the implicit transaction that the
// statements since the last Sync (or of one simple Query message) ran in,
// as Postgres does: a pipeline of statements outside a transaction block
// is atomic, and a failing statement rolls the earlier ones back. The
// protocol layer calls it before every ReadyForQuery.
func (s *Session) EndImplicitTransaction() error {
	s.stmtStart = time.Time{}
	txn := s.implicit
	if txn == nil {
		return nil
	}
	s.implicit = nil
	s.closeCursors(false)
	if txn.Empty() {
		txn.Rollback()
		return nil
	}
	if err := s.beforeCommit(context.Background(), txn); err != nil {
		txn.Rollback()
		return err
	}
	return txn.Commit()
}

// startRunning returns the context a statement runs in, which
// pg_cancel_backend cancels (s.running) until stopRunning. Statements
// share one such context, derived from the protocol layer's, for as long
// as the protocol layer passes the same one and nothing cancelled it,
// so that running a statement costs no new context.
func (s *Session) startRunning(parent context.Context) context.Context {
	if s.runParent != parent || s.runCtx.Err() != nil {
		if s.runCancel != nil {
			s.runCancel() // unhooks it from its parent
		}
		s.runCtx, s.runCancel = context.WithCancel(parent)
		s.runParent = parent
	}
	s.runMu.Lock()
	s.running = s.runCancel
	s.runMu.Unlock()
	return s.runCtx
}

// stopRunning ends what startRunning started.
func (s *Session) stopRunning() {
	s.runMu.Lock()
	s.running = nil
	s.runMu.Unlock()
}

// errStatementTimeout is the cause of a context ended by statement_timeout.
var errStatementTimeout = errors.New("statement timeout")

// statementTimeout reads statement_timeout (milliseconds, or a number
// with a unit: 500ms, 2s, 1min, 1h); 0 means none.
func (s *Session) statementTimeout() time.Duration {
	if s.timeoutVersion == s.settingsVersion {
		return s.timeout
	}
	v := s.settings["statement_timeout"]
	if v != s.timeoutSetting {
		s.timeout, _ = parseDuration(v)
		s.timeoutSetting = v
	}
	s.timeoutVersion = s.settingsVersion
	return s.timeout
}

// run binds and executes a statement inside txn.
// A statement that finds a row it changes changed under it may run again
// on a newer snapshot (row_locks.go).
func (s *Session) run(ctx context.Context, txn *storage.Txn, described *statement, pts []catalog.Type, args [][]byte, argFormats, resultFormats []int16, out ResultWriter) (string, error) {
	// Extended-protocol statements with parameters always come with
	// their values (Bind checks the count), so none means a simple Query.
	noParams := len(args) == 0
	for reruns := 0; ; reruns++ {
		snap, err := s.historicSnapshot(txn.Snapshot())
		if err != nil {
			return "", err
		}
		bound, err := s.planFor(described, snap, pts, noParams)
		if reruns == 0 {
			if nerr := sendNotices(out, bound.Notices); err == nil {
				err = nerr
			}
		}
		if err != nil {
			return "", err
		}
		params, err := s.paramValues(bound.Params, args, argFormats)
		if err == nil {
			err = checkEnumParams(snap, bound.Params, params)
		}
		if err != nil {
			return "", err
		}
		rerun := reruns < maxStatementReruns && rerunsOnConcurrentUpdate(txn, bound.Plan)
		var before storage.Savepoint
		if rerun {
			before = txn.Savepoint()
		}
		s.runningPlan = described.plan
		tag, err := s.dispatch(ctx, txn, snap, bound.Plan, params, resultFormats, out)
		s.runningPlan = nil
		if !rerun || !errors.Is(err, storage.ErrConcurrentUpdate) {
			return tag, err
		}
		if err := txn.RollbackTo(before); err != nil {
			return "", err
		}
	}
}

// planFor returns st's plan for a run on snap with parameter types pts:
// the plan it kept when a run like this may reuse it (plan_cache.go),
// else a new binding, checked against the result columns a client was
// told (checkCachedResult) and kept. On error the Bound still holds the
// notices binding raised.
func (s *Session) planFor(st *statement, snap *storage.Snapshot, pts []catalog.Type, noParams bool) (*planner.Bound, error) {
	if c := s.keptPlan(st, snap, pts, noParams); c != nil {
		return c.bound, nil
	}
	bound, r, err := s.bindPlan(st, snap, pts, noParams)
	if err == nil {
		err = checkCachedResult(st, bound.Plan, s)
	}
	if err != nil {
		st.plan = nil
		return bound, err
	}
	r.keep(st, bound, snap, pts, noParams)
	return bound, nil
}

// dispatch executes a bound plan.
func (s *Session) dispatch(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, plan planner.Plan, params []catalog.Datum, resultFormats []int16, out ResultWriter) (string, error) {
	if cmd := writeCommand(plan); cmd != "" && s.readOnly() {
		return "", pgerr.New(pgerr.ReadOnlySqlTransaction, "cannot execute %s in a read-only transaction", cmd)
	} else if _, past := snap.AsOf(); cmd != "" && past {
		e := pgerr.New(pgerr.ReadOnlySqlTransaction, "cannot execute %s while %s is set", cmd, asOfSetting)
		e.Hint = "RESET " + asOfSetting + " to write."
		return "", e
	}
	switch plan.(type) {
	case *planner.SetPlan, *planner.ShowPlan, *planner.TxnModesPlan:
	default:
		if s.txn != nil {
			s.blockQueried = true
		}
	}
	switch p := plan.(type) {
	case *planner.QueryPlan:
		if p.LockStrength != "" {
			return s.lockingQuery(ctx, snap, p, params, resultFormats, out)
		}
		return s.query(ctx, snap, p, params, resultFormats, out)
	case *planner.ExplainPlan:
		return s.explain(ctx, txn, snap, p, params, resultFormats, out)
	case *planner.InsertPlan, *planner.UpdatePlan, *planner.DeletePlan:
		return s.modify(ctx, txn, snap, p, nil, params, clientRows{resultFormats, out})
	case *planner.ModifyingWithPlan:
		return s.modifyingWith(ctx, txn, snap, p, params, resultFormats, out)
	case *planner.CreateTableAsPlan:
		return s.createTableAs(ctx, txn, snap, p, params, out)
	case *planner.TruncatePlan:
		return s.truncate(txn, snap, p, out)
	case *planner.CopyFromPlan:
		return s.copyFrom(ctx, txn, snap, p, out)
	case *planner.CopyToPlan:
		return s.copyTo(ctx, snap, p, params, out)
	case *planner.CreateTablePlan, *planner.CreateViewPlan, *planner.CreateIndexPlan, *planner.CreateSchemaPlan, *planner.DropPlan:
		return s.ddl(ctx, txn, snap, plan, out)
	case *planner.CreateSequencePlan, *planner.AlterSequencePlan:
		return s.sequenceDDL(txn, snap, plan, out)
	case *planner.CreateTypePlan, *planner.AlterTypePlan, *planner.DropTypePlan:
		return s.typeDDL(ctx, txn, plan, out)
	case *planner.AlterTablePlan:
		return s.alterTable(ctx, txn, p, out)
	case *planner.RenamePlan:
		return s.rename(ctx, txn, p, out)
	case *planner.CommentPlan:
		return "COMMENT", s.comment(txn, p)
	case *planner.CreateRolePlan, *planner.AlterRolePlan, *planner.DropRolePlan:
		return s.roleStatement(txn, snap, plan, out)
	case *planner.CheckpointPlan:
		if err := s.eng.store.Checkpoint(); err != nil {
			return "", err
		}
		return "CHECKPOINT", nil
	case *planner.VacuumPlan:
		return s.vacuum(p, out)
	case *planner.SetPlan:
		return s.set(ctx, p, out)
	case *planner.TxnModesPlan:
		return s.transactionModes(ctx, p, out)
	case *planner.ShowPlan:
		return s.show(p, resultFormats, out)
	case *planner.PreparePlan:
		return s.prepare(p, out)
	case *planner.ExecutePlan:
		return s.executePrepared(ctx, txn, snap, p, resultFormats, out)
	case *planner.DeallocatePlan:
		return s.deallocate(p)
	case *planner.DiscardPlan:
		return s.discard(ctx, txn, snap, p.What)
	case *planner.DeclarePlan:
		return s.declare(snap, p, params)
	case *planner.FetchPlan:
		return s.fetch(p, resultFormats, out)
	case *planner.ClosePlan:
		return s.closeCursor(p)
	}
	return "", pgerr.Unsupported("statement is not supported")
}

// decodeParams reads the Bind arguments with the types the binder chose.
func decodeParams(types []catalog.Type, args [][]byte, formats []int16, loc *time.Location) ([]catalog.Datum, error) {
	if len(args) != len(types) && len(args) > 0 {
		return nil, pgerr.New(pgerr.ProtocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(args), len(types))
	}
	out := make([]catalog.Datum, len(types))
	for i, a := range args {
		if a == nil {
			continue
		}
		format := int16(0)
		if len(formats) == 1 {
			format = formats[0]
		} else if i < len(formats) {
			format = formats[i]
		}
		var err error
		if format == 1 {
			out[i], err = catalog.ParseBinary(types[i], a)
		} else {
			out[i], err = catalog.ParseTextIn(types[i], string(a), loc)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkedParams are the parameter values CheckParameters read last.
type checkedParams struct {
	types   []catalog.Type
	args    [][]byte
	formats []int16
	loc     *time.Location
	params  []catalog.Datum
}

// paramValues reads a run's parameter values as types: the values
// CheckParameters read for the same args (the very slice: a portal's,
// which does not change), types, formats and TimeZone, else anew. The
// values CheckParameters kept serve one Execute at most.
func (s *Session) paramValues(types []catalog.Type, args [][]byte, formats []int16) ([]catalog.Datum, error) {
	c := s.checked
	s.checked = checkedParams{}
	loc := s.location()
	if len(args) > 0 && len(c.args) == len(args) && &c.args[0] == &args[0] && c.loc == loc &&
		slices.Equal(c.types, types) && slices.Equal(c.formats, formats) {
		return c.params, nil
	}
	return decodeParams(types, args, formats, loc)
}

// formatFor applies Bind's result-format rule to column i.
func formatFor(formats []int16, i int) int16 {
	if len(formats) == 1 {
		return formats[0]
	}
	if i < len(formats) {
		return formats[i]
	}
	return 0
}

// CheckParameters reads Bind's parameter values as their types, so that a
// malformed value fails at Bind, as in Postgres. The values read are kept
// for the portal's Execute (paramValues): the protocol layer passes the
// args the portal keeps, which stay as they are.
func (s *Session) CheckParameters(paramOIDs []uint32, args [][]byte, formats []int16) error {
	types, err := s.paramTypes(paramOIDs)
	if err != nil {
		return err
	}
	params, err := decodeParams(types, args, formats, s.location())
	if err != nil {
		return err
	}
	s.checked = checkedParams{types: types, args: args, formats: formats, loc: s.location(), params: params}
	for _, t := range types {
		if t.HasEnum() {
			return checkEnumParams(s.catalogView(), types, params)
		}
	}
	return nil
}
