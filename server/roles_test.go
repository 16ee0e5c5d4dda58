package server

import (
	"context"
	"path/filepath"
	"testing"
)

// Roles made with CREATE ROLE ... PASSWORD log in through the password
// rules, and ALTER ROLE and DROP ROLE take effect for new connections.
func TestRolesAuthenticate(t *testing.T) {
	dir := t.TempDir()
	hba := filepath.Join(dir, "hba")
	writeFile(t, hba, "host all admin 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n")
	srv, err := Start(Config{Listen: "127.0.0.1:0", DataDir: filepath.Join(dir, "data"), HBAFile: hba})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	admin, err := connectAs(t, srv.Addr(), "admin", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	mustExec(t, admin, "CREATE ROLE alice LOGIN PASSWORD 'secret'", "CREATE ROLE bob PASSWORD 'x'", "CREATE USER carol PASSWORD 'c'")
	for _, c := range []struct{ sql, code string }{
		{"CREATE ROLE alice", "42710"},
		{"ALTER ROLE nobody LOGIN", "42704"},
		{"DROP ROLE nobody", "42704"},
		{"DROP ROLE IF EXISTS nobody", ""},
		{"CREATE ROLE dan CREATEDB", "0A000"},
	} {
		if _, err := admin.Exec(ctx(t), c.sql); sqlstate(err) != c.code {
			t.Fatalf("%s: %v, want %q", c.sql, err, c.code)
		}
	}
	login := func(user, password string) string {
		conn, err := connectAs(t, srv.Addr(), user, password, nil)
		if err != nil {
			return fatalCode(t, err)
		}
		conn.Close(context.Background())
		return ""
	}
	if code := login("alice", "secret"); code != "" {
		t.Fatalf("alice: %s", code)
	}
	if code := login("carol", "c"); code != "" {
		t.Fatalf("CREATE USER logs in by default: %s", code)
	}
	if code := login("alice", "wrong"); code != "28P01" {
		t.Fatalf("wrong password: %s", code)
	}
	if code := login("bob", "x"); code != "28P01" {
		t.Fatalf("a role without LOGIN: %s", code)
	}
	mustExec(t, admin, "ALTER ROLE alice PASSWORD 'new'", "ALTER ROLE bob LOGIN")
	if code := login("alice", "secret"); code != "28P01" {
		t.Fatalf("old password after ALTER ROLE: %s", code)
	}
	if code := login("alice", "new"); code != "" {
		t.Fatalf("new password: %s", code)
	}
	if code := login("bob", "x"); code != "" {
		t.Fatalf("bob after ALTER ROLE LOGIN: %s", code)
	}
	mustExec(t, admin, "DROP ROLE alice")
	if code := login("alice", "new"); code != "28P01" {
		t.Fatalf("dropped role: %s", code)
	}
}
