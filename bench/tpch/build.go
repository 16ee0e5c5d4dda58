package tpch

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BuildPQDBServer builds cmd/pqdb-server of the pqdb repository at root into
// dir and returns the binary's path. found is false, with no error, when
// root is not the pqdb repository: tests of this module then have no server
// to run and skip.
func BuildPQDBServer(ctx context.Context, root, dir string) (binary string, found bool, err error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module github.com/pqdb/pqdb\n") {
		return "", false, nil
	}
	binary = filepath.Join(dir, "pqdb-server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/pqdb-server")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", true, &buildError{err: err, output: string(out)}
	}
	return binary, true, nil
}

type buildError struct {
	err    error
	output string
}

func (e *buildError) Error() string {
	return "go build ./cmd/pqdb-server: " + e.err.Error() + "\n" + e.output
}
