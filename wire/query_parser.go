package wire

// QueryParser is implemented by a Session that keeps the statements of
// simple Query messages by their text, so that a Query repeating an
// earlier text skips the parser and may reuse the plans its statements
// kept. handleQuery parses through it when it can; Parse messages always
// go through Session.Parse, since each prepared statement is its own.
type QueryParser interface {
	// ParseQuery is Parse for the text of a simple Query message.
	ParseQuery(sql string) ([]Statement, error)
}

// parseQuery splits a simple Query message's text into statements.
func (c *conn) parseQuery(sql string) ([]Statement, error) {
	if qp, ok := c.session.(QueryParser); ok {
		return qp.ParseQuery(sql)
	}
	return c.session.Parse(sql)
}
