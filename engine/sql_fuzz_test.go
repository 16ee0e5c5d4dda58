package engine

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// fuzzSchema is the database FuzzSQL's statements run against: a table
// of the common column types with an index and a key, one to join it
// with, a view and an enum, each with a few rows.
const fuzzSchema = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (i int PRIMARY KEY, n numeric(10,2), v numeric, s text, d date, ts timestamp, tz timestamptz,
	b bool, by bytea, a int[], ta text[], f float8, iv interval, j jsonb, u uuid, m mood);
INSERT INTO t VALUES
	(1, 1.5, 0.001, 'a', '2024-01-31', '2024-01-31 12:00', '2024-01-31 12:00+02', true, '\x01ff', '{1,2,NULL}', '{x,"y z"}',
	 1e300, '1 day 02:03', '{"k": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ok'),
	(2, -99999999.99, -1e-20, '', 'infinity', '-infinity', NULL, false, '\x', '{}', '{}', 'NaN', '-1 mon', 'null', NULL, 'sad'),
	(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE INDEX t_s ON t (s);
CREATE TABLE u (id int, t_i int REFERENCES t (i), name varchar(10), qty int2, price numeric(6,2));
INSERT INTO u SELECT g, 1 + g % 3, 'n' || g, g, g * 1.25 FROM generate_series(1, 20) g;
CREATE VIEW tv AS SELECT t.i, t.s, count(u.id) AS c FROM t LEFT JOIN u ON u.t_i = t.i GROUP BY t.i, t.s;
`

// FuzzSQL runs arbitrary SQL through a session, parsing, binding,
// planning and executing it, with the extended protocol's Describe
// first, as a client's Parse/Describe/Bind/Execute would, and NULL for
// every parameter. Statements run in a transaction block that is rolled
// back, each behind a savepoint, so that every input sees fuzzSchema and
// an error does not stop the statements after it. The property: no
// error is an internal error (XX000), which is how a panic of the binder
// or the executor, or an error without a SQLSTATE, reaches the client,
// unless PostgreSQL raises the same one (postgresInternalErrors).
// The seeds are statements of the repository's and the shared
// sqllogictest corpora (testdata/sql_fuzz_seeds.sql).
func FuzzSQL(f *testing.F) {
	seeds, err := os.ReadFile("testdata/sql_fuzz_seeds.sql")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range strings.Split(string(seeds), "-- next seed\n") {
		if s = strings.TrimSpace(s); s != "" {
			f.Add(s)
		}
	}
	base := testSessionWith(f, Config{DataDir: f.TempDir(), MemoryLimit: 256 << 20})
	simple(f, base, fuzzSchema)
	e := base.eng
	f.Fuzz(func(t *testing.T, sql string) {
		// A fresh session per input, so that settings, prepared
		// statements, cursors and temporary tables do not carry over;
		// the statement timeout ends what would run too long.
		s, err := e.NewSession(StartupInfo{User: "tester", Database: "pqdb", ProcessID: 2,
			Params: map[string]string{"statement_timeout": "2s"}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fuzzRun(t, s, sql)
	})
}

// postgresInternalErrors are internal errors PostgreSQL 15 raises itself
// (elog ERROR, XX000) for the same input, and pqdb alike: not bugs.
var postgresInternalErrors = []string{
	"could not open relation with OID ", // SELECT nextval(0)
}

// fuzzRun runs sql in a block rolled back at the end and fails t at an
// internal error PostgreSQL would not raise.
func fuzzRun(t *testing.T, s *Session, sql string) {
	check := func(what string, err error) bool {
		if pgerr.CodeOf(err) == pgerr.InternalError && !slices.ContainsFunc(postgresInternalErrors, func(m string) bool {
			return strings.HasPrefix(err.Error(), m)
		}) {
			t.Fatalf("%s: internal error: %v\nin %q", what, err, sql)
		}
		return err == nil
	}
	stmts, err := s.Parse(sql)
	if !check("parse", err) {
		return
	}
	ctx := context.Background()
	// control runs a statement of the harness; one that fails (the
	// input may have terminated its own session) ends the input.
	control := func(sql string) bool {
		st, err := s.Parse(sql)
		if err == nil {
			_, err = s.Execute(ctx, st[0], nil, nil, nil, nil, &discardRows{})
		}
		return check(sql, err)
	}
	if !control("BEGIN") {
		return
	}
	for _, st := range stmts {
		// The input's own transaction control would end the block that
		// keeps the schema as it is.
		if st.(*statement).Statement.Node.GetTransactionStmt() != nil {
			continue
		}
		if !control("SAVEPOINT fuzz") {
			return
		}
		params, _, err := s.Describe(ctx, st, nil)
		if check("describe "+st.SQL(), err) {
			_, err = s.Execute(ctx, st, params, make([][]byte, len(params)), nil, nil, &discardRows{})
			check(st.SQL(), err)
		}
		if s.TxStatus() == 'E' && !control("ROLLBACK TO SAVEPOINT fuzz") || !control("RELEASE SAVEPOINT fuzz") {
			return
		}
	}
	control("ROLLBACK")
	check("end", s.EndImplicitTransaction())
}
