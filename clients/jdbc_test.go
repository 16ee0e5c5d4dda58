package clients

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// pgjdbcJar is where Debian's libpostgresql-jdbc-java puts the driver.
const pgjdbcJar = "/usr/share/java/postgresql.jar"

// TestPgJDBC: a PreparedStatement executed ten times (pgjdbc moves to a
// named server-side statement and binary transfer after five), batches of
// prepared and plain statements, a batch with setDate whose duplicate key
// rolls back the whole batch, autocommit off with commit and rollback,
// DatabaseMetaData and ResultSetMetaData over a schema of every kind of
// key, constraint and column type, and the application section (generated
// keys, createArrayOf, jsonb from strings).
func TestPgJDBC(t *testing.T) {
	javac := requireProgram(t, "javac", "a JDK")
	java := requireProgram(t, "java", "a JDK")
	if _, err := os.Stat(pgjdbcJar); err != nil {
		t.Skipf("%s is missing (install libpostgresql-jdbc-java, as .ci/install-clients does)", pgjdbcJar)
	}
	classes := t.TempDir()
	if out := command(t, target{}, "jdbc", javac, "-d", classes, "-cp", pgjdbcJar, "Workload.java"); out != "" {
		t.Fatalf("javac: %s", out)
	}
	classpath := classes + string(filepath.ListSeparator) + pgjdbcJar
	runMatrix(t, "jdbc", func(t *testing.T, tg target) string {
		url := fmt.Sprintf("jdbc:postgresql://%s:%s/%s?user=%s&sslmode=disable", tg.host, tg.port, tg.database, tg.user)
		return command(t, tg, "jdbc", java, "-cp", classpath, "Workload", url)
	})
}
