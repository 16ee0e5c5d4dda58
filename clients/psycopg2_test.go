package clients

import (
	"os/exec"
	"testing"
)

// debianPython returns a python3 that can import module, or skips. The
// Debian packages python3-psycopg2 and python3-psycopg install into the
// system interpreter, which need not be the first python3 on PATH.
func debianPython(t *testing.T, module, pkg string) string {
	t.Helper()
	for _, python := range []string{"/usr/bin/python3", "python3"} {
		// Away from this package's directory, whose psycopg2/ folder
		// would import as a namespace package.
		check := exec.Command(python, "-c", "import "+module)
		check.Dir = t.TempDir()
		if check.Run() == nil {
			return python
		}
	}
	t.Skipf("no python3 can import %s (install %s, as .ci/install-clients does)", module, pkg)
	return ""
}

// TestPsycopg2: client-side parameters, executemany, copy_expert from
// and to text and CSV, named cursors (with and without hold), pgcode and
// the error classes, rollback and autocommit, casters registered for an
// enum's OIDs read from pg_type and register_default_jsonb, and the
// application section (execute_values with fetch, lists, Json,
// RealDictCursor).
func TestPsycopg2(t *testing.T) {
	python := debianPython(t, "psycopg2", "python3-psycopg2")
	runMatrix(t, "psycopg2", func(t *testing.T, tg target) string {
		return command(t, tg, "psycopg2", python, "workload.py")
	})
}
