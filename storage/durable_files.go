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
// names it in its directory; a directory's entry is in its parent. So
// every file is synced before it is renamed into place or published,
// the directory is synced after, and a new directory is synced into its
// parent before anything in it counts as written.

// faultHook, when set (by tests), is asked before each step that makes a
// file durable (create, write, rename, sync): an error it returns fails
// the step as a full or failing disk would. Flush, compaction and
// manifest publishing go through these steps, so tests can fail any of
// them at any point.
var faultHook atomic.Pointer[func(op, path string) error]

// fault returns the error faultHook injects into op on path, if any.
func fault(op, path string) error {
	if h := faultHook.Load(); h != nil {
		return (*h)(op, path)
	}
	return nil
}

// writeFileSync writes data to path and syncs it to stable storage.
func writeFileSync(path string, data []byte) error {
	if err := fault("write", path); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// replaceFileSync makes data the content of path at once: it writes and
// syncs path.tmp, then renames it over path, so that path holds either
// its old or its new content, never a torn one. The caller syncs the
// directory.
func replaceFileSync(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := writeFileSync(tmp, data); err != nil {
		return err
	}
	if err := fault("rename", path); err != nil {
		return err
	}
	return os.Rename(tmp, path)
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
