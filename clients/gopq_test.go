package clients

import (
	"strings"
	"testing"

	"github.com/pqdb/pqdb/clients/gopq"
)

// TestLibPq: database/sql over github.com/lib/pq with parameters,
// prepared statements in a transaction, CopyIn, *pq.Error codes and the
// application section (pq.Array, jsonb through encoding/json).
func TestLibPq(t *testing.T) {
	runMatrix(t, "gopq", func(t *testing.T, tg target) string {
		var out strings.Builder
		if err := gopq.Run(&out, tg.url()); err != nil {
			t.Fatal(err)
		}
		return out.String()
	})
}
