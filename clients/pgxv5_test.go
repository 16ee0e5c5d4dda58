package clients

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pqdb/pqdb/clients/pgxv5"
)

// TestPgx: a Batch with and without a failing statement, a pgconn
// pipeline of two segments with an error in the first, binary results for
// every stored type, cancelling a long statement through its context, and
// the application section (Go slices and maps as parameters,
// RowToStructByName); QueryRow and CopyFrom are covered by the server
// tests.
func TestPgx(t *testing.T) {
	runMatrix(t, "pgxv5", func(t *testing.T, tg target) string {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var out strings.Builder
		if err := pgxv5.Run(ctx, &out, tg.url()); err != nil {
			t.Fatal(err)
		}
		return out.String()
	})
}
