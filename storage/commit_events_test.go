package storage

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// A commit logs an event per inserted batch and one for its deletions.
// A commit of dozens of events, two of them large, and a later one of
// deletions must come back whole and in order after a crash, when replay
// reads them from SQLite alone.
func TestManyEventsOfOneCommitSurviveCrash(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{Compaction: CompactionPolicy{Disabled: true}})
	tbl := &catalog.Table{Schema: "public", Name: "ev", Columns: []catalog.Column{
		{Name: "k", Type: catalog.TypeInt8, NotNull: true},
		{Name: "v", Type: catalog.TypeText},
	}}
	mustCreate(t, s, tbl)
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	batch := func(from, n int, v string) arrow.Record {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		for k := from; k < from+n; k++ {
			b.Field(0).(*array.Int64Builder).Append(int64(k))
			b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("%s-%d", v, k))
		}
		return b.NewRecordBatch()
	}
	want := map[string]string{}
	// One transaction: 53 small batches, and two of 1.6 MB each.
	tx := s.Begin()
	k := 0
	for i := range 53 {
		if err := tx.Insert(tbl, batch(k, 3, fmt.Sprintf("small%d", i))); err != nil {
			t.Fatal(err)
		}
		for j := k; j < k+3; j++ {
			want[fmt.Sprint(j)] = fmt.Sprintf("%d|small%d-%d", j, i, j)
		}
		k += 3
	}
	big := strings.Repeat("x", 40_000)
	for range 2 {
		if err := tx.Insert(tbl, batch(k, 40, big)); err != nil {
			t.Fatal(err)
		}
		for j := k; j < k+40; j++ {
			want[fmt.Sprint(j)] = fmt.Sprintf("%d|%s-%d", j, big, j)
		}
		k += 40
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// A second commit deletes some of them: its deletion event must be
	// replayed after the inserts it refers to.
	got, ids := scanAll(t, s.Snapshot(), tbl)
	if len(got) != len(want) {
		t.Fatalf("before the crash: %d rows, want %d", len(got), len(want))
	}
	tx = s.Begin()
	var gone []int64
	for _, key := range []string{"0", "50", fmt.Sprint(k - 1)} {
		gone = append(gone, ids[key])
		delete(want, key)
	}
	if err := tx.Delete(tbl, gone); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.crash()

	s = openTest(t, dir, Options{Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	wantScanned(t, s.Snapshot(), s.Snapshot().Table("public", "ev"), want, "after the crash")
}

// A table's deletions ride with its first batch of inserted rows in one
// change event, so an UPDATE logs one row, not two; deletions alone, and
// batches after the first, keep events of their own. Replay after a crash
// reads change events as the two they stand for, and the flush that
// follows deletes them with the others.
func TestUpdateLogsOneChangeEvent(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{Compaction: CompactionPolicy{Disabled: true}})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	db := s.namespace("public").db
	commit := func(deleteKeys []string, batches ...arrow.Record) map[int]int {
		t.Helper()
		_, ids := scanAll(t, s.Snapshot(), tbl)
		tx := s.Begin()
		var gone []int64
		for _, k := range deleteKeys {
			gone = append(gone, ids[k])
		}
		if len(gone) > 0 {
			if err := tx.Delete(tbl, gone); err != nil {
				t.Fatal(err)
			}
		}
		for _, rec := range batches {
			if err := tx.Insert(tbl, rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		ops, _ := eventsOf(t, db, s.namespace("public").state.Load().seq)
		return ops
	}
	if ops := commit(nil, kvRecord([]int64{1, 2, 3, 4}, []string{"a", "b", "c", "d"})); !maps.Equal(ops, map[int]int{opInsert: 1}) {
		t.Fatalf("insert: events %v", ops)
	}
	// An UPDATE of two rows: their deletion and new versions, one event.
	if ops := commit([]string{"1", "2"}, kvRecord([]int64{1, 2}, []string{"a2", "b2"})); !maps.Equal(ops, map[int]int{opChange: 1}) {
		t.Fatalf("update: events %v, want one change event", ops)
	}
	if ops := commit([]string{"3"}); !maps.Equal(ops, map[int]int{opDelete: 1}) {
		t.Fatalf("delete: events %v", ops)
	}
	if ops := commit([]string{"4"}, kvRecord([]int64{4}, []string{"d2"}), kvRecord([]int64{5}, []string{"e"})); !maps.Equal(ops, map[int]int{opChange: 1, opInsert: 1}) {
		t.Fatalf("update and insert: events %v", ops)
	}
	want := map[string]string{"1": "1|a2", "2": "2|b2", "4": "4|d2", "5": "5|e"}
	wantScanned(t, s.Snapshot(), tbl, want, "before the crash")
	s.crash()

	s = openTest(t, dir, Options{Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl = s.Snapshot().Table("public", "kv")
	wantScanned(t, s.Snapshot(), tbl, want, "after the crash")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.namespace("public").db.QueryRow(`SELECT count(*) FROM events WHERE ` + tailOps).Scan(&left); err != nil || left != 0 {
		t.Fatalf("row events left after the flush: %d (%v)", left, err)
	}
	wantScanned(t, s.Snapshot(), tbl, want, "after the flush")
}

// BenchmarkCommitEvents commits transactions shaped like pgbench's
// TPC-B at the storage layer: three tables each get one row replaced (a
// deletion and an insert, one change event) and a fourth one row
// inserted, four events a commit, one commit at a time.
func BenchmarkCommitEvents(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbls := make([]*catalog.Table, 4)
	for i := range tbls {
		tbls[i] = kvTable(fmt.Sprintf("kv%d", i))
		mustCreate(b, s, tbls[i])
	}
	ids := make([]int64, 3) // the row of each replaced table, by id
	insert := func(tx *Txn, tbl *catalog.Table, k int64) int64 {
		rec := kvRecord([]int64{k}, []string{"a row of about pgbench's width"})
		defer rec.Release()
		got, err := tx.InsertIDs(tbl, rec)
		if err != nil {
			b.Fatal(err)
		}
		return got[0]
	}
	for i := range 3 {
		tx := s.Begin()
		ids[i] = insert(tx, tbls[i], 0)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cputime.Process()
	k := int64(0)
	for b.Loop() {
		k++
		tx := s.Begin()
		for i, tbl := range tbls {
			id := insert(tx, tbl, k)
			if i < 3 {
				if err := tx.Delete(tbl, ids[i:i+1]); err != nil {
					b.Fatal(err)
				}
				ids[i] = id
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
}

// The events table has no index by table: each commit's events would
// add a page per table to its WAL frames. A database made when it had
// one loses it at open, and keeps its events.
func TestOpenDropsEventsByTableIndex(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRecord([]int64{1, 2, 3}, []string{"a", "b", "c"}))
	if _, err := s.namespace("public").db.Exec(`CREATE INDEX events_by_table ON events(table_id, seq)`); err != nil {
		t.Fatal(err)
	}
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	var n int
	if err := s.namespace("public").db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_by_table'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("open kept the events_by_table index")
	}
	if got, _ := scanAll(t, s.Snapshot(), s.Snapshot().Table("public", "kv")); len(got) != 3 {
		t.Errorf("after reopening: %d rows, want 3", len(got))
	}
}

// TestIDCountersSurviveCrash: after a crash that follows commits handing
// out no new id (UPDATEs), the id counters still lie past every id handed
// out before, also those of rows and tables that no data holds any more:
// no row id or table id is given twice.
func TestIDCountersSurviveCrash(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{FlushRows: 4})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	gone := kvTable("gone")
	mustCreate(t, s, gone)
	insert := func(s *Store, n int, from int64) []int64 {
		t.Helper()
		tx := s.Begin()
		ids, err := tx.InsertIDs(tbl, kvRows(n, from, "v"))
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	kept := insert(s, 1, 100)
	first := insert(s, 10, 0)
	// The later rows leave, flushed away with their segment's deletions; the
	// other table is dropped.
	tx := s.Begin()
	if err := tx.Delete(tbl, first); err != nil {
		t.Fatal(err)
	}
	if err := tx.DropTable("public", "gone"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	// Commits that move no counter, the last ones before the crash.
	for i := range 3 {
		tx := s.Begin()
		if err := tx.Update(tbl, kept, kvRows(1, 100, fmt.Sprint("u", i))); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	s.crash()

	s = openTest(t, dir, Options{FlushRows: 4})
	defer s.Close()
	if next := insert(s, 1, 200)[0]; next <= kept[0] || next <= slices.Max(first) {
		t.Fatalf("row id %d after the crash, handed out before: %v and %v", next, first, kept)
	}
	again := kvTable("again")
	mustCreate(t, s, again)
	if again.ID <= gone.ID || again.ID <= tbl.ID {
		t.Fatalf("table id %d after the crash; %d and %d were handed out before", again.ID, tbl.ID, gone.ID)
	}
	wantScanned(t, s.Snapshot(), tbl, map[string]string{"100": "100|u2", "200": "200|v"}, "after the crash")
}
