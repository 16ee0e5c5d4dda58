package wire

// StatementLister is implemented by a Session that shows the named
// prepared statements of the extended protocol (Parse messages) in
// pg_prepared_statements, beside those of SQL PREPARE, as PostgreSQL
// does. The unnamed statement is not listed, as in PostgreSQL.
type StatementLister interface {
	// NoteProtocolStatement records a named statement Parse created,
	// with its query text and its parameters' types.
	NoteProtocolStatement(name, query string, paramOIDs []uint32)
	// ForgetProtocolStatement drops one that Close destroyed.
	ForgetProtocolStatement(name string)
}
