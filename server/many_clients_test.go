package server

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestManyClients: 500 clients connected at once, each running queries
// (a write and reads) over its own session, all progress, and
// --max-connections holds: one client more is refused with 53300 while
// they are connected. Once they leave, the server's sessions, goroutines
// and open files are back to where they were.
func TestManyClients(t *testing.T) {
	if testing.Short() {
		t.Skip("500 connections: skipped with -short")
	}
	const clients = 500
	srv, connect := startServerWith(t, Config{DataDir: t.TempDir(), MaxConnections: clients + 1}) // + the setup's
	setup := connect(t)
	mustExec(t, setup, "CREATE TABLE many (client int PRIMARY KEY, n int)")
	baseline := measureProcess()

	var connected, done sync.WaitGroup
	connected.Add(clients)
	done.Add(clients)
	release := make(chan struct{})
	errs := make(chan error, clients)
	for c := range clients {
		go func() {
			defer done.Done()
			conn, err := soakConnect(srv.Addr())
			connected.Done()
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close(context.Background())
			<-release // every client holds its session while the others connect
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if _, err := conn.Exec(ctx, "INSERT INTO many VALUES ($1, 0)", c); err != nil {
				errs <- err
				return
			}
			for range 5 {
				if _, err := conn.Exec(ctx, "UPDATE many SET n = n + 1 WHERE client = $1", c); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	connected.Wait()
	if _, err := soakConnect(srv.Addr()); fatalCode(t, err) != "53300" {
		t.Errorf("client %d of %d: %v, want 53300", clients+2, clients+1, err)
	}
	close(release)
	done.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var rows, sum int
	if err := setup.QueryRow(ctx(t), "SELECT count(*), sum(n) FROM many").Scan(&rows, &sum); err != nil || rows != clients || sum != 5*clients {
		t.Fatalf("%d rows, sum %d (%v); want %d, %d", rows, sum, err, clients, 5*clients)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		problem := baseline.grownTo(measureProcess())
		if problem == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the clients left: %s", problem)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
