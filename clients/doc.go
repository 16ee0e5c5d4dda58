// Package clients runs the driver matrix: every PostgreSQL client that
// pqdb aims to serve runs its usual workload against a fresh pqdb, and its
// output must equal what the same workload printed against PostgreSQL 15.
//
// Each driver has a directory holding its workload (a shell, Python,
// JavaScript or Java program, or a Go package for the Go drivers) and the
// file expected.out, which is the workload's output against PostgreSQL 15,
// never against pqdb. A workload reads where to connect from the libpq
// environment variables PGHOST, PGPORT, PGUSER and PGDATABASE (the Java one
// from its first argument), so the same program runs unchanged against
// either server.
//
// A test skips, saying what to install, when its client is missing; CI gets
// them from .ci/install-clients. To record the expectations again, run
// clients/record-expected.sh, which starts a private PostgreSQL 15 and runs
//
//	PQDB_CLIENTS_POSTGRES=127.0.0.1:PORT go test ./clients -update
//
// so that each workload runs against it, as user postgres in a database of
// its own created afresh, and rewrites its expected.out.
//
// Besides what is particular to its driver, every workload ends with an
// application section written the way that driver's users write it: a
// serial and an identity key read back through RETURNING (or the driver's
// generated keys), ON CONFLICT DO NOTHING and an ORM-style upsert whose
// RETURNING rows come back in the order of the rows sent, int[] and text[]
// parameters in the driver's own array form with = ANY, jsonb from the
// driver's JSON type queried with ->>, @> and jsonb_agg, row_number, a
// running sum and lag over windows, an upsert rolled back in a transaction,
// and a data-modifying WITH that moves rows to an archive table. Every
// query orders its rows, so the outputs are deterministic.
package clients
