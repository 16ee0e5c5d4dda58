package clients

import "testing"

// TestPsycopg3: binary parameters and results, COPY from text and binary
// and to text and CSV, pipeline mode with an error in the middle, error
// classes, server-side prepared statements and the DEALLOCATE ALL after a
// rollback, nested transactions as savepoints, named cursors with and
// without hold, TypeInfo and EnumInfo fetched from the catalog with
// register_enum, and the application section (executemany returning,
// lists in text and binary, Jsonb, dict_row).
func TestPsycopg3(t *testing.T) {
	python := debianPython(t, "psycopg", "python3-psycopg")
	runMatrix(t, "psycopg3", func(t *testing.T, tg target) string {
		return command(t, tg, "psycopg3", python, "workload.py")
	})
}
