package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

var (
	soakClients  = flag.Int("soak.clients", 40, "clients of TestSoak (the long form: 200)")
	soakDuration = flag.Duration("soak.duration", 10*time.Second, "how long TestSoak's clients run (the long form: 5m)")
)

// TestSoak runs many clients against one server for a while, mixing what
// a server meets in production: transactions that insert, update and
// read; statements cancelled by statement_timeout and by the client;
// connections dropped mid-query and mid-COPY; malformed protocol
// messages; and queries that pass the server's memory limit. At the end
// the server answers, every committed row is there and no row whose
// transaction failed, and the process is back near where it started:
// goroutines, open files and live heap. CI runs a short form; the long
// one is
//
//	go test ./server -run TestSoak -soak.clients 200 -soak.duration 5m -timeout 0
func TestSoak(t *testing.T) {
	srv, connect := startServerWith(t, Config{DataDir: t.TempDir(), MemoryLimit: 64 << 20, MaxConnections: *soakClients + 20})
	setup := connect(t)
	mustExec(t, setup,
		"CREATE TABLE soak_rows (client int, seq int, payload text, PRIMARY KEY (client, seq))",
		"CREATE TABLE soak_counters (client int PRIMARY KEY, n int)")
	baseline := measureProcess()

	ctx, stop := context.WithTimeout(context.Background(), *soakDuration)
	defer stop()
	var (
		wg        sync.WaitGroup
		committed sync.Map // "client/seq" → true: rows whose transaction committed
		failed    sync.Map // "client/seq" → true: rows whose transaction failed
		counts    [soakKinds]atomic.Int64
		problems  = make(chan string, 100)
	)
	report := func(format string, args ...any) {
		select {
		case problems <- fmt.Sprintf(format, args...):
		default:
		}
	}
	for client := range *soakClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			kind := client % soakKinds
			rng := rand.New(rand.NewPCG(uint64(client), 7))
			for seq := 0; ctx.Err() == nil; seq++ {
				var err error
				switch kind {
				case soakWriter:
					err = soakWrite(srv.Addr(), client, seq, &committed, &failed)
				case soakReader:
					err = soakRead(srv.Addr(), client, rng)
				case soakCanceller:
					err = soakCancel(srv.Addr(), rng)
				case soakDropper:
					err = soakDrop(srv.Addr(), rng)
				case soakGarbage:
					err = soakGarbageMessages(srv.Addr(), rng)
				case soakMemoryHog:
					err = soakHog(srv.Addr())
				}
				if err != nil {
					report("client %d (%s): %v", client, soakKindNames[kind], err)
					return
				}
				counts[kind].Add(1)
			}
		}()
	}
	wg.Wait()
	end, _ := ctx.Deadline()
	t.Logf("clients stopped %v after the end", time.Since(end).Round(time.Millisecond))
	close(problems)
	for p := range problems {
		t.Error(p)
	}
	for k := range soakKinds {
		t.Logf("%s: %d rounds", soakKindNames[k], counts[k].Load())
		if counts[k].Load() == 0 && *soakClients >= soakKinds {
			t.Errorf("no %s round completed", soakKindNames[k])
		}
	}

	// Every committed row is there, and no row of a failed transaction.
	check := connect(t)
	rows, err := check.Query(context.Background(), "SELECT client, seq FROM soak_rows")
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	for rows.Next() {
		var c, s int
		if err := rows.Scan(&c, &s); err != nil {
			t.Fatal(err)
		}
		present[fmt.Sprint(c, "/", s)] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var nCommitted int
	committed.Range(func(k, _ any) bool {
		nCommitted++
		if !present[k.(string)] {
			t.Errorf("committed row %s is missing", k)
		}
		return true
	})
	failed.Range(func(k, _ any) bool {
		if present[k.(string)] {
			t.Errorf("row %s of a failed transaction is there", k)
		}
		return true
	})
	t.Logf("%d rows committed, %d present", nCommitted, len(present))
	if nCommitted == 0 {
		t.Error("no transaction committed")
	}
	check.Close(context.Background())
	setup.Close(context.Background())

	// The process is back near where it started.
	settleStart := time.Now()
	defer func() { t.Logf("settled in %v", time.Since(settleStart)) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		after := measureProcess()
		problem := baseline.grownTo(after)
		if problem == "" {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("after the soak: %s\n%s", problem, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// What the soak's clients do, by client number modulo soakKinds.
const (
	soakWriter = iota
	soakReader
	soakCanceller
	soakDropper
	soakGarbage
	soakMemoryHog
	soakKinds
)

var soakKindNames = [soakKinds]string{"writer", "reader", "canceller", "dropper", "garbage", "memory hog"}

// soakConnect opens a pgx connection to addr.
func soakConnect(addr string) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.Connect(ctx, "postgres://soak@"+addr+"/pqdb?sslmode=disable")
}

// soakSession runs fn over a new session, with a context that ends after
// limit, and closes the session.
func soakSession(addr string, limit time.Duration, fn func(ctx context.Context, conn *pgx.Conn) error) error {
	conn, err := soakConnect(addr)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	return fn(ctx, conn)
}

// soakWrite commits one transaction of client: a row (client, seq) and
// its counter, noting the row committed or failed by the outcome.
func soakWrite(addr string, client, seq int, committed, failed *sync.Map) error {
	key := fmt.Sprint(client, "/", seq)
	return soakSession(addr, 30*time.Second, func(ctx context.Context, conn *pgx.Conn) error {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO soak_rows VALUES ($1, $2, repeat('x', $3))", client, seq, seq%500); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO soak_counters VALUES ($1, 1) ON CONFLICT (client) DO UPDATE SET n = soak_counters.n + 1", client)
			return err
		})
		var pe *pgconn.PgError
		switch {
		case err == nil:
			committed.Store(key, true)
		case errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01"):
			failed.Store(key, true) // a serialization failure or deadlock: retried by real clients
		default:
			return fmt.Errorf("writing %s: %w", key, err)
		}
		return nil
	})
}

// soakRead runs a few reads.
func soakRead(addr string, client int, rng *rand.Rand) error {
	return soakSession(addr, 30*time.Second, func(ctx context.Context, conn *pgx.Conn) error {
		for range 5 {
			var n int64
			var sql string
			switch rng.IntN(3) {
			case 0:
				sql = "SELECT count(*) FROM soak_rows WHERE client = $1"
			case 1:
				sql = "SELECT coalesce(sum(length(payload)), 0) FROM soak_rows WHERE client <= $1"
			default:
				sql = "SELECT coalesce(max(n), 0) FROM soak_counters WHERE client >= $1"
			}
			if err := conn.QueryRow(ctx, sql, rng.IntN(client+1)).Scan(&n); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
		return nil
	})
}

// soakCancel runs a statement that statement_timeout cancels, or the
// client's own deadline (a CancelRequest): it must fail with 57014 and
// the server go on.
func soakCancel(addr string, rng *rand.Rand) error {
	if rng.IntN(2) == 0 {
		return soakSession(addr, 30*time.Second, func(ctx context.Context, conn *pgx.Conn) error {
			if _, err := conn.Exec(ctx, "SET statement_timeout = '30ms'"); err != nil {
				return err
			}
			_, err := conn.Exec(ctx, "SELECT count(*) FROM generate_series(1, 200000000)")
			if pgcode(err) != "57014" {
				return fmt.Errorf("a statement past statement_timeout: %v, want 57014", err)
			}
			// The session goes on: under the soak's load even SELECT 1 may
			// pass the 30 ms, and an answer either way shows it.
			if err := conn.QueryRow(ctx, "SELECT 1").Scan(new(int)); err != nil && pgcode(err) != "57014" {
				return fmt.Errorf("after a statement timeout: %w", err)
			}
			return nil
		})
	}
	// A CancelRequest may overtake the query it cancels, and is then lost,
	// as in PostgreSQL; the query runs on after its client went away
	// (pgx closes a connection whose query its deadline cancelled), so it
	// is one that ends on its own.
	err := soakSession(addr, 30*time.Millisecond, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "SELECT pg_sleep(3)")
		return err
	})
	if err == nil {
		return errors.New("a cancelled statement succeeded")
	}
	return soakSession(addr, 30*time.Second, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT 1").Scan(new(int))
	})
}

// pgcode is err's SQLSTATE, "" when it is not a server's error.
func pgcode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// soakRaw opens a protocol-level connection and completes its startup.
func soakRaw(addr string) (net.Conn, *pgproto3.Frontend, error) {
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, nil, err
	}
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters: map[string]string{"user": "soak", "database": "pqdb"}})
	if err := fe.Flush(); err != nil {
		nc.Close()
		return nil, nil, err
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			nc.Close()
			return nil, nil, fmt.Errorf("startup: %w", err)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return nc, fe, nil
		}
	}
}

// soakDrop drops a connection in the middle of a large result, or of a
// COPY FROM STDIN whose rows it never finishes: the server must give up
// the statement, roll it back and free what it held.
func soakDrop(addr string, rng *rand.Rand) error {
	nc, fe, err := soakRaw(addr)
	if err != nil {
		return err
	}
	defer nc.Close()
	// The statement left behind ends when the server sees the hang-up,
	// not when it would have ended (client_check.go).
	fe.Send(&pgproto3.Query{String: "SET client_connection_check_interval = '100ms'"})
	if err := fe.Flush(); err != nil {
		return err
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			return err
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			break
		}
	}
	if rng.IntN(2) == 0 {
		fe.Send(&pgproto3.Query{String: "SELECT g, repeat('y', 100) FROM generate_series(1, 5000000) g"})
		if err := fe.Flush(); err != nil {
			return err
		}
		for range 100 { // some rows, then go
			if _, err := fe.Receive(); err != nil {
				return err
			}
		}
		return nil
	}
	fe.Send(&pgproto3.Query{String: "COPY soak_rows FROM STDIN"})
	if err := fe.Flush(); err != nil {
		return err
	}
	if _, err := fe.Receive(); err != nil { // CopyInResponse
		return err
	}
	for i := range 1000 {
		fe.Send(&pgproto3.CopyData{Data: fmt.Appendf(nil, "%d\t%d\tdropped\n", -1-rng.IntN(1000), i)})
	}
	return fe.Flush() // and no CopyDone: the connection closes
}

// soakGarbageMessages sends malformed protocol data after a good
// startup: a bad type byte, a message shorter than its header, a length
// beyond any limit, bytes of nothing. The server must end that connection
// alone.
func soakGarbageMessages(addr string, rng *rand.Rand) error {
	nc, _, err := soakRaw(addr)
	if err != nil {
		return err
	}
	defer nc.Close()
	garbage := [][]byte{
		{'!', 0, 0, 0, 4},
		{'Q', 0, 0, 0, 2},
		{'Q', 0x7f, 0xff, 0xff, 0xff},
		{'P', 0, 0, 0, 9, 'x', 0, 'y'},
	}
	junk := make([]byte, 64)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	garbage = append(garbage, junk)
	if _, err := nc.Write(garbage[rng.IntN(len(garbage))]); err != nil {
		return nil // the server may close first
	}
	// Read what the server answers until it closes, or a while: a message
	// cut short leaves it waiting for the rest, as PostgreSQL would.
	nc.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 4096)
	for {
		if _, err := nc.Read(buf); err != nil {
			return nil
		}
	}
}

// soakHog runs a query whose state cannot spill and outgrows the
// server's memory limit: it must fail with 53200, the session going on.
func soakHog(addr string) error {
	return soakSession(addr, 60*time.Second, func(ctx context.Context, conn *pgx.Conn) error {
		var n int
		err := conn.QueryRow(ctx, "SELECT array_length(array_agg(repeat('z', 64) || g), 1) FROM generate_series(1, 3000000) g").Scan(&n)
		if pgcode(err) != "53200" {
			return fmt.Errorf("a query past the memory limit: %v, want 53200", err)
		}
		if err := conn.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil {
			return fmt.Errorf("after 53200: %w", err)
		}
		return nil
	})
}

// processFigures are what must come back after a soak.
type processFigures struct {
	goroutines int
	files      int
	heap       uint64
}

func measureProcess() processFigures {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fds, _ := os.ReadDir("/proc/self/fd")
	return processFigures{goroutines: runtime.NumGoroutine(), files: len(fds), heap: ms.HeapAlloc}
}

// grownTo says what grew too much from p to q, "" if nothing did: a few
// goroutines and files may come and go (a flush, a compaction), and the
// heap may keep caches, but not the soak's load.
func (p processFigures) grownTo(q processFigures) string {
	switch {
	case q.goroutines > p.goroutines+10:
		return fmt.Sprintf("%d goroutines, %d before", q.goroutines, p.goroutines)
	case q.files > p.files+20:
		return fmt.Sprintf("%d open files, %d before", q.files, p.files)
	case q.heap > p.heap+128<<20:
		return fmt.Sprintf("%d MB of live heap, %d MB before", q.heap>>20, p.heap>>20)
	}
	return ""
}
