package storage

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const crossCrashChildEnv = "PQDB_STORAGE_CROSS_CRASH_CHILD"

// crossCrashChild commits keys k = start, start+1, ... into a.t and b.t,
// one two-schema transaction per key, printing "ack k" after each commit
// returns. It runs until killed.
func crossCrashChild(dir string, start int64) {
	s, err := openChild(dir, Options{FlushRows: 30, RowGroupRows: 16})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	snap := s.Snapshot()
	ta, tb := snap.Table("a", "t"), snap.Table("b", "t")
	if ta == nil {
		ta, tb = twoSchemas(nopTB{}, s)
	}
	out := bufio.NewWriter(os.Stdout)
	for k := start; ; k++ {
		if err := insertBoth(s, ta, tb, k); err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(out, "ack", k)
		out.Flush()
	}
}

// TestCrossCommitKill kills a process committing two-schema transactions
// at random moments (kill -9); after each restart every acknowledged
// transaction is in both schemas and every other one in neither (the one
// in flight at the kill may be in both).
func TestCrossCommitKill(t *testing.T) {
	if dir := os.Getenv(crossCrashChildEnv); dir != "" {
		start, _ := strconv.ParseInt(os.Getenv(crossCrashChildEnv+"_START"), 10, 64)
		crossCrashChild(dir, start)
		return
	}
	dir := t.TempDir()
	acked := map[int64]bool{}
	next := int64(0)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	const rounds = 6
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrossCommitKill$")
		cmd.Env = append(childEnv(t, dir), crossCrashChildEnv+"="+dir, fmt.Sprintf("%s_START=%d", crossCrashChildEnv, next))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill at a random time after the first acknowledgement, so the
		// kill lands anywhere in the prepare / decide / resolve cycle.
		var killer *time.Timer
		deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
		sc := bufio.NewScanner(stdout)
		n := 0
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
			if n++; n == 1 {
				killer = time.AfterFunc(time.Duration(100+rng.IntN(400))*time.Millisecond, func() {
					cmd.Process.Signal(syscall.SIGKILL)
				})
			}
		}
		deadline.Stop()
		cmd.Wait()
		if killer == nil {
			t.Fatalf("round %d: child acknowledged nothing", round)
		}
		inFlight := next // committed, perhaps, but not acknowledged
		next++

		s := openTest(t, dir, Options{FlushRows: 30, RowGroupRows: 16})
		snap := s.Snapshot()
		ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b")
		for k := range acked {
			key := strconv.FormatInt(k, 10)
			if _, ok := ra[key]; !ok {
				t.Fatalf("round %d: acknowledged key %d lost in a", round, k)
			}
			if _, ok := rb[key]; !ok {
				t.Fatalf("round %d: acknowledged key %d lost in b", round, k)
			}
		}
		for key := range ra {
			if _, ok := rb[key]; !ok {
				t.Fatalf("round %d: key %s in a.t only", round, key)
			}
		}
		for key := range rb {
			k, _ := strconv.ParseInt(key, 10, 64)
			if _, ok := ra[key]; !ok {
				t.Fatalf("round %d: key %s in b.t only", round, key)
			}
			if !acked[k] {
				if k != inFlight {
					t.Fatalf("round %d: key %d was never committed", round, k)
				}
				acked[k] = true
			}
		}
		t.Logf("round %d: %d keys in both schemas after %d acknowledged commits", round, len(ra), n)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
