package storage

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The bulk commit tests below load, into kv holding 30 flushed rows
// (keys 0-29, "old") and 5 in its tail (50-54, "tail"), a transaction
// whose 100 new rows (100-199, "new") spilled and that updates key 3 and
// deletes key 4.

var bulkTestOpts = Options{FlushRows: 40, RowGroupRows: 16}

// openBulkTest opens dir and, unless it holds kv already, creates and
// fills it; transactions of the returned store spill at once.
func openBulkTest(t *testing.T, dir string) (*Store, *catalog.Table) {
	t.Helper()
	opts := bulkTestOpts
	opts.SpillBytes = -1
	s := openTest(t, dir, opts)
	if tbl := s.Snapshot().Table("public", "kv"); tbl != nil {
		s.opts.SpillBytes = 1
		return s, tbl
	}
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(30, 0, "old"))
	must(t, s.Checkpoint())
	mustInsert(t, s, tbl, kvRows(5, 50, "tail"))
	s.opts.SpillBytes = 1
	return s, tbl
}

// bulkLoad commits the bulk transaction and returns the commit's error.
func bulkLoad(t *testing.T, s *Store, tbl *catalog.Table) error {
	t.Helper()
	_, ids := scanAll(t, s.Snapshot(), tbl)
	tx := s.Begin()
	tx.Snapshot()
	for b := range 5 {
		must(t, tx.Insert(tbl, kvRows(20, int64(100+20*b), "new")))
	}
	must(t, tx.Update(tbl, []int64{ids["3"]}, kvRecord([]int64{3}, []string{"upd"})))
	must(t, tx.Delete(tbl, []int64{ids["4"]}))
	if spilled, _ := spilledBatches(tx, tbl.ID); spilled == 0 {
		t.Fatal("nothing spilled")
	}
	return tx.Commit()
}

// wantBulkLoaded checks s holds the rows before the bulk commit, or after
// it if loaded, with their history, and that their keys are taken.
func wantBulkLoaded(t *testing.T, s *Store, tbl *catalog.Table, loaded bool) {
	t.Helper()
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	n, r3, r4, r150, history := 35, "3|old", "4|old", "", 35
	if loaded {
		n, r3, r4, r150, history = 134, "3|upd", "", "150|new", 35+100+2
	}
	if len(rows) != n || rows["3"] != r3 || rows["4"] != r4 || rows["150"] != r150 || rows["52"] != "52|tail" || rows["29"] != "29|old" {
		t.Fatalf("loaded=%v: %d rows (want %d), 3=%q 4=%q 150=%q 52=%q 29=%q", loaded, len(rows), n, rows["3"], rows["4"], rows["150"], rows["52"], rows["29"])
	}
	if got := historyOf(t, s.Snapshot(), tbl); len(got) != history {
		t.Fatalf("loaded=%v: %d history rows, want %d", loaded, len(got), history)
	}
	err := s.Begin().Insert(tbl, kvRecord([]int64{150}, []string{"dup"}))
	if loaded {
		wantCode(t, err, pgerr.UniqueViolation)
	} else {
		must(t, err)
	}
}

// wantAsOf checks time travel to just before the bulk commit seq and to
// it.
func wantAsOf(t *testing.T, s *Store, tbl *catalog.Table, seq uint64) {
	t.Helper()
	before, _ := scanAll(t, s.SnapshotAsOf(AsOf{Seq: seq - 1, BySeq: true}), tbl)
	after, _ := scanAll(t, s.SnapshotAsOf(AsOf{Seq: seq, BySeq: true}), tbl)
	if len(before) != 35 || before["3"] != "3|old" || before["150"] != "" || len(after) != 134 || after["3"] != "3|upd" || after["4"] != "" || after["199"] != "199|new" {
		t.Fatalf("as of %d: %d rows, 3=%q 150=%q; as of %d: %d rows, 3=%q 4=%q 199=%q", seq-1, len(before), before["3"], before["150"],
			seq, len(after), after["3"], after["4"], after["199"])
	}
}

// eventsOf counts the events of commit seq by op, and their payload
// bytes.
func eventsOf(t *testing.T, db *sql.DB, seq uint64) (map[int]int, int64) {
	t.Helper()
	rows, err := db.Query(`SELECT op, count(*), coalesce(sum(length(payload)), 0) FROM events WHERE seq = ? GROUP BY op`, seq)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ops := map[int]int{}
	var total int64
	for rows.Next() {
		var op, n int
		var bytes int64
		if err := rows.Scan(&op, &n, &bytes); err != nil {
			t.Fatal(err)
		}
		ops[op] = n
		total += bytes
	}
	return ops, total
}

// tableFiles lists the files under tbl's data, _events, _index and
// deletes directories, relative to its directory.
func tableFiles(t *testing.T, dir string, tbl *catalog.Table) map[string]bool {
	t.Helper()
	files := map[string]bool{}
	for _, sub := range []string{segmentDataDir, eventsDir, indexDir, deletesDir} {
		for _, f := range tableObjects(t, dir, tbl, sub) {
			files[f] = true
		}
	}
	return files
}

// wantNoOrphans checks every file of tbl is named by a manifest version.
func wantNoOrphans(t *testing.T, s *Store, dir string, tbl *catalog.Table) {
	t.Helper()
	ns := s.namespace(tbl.Schema)
	ts := ns.state.Load().byID[tbl.ID]
	versions, err := ns.manifestVersions(ts)
	if err != nil {
		t.Fatal(err)
	}
	named, err := ns.filesOf(ts, versions, true)
	if err != nil {
		t.Fatal(err)
	}
	for f := range tableFiles(t, dir, tbl) {
		if !named[f] {
			t.Errorf("%s is named by no manifest", f)
		}
	}
}

func setBulkCrashHook(fn func(bulkStage) bool) func() {
	bulkCrashHook.Store(&fn)
	return func() { bulkCrashHook.Store(nil) }
}

// TestBulkCommitLogsManifestNotRows checks that a bulk commit's SQLite
// transaction logs one event naming its flush, not its rows, and that
// the commit is then published flushed, with its history and time
// travel, before and after a restart.
func TestBulkCommitLogsManifestNotRows(t *testing.T) {
	dir := t.TempDir()
	s, tbl := openBulkTest(t, dir)
	ns := s.namespace("public")
	var ops map[int]int
	var payload int64
	seq := ns.state.Load().seq + 1
	defer setBulkCrashHook(func(stage bulkStage) bool {
		if stage == bulkDurable {
			ops, payload = eventsOf(t, ns.db, seq)
		}
		return false
	})()
	before := s.Stats().BulkCommits
	must(t, bulkLoad(t, s, tbl))
	if s.Stats().BulkCommits != before+1 {
		t.Fatal("not committed as a bulk commit")
	}
	if len(ops) != 1 || ops[opBulkManifest] != 1 {
		t.Fatalf("the bulk commit logged events %v, want one manifest (op %d)", ops, opBulkManifest)
	}
	t.Logf("logged %d bytes", payload)
	check := func(s *Store) {
		t.Helper()
		ns := s.namespace("public")
		ts := ns.state.Load().byID[tbl.ID]
		if len(ts.inserts)+len(ts.deletes) != 0 || ts.manifest.FlushedSeq != seq {
			t.Fatalf("tail of %d+%d batches, manifest flushed to %d, want empty and %d", len(ts.inserts), len(ts.deletes), ts.manifest.FlushedSeq, seq)
		}
		var left int
		if err := ns.db.QueryRow(`SELECT count(*) FROM events WHERE ` + flushedOps).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d row or manifest events left in SQLite (%v)", left, err)
		}
		wantBulkLoaded(t, s, tbl, true)
		wantAsOf(t, s, tbl, seq)
	}
	check(s)
	s.crash()
	s = openTest(t, dir, bulkTestOpts)
	defer s.Close()
	check(s)
	wantNoOrphans(t, s, dir, tbl)
}

// TestBulkCommitCrash stops a bulk commit as a crash would after its
// flush files are written but before its SQLite transaction (open sweeps
// the files; the commit never happened), and after its SQLite
// transaction but before its manifest is published (open publishes it:
// the commit is there, once, flushed).
func TestBulkCommitCrash(t *testing.T) {
	for _, stage := range []bulkStage{bulkWritten, bulkDurable} {
		t.Run(strconv.Itoa(int(stage)), func(t *testing.T) {
			dir := t.TempDir()
			s, tbl := openBulkTest(t, dir)
			files := tableFiles(t, dir, tbl)
			ns := s.namespace("public")
			version, seq := ns.state.Load().byID[tbl.ID].manifest.Version, ns.state.Load().seq+1
			restore := setBulkCrashHook(func(st bulkStage) bool { return st == stage })
			if err := bulkLoad(t, s, tbl); err == nil {
				t.Fatal("the stopped commit succeeded")
			}
			restore()
			if len(tableFiles(t, dir, tbl)) <= len(files) {
				t.Fatal("the bulk commit wrote no file before it stopped")
			}
			s.crash()

			s, _ = openBulkTest(t, dir)
			ns = s.namespace("public")
			ts := ns.state.Load().byID[tbl.ID]
			loaded := stage == bulkDurable
			wantBulkLoaded(t, s, tbl, loaded)
			wantNoOrphans(t, s, dir, tbl)
			if loaded {
				if ts.manifest.Version != version+1 || ts.manifest.FlushedSeq != seq || len(ts.inserts)+len(ts.deletes) != 0 {
					t.Fatalf("open published version %d flushed to %d with a tail of %d+%d batches, want %d, %d, none",
						ts.manifest.Version, ts.manifest.FlushedSeq, len(ts.inserts), len(ts.deletes), version+1, seq)
				}
				wantAsOf(t, s, tbl, seq)
				if ops, _ := eventsOf(t, ns.db, seq); len(ops) != 0 {
					t.Fatalf("open left the commit's events %v", ops)
				}
			} else {
				if got := tableFiles(t, dir, tbl); len(got) != len(files) {
					t.Fatalf("open left %d files, %d before the commit", len(got), len(files))
				}
				// The commit never happened: its seq is free, and the
				// load succeeds now.
				must(t, bulkLoad(t, s, tbl))
				wantBulkLoaded(t, s, tbl, true)
				wantAsOf(t, s, tbl, seq)
			}
			mustInsert(t, s, tbl, kvRows(1, 1000, "later"))
			must(t, s.Checkpoint())
			s.Close()
			s, _ = openBulkTest(t, dir)
			defer s.Close()
			if rows, _ := scanAll(t, s.Snapshot(), tbl); len(rows) != 135 || rows["1000"] != "1000|later" || rows["3"] != "3|upd" || rows["150"] != "150|new" {
				t.Fatalf("after a later commit, a flush and a restart: %d rows, 1000=%q 3=%q 150=%q", len(rows), rows["1000"], rows["3"], rows["150"])
			}
		})
	}
}

// failEvents makes SQLite fail every insert of an event with one of ops
// into ns's log; the returned function undoes it.
func failEvents(t *testing.T, ns *namespace, ops string) func() {
	t.Helper()
	if _, err := ns.db.Exec(`CREATE TRIGGER fail_events BEFORE INSERT ON events WHEN NEW.op IN (` + ops + `)
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := ns.db.Exec(`DROP TRIGGER fail_events`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBulkCommitFailures fails each step of a bulk commit: its SQLite
// transaction (the commit fails and leaves no file), the writing of its
// flush (the rows are logged as events instead, and kept in the tail),
// and the publication of its manifest together with the logging of its
// rows instead (the commit is durable but the schema stops until a
// restart publishes it).
func TestBulkCommitFailures(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		s, tbl := openBulkTest(t, dir)
		defer s.Close()
		files := tableFiles(t, dir, tbl)
		restore := failEvents(t, s.namespace("public"), strconv.Itoa(opBulkManifest))
		wantCode(t, bulkLoad(t, s, tbl), pgerr.IoError)
		restore()
		if got := tableFiles(t, dir, tbl); len(got) != len(files) {
			t.Fatalf("the failed commit left %d files, %d before it", len(got), len(files))
		}
		wantBulkLoaded(t, s, tbl, false)
		must(t, bulkLoad(t, s, tbl))
		wantBulkLoaded(t, s, tbl, true)
	})

	t.Run("write", func(t *testing.T) {
		dir := t.TempDir()
		s, tbl := openBulkTest(t, dir)
		ns := s.namespace("public")
		seq := ns.state.Load().seq + 1
		var ops map[int]int
		defer setBulkCrashHook(func(stage bulkStage) bool {
			if stage == bulkDurable {
				ops, _ = eventsOf(t, ns.db, seq)
			}
			return false
		})()
		hook := func(op, path string) error {
			if op == "read" {
				return nil // a write fault
			}
			if strings.Contains(path, eventsDir) {
				return errors.New("injected failure")
			}
			return nil
		}
		faultHook.Store(&hook)
		err := bulkLoad(t, s, tbl)
		faultHook.Store(nil)
		must(t, err)
		if ops[opBulkManifest] != 0 || ops[opInsert] == 0 || ops[opDelete] == 0 {
			t.Fatalf("a bulk commit whose flush failed logged %v, want its rows", ops)
		}
		if ts := ns.state.Load().byID[tbl.ID]; len(ts.inserts) == 0 {
			t.Fatal("the rows are not in the tail")
		}
		wantBulkLoaded(t, s, tbl, true)
		s.crash()
		s, _ = openBulkTest(t, dir)
		defer s.Close()
		wantBulkLoaded(t, s, tbl, true)
		wantAsOf(t, s, tbl, seq)
		must(t, s.Checkpoint()) // the replayed tail is flushed after any request
		wantNoOrphans(t, s, dir, tbl)
		wantBulkLoaded(t, s, tbl, true)
		wantAsOf(t, s, tbl, seq)
	})

	t.Run("publish and relog", func(t *testing.T) {
		dir := t.TempDir()
		s, tbl := openBulkTest(t, dir)
		ns := s.namespace("public")
		seq := ns.state.Load().seq + 1
		restore := failEvents(t, ns, strconv.Itoa(opInsert)+","+strconv.Itoa(opDelete))
		hook := func(op, path string) error {
			if op == "read" {
				return nil // a write fault
			}
			if strings.Contains(path, manifestDir) {
				return errors.New("injected failure")
			}
			return nil
		}
		faultHook.Store(&hook)
		err := bulkLoad(t, s, tbl)
		faultHook.Store(nil)
		restore()
		wantCode(t, err, pgerr.IoError)
		// Stopped: nothing more is committed or published.
		wantBulkLoaded(t, s, tbl, false)
		tx := s.Begin()
		must(t, tx.Insert(tbl, kvRecord([]int64{1000}, []string{"later"})))
		wantCode(t, tx.Commit(), pgerr.IoError)
		if err := s.Checkpoint(); err == nil {
			t.Fatal("a stopped schema flushed")
		}
		s.crash()
		s, _ = openBulkTest(t, dir)
		defer s.Close()
		wantBulkLoaded(t, s, tbl, true)
		wantAsOf(t, s, tbl, seq)
		wantNoOrphans(t, s, dir, tbl)
	})
}

// TestPreferBulk checks that a transaction preferring bulk commits
// commits a table into which it inserted at least preferBulkRows rows,
// net of those it deleted again, as a bulk commit though nothing
// spilled, and fewer as an ordinary commit; and that such a commit
// stopped before its publication is there after a restart.
func TestPreferBulk(t *testing.T) {
	defer func(n int64) { preferBulkRows = n }(preferBulkRows)
	preferBulkRows = 50
	dir := t.TempDir()
	opts := bulkTestOpts
	opts.SpillBytes = -1
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 0, "old"))
	ns := s.namespace("public")
	key := int64(1000)
	// load commits n rows, and deletes again the first deleted of them,
	// in a transaction preferring bulk commits; it reports whether the
	// commit was a bulk commit.
	load := func(n, deleted int) bool {
		t.Helper()
		before := s.Stats().BulkCommits
		tx := s.Begin()
		tx.PreferBulk()
		ids, err := tx.InsertIDs(tbl, kvRows(n, key, "new"))
		must(t, err)
		must(t, tx.Delete(tbl, ids[:deleted]))
		if spilled, _ := spilledBatches(tx, tbl.ID); spilled != 0 {
			t.Fatal("rows spilled")
		}
		must(t, tx.Commit())
		key += int64(n)
		ts := ns.state.Load().byID[tbl.ID]
		bulk := s.Stats().BulkCommits == before+1
		if bulk && (len(ts.inserts) != 0 || ts.manifest.FlushedSeq != ns.state.Load().seq) {
			t.Fatalf("a bulk commit left a tail of %d batches", len(ts.inserts))
		}
		return bulk
	}
	for _, c := range []struct {
		n, deleted int
		bulk       bool
	}{{49, 0, false}, {50, 0, true}, {51, 0, true}, {60, 11, false}, {60, 10, true}} {
		if got := load(c.n, c.deleted); got != c.bulk {
			t.Fatalf("%d rows, %d deleted again: bulk commit %v, want %v", c.n, c.deleted, got, c.bulk)
		}
	}
	// Without the preference, no bulk commit.
	before := s.Stats().BulkCommits
	mustInsert(t, s, tbl, kvRows(100, key, "new"))
	key += 100
	if s.Stats().BulkCommits != before {
		t.Fatal("a commit not preferring bulk was a bulk commit")
	}
	want := 10 + 49 + 50 + 51 + 49 + 50 + 100
	count := func(s *Store, want int) {
		t.Helper()
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		if len(rows) != want || rows["1000"] != "1000|new" {
			t.Fatalf("%d rows, want %d; 1000=%q", len(rows), want, rows["1000"])
		}
	}
	count(s, want)
	wantCode(t, s.Begin().Insert(tbl, kvRecord([]int64{1060}, []string{"dup"})), pgerr.UniqueViolation)

	// Stopped after its SQLite transaction: a restart publishes it.
	seq := ns.state.Load().seq + 1
	restore := setBulkCrashHook(func(st bulkStage) bool { return st == bulkDurable })
	tx := s.Begin()
	tx.PreferBulk()
	must(t, tx.Insert(tbl, kvRows(50, key, "last")))
	if tx.Commit() == nil {
		t.Fatal("the stopped commit succeeded")
	}
	restore()
	s.crash()
	s = openTest(t, dir, opts)
	defer s.Close()
	count(s, want+50)
	ts := s.namespace("public").state.Load().byID[tbl.ID]
	if ts.manifest.FlushedSeq != seq || len(ts.inserts) != 0 {
		t.Fatalf("after the restart: flushed to %d (want %d), %d tail batches", ts.manifest.FlushedSeq, seq, len(ts.inserts))
	}
	wantNoOrphans(t, s, dir, tbl)
}

// TestBulkCommitCreatesTable bulk-commits rows into a table its
// transaction creates: committed, stopped before its SQLite transaction
// (the table and its directory are gone after a restart), failed there
// (its directory is removed at once), and stopped after it (a restart
// publishes the table's first manifest).
func TestBulkCommitCreatesTable(t *testing.T) {
	load := func(t *testing.T, s *Store) (*catalog.Table, error) {
		tbl := kvTable("fresh")
		tx := s.Begin()
		must(t, tx.CreateTable(tbl))
		for b := range 4 {
			must(t, tx.Insert(tbl, kvRows(25, int64(25*b), "v")))
		}
		if spilled, _ := spilledBatches(tx, tbl.ID); spilled == 0 {
			t.Fatal("nothing spilled")
		}
		return tbl, tx.Commit()
	}
	rowsOf := func(t *testing.T, s *Store) int {
		t.Helper()
		tbl := s.Snapshot().Table("public", "fresh")
		if tbl == nil {
			return -1
		}
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		return len(rows)
	}
	tableDirs := func(dir string) int {
		m, _ := filepath.Glob(filepath.Join(dir, "public", "[0-9]*"))
		return len(m)
	}
	opts := bulkTestOpts
	opts.SpillBytes = 1
	for _, c := range []struct {
		name  string
		stage bulkStage
		crash bool
		want  int
	}{{"commit", 0, false, 100}, {"written", bulkWritten, true, -1}, {"durable", bulkDurable, true, 100}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, opts)
			if c.crash {
				defer setBulkCrashHook(func(st bulkStage) bool { return st == c.stage })()
			}
			tbl, err := load(t, s)
			if (err != nil) != c.crash {
				t.Fatalf("commit: %v", err)
			}
			bulkCrashHook.Store(nil)
			if c.crash {
				s.crash()
				s = openTest(t, dir, opts)
			}
			defer s.Close()
			if got := rowsOf(t, s); got != c.want {
				t.Fatalf("%d rows, want %d", got, c.want)
			}
			if c.want < 0 {
				if n := tableDirs(dir); n != 0 {
					t.Fatalf("%d table directories left", n)
				}
				return
			}
			wantNoOrphans(t, s, dir, tbl)
			if ts := s.namespace("public").state.Load().byID[tbl.ID]; len(ts.inserts) != 0 || ts.manifest.Version != 1 {
				t.Fatalf("manifest version %d, %d tail batches", ts.manifest.Version, len(ts.inserts))
			}
		})
	}
	t.Run("sqlite fails", func(t *testing.T) {
		dir := t.TempDir()
		s := openTest(t, dir, opts)
		defer s.Close()
		restore := failEvents(t, s.namespace("public"), strconv.Itoa(opBulkManifest))
		_, err := load(t, s)
		restore()
		wantCode(t, err, pgerr.IoError)
		if n := tableDirs(dir); n != 0 || rowsOf(t, s) != -1 {
			t.Fatalf("%d table directories left, rows %d", n, rowsOf(t, s))
		}
		if _, err := load(t, s); err != nil {
			t.Fatal(err)
		}
		if got := rowsOf(t, s); got != 100 {
			t.Fatalf("%d rows after a second try", got)
		}
	})
}
