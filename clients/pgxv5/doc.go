// Package pgxv5 is the driver-matrix workload for github.com/jackc/pgx/v5
// in what the server tests do not already exercise end to end: a Batch of
// queries sent in one round trip, a pgconn pipeline whose first segment
// fails, results in the binary format for every type pqdb stores,
// cancelling a running statement through the context, and an
// application's statements (ids from RETURNING read in a Batch, upserts
// collected into structs, Go slices and maps as array and jsonb
// parameters, window functions, a data-modifying WITH). Run prints what a
// program using pgx would see, so the clients tests can compare pqdb's
// answers with PostgreSQL's.
package pgxv5
