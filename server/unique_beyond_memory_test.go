package server

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestAddPrimaryKeyBeyondMemory: ALTER TABLE ... ADD PRIMARY KEY over
// more keys than a duplicate check holds in memory (storage's
// dupCheckKeys, 2^20), through pgx. A duplicate gets PostgreSQL's error,
// naming the key; once it is deleted the key is created and enforced.
func TestAddPrimaryKeyBeyondMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 1.1 M rows")
	}
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE big (k bigint, v int)",
		"INSERT INTO big SELECT g, 1 FROM generate_series(1, 1100000) g",
		"INSERT INTO big VALUES (5, 0)",
		"CHECKPOINT",
	)
	_, err := conn.Exec(ctx(t), "ALTER TABLE big ADD PRIMARY KEY (k)")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" || pe.Message != `could not create unique index "big_pkey"` || pe.Detail != "Key (k)=(5) is duplicated." {
		t.Fatalf("ADD PRIMARY KEY over a duplicate: %v (detail %q)", err, detailOf(pe))
	}
	mustExec(t, conn, "DELETE FROM big WHERE v = 0", "ALTER TABLE big ADD PRIMARY KEY (k)")
	_, err = conn.Exec(ctx(t), "INSERT INTO big VALUES (1099999, 2)")
	if sqlstate(err) != "23505" {
		t.Fatalf("insert of a taken key after ADD PRIMARY KEY: %v", err)
	}
}
