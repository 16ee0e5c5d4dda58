// Package pgerr is how pqdb reports errors a user can cause: an Error
// carries a SQLSTATE and the fields of a Postgres ErrorResponse, and every
// package returns it for bad input, so the wire layer can send exactly
// what PostgreSQL would.
//
// The SQLSTATE constants in codes_gen.go are generated from PostgreSQL's
// own errcodes.txt (go generate); never add one by hand.
//
// Invariant: an error that is not an *Error is a bug in pqdb and reaches
// the client as XX000 internal_error.
package pgerr

//go:generate go run ./internal/gencodes -out codes_gen.go
