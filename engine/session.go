package engine

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Session is one client's session. The wire layer calls it from one
// goroutine at a time.
type Session struct {
	eng      *Engine
	info     StartupInfo
	settings map[string]string
	// settingsVersion counts the changes of settings (setSetting); what
	// is derived from them remembers the version it was derived at.
	settingsVersion uint64
	// minMessages is client_min_messages as minMessageLevel read it.
	minMessages struct {
		level   int
		read    bool
		version uint64
	}
	// defaults are the settings at session start (RESET, DISCARD ALL).
	defaults map[string]string
	// txnSettings holds, for each setting changed in the open block, its
	// value before the block: ROLLBACK restores them all, COMMIT those set
	// with SET LOCAL (listed in localSettings).
	txnSettings   map[string]string
	localSettings map[string]bool

	prepared map[string]*prepared
	// planGeneration counts DISCARD PLANS and DISCARD ALL: a statement's
	// kept plan from an earlier generation is bound again (plan_cache.go).
	planGeneration uint64
	// queryTexts keeps the statements of recent simple Query texts
	// (query_text_cache.go).
	queryTexts queryTextCache
	// rowSchemas are the row schemas of the tables its statements wrote
	// (rowSchema).
	rowSchemas map[*catalog.Table]*arrow.Schema
	// reportedStatus is what ParameterStatus returned last, and
	// reportedValues its values in reportedSettings' order, still those
	// of the settings at reportedVersion.
	reportedStatus  map[string]string
	reportedValues  []string
	reportedVersion uint64
	// checked holds the parameter values of the last Bind
	// (CheckParameters) for its Execute.
	checked checkedParams
	// runningPlan is the kept plan of the statement running, if any.
	runningPlan *cachedPlan
	// execSet are the settings every run reads (exec_settings.go);
	// lockRowsFunc is lockInCurrentTxn as a func value, made once.
	execSet      execSettings
	lockRowsFunc func(ctx context.Context, t *catalog.Table, ids []int64, mode storage.RowLockMode, wait storage.RowLockWait, keep []bool) error
	// lastParamTypes is what paramTypes answered last for built-in
	// types.
	lastParamTypes struct {
		oids  []uint32
		types []catalog.Type
	}
	// lastTag is the command tag rowsTag made last.
	lastTag struct {
		command, tag string
		n            int64
	}
	// stmtLog are the settings of the statement log (statement_log.go).
	stmtLog statementLog
	// conn are the settings that govern the connection
	// (connection_settings.go).
	conn connectionSettings
	// timeout is statement_timeout read for its value timeoutSetting.
	timeout        time.Duration
	timeoutSetting string
	timeoutVersion uint64
	// zone is the TimeZone location() loaded last, for the setting's
	// value zoneName.
	zone        *time.Location
	zoneName    string
	zoneVersion uint64
	// protocolStatements are the extended protocol's named statements
	// (protocol_statements.go).
	protocolStatements map[string]protocolStatement
	cursors            map[string]*cursor
	// random is the session's random() generator (setseed seeds it).
	random exec.PRNG
	// savepoints of the open block, oldest first.
	savepoints []savepoint
	// freezable are the tables COPY FREEZE may load (copy_freeze.go).
	freezable freezable

	// txn is the open transaction block's storage transaction; nil when
	// idle.
	txn *storage.Txn
	// implicit is the transaction statements outside a block run in until
	// the protocol layer ends it at the next Sync or the end of a simple
	// Query (EndImplicitTransaction).
	implicit *storage.Txn
	// failed is set when a statement in the block failed.
	failed bool
	// txnStart and stmtStart are the start times of the current
	// transaction (block or implicit) and statement: now() and
	// statement_timestamp() (execContext). As in PostgreSQL, the
	// statements of one simple Query message share a statement start;
	// so do those of the extended-protocol messages up to a Sync.
	txnStart, stmtStart time.Time

	// running cancels the statement in progress; other sessions call it
	// through pg_cancel_backend and pg_terminate_backend.
	runMu   sync.Mutex
	running context.CancelFunc
	// runCtx is the context statements run in (startRunning), derived
	// from runParent; runCancel cancels it.
	runCtx, runParent context.Context
	runCancel         context.CancelFunc
	terminate         func() // ends the connection (set by the protocol layer)
	terminated        atomic.Bool

	// seqValues holds, by sequence id, the value nextval or setval last
	// gave this session (currval); lastval is the latest of any.
	seqValues   map[int64]int64
	lastval     int64
	haveLastval bool

	// namesCache is the catalog index the reg* types and the catalog
	// functions read (catalog_names.go).
	namesCache *namesCache
	// hostFuncMap holds the session's host functions (admin_funcs.go).
	hostFuncMap map[string]planner.HostFunc

	// blockQueried is set once the open block ran a statement that read
	// data (SET TRANSACTION must come before).
	blockQueried bool

	// onCommit are the ON COMMIT actions of the session's temporary
	// tables (temp_tables.go).
	onCommit []tempAction

	// modified holds, while a statement with data-modifying WITH
	// queries runs, their RETURNING rows (modifying_with.go).
	modified [][]arrow.Record
}

func newSession(e *Engine, info StartupInfo) (*Session, error) {
	s := &Session{eng: e, info: info, settings: map[string]string{}, prepared: map[string]*prepared{}, cursors: map[string]*cursor{},
		txnSettings: map[string]string{}, localSettings: map[string]bool{}}
	for name, st := range settings {
		s.setSetting(name, st.def)
	}
	for name, f := range e.fileSettings {
		s.setSetting(name, f.Value)
	}
	s.setSetting("session_authorization", info.User)
	// Startup parameters, then the "-c name=value" settings of the
	// options parameter, are applied as SET would apply them; a bad one
	// ends the connection with FATAL, as in Postgres.
	for k, v := range info.Params {
		switch k {
		case "user", "database", "options":
			continue
		case "replication":
			return nil, &pgerr.Error{Severity: "FATAL", Code: pgerr.FeatureNotSupported, Message: "replication connections are not supported"}
		}
		if err := s.startupSetting(k, v); err != nil {
			return nil, err
		}
	}
	opts, err := parseOptions(info.Params["options"])
	if err != nil {
		return nil, err
	}
	for _, kv := range opts {
		if err := s.startupSetting(kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	s.defaults = maps.Clone(s.settings)
	return s, nil
}

func (s *Session) startupSetting(name, value string) error {
	name = lower(name)
	if value == "" && name != "application_name" {
		// libpq sends empty values for unset environment variables
		// (PGDATESTYLE=); Postgres keeps the default then.
		return nil
	}
	st, ok := settings[name]
	if !ok {
		return &pgerr.Error{Severity: "FATAL", Code: pgerr.UndefinedObject, Message: "unrecognized configuration parameter \"" + name + "\""}
	}
	if st.check != nil {
		v, err := st.check(value)
		if err != nil {
			pe := *pgerr.From(err)
			pe.Severity = "FATAL"
			return &pe
		}
		value = v
	}
	s.setSetting(name, value)
	return nil
}

// parseOptions reads the options startup parameter: "-c name=value" and
// "--name=value" switches separated by spaces (a backslash escapes the
// next character, so values may hold spaces).
func parseOptions(opts string) ([][2]string, error) {
	var words []string
	var cur []byte
	escaped, in := false, false
	for i := 0; i < len(opts); i++ {
		c := opts[i]
		switch {
		case escaped:
			cur, escaped, in = append(cur, c), false, true
		case c == '\\':
			escaped = true
		case c == ' ' || c == '\t':
			if in {
				words, cur, in = append(words, string(cur)), cur[:0:0], false
			}
		default:
			cur, in = append(cur, c), true
		}
	}
	if in {
		words = append(words, string(cur))
	}
	var out [][2]string
	for i := 0; i < len(words); i++ {
		w := words[i]
		var kv string
		switch {
		case w == "-c" && i+1 < len(words):
			i++
			kv = words[i]
		case strings.HasPrefix(w, "-c"):
			kv = w[2:]
		case strings.HasPrefix(w, "--"):
			kv = w[2:]
		default:
			return nil, &pgerr.Error{Severity: "FATAL", Code: pgerr.FeatureNotSupported, Message: "unsupported command-line option \"" + w + "\" in the options startup parameter"}
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, &pgerr.Error{Severity: "FATAL", Code: pgerr.SyntaxError, Message: "-c " + kv + " requires a value"}
		}
		out = append(out, [2]string{strings.ReplaceAll(name, "-", "_"), value})
	}
	return out, nil
}

// ParameterStatus returns the reported settings, by the names they are
// reported under. The protocol layer asks before every ReadyForQuery, so
// while none changed it gets the map it got last (which it must not
// modify).
func (s *Session) ParameterStatus() map[string]string {
	if !s.ParameterStatusChanged() {
		return s.reportedStatus
	}
	out := make(map[string]string, len(reportedSettings))
	values := make([]string, len(reportedSettings))
	for i, r := range reportedSettings {
		values[i] = s.settings[r.name]
		out[r.key] = values[i]
	}
	s.reportedStatus, s.reportedValues, s.reportedVersion = out, values, s.settingsVersion
	return out
}

// ParameterStatusChanged reports whether a reported setting changed since
// ParameterStatus was last called (wire.ParameterChangeReporter).
func (s *Session) ParameterStatusChanged() bool {
	if s.reportedStatus == nil {
		return true
	}
	if s.reportedVersion == s.settingsVersion {
		return false
	}
	for i, r := range reportedSettings {
		if s.reportedValues[i] != s.settings[r.name] {
			return true
		}
	}
	s.reportedVersion = s.settingsVersion
	return false
}

// reportedSettings are the settings ParameterStatus reports: each one's
// name and the name it is reported under.
var reportedSettings = func() []struct{ name, key string } {
	var out []struct{ name, key string }
	for name, st := range settings {
		if st.reported {
			key := name
			if d, ok := displayName[name]; ok {
				key = d
			}
			out = append(out, struct{ name, key string }{name, key})
		}
	}
	return out
}()

// Parse splits query text into statements for a Parse message: new
// statements, which keep their own plans, over the parse of the text
// kept from an earlier Query or Parse of it (query_text_cache.go).
func (s *Session) Parse(sql string) ([]Statement, error) {
	kept, ok := s.queryTexts.byText[sql]
	if !ok {
		var err error
		if kept, err = s.parseText(sql); err != nil {
			return nil, err
		}
	}
	out := make([]Statement, len(kept))
	for i, st := range kept {
		out[i] = &statement{Statement: st.(*statement).Statement}
	}
	return out, nil
}

// TxStatus is the ReadyForQuery status.
//
// While an implicit transaction is open it reports 'T', so that an error
// the protocol layer raises mid-pipeline aborts it (AbortTransaction);
// ReadyForQuery always follows EndImplicitTransaction and so never sees
// that state.
func (s *Session) TxStatus() byte {
	switch {
	case s.txn == nil && s.implicit == nil:
		return 'I'
	case s.failed:
		return 'E'
	}
	return 'T'
}

// Close ends the session, rolling back an open transaction.
func (s *Session) Close() {
	s.eng.mu.Lock()
	if s.eng.byPID[s.info.ProcessID] == s {
		delete(s.eng.byPID, s.info.ProcessID)
	}
	s.eng.mu.Unlock()
	forgetBackend(s)
	if s.runCancel != nil {
		s.runCancel()
	}
	s.closeCursors(true)
	if s.txn != nil {
		s.txn.Rollback()
		s.txn = nil
	}
	if s.implicit != nil {
		s.implicit.Rollback()
		s.implicit = nil
	}
	if !s.eng.closed.Load() {
		if err := s.dropTempSchema(); err != nil {
			slog.Warn("dropping a session's temporary schema", "schema", s.tempSchema(), "err", err)
		}
	}
	s.eng.sessions.Add(-1)
	s.eng.live.Done()
}

// catalogView is what statements bind against: the open block's view, or
// the committed state.
func (s *Session) catalogView() *storage.Snapshot {
	if s.txn != nil {
		return s.txn.View()
	}
	if s.implicit != nil {
		return s.implicit.View()
	}
	return s.eng.store.Snapshot()
}

// paramTypes are the types of parameters the client gave as oids (0:
// unknown). The answer for built-in types is kept for the next call with
// the same oids (a prepared statement's every Bind and Execute); callers
// must not modify it.
func (s *Session) paramTypes(oids []uint32) ([]catalog.Type, error) {
	if len(oids) == 0 {
		return nil, nil
	}
	if c := &s.lastParamTypes; slices.Equal(c.oids, oids) {
		return c.types, nil
	}
	ts := make([]catalog.Type, len(oids))
	builtin := true
	for i, oid := range oids {
		if oid == 0 {
			ts[i] = catalog.TypeUnknown
			continue
		}
		t, ok := catalog.TypeByOID(oid)
		if !ok {
			builtin = false
			t, ok = userTypeByOID(s.catalogView(), oid)
		}
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "type with OID %d does not exist", oid)
		}
		ts[i] = t
	}
	if builtin {
		s.lastParamTypes.oids, s.lastParamTypes.types = slices.Clone(oids), ts
	}
	return ts, nil
}

// Describe reports a statement's parameter types and result columns.
func (s *Session) Describe(ctx context.Context, st Statement, paramOIDs []uint32) ([]uint32, []Column, error) {
	described := st.(*statement)
	stmt := described.Statement
	pts, err := s.paramTypes(paramOIDs)
	if err != nil {
		return nil, nil, err
	}
	if s.failed && !isTxnEnd(stmt) {
		return nil, nil, errFailedBlock()
	}
	// The notices binding raises are sent when the statement runs. The
	// plan is kept for its runs that ask for the same parameter types
	// (those the client declared in Parse, all of them).
	snap := s.catalogView()
	bound, r, err := s.bindPlan(described, snap, pts, false)
	if err != nil {
		return nil, nil, err
	}
	oids := make([]uint32, len(bound.Params))
	for i, t := range bound.Params {
		oids[i] = t.OID()
	}
	cols := resultColumns(bound.Plan, s)
	described.described, described.isDescribed = cols, true
	r.keep(described, bound, snap, pts, false)
	return oids, cols, nil
}

// columnsOf describes result columns as RowDescription does.
func columnsOf(rc []planner.ResultColumn) []Column {
	cols := make([]Column, len(rc))
	for i, c := range rc {
		cols[i] = Column{Name: c.Name, TableOID: c.TableOID, AttrNum: c.AttrNum, TypeOID: c.Type.OID(), TypeSize: c.Type.Size(), TypeMod: c.Type.Typmod}
	}
	return cols
}

// resultColumns describes what a plan returns, or nil for no rows.
func resultColumns(p planner.Plan, s *Session) []Column {
	switch x := p.(type) {
	case *planner.QueryPlan:
		return columnsOf(x.Columns)
	case *planner.InsertPlan:
		if x.Returning != nil {
			return columnsOf(x.Returning.Columns)
		}
	case *planner.UpdatePlan:
		if x.Returning != nil {
			return columnsOf(x.Returning.Columns)
		}
	case *planner.DeletePlan:
		if x.Returning != nil {
			return columnsOf(x.Returning.Columns)
		}
	case *planner.ModifyingWithPlan:
		return resultColumns(x.Main, s)
	case *planner.ExplainPlan:
		return explainColumns(x)
	case *planner.FetchPlan:
		if c, ok := s.cursors[x.Cursor]; ok && !x.Move {
			return c.cols
		}
	case *planner.ExecutePlan:
		if ps, ok := s.prepared[x.Name]; ok {
			if bound, err := planner.Bind(s.catalogView(), ps.stmt.Statement, ps.types, s.bindOptions()); err == nil {
				return resultColumns(bound.Plan, s)
			}
		}
	case *planner.ShowPlan:
		name := x.Name
		if d, ok := displayName[name]; ok {
			name = d
		}
		return []Column{textColumn(name)}
	}
	return nil
}

func textColumn(name string) Column {
	return Column{Name: name, TypeOID: catalog.TypeText.OID(), TypeSize: -1, TypeMod: -1}
}

func isTxnEnd(stmt *planner.Statement) bool {
	ts := stmt.Node.GetTransactionStmt()
	if ts == nil {
		return false
	}
	k := ts.Kind.String()
	return k == "TRANS_STMT_COMMIT" || k == "TRANS_STMT_ROLLBACK" || k == "TRANS_STMT_ROLLBACK_TO"
}

func errFailedBlock() error {
	return pgerr.New(pgerr.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// AbortTransaction fails the open block after an error the protocol layer
// raised itself (an unknown portal, a malformed Bind), as Postgres does
// for every ERROR inside a block.
func (s *Session) AbortTransaction() {
	if s.txn != nil {
		s.failed = true
	}
	if s.implicit != nil {
		s.implicit.Rollback()
		s.implicit = nil
	}
}

// bindOptions is the session state the planner needs.
func (s *Session) bindOptions() planner.Options {
	return planner.Options{
		SearchPath: searchPath(s.settings["search_path"], s.info.User),
		Setting: func(name string) (string, bool) {
			v, ok := s.settings[lower(name)]
			return v, ok
		},
		User:          s.info.User,
		Database:      s.info.Database,
		BackendPID:    s.info.ProcessID,
		ServerVersion: ServerVersion,
		Location:      s.location(),
		HostFuncs:     s.hostFuncs(),
		TempSchema:    s.tempSchema(),
		System:        systemCatalog{s},
		Files:         fileAccess{s.eng},
	}
}

// location is the session's TimeZone, in which timestamptz values are
// printed, read and broken into fields.
func (s *Session) location() *time.Location {
	if s.zone != nil && s.zoneVersion == s.settingsVersion {
		return s.zone
	}
	name := s.settings["timezone"]
	if s.zone == nil || s.zoneName != name {
		loc, err := loadZone(name)
		if err != nil {
			loc = time.UTC
		}
		s.zone, s.zoneName = loc, name
	}
	s.zoneVersion = s.settingsVersion
	return s.zone
}
