package server

import (
	"context"
	"io"
	"path"
	"strings"
	"testing"

	"gocloud.dev/blob"

	"github.com/jackc/pgx/v5"
	"github.com/pqdb/pqdb/internal/s3test"
	"github.com/pqdb/pqdb/storage"
	"github.com/pqdb/pqdb/storage/bucket"
)

// s3Tables starts an S3 server, creates a bucket on it and returns the
// data directory URL of a prefix in it, with the credentials in the
// test's environment (inherited by child servers).
func s3Tables(t *testing.T) string {
	_, url := s3TablesOn(t)
	return url
}

// s3TablesOn is s3Tables, with the S3 server.
func s3TablesOn(t *testing.T) (*s3test.Server, string) {
	t.Helper()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	srv.NewBucket(t, "pqdb")
	return srv, srv.URL("pqdb/tables")
}

// TestTablesOnS3: a server whose tables are on an S3 server and whose
// SQLite databases are in a local directory answers queries before and
// after its tails are flushed, across a restart, with the tables' files
// in the bucket, and their Iceberg metadata (--iceberg); a second server with another directory cannot open the
// bucket while the first holds it, and an object store without a local
// directory is refused.
func TestTablesOnS3(t *testing.T) {
	data := s3Tables(t)
	cfg := Config{DataDir: data, WALDir: t.TempDir(), Storage: storage.Options{Iceberg: true}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE t (id int PRIMARY KEY, v text, n numeric)",
		"INSERT INTO t SELECT g, 'v' || g, g * 1.5 FROM generate_series(1, 5000) g",
		"CHECKPOINT",
		"UPDATE t SET v = 'updated' WHERE id % 10 = 0",
		"DELETE FROM t WHERE id % 7 = 0",
		"CREATE INDEX t_v ON t (v)",
		"CHECKPOINT",
		"INSERT INTO t VALUES (6000, 'tail', 1)")
	const query = "SELECT count(*), count(*) FILTER (WHERE v = 'updated'), sum(n)::text, max(id) FROM t"
	want := queryRow(t, conn, query)
	if want != "4287|429|16073573.5|6000" { // PostgreSQL 15.18 gives the same
		t.Fatalf("before the restart: %s", want)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	b, err := bucket.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n := countObjects(t, b, ".parquet"); n < 2 {
		t.Fatalf("%d Parquet objects in the bucket", n)
	}
	// The table is an Iceberg table too (storage's tests read it with
	// iceberg-go): its metadata files, one per version published.
	if n := countObjects(t, b, ".json"); n < 2+1 {
		t.Fatalf("%d JSON objects (manifests and Iceberg metadata) in the bucket", n)
	}
	if n := countObjects(t, b, ".avro"); n < 3 {
		t.Fatalf("%d Avro objects (Iceberg manifests) in the bucket", n)
	}

	_, connect = startServerWith(t, cfg)
	conn = connect(t)
	if got := queryRow(t, conn, query); got != want {
		t.Fatalf("after the restart: %s, want %s", got, want)
	}
	if got := queryRow(t, conn, "SELECT count(*) FROM t WHERE v = 'v11'"); got != "1" {
		t.Fatalf("index lookup: %s", got)
	}

	if _, err := Start(Config{Listen: "127.0.0.1:0", DataDir: data, WALDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "in use by the pqdb server") {
		t.Fatalf("a second directory opened the bucket: %v", err)
	}
	if _, err := Start(Config{Listen: "127.0.0.1:0", DataDir: data}); err == nil || !strings.Contains(err.Error(), "--wal-dir") {
		t.Fatalf("an object store without a WAL directory: %v", err)
	}
}

// TestKill9OnS3 is TestKill9LosesNoCommittedRow with the tables on an S3
// server: the flushes the child made are in the bucket, its unflushed
// commits in its local directory.
func TestKill9OnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child server process")
	}
	checkKill9LosesNothing(t, Config{DataDir: s3Tables(t), WALDir: t.TempDir()})
}

// queryRow runs q and returns its one row's columns joined by "|".
func queryRow(t *testing.T, conn *pgx.Conn, q string) string {
	t.Helper()
	rows := rowsText(t, conn, q)
	if len(rows) != 1 {
		t.Fatalf("%s: %d rows", q, len(rows))
	}
	return strings.Join(rows[0], "|")
}

// countObjects counts the objects of b whose keys end in suffix.
func countObjects(t *testing.T, b *blob.Bucket, suffix string) int {
	t.Helper()
	n := 0
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		if path.Ext(obj.Key) == suffix {
			n++
		}
	}
}
