package planner

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/pqdb/pqdb/pgerr"
)

// Statement is one parsed SQL statement and its own text.
type Statement struct {
	Node *pg_query.Node
	Text string
	// Query is the whole query string the statement came from and Offset
	// the statement's byte offset in it, so error positions point into the
	// text the client sent.
	Query  string
	Offset int
}

// SQL is the statement's text.
func (s *Statement) SQL() string { return s.Text }

// Parse splits sql into statements with the Postgres parser. A syntax
// error is 42601 with the position Postgres would report.
func Parse(sql string) ([]*Statement, error) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		var pe *pgparser.Error
		if errors.As(err, &pe) {
			e := pgerr.New(pgerr.SyntaxError, "%s", pe.Message)
			if pe.Cursorpos > 0 {
				e.Position = int32(pe.Cursorpos)
			}
			return nil, e
		}
		return nil, pgerr.New(pgerr.SyntaxError, "%s", err.Error())
	}
	out := make([]*Statement, 0, len(tree.Stmts))
	for _, raw := range tree.Stmts {
		start := int(raw.StmtLocation)
		end := len(sql)
		if raw.StmtLen > 0 {
			end = start + int(raw.StmtLen)
		}
		out = append(out, &Statement{
			Node:   raw.Stmt,
			Text:   strings.TrimSpace(sql[start:end]),
			Query:  sql,
			Offset: start,
		})
	}
	return out, nil
}

// position converts a byte location in the query (as pg_query reports it)
// to the 1-based character position ErrorResponse carries.
func position(query string, loc int32) int32 {
	if loc < 0 || int(loc) > len(query) {
		return 0
	}
	return int32(utf8.RuneCountInString(query[:loc])) + 1
}

// parseTreeVersion is the parse-tree version of the linked Postgres
// parser, which Deparse requires on the trees it is given.
var parseTreeVersion = sync.OnceValue(func() int32 {
	tree, err := pg_query.Parse("SELECT")
	if err != nil {
		return 0
	}
	return tree.Version
})
