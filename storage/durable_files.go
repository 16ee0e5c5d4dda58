package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
)

// A file is durable once its bytes are synced and so is the entry that
// names it in its directory; a directory's entry is in its parent. The
// tables' objects are made durable by the bucket (storage/bucket's local
// driver syncs each before it is renamed into place); what storage keeps
// in the local directory itself (schema directories and their SQLite
// databases) is synced here: a new directory is synced into its parent
// before anything in it counts as written.

// faultHook, when set (by tests), is asked before each step of an
// object's life (objects.go: create, write and sync when written, read)
// and of a schema directory's (sync): an error it returns fails the step
// as a full or failing disk, or an object store's error, would. Flush,
// compaction, manifest publishing and scans go through these steps, so
// tests can fail any of them at any point.
var faultHook atomic.Pointer[func(op, path string) error]

// fault returns the error faultHook injects into op on path, if any.
func fault(op, path string) error {
	if h := faultHook.Load(); h != nil {
		return (*h)(op, path)
	}
	return nil
}

// syncDir makes the directory entries of dir durable.
func syncDir(dir string) error {
	if err := fault("sync", dir); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// mkdirAllSync creates dir and its missing parents, as os.MkdirAll does,
// and syncs the parent of each directory it creates.
func mkdirAllSync(dir string) error {
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: syscall.ENOTDIR}
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := mkdirAllSync(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}
