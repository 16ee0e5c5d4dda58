package server

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRelationSizesAreFileBytes: the size functions (and so psql's \dt+
// and \l+, whose sizes cannot equal PostgreSQL's heap pages) report the
// bytes pqdb's files take: a table's, its Parquet segments; the
// database's, every file of the data directory.
func TestRelationSizesAreFileBytes(t *testing.T) {
	dir := t.TempDir()
	_, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE sized (id int PRIMARY KEY, body text)",
		"CREATE INDEX sized_body ON sized (body)",
		"CREATE VIEW sized_v AS SELECT id FROM sized")
	size := func(sql string) int64 {
		t.Helper()
		var n int64
		if err := conn.QueryRow(ctx(t), sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if n := size("SELECT pg_total_relation_size('sized')"); n != 0 {
		t.Errorf("empty table: %d bytes, want 0", n)
	}
	mustExec(t, conn,
		"INSERT INTO sized SELECT g, repeat('x', g % 100) FROM generate_series(1, 5000) g",
		"CHECKPOINT") // flushes the rows into a Parquet segment
	var segments int64
	tableDir := filepath.Join(dir, "public", strconv.FormatInt(size("SELECT 'sized'::regclass::oid::int8"), 10))
	// The table's size is its segments' (data/): its event files
	// (_events/) are history, not the relation.
	filepath.WalkDir(filepath.Join(tableDir, "data"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && filepath.Ext(path) == ".parquet" {
			if fi, err := d.Info(); err == nil {
				segments += fi.Size()
			}
		}
		return nil
	})
	if segments == 0 {
		t.Fatalf("no Parquet segment under %s", tableDir)
	}
	for _, f := range []string{"pg_relation_size", "pg_table_size", "pg_total_relation_size"} {
		if n := size("SELECT " + f + "('sized')"); n != segments {
			t.Errorf("%s: %d, want the segments' %d bytes", f, n, segments)
		}
	}
	for sql, want := range map[string]int64{
		"SELECT pg_indexes_size('sized')":       0, // kept with the table
		"SELECT pg_relation_size('sized_v')":    0,
		"SELECT pg_relation_size('sized_body')": 0,
	} {
		if n := size(sql); n != want {
			t.Errorf("%s: %d, want %d", sql, n, want)
		}
	}
	var total int64
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	db := size("SELECT pg_database_size(current_database())")
	// The SQLite files may move by a page between the two looks.
	if db < segments || db > total+1<<20 || db < total-1<<20 {
		t.Errorf("pg_database_size: %d, want about the data directory's %d bytes", db, total)
	}
	// \dt+ prints pg_size_pretty(pg_table_size(c.oid)).
	var pretty string
	if err := conn.QueryRow(ctx(t), "SELECT pg_size_pretty(pg_table_size('sized'))").Scan(&pretty); err != nil {
		t.Fatal(err)
	}
	if want := prettyBytes(segments); pretty != want {
		t.Errorf("pg_size_pretty: %q, want %q", pretty, want)
	}
}

// prettyBytes is pg_size_pretty of n for sizes under 10 MB: bytes below
// 10 kB, then kB rounded half up.
func prettyBytes(n int64) string {
	if n < 10*1024 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	return strconv.FormatInt((n+512)/1024, 10) + " kB"
}
