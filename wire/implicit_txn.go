package wire

// ImplicitTransactionEnder is implemented by a Session that runs the
// statements outside a transaction block in an implicit transaction, as
// PostgreSQL does: everything between two Syncs, or in one simple Query
// message, commits together, and an error rolls all of it back. The wire
// layer calls EndImplicitTransaction just before every ReadyForQuery; an
// error (the commit failed) is sent as an ErrorResponse first.
type ImplicitTransactionEnder interface {
	EndImplicitTransaction() error
}
