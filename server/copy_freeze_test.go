package server

import (
	"strings"
	"testing"
)

// TestCopyFreeze checks COPY ... (FREEZE) as PostgreSQL 15 answers it:
// allowed only on a table created or truncated in the current
// subtransaction (the block since its latest SAVEPOINT or ROLLBACK TO; a
// RELEASE hands the savepoint's tables to its parent). The outcomes were
// taken from PostgreSQL 15 with psql's \copy.
func TestCopyFreeze(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	copyTwo := func(sql string) string {
		t.Helper()
		tag, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("1\n2\n"), sql)
		if err != nil {
			return "ERROR: " + sqlstate(err)
		}
		return tag.String()
	}
	exec := func(sqls ...string) {
		t.Helper()
		for _, sql := range sqls {
			// ROLLBACK may end a failed block; nothing else may fail.
			if _, err := conn.Exec(ctx(t), sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
	}
	const freeze = "COPY cf FROM STDIN WITH (FREEZE)"
	exec("CREATE TABLE cf (a int)")
	cases := []struct {
		before []string
		copy   string
		want   string
		after  []string
	}{
		{nil, freeze, "ERROR: 55000", nil},
		{[]string{"BEGIN", "TRUNCATE cf"}, freeze, "COPY 2", []string{"COMMIT"}},
		{[]string{"BEGIN", "CREATE TABLE cf2 (a int)"}, "COPY cf2 FROM STDIN (FREEZE on)", "COPY 2", []string{"ROLLBACK"}},
		{[]string{"BEGIN", "TRUNCATE cf", "SAVEPOINT a"}, freeze, "ERROR: 55000", []string{"ROLLBACK"}},
		{[]string{"BEGIN", "SAVEPOINT a", "TRUNCATE cf", "RELEASE a"}, freeze, "COPY 2", []string{"COMMIT"}},
		{[]string{"BEGIN", "SAVEPOINT a", "TRUNCATE cf", "ROLLBACK TO a"}, freeze, "ERROR: 55000", []string{"ROLLBACK"}},
		{[]string{"BEGIN", "TRUNCATE cf", "SAVEPOINT a", "ROLLBACK TO a"}, freeze, "ERROR: 55000", []string{"ROLLBACK"}},
		// A transaction's tables are not the next one's.
		{[]string{"BEGIN", "TRUNCATE cf", "ROLLBACK", "BEGIN"}, freeze, "ERROR: 55000", []string{"ROLLBACK"}},
		{[]string{"BEGIN", "TRUNCATE cf"}, "COPY cf FROM STDIN (FREEZE false)", "COPY 2", []string{"ROLLBACK"}},
		{[]string{"BEGIN", "TRUNCATE cf"}, "COPY cf FROM STDIN (FREEZE maybe)", "ERROR: 42601", []string{"ROLLBACK"}},
	}
	for _, c := range cases {
		exec(c.before...)
		if got := copyTwo(c.copy); got != c.want {
			t.Errorf("%s; %s: got %s, want %s", strings.Join(c.before, "; "), c.copy, got, c.want)
		}
		exec(c.after...)
	}
	// The committed loads: each of the two left the table with two rows.
	if got := rowsText(t, conn, "SELECT count(*), sum(a) FROM cf"); got[0][0] != "2" || got[0][1] != "3" {
		t.Errorf("cf holds %v, want 2 rows summing to 3", got[0])
	}
}
