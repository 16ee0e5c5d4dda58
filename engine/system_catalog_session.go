package engine

import (
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/planner"
)

// The session and server state the views of pgcatalog show
// (pg_settings, pg_stat_activity, pg_prepared_statements, pg_cursors).

// activity is what pg_stat_activity shows of a session beyond its
// startup: when it started, what it runs or ran last and since when. The
// session's own goroutine writes it (noteStatement); other sessions read
// it, so it has its own lock rather than reading the session's fields.
type activity struct {
	mu                                         sync.Mutex
	backendStart, xactStart, queryStart, since time.Time
	state, query, applicationName              string
	// prepared and cursors hold the statement that made each of the
	// session's prepared statements and cursors, and when.
	prepared map[*prepared]madeBy
	cursors  map[*cursor]madeBy
	// copy is the COPY running, if one is (copy_progress.go).
	copy *copyProgress
}

// madeBy is the statement that made a prepared statement or cursor.
type madeBy struct {
	sql string
	at  time.Time
}

// activities holds the activity of every live session, by *Session.
var activities sync.Map

// noteBackendStart registers a new session's activity.
func noteBackendStart(s *Session) {
	activities.Store(s, &activity{backendStart: time.Now(), since: time.Now(), state: "idle",
		applicationName: s.settings["application_name"]})
}

// forgetBackend drops a closed session's activity.
func forgetBackend(s *Session) { activities.Delete(s) }

// noteStatement records that the session starts running stmt, at start
// when that is set (the time Execute read for the statement), and
// returns the note whose end records its end.
func (s *Session) noteStatement(stmt *planner.Statement, start time.Time) statementNote {
	v, ok := activities.Load(s)
	if !ok {
		return statementNote{}
	}
	a := v.(*activity)
	now := start
	if now.IsZero() {
		now = time.Now()
	}
	sql := strings.TrimSpace(stmt.SQL())
	a.mu.Lock()
	if a.xactStart.IsZero() {
		a.xactStart = now
	}
	a.state, a.query, a.queryStart, a.since = "active", sql, now, now
	a.mu.Unlock()
	return statementNote{s: s, a: a, stmt: stmt, sql: sql, at: now}
}

// statementNote is a running statement as pg_stat_activity shows it; a
// value, so that noting a statement allocates nothing.
type statementNote struct {
	s    *Session
	a    *activity
	stmt *planner.Statement
	sql  string
	at   time.Time
}

// end records that the statement ended.
func (n statementNote) end() {
	s, a, stmt := n.s, n.a, n.stmt
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.since = time.Now()
	a.applicationName = s.settings["application_name"]
	switch {
	case s.txn == nil:
		a.state, a.xactStart = "idle", time.Time{}
	case s.failed:
		a.state = "idle in transaction (aborted)"
	default:
		a.state = "idle in transaction"
	}
	// A PREPARE or DECLARE that succeeded made a new object of its
	// name; the objects gone since are forgotten.
	if p := stmt.Node.GetPrepareStmt(); p != nil {
		a.prepared = notedMaker(a.prepared, s.prepared, p.Name, madeBy{n.sql, n.at})
	}
	if d := stmt.Node.GetDeclareCursorStmt(); d != nil {
		a.cursors = notedMaker(a.cursors, s.cursors, d.Portalname, madeBy{n.sql, n.at})
	}
}

// notedMaker records in made that live[name] was made by m, unless it
// was made earlier, and drops what made objects no longer in live.
func notedMaker[T comparable](made map[T]madeBy, live map[string]T, name string, m madeBy) map[T]madeBy {
	if made == nil {
		made = map[T]madeBy{}
	}
	if obj, ok := live[name]; ok {
		if _, seen := made[obj]; !seen {
			made[obj] = m
		}
	}
	alive := map[T]bool{}
	for _, obj := range live {
		alive[obj] = true
	}
	for obj := range made {
		if !alive[obj] {
			delete(made, obj)
		}
	}
	return made
}

// madeByOf returns the activity's record of what made obj.
func madeByOf[T comparable](s *Session, pick func(*activity) map[T]madeBy, obj T) madeBy {
	v, ok := activities.Load(s)
	if !ok {
		return madeBy{}
	}
	a := v.(*activity)
	a.mu.Lock()
	defer a.mu.Unlock()
	return pick(a)[obj]
}

// sessionList returns the engine's sessions.
func (e *Engine) sessionList() []*Session {
	e.mu.Lock()
	defer e.mu.Unlock()
	sessions := make([]*Session, 0, len(e.byPID))
	for _, s := range e.byPID {
		sessions = append(sessions, s)
	}
	return sessions
}

func (d sessionDatabase) Backends() []pgcatalog.Backend {
	sessions := d.s.eng.sessionList()
	out := make([]pgcatalog.Backend, 0, len(sessions))
	for _, s := range sessions {
		b := pgcatalog.Backend{PID: s.info.ProcessID, Database: s.info.Database, User: s.info.User, ClientPort: -1}
		if tcp, ok := s.info.RemoteAddr.(*net.TCPAddr); ok {
			b.ClientAddr, b.ClientPort = tcp.IP.String(), int32(tcp.Port)
		}
		if v, ok := activities.Load(s); ok {
			a := v.(*activity)
			a.mu.Lock()
			b.ApplicationName, b.BackendStart, b.XactStart = a.applicationName, a.backendStart, a.xactStart
			b.QueryStart, b.StateChange, b.State, b.Query = a.queryStart, a.since, a.state, a.query
			a.mu.Unlock()
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

// Settings lists the session's settings. A setting's source is "client"
// when the connection's startup set it, "session" when SET changed it
// since, "configuration file" when that set it (file_settings.go), and
// "default" otherwise.
func (d sessionDatabase) Settings() []pgcatalog.Setting {
	s := d.s
	out := make([]pgcatalog.Setting, 0, len(settings))
	for name, st := range settings {
		value, reset := s.settings[name], s.defaults[name]
		f, inFile := s.eng.fileSettings[name]
		base := st.def
		if inFile {
			base = f.Value
		}
		row := pgcatalog.Setting{Name: name, Value: inBaseUnit(name, value), Boot: inBaseUnit(name, st.def), Reset: inBaseUnit(name, reset), Source: "default"}
		switch {
		case value != reset:
			row.Source = "session"
		case reset != base:
			row.Source = "client"
		case inFile:
			row.Source, row.SourceFile, row.SourceLine = "configuration file", f.File, int32(f.Line)
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PreparedStatements lists the statements of SQL PREPARE, each with the
// PREPARE that made it, and the protocol's named statements.
func (d sessionDatabase) PreparedStatements() []pgcatalog.PreparedStatement {
	out := d.s.listedProtocolStatements()
	for name, p := range d.s.prepared {
		types := make([]uint32, len(p.types))
		for i, t := range p.types {
			types[i] = t.OID()
		}
		made := madeByOf(d.s, func(a *activity) map[*prepared]madeBy { return a.prepared }, p)
		if made.sql == "" {
			made.sql = p.stmt.SQL()
		}
		out = append(out, pgcatalog.PreparedStatement{Name: name, Statement: made.sql, PrepareTime: made.at,
			ParamTypes: types, FromSQL: true})
	}
	slices.SortFunc(out, func(a, b pgcatalog.PreparedStatement) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (d sessionDatabase) TempSchema() string { return d.s.tempSchema() }

func (d sessionDatabase) Cursors() []pgcatalog.Cursor {
	out := make([]pgcatalog.Cursor, 0, len(d.s.cursors))
	for name, c := range d.s.cursors {
		made := madeByOf(d.s, func(a *activity) map[*cursor]madeBy { return a.cursors }, c)
		out = append(out, pgcatalog.Cursor{Name: name, Statement: made.sql, Holdable: c.hold, Binary: c.binary,
			Scrollable: c.scroll, CreationTime: made.at})
	}
	slices.SortFunc(out, func(a, b pgcatalog.Cursor) int { return strings.Compare(a.Name, b.Name) })
	return out
}
