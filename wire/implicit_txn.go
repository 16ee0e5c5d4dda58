package wire

// ImplicitTransactionEnder is implemented by a Session that runs the
// statements outside a transaction block in an implicit transaction, as
// PostgreSQL does: everything between two Syncs, or in one simple Query
// message, commits together, and an error rolls all of it back. The wire
// layer calls EndImplicitTransaction just before every ReadyForQuery; an
// error (the commit failed) is sent as an ErrorResponse first. A simple
// Query calls it earlier, once its last statement ran and before that
// statement's CommandComplete, which a failed commit's ErrorResponse
// replaces, as in PostgreSQL; the call before ReadyForQuery then finds
// nothing to end.
type ImplicitTransactionEnder interface {
	EndImplicitTransaction() error
}

// endImplicitTransaction ends the session's implicit transaction, if it
// has them (ImplicitTransactionEnder).
func (c *conn) endImplicitTransaction() error {
	if ender, ok := c.session.(ImplicitTransactionEnder); ok {
		return ender.EndImplicitTransaction()
	}
	return nil
}
