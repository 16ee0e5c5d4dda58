package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// Server-side files (COPY ... FROM/TO 'file', read_parquet) are reached
// only inside the --allow-files directory: a path is allowed when it
// resolves there after "..", symlinks (of the file and of every parent)
// and, for read_parquet, a relative path's join with the directory.
// Without the flag every such access is refused. The resolved path is the
// one opened, so a symlink cannot point elsewhere between the check and
// the open unless it is replaced in between.

// allowedDir resolves the --allow-files directory at start.
func allowedDir(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("--allow-files: %w", err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("--allow-files: %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("--allow-files: %s is not a directory", dir)
	}
	return real, nil
}

// errFilesDisabled refuses server-side file access without --allow-files.
func errFilesDisabled() *pgerr.Error {
	e := pgerr.New(pgerr.InsufficientPrivilege, "permission denied: server-side file access is disabled")
	e.Hint = "Start pqdb-server with --allow-files DIR to let COPY and read_parquet use the files under DIR."
	return e
}

// allowedFile resolves path (absolute, or relative to the allowed
// directory) and returns it when it lies inside the allowed directory.
// The file itself need not exist (COPY TO creates it).
func (e *Engine) allowedFile(path string) (string, error) {
	if e.files == "" {
		return "", errFilesDisabled()
	}
	p := path
	if !filepath.IsAbs(p) {
		p = filepath.Join(e.files, p)
	}
	real, err := resolvePath(filepath.Clean(p))
	if err != nil {
		return "", storage.FileError(fmt.Sprintf("could not resolve path \"%s\"", path), err)
	}
	if !within(e.files, real) {
		return "", outsideError(path)
	}
	return real, nil
}

func outsideError(path string) *pgerr.Error {
	e := pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is outside the --allow-files directory", path)
	e.Hint = "Server-side files must lie in the directory given to pqdb-server's --allow-files, after symbolic links are followed."
	return e
}

// resolvePath follows the symlinks of p, an absolute clean path; where p
// (or a parent) does not exist, the missing tail is kept as it is.
func resolvePath(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		return real, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if _, lerr := os.Lstat(p); lerr == nil {
		// p exists but is a dangling symlink: where it points is unknown,
		// so it is not allowed anywhere.
		return "", err
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p, nil
	}
	dir, err := resolvePath(parent)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(p)), nil
}

// within reports whether path is dir or lies below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// allowedFiles expands patterns (paths or globs) into the allowed files
// they name, in order, each glob's matches sorted.
func (e *Engine) allowedFiles(patterns []string) ([]string, error) {
	if e.files == "" {
		return nil, errFilesDisabled()
	}
	var out []string
	for _, pat := range patterns {
		if !hasGlob(pat) {
			p, err := e.allowedFile(pat)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			continue
		}
		abs := pat
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(e.files, abs)
		}
		abs = filepath.Clean(abs)
		// The part before the first wildcard must be allowed before
		// anything is listed, so that a glob does not probe outside.
		if _, err := e.allowedFile(globBase(abs)); err != nil {
			if pe := new(pgerr.Error); errors.As(err, &pe) && pe.Code == pgerr.InsufficientPrivilege {
				return nil, outsideError(pat)
			}
			return nil, err
		}
		matches, err := filepath.Glob(abs)
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid file pattern \"%s\": %v", pat, err)
		}
		if len(matches) == 0 {
			return nil, pgerr.New(pgerr.UndefinedFile, "no files match \"%s\"", pat)
		}
		for _, m := range matches {
			p, err := e.allowedFile(m)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func hasGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// globBase is the directory part of pattern p before its first wildcard.
func globBase(p string) string {
	i := strings.IndexAny(p, "*?[")
	return filepath.Dir(p[:i+1])
}

// fileAccess is the planner's view of the allowed files.
type fileAccess struct{ e *Engine }

func (f fileAccess) ParquetFiles(name string, patterns []string) (*storage.ParquetFiles, error) {
	paths, err := f.e.allowedFiles(patterns)
	if err != nil {
		return nil, err
	}
	return storage.OpenParquetFiles(name, paths)
}
