package clients

import "testing"

// TestSQLAlchemy: what an ORM reads to learn a database, through
// SQLAlchemy's inspector over psycopg2 (schema, table, view, sequence and
// enum names; columns with their types, defaults, autoincrement and
// identity; primary, foreign and unique keys, indexes, checks, comments,
// a view's definition), then MetaData.reflect() and queries, inserts and
// updates through the reflected tables.
func TestSQLAlchemy(t *testing.T) {
	python := debianPython(t, "sqlalchemy, psycopg2", "python3-sqlalchemy and python3-psycopg2")
	runMatrix(t, "sqlalchemy", func(t *testing.T, tg target) string {
		return command(t, tg, "sqlalchemy", python, "workload.py")
	})
}
