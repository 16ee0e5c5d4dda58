package server

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// childServerEnv makes the test binary act as a pqdb server process over
// the given data directory, so a test can kill it with SIGKILL.
const childServerEnv = "PQDB_TEST_CHILD_SERVER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childServerEnv); dir != "" {
		// Flush often, so the crash can land during a flush as well
		// (unless the test sets the flush size).
		flushRows := 64
		if n, err := strconv.Atoi(os.Getenv(childServerEnv + "_FLUSH_ROWS")); err == nil {
			flushRows = n
		}
		srv, err := Start(Config{Listen: "127.0.0.1:0", DataDir: dir, WALDir: os.Getenv(childServerEnv + "_WAL_DIR"), Storage: storage.Options{FlushRows: flushRows}})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("listening", srv.Addr())
		select {}
	}
	os.Exit(m.Run())
}

// startChildServer starts this test binary as a server process on data
// directory dir (see childServerEnv), with env added to its environment,
// and returns it with its address, for tests that kill it with SIGKILL.
func startChildServer(t *testing.T, dir string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(append(os.Environ(), childServerEnv+"="+dir), env...)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening ") {
		child.Process.Kill()
		t.Fatalf("child server: %q %v", line, err)
	}
	return child, strings.TrimSpace(strings.TrimPrefix(line, "listening "))
}

func TestKill9LosesNoCommittedRow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child server process")
	}
	checkKill9LosesNothing(t, Config{DataDir: t.TempDir()})
}

// checkKill9LosesNothing commits rows to a child server on cfg's data
// (and WAL) directory, kills it with SIGKILL, and checks a server
// started on them again has every row whose commit was acknowledged,
// once, and no row never inserted.
func checkKill9LosesNothing(t *testing.T, cfg Config) {
	var env []string
	if cfg.WALDir != "" {
		env = append(env, childServerEnv+"_WAL_DIR="+cfg.WALDir)
	}
	child, addr := startChildServer(t, cfg.DataDir, env...)

	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(c, "postgres://tester@"+addr+"/pqdb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(c, "CREATE TABLE events (id int PRIMARY KEY, payload text)"); err != nil {
		t.Fatal(err)
	}
	// Commit rows one statement at a time (and a few in blocks) until the
	// server is killed under our feet.
	acked := map[int32]bool{}
	killed := make(chan struct{})
	go func() {
		time.Sleep(1500 * time.Millisecond)
		child.Process.Signal(syscall.SIGKILL)
		close(killed)
	}()
	var attempted int32
	for id := int32(1); ; id++ {
		attempted = id
		_, err := conn.Exec(c, "INSERT INTO events VALUES ($1, $2)", id, strings.Repeat("x", int(id%50)))
		if err != nil {
			break
		}
		acked[id] = true
	}
	<-killed
	child.Wait()
	if len(acked) < 10 {
		t.Fatalf("only %d rows committed before the kill", len(acked))
	}

	_, connect := startServerWith(t, cfg)
	conn2 := connect(t)
	rows, err := conn2.Query(ctx(t), "SELECT id FROM events")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int32]bool{}
	for rows.Next() {
		var id int32
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("row %d duplicated after recovery", id)
		}
		seen[id] = true
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for id := range acked {
		if !seen[id] {
			t.Fatalf("committed row %d lost (%d committed, %d recovered)", id, len(acked), len(seen))
		}
	}
	for id := range seen {
		if id > attempted {
			t.Fatalf("row %d was never inserted", id)
		}
	}
	t.Logf("%d committed before kill -9, %d recovered", len(acked), len(seen))
}

func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE kept (a int, b text)", "INSERT INTO kept VALUES (1, 'flushed')", "CHECKPOINT",
		"INSERT INTO kept VALUES (2, 'tail')", "CREATE VIEW kv AS SELECT b FROM kept WHERE a > 1")
	conn.Close(ctx(t))
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	got := rowsText(t, conn, "SELECT a, b FROM kept ORDER BY a")
	if fmt.Sprint(got) != "[[1 flushed] [2 tail]]" {
		t.Fatalf("after restart: %v", got)
	}
	if got := rowsText(t, conn, "SELECT * FROM kv"); fmt.Sprint(got) != "[[tail]]" {
		t.Fatalf("view after restart: %v", got)
	}
}
