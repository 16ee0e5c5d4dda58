package engine

import "github.com/pqdb/pqdb/planner"

// The statements of a simple Query message are kept by the message's
// text, so that the next Query of the same text (a client sending the
// same SELECT again, or a pool's health check) skips the parser and finds
// the plans its statements kept (plan_cache.go), which the usual rules
// check before reuse. Parsing goes through the C parser (pg_query, cgo)
// and costs more than running a small query, and PostgreSQL's own parser
// is not involved in what the text means later: the same text always
// parses to the same statements.
//
// Parse messages find their text there too, and take the parsed
// statements without the plans: each prepared statement is its own, with
// its own kept plan and described result (Session.Parse).
//
// One rule differs from a prepared statement's: the special datetime
// literals 'now', 'today', 'tomorrow' and 'yesterday' are read when a
// statement is bound (as PostgreSQL reads them at parse analysis), and a
// simple Query is analyzed anew each time in PostgreSQL, so a statement
// whose binding read one keeps no plan (freshLiterals; the binder
// reports each, plan_cache.go). Texts that fail to parse are not kept;
// neither are long ones (maxKeptQueryText).

// queryTextCache holds the statements of the session's recent simple
// Query texts, dropping the oldest beyond maxKeptQueries.
type queryTextCache struct {
	byText map[string][]Statement // each a *statement
	order  []string               // texts by age, oldest first
}

const (
	maxKeptQueries   = 64
	maxKeptQueryText = 4 << 10
)

// ParseQuery splits the text of a simple Query message into statements,
// returning the same statements as for the last Query of this text when
// it is kept (wire.QueryParser).
func (s *Session) ParseQuery(sql string) ([]Statement, error) {
	if stmts, ok := s.queryTexts.byText[sql]; ok {
		return stmts, nil
	}
	return s.parseText(sql)
}

// parseText parses sql and keeps its statements by the text.
func (s *Session) parseText(sql string) ([]Statement, error) {
	parsed, err := planner.Parse(sql)
	if err != nil {
		return nil, err
	}
	stmts := make([]Statement, len(parsed))
	for i, st := range parsed {
		stmts[i] = &statement{Statement: st, freshLiterals: true}
	}
	if len(sql) <= maxKeptQueryText {
		s.queryTexts.add(sql, stmts)
	}
	return stmts, nil
}

func (c *queryTextCache) add(sql string, stmts []Statement) {
	if c.byText == nil {
		c.byText = make(map[string][]Statement, maxKeptQueries)
	}
	if len(c.order) == maxKeptQueries {
		delete(c.byText, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.byText[sql] = stmts
	c.order = append(c.order, sql)
}
