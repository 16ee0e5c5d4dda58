package engine

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/planner"
)

// Statements go to the server log as PostgreSQL's settings say, through
// slog (whose handler, text or JSON, the server chooses): log_statement
// logs each statement of its class (none, ddl, mod or all; as
// PostgreSQL's GetCommandLogLevel classes them) before it runs, and
// log_min_duration_statement logs each statement that took at least that
// long (0: every one; -1, the default: none) with its duration when it
// ends. Both are read again only after a SET changed a setting, so a
// session that logs nothing pays one comparison per statement.

// logClass orders log_statement's values: a statement is logged when its
// class is at most the setting's.
type logClass uint8

const (
	logDDL  logClass = iota + 1 // CREATE, ALTER, DROP, GRANT, ...
	logMod                      // DDL and INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY FROM
	logAll                      // everything
	logNone logClass = 0
)

var logStatementValues = []string{"none", "ddl", "mod", "all"}

// statementLog is what the log settings ask for, read at settingsVersion
// version.
type statementLog struct {
	version uint64
	read    bool
	level   logClass      // log_statement
	min     time.Duration // log_min_duration_statement; < 0: off
}

// logging returns the log settings, read again if a setting changed.
func (s *Session) logging() *statementLog {
	l := &s.stmtLog
	if l.read && l.version == s.settingsVersion {
		return l
	}
	l.level = logNone
	for i, v := range logStatementValues {
		if s.settings["log_statement"] == v {
			l.level = logClass(i)
		}
	}
	l.min = -1
	if v := s.settings["log_min_duration_statement"]; v != "-1" {
		l.min, _ = parseDuration(v)
	}
	l.version, l.read = s.settingsVersion, true
	return l
}

// logBefore logs stmt if log_statement asks for it, and returns whether
// it did and, if log_min_duration_statement is on, when it starts.
func (s *Session) logBefore(stmt *planner.Statement) (logged bool, start time.Time) {
	l := s.logging()
	if l.level != logNone && classOf(stmt.Node) <= l.level {
		slog.Info("statement", "statement", stmt.SQL(), "user", s.info.User, "database", s.info.Database, "pid", s.info.ProcessID)
		logged = true
	}
	if l.min >= 0 {
		start = time.Now()
	}
	return logged, start
}

// logAfter logs stmt's duration if it took at least
// log_min_duration_statement since start (zero: not timed); the text
// only when logBefore did not log it already, as PostgreSQL does.
func (s *Session) logAfter(stmt *planner.Statement, logged bool, start time.Time) {
	if start.IsZero() {
		return
	}
	took := time.Since(start)
	if took < s.logging().min {
		return
	}
	attrs := []any{"duration_ms", float64(took.Microseconds()) / 1000, "user", s.info.User, "database", s.info.Database, "pid", s.info.ProcessID}
	if !logged {
		attrs = append(attrs, "statement", stmt.SQL())
	}
	slog.Info("duration", attrs...)
}

// classOf is the class of a statement (PostgreSQL's GetCommandLogLevel
// for a raw parse tree): data changes are mod, definitions ddl, and
// everything else, queries included, all.
func classOf(n *pg_query.Node) logClass {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt,
		*pg_query.Node_MergeStmt, *pg_query.Node_TruncateStmt:
		return logMod
	case *pg_query.Node_CopyStmt:
		if x.CopyStmt.IsFrom {
			return logMod
		}
		return logAll
	case *pg_query.Node_SelectStmt:
		if x.SelectStmt.IntoClause != nil {
			return logDDL // SELECT INTO creates a table
		}
		return logAll
	case *pg_query.Node_ExplainStmt:
		if planner.ExplainRuns(x.ExplainStmt) {
			return classOf(x.ExplainStmt.Query)
		}
		return logAll
	case *pg_query.Node_PrepareStmt:
		return classOf(x.PrepareStmt.Query)
	case *pg_query.Node_DeclareCursorStmt:
		return classOf(x.DeclareCursorStmt.Query)
	case *pg_query.Node_CreateTableAsStmt, *pg_query.Node_ViewStmt, *pg_query.Node_IndexStmt,
		*pg_query.Node_GrantStmt, *pg_query.Node_GrantRoleStmt, *pg_query.Node_CommentStmt,
		*pg_query.Node_RenameStmt, *pg_query.Node_DefineStmt, *pg_query.Node_CompositeTypeStmt,
		*pg_query.Node_RuleStmt, *pg_query.Node_ReassignOwnedStmt, *pg_query.Node_DropOwnedStmt,
		*pg_query.Node_SecLabelStmt:
		return logDDL
	}
	// The other definitions: CreateStmt, AlterTableStmt, DropStmt, ...
	name := strings.TrimPrefix(fmt.Sprintf("%T", n.GetNode()), "*pg_query.Node_")
	for _, p := range []string{"Create", "Alter", "Drop"} {
		if strings.HasPrefix(name, p) {
			return logDDL
		}
	}
	return logAll
}

// checkLogMinDuration accepts log_min_duration_statement: -1 (off) or a
// time (bare numbers are milliseconds).
func checkLogMinDuration(v string) (string, error) {
	if strings.TrimSpace(v) == "-1" {
		return "-1", nil
	}
	return checkDuration(v)
}
