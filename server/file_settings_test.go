package server

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/engine"
)

// TestConfigurationFileSettings: a configuration file's settings are
// every session's defaults: SHOW shows them, pg_settings names their
// source, file and line, RESET returns to them, and a startup parameter
// overrides one (source client).
func TestConfigurationFileSettings(t *testing.T) {
	srv, connect := startServerWith(t, Config{DataDir: t.TempDir(), Settings: []engine.FileSetting{
		{Name: "work_mem", Value: "128MB", File: "/etc/pqdb.conf", Line: 3},
		{Name: "Statement_Timeout", Value: "5s", File: "/etc/pqdb.conf", Line: 7},
	}})
	conn := connect(t)
	var workMem, source, file string
	var line int32
	if err := conn.QueryRow(ctx(t), `SELECT current_setting('work_mem'), source, sourcefile, sourceline FROM pg_settings WHERE name = 'work_mem'`).Scan(&workMem, &source, &file, &line); err != nil {
		t.Fatal(err)
	}
	if workMem != "128MB" || source != "configuration file" || file != "/etc/pqdb.conf" || line != 3 {
		t.Fatalf("work_mem %s from %s %s:%d", workMem, source, file, line)
	}
	mustExec(t, conn, "SET statement_timeout = '1min'")
	var timeout string
	if err := conn.QueryRow(ctx(t), `SELECT source FROM pg_settings WHERE name = 'statement_timeout'`).Scan(&source); err != nil || source != "session" {
		t.Fatalf("after SET: source %q (%v)", source, err)
	}
	mustExec(t, conn, "RESET statement_timeout")
	if err := conn.QueryRow(ctx(t), `SHOW statement_timeout`).Scan(&timeout); err != nil || timeout != "5s" {
		t.Fatalf("after RESET: %q (%v), want the file's 5s", timeout, err)
	}
	cfg, err := pgx.ParseConfig("postgres://tester@" + srv.Addr() + "/pqdb?sslmode=disable&work_mem=32MB")
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := pgx.ConnectConfig(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close(context.Background())
	if err := client.QueryRow(ctx(t), `SELECT setting, source FROM pg_settings WHERE name = 'work_mem'`).Scan(&workMem, &source); err != nil || source != "client" {
		t.Fatalf("a startup parameter over the file: %s from %q (%v)", workMem, source, err)
	}
}
