package storage

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMkdirAllSync(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b", "c")
	if err := mkdirAllSync(dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("%s not created: %v", dir, err)
	}
	if err := mkdirAllSync(dir); err != nil {
		t.Fatalf("existing directory: %v", err)
	}
	file := filepath.Join(root, "f")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mkdirAllSync(filepath.Join(file, "d")); err == nil {
		t.Fatal("a directory below a file was created")
	}
	if err := mkdirAllSync(file); err == nil {
		t.Fatal("a file was taken for a directory")
	}
}
