package clients

import (
	"os"
	"testing"
)

// TestNodePostgres: parameters, named prepared statements reused across
// calls, the default and custom type parsers, transactions, a cursor read
// with FETCH and MOVE, error fields, type parsers registered for the OIDs
// pg_type gives an enum, its array and jsonb, and the application section
// (JS arrays and objects as parameters, a bulk insert through unnest),
// through node-postgres (pg from npm).
func TestNodePostgres(t *testing.T) {
	node := requireProgram(t, "node", "nodejs")
	if _, err := os.Stat("node/node_modules/pg/package.json"); err != nil {
		t.Skip("node-postgres is not installed (run npm ci in clients/node, as .ci/install-clients does)")
	}
	runMatrix(t, "node", func(t *testing.T, tg target) string {
		return command(t, tg, "node", node, "workload.js")
	})
}
