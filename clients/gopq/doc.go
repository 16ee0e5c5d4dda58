// Package gopq is the driver-matrix workload for github.com/lib/pq, the
// pure-Go driver behind database/sql: Exec and Query with parameters,
// transactions, CopyIn, the SQLSTATE carried by *pq.Error, and an
// application's statements (ids from RETURNING, upserts, pq.Array
// parameters and results, jsonb from encoding/json, window functions, a
// data-modifying WITH). Run prints
// what a program using the driver would see, so the clients tests can
// compare pqdb's answers with PostgreSQL's.
package gopq
