package clients

import "testing"

// TestPsqlDescribe: psql's describing meta-commands (\l, \dn, \dt, \dv,
// \di, \ds, \dT, \dD, \df, \du, \dp, \d and \d+ of tables, views,
// indexes and sequences, \x, \conninfo) over a schema with an object of
// every kind pqdb has print what they print against PostgreSQL 15.
func TestPsqlDescribe(t *testing.T) {
	requireProgram(t, "psql", "postgresql-client")
	runMatrix(t, "psqldescribe", func(t *testing.T, tg target) string {
		// \l and \du print the database's and the roles' names: use
		// those of the recording, which runs as postgres in
		// clients_psqldescribe.
		tg.user, tg.database = "postgres", "clients_psqldescribe"
		return command(t, tg, "psqldescribe", "bash", "run.sh")
	})
}
