package server

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestCopyHistoryAsRowPath loads the same rows into two tables, one with
// a single bulk COPY (whose history is its segments: storage's insertion
// references) and one with ordinary INSERT commits (whose history is in
// event files), changes both alike, and rewrites both with VACUUM FULL,
// which replaces the COPY's segments: pqdb_history and reads as of every
// commit of the COPY's table answer as the row path's do, before and
// after a restart, and the COPY wrote its rows to no event file.
func TestCopyHistoryAsRowPath(t *testing.T) {
	dir := t.TempDir()
	// Chunks of 20k rows: the 100k-row COPY flushes several segments,
	// with row groups cut mid-segment.
	cfg := Config{DataDir: dir, Storage: storage.Options{FlushRows: 20_000, RowGroupRows: 7_000}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	const rows = 100_000
	for _, tbl := range []string{"bulk", "rowwise"} {
		mustExec(t, conn, fmt.Sprintf(`CREATE TABLE %s (id bigint PRIMARY KEY, v text, d date, n numeric(12,2))`, tbl))
	}
	pr, pw := io.Pipe()
	go func() {
		var sb strings.Builder
		for i := range rows {
			fmt.Fprintf(&sb, "%d,v%d,2026-01-%02d,%d.%02d\n", i, i, 1+i%28, i/7, i%100)
			if sb.Len() > 64<<10 {
				pw.Write([]byte(sb.String()))
				sb.Reset()
			}
		}
		pw.Write([]byte(sb.String()))
		pw.Close()
	}()
	tag, err := conn.PgConn().CopyFrom(ctx(t), pr, "COPY bulk FROM STDIN (FORMAT csv)")
	if err != nil || tag.RowsAffected() != rows {
		t.Fatalf("COPY: %v, %d rows", err, tag.RowsAffected())
	}
	// The same rows in ten commits, all flushed together.
	for k := range 10 {
		mustExec(t, conn, fmt.Sprintf(`INSERT INTO rowwise SELECT * FROM bulk WHERE id %% 10 = %d`, k))
	}
	mustExec(t, conn, `CHECKPOINT`)
	for _, tbl := range []string{"bulk", "rowwise"} {
		mustExec(t, conn,
			fmt.Sprintf(`UPDATE %s SET v = v || '-u', n = n + 1 WHERE id %% 1000 = 3`, tbl),
			fmt.Sprintf(`DELETE FROM %s WHERE id %% 997 = 5`, tbl),
			`CHECKPOINT`,
			fmt.Sprintf(`VACUUM FULL %s`, tbl))
	}
	var copySeq int64
	if err := conn.QueryRow(ctx(t), `SELECT max(seq) FROM pqdb_history('bulk') WHERE operation = 'INSERT'`).Scan(&copySeq); err != nil {
		t.Fatal(err)
	}
	history := func(tbl string) string {
		t.Helper()
		var out []string
		for _, r := range rowsText(t, conn, fmt.Sprintf(`SELECT operation, count(*), md5(string_agg(coalesce(before::text, '-') || '>' || coalesce(after::text, '-'), ';' ORDER BY after::text, before::text))
			FROM pqdb_history('%s') GROUP BY operation ORDER BY operation`, tbl)) {
			out = append(out, strings.Join(r, ","))
		}
		return strings.Join(out, " ")
	}
	asOf := func(seq int64) string {
		t.Helper()
		c := connect(t)
		defer c.Close(ctx(t))
		mustExec(t, c, fmt.Sprintf(`SET pqdb.as_of = '%d'`, seq))
		r := rowsText(t, c, `SELECT count(*), sum(id), md5(string_agg(v || d::text || n::text, ',' ORDER BY id)) FROM bulk`)
		return strings.Join(r[0], ",")
	}
	check := func() {
		t.Helper()
		got, want := history("bulk"), history("rowwise")
		if got != want {
			t.Fatalf("history of the COPY's table:\n got %s\nwant %s", got, want)
		}
		if !strings.Contains(got, fmt.Sprintf("INSERT,%d,", rows)) || !strings.Contains(got, "UPDATE,100,") {
			t.Fatalf("history %s", got)
		}
		if got := asOf(copySeq - 1); got != "0,NULL,NULL" {
			t.Errorf("before the COPY: %s", got)
		}
		var wantSum int64 = rows * (rows - 1) / 2
		if got := asOf(copySeq); !strings.HasPrefix(got, fmt.Sprintf("%d,%d,", rows, wantSum)) {
			t.Errorf("as of the COPY: %s", got)
		}
		now := func(tbl string) string {
			r := rowsText(t, conn, fmt.Sprintf(`SELECT count(*), sum(id), md5(string_agg(v || d::text || n::text, ',' ORDER BY id)) FROM %s`, tbl))
			return strings.Join(r[0], ",")
		}
		if got, want := now("bulk"), now("rowwise"); got != want || strings.HasPrefix(got, fmt.Sprint(rows)) {
			t.Errorf("now: %s, want %s, fewer than %d rows", got, want, rows)
		}
	}
	check()
	// The COPY's rows are in no event file: its table's event files hold
	// only the few hundred changes after it.
	eventBytes := func(tbl string) int64 {
		t.Helper()
		var oid int64
		if err := conn.QueryRow(ctx(t), fmt.Sprintf(`SELECT '%s'::regclass::oid::bigint`, tbl)).Scan(&oid); err != nil {
			t.Fatal(err)
		}
		var n int64
		files, _ := filepath.Glob(filepath.Join(dir, "public", fmt.Sprint(oid), "_events", "*.parquet"))
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	if b, r := eventBytes("bulk"), eventBytes("rowwise"); r == 0 || b*4 > r {
		t.Errorf("event files: %d bytes for the COPY's table, %d for the row path's", b, r)
	}
	srv.Close()
	srv, connect = startServerWith(t, cfg)
	defer srv.Close()
	conn = connect(t)
	check()
}
