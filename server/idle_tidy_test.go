package server

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/pqdb/pqdb/storage"
)

// TestIdleTidyThroughClient: after a burst of small commits and
// checkpoints, a server whose writer then idles flushes the unflushed
// rows and merges the small segments, so that a point lookup reads one
// segment and no pending batch, and every row is still there.
func TestIdleTidyThroughClient(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{IdleTidy: 50 * time.Millisecond}})
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE acct (id int, bal int)`)
	for i := range 4 {
		mustExec(t, conn, `INSERT INTO acct SELECT g, 0 FROM generate_series(`+strconv.Itoa(i*100+1)+`, `+strconv.Itoa(i*100+100)+`) g`, `CHECKPOINT`)
	}
	for i := range 20 {
		mustExec(t, conn, `UPDATE acct SET bal = bal + 1 WHERE id = `+strconv.Itoa(i*17+1))
	}
	segments := regexp.MustCompile(`Segments Read: (\d+)\s+Segments Skipped: (\d+)`)
	lookup := `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT bal FROM acct WHERE id = 35`
	var plan string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		plan = explainText(t, conn, lookup)
		if m := segments.FindStringSubmatch(plan); m != nil && m[1] == "1" && m[2] == "0" {
			break
		}
	}
	if m := segments.FindStringSubmatch(plan); m == nil || m[1] != "1" || m[2] != "0" {
		t.Fatalf("the table's segments were not merged into one:\n%s", plan)
	}
	if got := rowsText(t, conn, `SELECT count(*), sum(bal), count(DISTINCT id) FROM acct`); got[0][0] != "400" || got[0][1] != "20" || got[0][2] != "400" {
		t.Fatalf("after tidying: %v", got)
	}
	if got := rowsText(t, conn, `SELECT bal FROM acct WHERE id = 35`); got[0][0] != "1" {
		t.Fatalf("id 35: %v", got)
	}
}
