package sqltests

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// KnownFailures is knownFailures for the tests of package sqltests_test.
var KnownFailures = knownFailures

// knownFailures reads testdata/postgres15-failures.txt: the records, as
// path:line, that PostgreSQL 15 itself fails. Paths are relative to the
// shared corpus (sqlite/..., pg/...) or to this folder (testdata/...).
func knownFailures(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "postgres15-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// testdataScripts lists the sqllogictest-rs scripts of testdata, whose
// expectations were written by PostgreSQL 15 (pqdb-slt --complete).
func testdataScripts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.slt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.slt scripts")
	}
	return files
}

// TestdataScripts is testdataScripts for package sqltests_test.
var TestdataScripts = testdataScripts

// failureKey names a failed record of a testdata script as
// postgres15-failures.txt does.
func failureKey(f Failure) string {
	return filepath.ToSlash(f.File) + ":" + strconv.Itoa(f.Line)
}

// FailureKey is failureKey for package sqltests_test.
var FailureKey = failureKey
