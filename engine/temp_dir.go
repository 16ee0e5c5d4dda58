package engine

import (
	"os"
	"path/filepath"
	"syscall"
)

// The engine's temporary directory.
//
// Sorts, aggregates and joins that spill write their files into a
// directory of the engine's own under the server's temporary directory
// (--temp-dir), removed when the engine closes. A server killed with
// kill -9 cannot remove it, so each directory holds a lock file that its
// engine keeps locked (flock) while it runs, and an engine opening sweeps
// the directories whose lock nobody holds: those of dead servers, however
// many share the temporary directory.

const (
	tempDirPattern = "pqdb_tmp_"
	tempLockName   = "owner.lock"
)

// openTempDir makes the engine's directory of temporary files under base
// (os.TempDir() when empty), after removing those dead servers left; the
// returned file holds its lock until closed.
func openTempDir(base string) (string, *os.File, error) {
	if base == "" {
		base = os.TempDir()
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return "", nil, err
	}
	sweepTempDirs(base)
	dir, err := os.MkdirTemp(base, tempDirPattern)
	if err != nil {
		return "", nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, tempLockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err == nil {
		err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// sweepTempDirs removes the engine directories under base whose lock no
// running engine holds (an empty one without a lock file too: made before
// there were locks, or by an engine killed before it took its lock).
func sweepTempDirs(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, tempDirPattern+"*"))
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		lock, err := os.OpenFile(filepath.Join(dir, tempLockName), os.O_RDWR, 0)
		if err != nil {
			os.Remove(dir) // only if empty
			continue
		}
		if syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.RemoveAll(dir)
		}
		lock.Close()
	}
}
