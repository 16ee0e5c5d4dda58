package wire

// CursorDescriber is implemented by a Session that keeps SQL cursors
// (DECLARE ... CURSOR). In PostgreSQL such a cursor is a portal, and
// clients such as psycopg 3 describe it with a protocol-level Describe of
// that portal to learn its columns before fetching with SQL FETCH.
type CursorDescriber interface {
	// DescribeCursor returns the cursor's columns and whether it is a
	// BINARY cursor; ok is false when no cursor has that name.
	DescribeCursor(name string) (cols []Column, binary bool, ok bool)
}
