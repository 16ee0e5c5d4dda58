package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/engine"
)

// TestConfigurationFileSettings: a configuration file's settings are
// every session's defaults: SHOW shows them, pg_settings names their
// source, file and line (the last that set a name), pg_file_settings
// lists every line, RESET returns to them, and a startup parameter
// overrides one (source client).
func TestConfigurationFileSettings(t *testing.T) {
	srv, connect := startServerWith(t, Config{DataDir: t.TempDir(), Settings: []engine.FileSetting{
		{Name: "work_mem", Value: "1MB", File: "/etc/pqdb.conf", Line: 3}, // set again below
		{Name: "Statement_Timeout", Value: "5s", File: "/etc/pqdb.conf", Line: 7},
		{Name: "work_mem", Value: "128MB", File: "/etc/pqdb.conf", Line: 9},
	}})
	conn := connect(t)
	var workMem, source, file string
	var line int32
	if err := conn.QueryRow(ctx(t), `SELECT current_setting('work_mem'), source, sourcefile, sourceline FROM pg_settings WHERE name = 'work_mem'`).Scan(&workMem, &source, &file, &line); err != nil {
		t.Fatal(err)
	}
	if workMem != "128MB" || source != "configuration file" || file != "/etc/pqdb.conf" || line != 9 {
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
	rows, err := conn.Query(ctx(t), `SELECT sourceline, seqno, name, setting, applied FROM pg_file_settings`)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for rows.Next() {
		var line, seq int32
		var name, setting string
		var applied bool
		if err := rows.Scan(&line, &seq, &name, &setting, &applied); err != nil {
			t.Fatal(err)
		}
		listed = append(listed, fmt.Sprint(line, " ", seq, " ", name, " ", setting, " ", applied))
	}
	if got := strings.Join(listed, "|"); rows.Err() != nil || got != "3 1 work_mem 1MB false|7 2 statement_timeout 5s true|9 3 work_mem 128MB true" {
		t.Fatalf("pg_file_settings: %s (%v)", got, rows.Err())
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
