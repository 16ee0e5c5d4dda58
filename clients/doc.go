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
//
// psqldescribe is no driver's workload but psql's \d family: it builds a
// schema with an object of every kind pqdb has and prints what the
// describing meta-commands show of it, as user postgres in the database
// clients_psqldescribe against either server, since \l and \du print
// those names.
//
// The workloads also read the catalog as tools and ORMs do, over a schema
// with a serial, an identity and a generated-by-default identity key,
// foreign keys of one and two columns with their actions, unique and check
// constraints, defaults, a descending index, comments, a view, sequences
// and enums, and the types ORMs map (numeric(p,s), varchar(n), char(n),
// timestamptz, jsonb, arrays): pgjdbc through DatabaseMetaData (getSchemas,
// getTables, getColumns, getPrimaryKeys, getImportedKeys, getExportedKeys,
// getCrossReference, getIndexInfo, getBestRowIdentifier, getTypeInfo,
// getFunctions, getFunctionColumns) and ResultSetMetaData; SQLAlchemy
// (clients/sqlalchemy, over psycopg2) through its inspector and
// MetaData.reflect(), then queries and inserts through the reflected
// tables; node-postgres, psycopg2 and psycopg 3 by type introspection:
// looking an enum's, its array's and jsonb's OIDs up in pg_type and
// registering parsers for them (pg-types' setTypeParser, psycopg2's
// new_type and register_default_jsonb, psycopg 3's TypeInfo, EnumInfo and
// register_enum). OIDs of user objects differ between servers, so the
// workloads print names and whether OIDs agree, never user OIDs.
package clients
