package storage

import (
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// kvTable is (k int8 primary key, v text).
func kvTable(name string) *catalog.Table {
	return &catalog.Table{
		Schema:     "public",
		Name:       name,
		Columns:    []catalog.Column{{Name: "k", Type: catalog.TypeInt8}, {Name: "v", Type: catalog.TypeText}},
		PrimaryKey: []int{0},
	}
}

func kvRecord(keys []int64, vals []string) arrow.Record {
	kb := array.NewInt64Builder(memory.DefaultAllocator)
	vb := array.NewStringBuilder(memory.DefaultAllocator)
	kb.AppendValues(keys, nil)
	for _, v := range vals {
		if v == "NULL" {
			vb.AppendNull()
		} else {
			vb.Append(v)
		}
	}
	k, v := kb.NewArray(), vb.NewArray()
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{k, v}, int64(len(keys)))
}

func kvRows(n int, from int64, tag string) arrow.Record {
	keys := make([]int64, n)
	vals := make([]string, n)
	for i := range keys {
		keys[i] = from + int64(i)
		vals[i] = tag
	}
	return kvRecord(keys, vals)
}

func TestUpdateDeleteBeforeAndAfterFlush(t *testing.T) {
	// No compaction: it could merge the delete-heavy first segment before
	// the manifest is checked.
	dir := t.TempDir()
	s := openTest(t, dir, Options{Compaction: noCompaction})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 0, "a"))

	_, ids := scanAll(t, s.Snapshot(), tbl)
	// Before flush: delete k=1, update k=2.
	tx := s.Begin()
	tx.Snapshot()
	if err := tx.Delete(tbl, []int64{ids["1"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Update(tbl, []int64{ids["2"]}, kvRecord([]int64{2}, []string{"b"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, ids2 := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 9 || rows["2"] != "2|b" || rows["1"] != "" || ids2["2"] != ids["2"] {
		t.Fatalf("after tail update/delete: %v ids %v", rows, ids2)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	rows, _ = scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 9 || rows["2"] != "2|b" {
		t.Fatalf("after flush: %v", rows)
	}
	// After flush: delete k=3, update k=2 again and k=4.
	tx = s.Begin()
	tx.Snapshot()
	tx.Delete(tbl, []int64{ids["3"]})
	if err := tx.Update(tbl, []int64{ids["2"], ids["4"]}, kvRecord([]int64{2, 4}, []string{"c", "d"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	check := func(stage string) {
		t.Helper()
		rows, ids3 := scanAll(t, s.Snapshot(), tbl)
		if len(rows) != 8 || rows["2"] != "2|c" || rows["4"] != "4|d" || rows["3"] != "" || rows["5"] != "5|a" {
			t.Fatalf("%s: %v", stage, rows)
		}
		if ids3["4"] != ids["4"] {
			t.Fatalf("%s: update changed the row id", stage)
		}
	}
	check("segment rows changed in tail")
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	check("second flush")
	m := s.namespace("public").state.Load().tables["kv"].manifest
	if len(m.Segments) != 2 || m.Segments[0].DeletedRows != 3 {
		t.Fatalf("manifest: %d segments, first deletes %d", len(m.Segments), m.Segments[0].DeletedRows)
	}
	s.Close()
	s = openTest(t, dir, Options{Compaction: noCompaction})
	defer s.Close()
	check("reopened")
}

func TestRollbackLeavesNothing(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(3, 0, "a"))
	_, ids := scanAll(t, s.Snapshot(), tbl)

	tx := s.Begin()
	tx.Insert(tbl, kvRows(5, 100, "x"))
	tx.Delete(tbl, []int64{ids["0"]})
	tx.CreateTable(kvTable("other"))
	tx.CreateSchema("sch")
	if tx.Empty() {
		t.Fatal("Empty after changes")
	}
	tx.Rollback()
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 3 || rows["0"] == "" {
		t.Fatalf("rows after rollback: %v", rows)
	}
	snap := s.Snapshot()
	if snap.Table("public", "other") != nil || snap.HasSchema("sch") {
		t.Fatal("rolled-back DDL is visible")
	}
	if !s.Begin().Empty() {
		t.Fatal("new transaction not empty")
	}
}

func TestTxnSeesOwnWrites(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tx := s.Begin()
	if err := tx.CreateSchema("sales"); err != nil {
		t.Fatal(err)
	}
	tbl := kvTable("kv")
	tbl.Schema = "sales"
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatal(err)
	}
	if tbl.ID < firstObjectID {
		t.Fatalf("table id %d", tbl.ID)
	}
	if err := tx.Insert(tbl, kvRows(4, 0, "mine")); err != nil {
		t.Fatal(err)
	}
	snap := tx.Snapshot()
	if !snap.HasSchema("sales") || snap.Table("sales", "kv") == nil {
		t.Fatal("own DDL not visible")
	}
	rows, ids := scanAll(t, snap, tbl)
	if len(rows) != 4 {
		t.Fatalf("own rows: %v", rows)
	}
	if s.Snapshot().HasSchema("sales") {
		t.Fatal("uncommitted schema visible to others")
	}
	// Update an own row twice, delete another.
	tx.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"u1"}))
	tx.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"u2"}))
	tx.Delete(tbl, []int64{ids["2"]})
	rows, _ = scanAll(t, tx.Snapshot(), tbl)
	if len(rows) != 3 || rows["1"] != "1|u2" || rows["2"] != "" {
		t.Fatalf("own updates: %v", rows)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, _ = scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 3 || rows["1"] != "1|u2" {
		t.Fatalf("committed: %v", rows)
	}
	// Deleting a committed row hides it from the transaction only.
	_, ids = scanAll(t, s.Snapshot(), tbl)
	tx = s.Begin()
	tx.Delete(tbl, []int64{ids["0"]})
	if rows, _ := scanAll(t, tx.Snapshot(), tbl); len(rows) != 2 {
		t.Fatalf("own delete not visible: %v", rows)
	}
	if rows, _ := scanAll(t, s.Snapshot(), tbl); len(rows) != 3 {
		t.Fatalf("uncommitted delete visible: %v", rows)
	}
	tx.Rollback()
}

func TestDDLErrors(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCreate(t, s, kvTable("kv"))
	tx := s.Begin()
	defer tx.Rollback()
	wantCode(t, tx.CreateTable(kvTable("kv")), pgerr.DuplicateTable)
	wantCode(t, tx.CreateSchema("public"), pgerr.DuplicateSchema)
	bad := kvTable("x")
	bad.Schema = "nope"
	wantCode(t, tx.CreateTable(bad), pgerr.InvalidSchemaName)
	wantCode(t, tx.DropTable("public", "missing"), pgerr.UndefinedTable)
	wantCode(t, tx.DropView("public", "missing"), pgerr.UndefinedTable)
	wantCode(t, tx.DropIndex("public", "missing"), pgerr.UndefinedObject)
	if err := tx.CreateView(&catalog.View{Schema: "public", Name: "v", SQL: "SELECT 1", Columns: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.CreateView(&catalog.View{Schema: "public", Name: "kv"}), pgerr.DuplicateTable)
	if err := tx.CreateIndex(&catalog.Index{Schema: "public", Name: "kv_v", Table: "kv", Columns: []string{"v"}}); err != nil {
		t.Fatal(err)
	}
	if tx.Snapshot().View("public", "v") == nil || tx.Snapshot().Index("public", "kv_v") == nil {
		t.Fatal("own view/index not visible")
	}
	if err := tx.DropTable("public", "kv"); err != nil {
		t.Fatal(err)
	}
	if snap := tx.Snapshot(); snap.Table("public", "kv") != nil || snap.Index("public", "kv_v") != nil {
		t.Fatal("dropped table or its index still visible")
	}
	if err := tx.CreateTable(kvTable("kv")); err != nil {
		t.Fatalf("recreate after drop: %v", err)
	}
}

func TestDDLPersists(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tx := s.Begin()
	tx.CreateSchema("Weird Name")
	tbl := kvTable("kv")
	tbl.Schema = "Weird Name"
	tx.CreateTable(tbl)
	tx.CreateView(&catalog.View{Schema: "public", Name: "v", SQL: "SELECT 1", Columns: []string{"x"}})
	tx.CreateTable(kvTable("gone"))
	tx.CreateIndex(&catalog.Index{Schema: "public", Name: "gone_v", Table: "gone", Columns: []string{"v"}})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, kvRows(3, 0, "w"))
	gone := s.Snapshot().Table("public", "gone")
	mustInsert(t, s, gone, kvRows(3, 0, "g"))
	s.Checkpoint()
	tx = s.Begin()
	if err := tx.DropTable("public", "gone"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTest(t, dir, Options{})
	defer s.Close()
	snap := s.Snapshot()
	if got := strings.Join(snap.Schemas(), ","); got != "Weird Name,public" {
		t.Fatalf("schemas %q", got)
	}
	if kv := snap.Table("Weird Name", "kv"); kv == nil || snap.TableByID(kv.ID) != kv {
		t.Fatal("TableByID")
	}
	if snap.View("public", "v") == nil || snap.Table("public", "gone") != nil || snap.Index("public", "gone_v") != nil {
		t.Fatal("catalog not restored")
	}
	rows, _ := scanAll(t, snap, snap.Table("Weird Name", "kv"))
	if len(rows) != 3 {
		t.Fatalf("rows %v", rows)
	}
	// A new table never reuses an id.
	tx = s.Begin()
	nt := kvTable("new")
	tx.CreateTable(nt)
	tx.Rollback()
	if nt.ID <= gone.ID {
		t.Fatalf("id %d reused (dropped table had %d)", nt.ID, gone.ID)
	}
}

func TestConstraints(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	tbl.Columns[1].NotNull = true
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(5, 0, "a"))

	tx := s.Begin()
	defer tx.Rollback()
	err := tx.Insert(tbl, kvRecord([]int64{9}, []string{"NULL"}))
	wantCode(t, err, pgerr.NotNullViolation)
	if err.Error() != `null value in column "v" of relation "kv" violates not-null constraint` {
		t.Fatalf("message %q", err.Error())
	}
	err = tx.Insert(tbl, kvRecord([]int64{3}, []string{"dup"}))
	wantCode(t, err, pgerr.UniqueViolation)
	if err.Error() != `duplicate key value violates unique constraint "kv_pkey"` || pgerr.From(err).Detail != "Key (k)=(3) already exists." {
		t.Fatalf("message %q detail %q", err.Error(), pgerr.From(err).Detail)
	}
	wantCode(t, tx.Insert(tbl, kvRecord([]int64{7, 7}, []string{"x", "y"})), pgerr.UniqueViolation)
	if err := tx.Insert(tbl, kvRecord([]int64{7}, []string{"x"})); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Insert(tbl, kvRecord([]int64{7}, []string{"y"})), pgerr.UniqueViolation)
	// Replacing a key by an update, and reusing a deleted key, are fine.
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	if err := tx.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"same key"})); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{2}, []string{"taken"})), pgerr.UniqueViolation)
	tx.Delete(tbl, []int64{ids["4"]})
	if err := tx.Insert(tbl, kvRecord([]int64{4}, []string{"again"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	// Two transactions inserting the same new key: the second commit fails.
	a, b := s.Begin(), s.Begin()
	if err := a.Insert(tbl, kvRecord([]int64{50}, []string{"a"})); err != nil {
		t.Fatal(err)
	}
	if err := b.Insert(tbl, kvRecord([]int64{50}, []string{"b"})); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, b.Commit(), pgerr.UniqueViolation)
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if rows["50"] != "50|a" || rows["4"] != "4|again" || len(rows) != 7 {
		t.Fatalf("rows %v", rows)
	}
}

func TestWriteConflict(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(3, 0, "a"))
	a, b := s.Begin(), s.Begin()
	_, ids := scanAll(t, a.Snapshot(), tbl)
	b.Snapshot()
	a.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"by a"}))
	b.Delete(tbl, []int64{ids["1"]})
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, b.Commit(), pgerr.TRSerializationFailure)
	// A transaction that started after the update may delete the row.
	c := s.Begin()
	c.Snapshot()
	c.Delete(tbl, []int64{ids["1"]})
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 2 || rows["1"] != "" {
		t.Fatalf("rows %v", rows)
	}
}

// TestViewKeepsStatementBase: a read inside a statement (View) after a
// concurrent commit does not hide that commit's change to a row the
// statement read before it and now deletes.
func TestViewKeepsStatementBase(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(3, 0, "a"))
	a, b := s.Begin(), s.Begin()
	_, ids := scanAll(t, b.Snapshot(), tbl) // b's statement starts
	a.Snapshot()
	a.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"by a"}))
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if rows, _ := scanAll(t, b.View(), tbl); rows["1"] != "1|by a" {
		t.Fatalf("View does not see the committed update: %v", rows)
	}
	b.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"by b"}))
	wantCode(t, b.Commit(), pgerr.TRSerializationFailure)
}

func TestReplayAfterCrash(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(5, 0, "a"))
	s.Checkpoint()
	mustInsert(t, s, tbl, kvRows(5, 5, "b"))
	_, ids := scanAll(t, s.Snapshot(), tbl)
	tx := s.Begin()
	tx.Delete(tbl, []int64{ids["0"], ids["6"]})
	tx.Commit()
	s.crash()

	s = openTest(t, dir, Options{})
	rows, ids2 := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 8 || rows["0"] != "" || rows["6"] != "" || rows["7"] != "7|b" {
		t.Fatalf("replayed rows %v", rows)
	}
	// Row ids are never reused after a crash.
	mustInsert(t, s, tbl, kvRows(1, 100, "c"))
	_, ids3 := scanAll(t, s.Snapshot(), tbl)
	for k, id := range ids2 {
		if k != "100" && id == ids3["100"] {
			t.Fatalf("row id %d reused", id)
		}
	}
	if ids3["100"] <= ids["9"] {
		t.Fatalf("new row id %d not above %d", ids3["100"], ids["9"])
	}
	s.Close()
}

func TestLockedDirectory(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	defer s.Close()
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Open: %v", err)
	}
}

func TestFailedFlushKeepsEvents(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 0, "a"))
	// A file where the segment directory belongs makes the flush fail.
	ts := s.namespace("public").state.Load().tables["kv"]
	if err := os.MkdirAll(localFile(t, s, ts, ""), 0o755); err != nil {
		t.Fatal(err)
	}
	blocker := localFile(t, s, ts, segmentDataDir)
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(); err == nil {
		t.Fatal("checkpoint succeeded without a data directory")
	}
	if n := countRows(t, s.Snapshot(), tbl, []int{0}, nil); n != 10 {
		t.Fatalf("%d rows after failed flush", n)
	}
	mustInsert(t, s, tbl, kvRows(5, 10, "b"))
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	if n := countRows(t, s.Snapshot(), tbl, []int{0}, nil); n != 15 {
		t.Fatalf("%d rows after reopen", n)
	}
	os.Remove(blocker)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 15 || len(s.namespace("public").state.Load().tables["kv"].manifest.Segments) != 1 {
		t.Fatalf("after retried flush: %d rows", len(rows))
	}
}

func TestMultiNamespaceCommit(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tx := s.Begin()
	tx.CreateSchema("a")
	tx.CreateSchema("b")
	ta, tb := kvTable("t"), kvTable("t")
	ta.Schema, tb.Schema = "a", "b"
	if err := tx.CreateTable(ta); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreateTable(tb); err != nil {
		t.Fatal(err)
	}
	tx.Insert(ta, kvRows(3, 0, "in a"))
	tx.Insert(tb, kvRows(4, 0, "in b"))
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	snap := s.Snapshot()
	ra, _ := scanAll(t, snap, snap.Table("a", "t"))
	rb, _ := scanAll(t, snap, snap.Table("b", "t"))
	if len(ra) != 3 || len(rb) != 4 || ra["0"] != "0|in a" || rb["3"] != "3|in b" {
		t.Fatalf("a %v b %v", ra, rb)
	}
	// Row ids are unique per namespace, not across them.
	mustInsert(t, s, snap.Table("a", "t"), kvRows(1, 10, "more"))
	if n := countRows(t, s.Snapshot(), snap.Table("a", "t"), []int{0}, nil); n != 4 {
		t.Fatalf("%d rows", n)
	}
}

func TestClosedStore(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tx := s.Begin()
	tx.Insert(tbl, kvRows(1, 0, "x"))
	s.Close()
	wantCode(t, tx.Commit(), pgerr.AdminShutdown)
}

func TestCompositeKey(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := &catalog.Table{Schema: "public", Name: "pair", PrimaryKey: []int{1, 0},
		Columns: []catalog.Column{{Name: "v", Type: catalog.TypeText}, {Name: "k", Type: catalog.TypeInt8}}}
	mustCreate(t, s, tbl)
	rec := func(v string, k int64) arrow.Record {
		r := kvRecord([]int64{k}, []string{v})
		return array.NewRecordBatch(arrow.NewSchema([]arrow.Field{r.Schema().Field(1), r.Schema().Field(0)}, nil),
			[]arrow.Array{r.Column(1), r.Column(0)}, 1)
	}
	mustInsert(t, s, tbl, rec("x", 1))
	mustInsert(t, s, tbl, rec("y", 1))
	s.Checkpoint()
	tx := s.Begin()
	defer tx.Rollback()
	err := tx.Insert(tbl, rec("x", 1))
	wantCode(t, err, pgerr.UniqueViolation)
	if d := pgerr.From(err).Detail; d != "Key (k, v)=(1, x) already exists." {
		t.Fatalf("detail %q", d)
	}
	if err := tx.Insert(tbl, rec("x", 2)); err != nil {
		t.Fatal(err)
	}
}
