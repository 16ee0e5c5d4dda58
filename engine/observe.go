package engine

import (
	"strings"
	"time"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// What an operator watches: every statement's command, outcome and
// duration go to Config.ObserveStatement when it is set (the server's
// metrics), and Stats tells the engine's state when asked. Without an
// observer a statement pays one nil check.

// StatementObserver receives each statement as it ends: its command (the
// tag's first word, or the statement's for one that failed: "SELECT",
// "INSERT", "BEGIN", ...), its SQLSTATE ("" when it succeeded) and how
// long it ran.
type StatementObserver func(command, sqlstate string, took time.Duration)

// Stats is a copy of the engine's gauges and counters.
type Stats struct {
	Sessions    int64 // sessions open
	MemoryUsed  int64 // bytes running statements hold (--memory-limit's budget)
	MemoryLimit int64 // that budget; 0 without one
	Storage     storage.Stats
}

// Stats returns the engine's gauges and counters.
func (e *Engine) Stats() Stats {
	return Stats{
		Sessions:    e.sessions.Load(),
		MemoryUsed:  e.memory.Used(),
		MemoryLimit: e.memory.Limit(),
		Storage:     e.store.Stats(),
	}
}

// observeStatement tells the observer of stmt's run, which began at
// start.
func (s *Session) observeStatement(stmt interface{ SQL() string }, tag string, err error, start time.Time) {
	command, _, _ := strings.Cut(tag, " ")
	if err != nil || command == "" {
		command = firstWord(stmt.SQL())
	}
	s.eng.observe(command, pgerr.CodeOf(err), time.Since(start))
}

// firstWord is the first word of sql, upper-cased, after leading spaces
// and opening parentheses; "" when it starts otherwise (a comment), which
// the metrics count as OTHER.
func firstWord(sql string) string {
	sql = strings.TrimLeft(sql, " \t\r\n(")
	end := strings.IndexFunc(sql, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if end < 0 {
		end = len(sql)
	}
	return strings.ToUpper(sql[:end])
}
