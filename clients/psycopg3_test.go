package clients

import "testing"

// TestPsycopg3: binary parameters and results, COPY in text and binary,
// pipeline mode with an error in the middle, error classes, and
// server-side prepared statements.
func TestPsycopg3(t *testing.T) {
	python := debianPython(t, "psycopg", "python3-psycopg")
	runMatrix(t, "psycopg3", func(t *testing.T, tg target) string {
		return command(t, tg, "psycopg3", python, "workload.py")
	})
}
