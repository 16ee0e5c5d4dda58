package server

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unique expression and partial indexes hold for COPY, for rows flushed
// to Parquet and read back after a restart, and between transactions
// (sqltests/testdata/expression_indexes.slt covers the statements).
func TestExpressionIndexEnforcement(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE u (id int, email text, slug text, deleted_at date)",
		"CREATE UNIQUE INDEX u_email ON u (lower(email))",
		"CREATE UNIQUE INDEX u_slug ON u (slug) WHERE deleted_at IS NULL",
		"INSERT INTO u VALUES (1, 'A@x.org', 'a', NULL), (2, 'b@x.org', 'a', '2024-01-01')",
	)
	copyFrom := func(text string) error {
		_, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(text), "COPY u FROM STDIN")
		return err
	}
	checkDup := func(err error, index, detail string) {
		t.Helper()
		var pe *pgconn.PgError
		if sqlstate(err) != "23505" || !strings.Contains(err.Error(), `"`+index+`"`) {
			t.Fatalf("want 23505 on %s, got %v", index, err)
		}
		if errors.As(err, &pe); pe.Detail != detail {
			t.Fatalf("detail %q, want %q", pe.Detail, detail)
		}
	}
	checkDup(copyFrom("3\ta@X.org\tc\t\\N\n"), "u_email", "Key (lower(email))=(a@x.org) already exists.")
	checkDup(copyFrom("3\tc@x.org\ta\t\\N\n"), "u_slug", "Key (slug)=(a) already exists.")
	if err := copyFrom("3\tc@x.org\ta\t2024-02-02\n4\t\\N\tb\t\\N\n5\t\\N\tc\t\\N\n"); err != nil {
		t.Fatal(err)
	}

	// Flushed rows and a restart: the keys are computed again from the
	// Parquet segments.
	mustExec(t, conn, "CHECKPOINT")
	srv.Close()
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	_, err := conn.Exec(ctx(t), "INSERT INTO u VALUES (6, 'B@X.ORG', 'z', NULL)")
	checkDup(err, "u_email", "Key (lower(email))=(b@x.org) already exists.")
	_, err = conn.Exec(ctx(t), "UPDATE u SET deleted_at = NULL WHERE id = 3")
	checkDup(err, "u_slug", "Key (slug)=(a) already exists.")

	// Two transactions proposing the same key: the second to commit
	// fails.
	other := connect(t)
	mustExec(t, conn, "BEGIN", "INSERT INTO u VALUES (7, 'new@x.org', 'n', NULL)")
	mustExec(t, other, "BEGIN", "INSERT INTO u VALUES (8, 'NEW@x.org', 'm', NULL)")
	mustExec(t, conn, "COMMIT")
	_, err = other.Exec(ctx(t), "COMMIT")
	checkDup(err, "u_email", "Key (lower(email))=(new@x.org) already exists.")
	if got := rowsText(t, conn, "SELECT id FROM u ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"7"}}) {
		t.Fatalf("rows %v", got)
	}
}
