package clients

import "testing"

// TestPsql: multi-statement -c strings, \copy from a CSV file and to
// standard output, expanded output, errors with a caret under the failing
// token, ON_ERROR_STOP, and the application section as a script with
// \set variables and \gset.
func TestPsql(t *testing.T) {
	requireProgram(t, "psql", "postgresql-client")
	runMatrix(t, "psql", func(t *testing.T, tg target) string {
		return command(t, tg, "psql", "bash", "run.sh")
	})
}
