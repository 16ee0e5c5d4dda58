package server

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTempDirsOfDeadServersRemoved: a server's temporary directory lives
// under --temp-dir while it runs and goes when it closes; one left by a
// server killed with kill -9 (its lock file no longer held) is removed
// by the next server to start, while a running server's is kept.
func TestTempDirsOfDeadServersRemoved(t *testing.T) {
	base := t.TempDir()
	dead := filepath.Join(base, "pqdb_tmp_dead")
	if err := os.MkdirAll(dead, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"owner.lock", "pqdb_tmp_1.arrows"} {
		if err := os.WriteFile(filepath.Join(dead, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	running, _ := startServerWith(t, Config{DataDir: t.TempDir(), TempDir: base})
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Fatalf("a dead server's temporary directory is left: %v", err)
	}
	dirs := func() []string {
		d, _ := filepath.Glob(filepath.Join(base, "pqdb_tmp_*"))
		return d
	}
	if len(dirs()) != 1 {
		t.Fatalf("directories %v, want the running server's", dirs())
	}
	second, _ := startServerWith(t, Config{DataDir: t.TempDir(), TempDir: base})
	if len(dirs()) != 2 {
		t.Fatalf("directories %v, want both running servers'", dirs())
	}
	running.Close()
	second.Close()
	if len(dirs()) != 0 {
		t.Fatalf("directories %v left after both servers closed", dirs())
	}
}
