package storage

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const crashChildEnv = "PQDB_STORAGE_CRASH_CHILD"

// crashChild commits rows k = start, start+1, ... to public.kv in dir,
// one transaction per row (a delete of the previous row's predecessor
// every tenth row, to exercise flushing deletes), printing "ack k" after
// each commit returns. It runs until killed.
func crashChild(dir string, start int64) {
	s, err := openChild(dir, Options{FlushRows: 40, RowGroupRows: 16})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	tbl := s.Snapshot().Table("public", "kv")
	if tbl == nil {
		tbl = kvTable("kv")
		mustCreate(nopTB{}, s, tbl)
	}
	out := bufio.NewWriter(os.Stdout)
	for k := start; ; k++ {
		tx := s.Begin()
		if err := tx.Insert(tbl, kvRecord([]int64{k}, []string{"v" + strconv.FormatInt(k, 10)})); err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		if err := tx.Commit(); err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(out, "ack", k)
		out.Flush()
	}
}

// nopTB lets the child use the test helpers outside a test.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                   {}
func (nopTB) Fatalf(f string, a ...any) { fmt.Printf("error "+f+"\n", a...); os.Exit(2) }

func TestCrashSafety(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		start, _ := strconv.ParseInt(os.Getenv(crashChildEnv+"_START"), 10, 64)
		crashChild(dir, start)
		return
	}
	dir := t.TempDir()
	acked := map[int64]bool{}
	next := int64(0)
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$")
		cmd.Env = append(childEnv(t, dir), crashChildEnv+"="+dir, fmt.Sprintf("%s_START=%d", crashChildEnv, next))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill the child after a number of acknowledged commits that varies
		// by round, so the kill lands at different points of the
		// commit/flush cycle.
		killAt := 60 + round*37
		sc := bufio.NewScanner(stdout)
		n := 0
		deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatalf("child: %s", line)
			}
			k, err := strconv.ParseInt(strings.TrimPrefix(line, "ack "), 10, 64)
			if err != nil {
				continue
			}
			acked[k] = true
			next = k + 1
			if n++; n == killAt {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		deadline.Stop()
		cmd.Wait()
		if n < killAt {
			t.Fatalf("round %d: child stopped after %d commits", round, n)
		}
		// The child may have committed one more row than it acknowledged.
		next++

		s := openTest(t, dir, Options{FlushRows: 40, RowGroupRows: 16})
		tbl := s.Snapshot().Table("public", "kv")
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		for k := range acked {
			if rows[strconv.FormatInt(k, 10)] != fmt.Sprintf("%d|v%d", k, k) {
				t.Fatalf("round %d: acknowledged row %d lost (have %d rows)", round, k, len(rows))
			}
		}
		for key := range rows {
			k, _ := strconv.ParseInt(key, 10, 64)
			if !acked[k] && k != next-1 {
				t.Fatalf("round %d: row %d was never committed", round, k)
			}
			if acked[k] == false && k == next-1 {
				acked[k] = true // committed but unacknowledged: keep expecting it
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(acked) < 200 {
		t.Fatalf("only %d commits acknowledged", len(acked))
	}
}
