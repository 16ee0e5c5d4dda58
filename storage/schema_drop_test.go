package storage

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func kvIn(schema, name string) *catalog.Table {
	tbl := kvTable(name)
	tbl.Schema = schema
	return tbl
}

// schemaWithTable commits schema name holding kv table tbl with rows 0|a 1|a.
func schemaWithTable(t *testing.T, s *Store, name string) *catalog.Table {
	t.Helper()
	tx := s.Begin()
	must(t, tx.CreateSchema(name))
	tbl := kvIn(name, "kv")
	must(t, tx.CreateTable(tbl))
	must(t, tx.Insert(tbl, kvRows(2, 0, "a")))
	must(t, tx.Commit())
	return tbl
}

// dataEntries lists the names in dir other than the lock and init files.
func dataEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != lockFileName && e.Name() != initFileName && !strings.HasPrefix(e.Name(), globalDBName) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestDropSchemaMissing(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tx := s.Begin()
	defer tx.Rollback()
	err := tx.DropSchema("nope")
	wantCode(t, err, pgerr.InvalidSchemaName)
	if !strings.Contains(err.Error(), `schema "nope" does not exist`) {
		t.Fatalf("message %q", err)
	}
	must(t, tx.CreateSchema("x"))
	must(t, tx.DropSchema("x"))
	wantCode(t, tx.DropSchema("x"), pgerr.InvalidSchemaName)
}

func TestDropSchemaNotEmpty(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	schemaWithTable(t, s, "x")

	tx := s.Begin()
	err := tx.DropSchema("x")
	wantCode(t, err, pgerr.DependentObjectsStillExist)
	if !strings.Contains(err.Error(), "cannot drop schema x because other objects depend on it") {
		t.Fatalf("message %q", err)
	}
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.CreateView(&catalog.View{Schema: "x", Name: "v", SQL: "SELECT 1", Columns: []string{"c"}}))
	wantCode(t, tx.DropSchema("x"), pgerr.DependentObjectsStillExist)
	must(t, tx.DropView("x", "v"))
	// The failed attempts left the schema in place.
	if !tx.Snapshot().HasSchema("x") {
		t.Fatal("failed DropSchema removed the schema")
	}
	must(t, tx.DropSchema("x"))
	must(t, tx.Commit())

	if s.Snapshot().HasSchema("x") {
		t.Fatal("dropped schema still listed after commit")
	}
	if got := dataEntries(t, dir); !slices.Equal(got, []string{"public"}) {
		t.Fatalf("data directory holds %v after the drop", got)
	}
	must(t, s.Close())
	s = openTest(t, dir, Options{})
	defer s.Close()
	if snap := s.Snapshot(); snap.HasSchema("x") || snap.Table("x", "kv") != nil {
		t.Fatal("dropped schema is back after reopen")
	}
}

func TestDropSchemaInTransactionView(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	old := schemaWithTable(t, s, "x")

	tx := s.Begin()
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.DropSchema("x"))
	snap := tx.Snapshot()
	if snap.HasSchema("x") || slices.Contains(snap.Schemas(), "x") {
		t.Fatal("schema dropped by the transaction is still in its view")
	}
	if !s.Snapshot().HasSchema("x") {
		t.Fatal("an uncommitted drop is visible outside the transaction")
	}
	wantCode(t, tx.CreateTable(kvIn("x", "t")), pgerr.InvalidSchemaName)
	wantCode(t, tx.CreateView(&catalog.View{Schema: "x", Name: "v", SQL: "SELECT 1", Columns: []string{"c"}}), pgerr.InvalidSchemaName)

	must(t, tx.CreateSchema("x"))
	wantCode(t, tx.CreateSchema("x"), pgerr.DuplicateSchema)
	snap = tx.Snapshot()
	if !snap.HasSchema("x") || len(snap.Tables("x")) != 0 {
		t.Fatal("re-created schema is not fresh and empty")
	}
	fresh := kvIn("x", "kv")
	must(t, tx.CreateTable(fresh))
	must(t, tx.Insert(fresh, kvRows(1, 7, "new")))
	wantRows(t, tx.Snapshot(), fresh, "7|new")
	must(t, tx.Commit())

	check := func(s *Store) {
		t.Helper()
		snap := s.Snapshot()
		got := snap.Table("x", "kv")
		if got == nil || got.ID != fresh.ID || got.ID == old.ID {
			t.Fatalf("table after re-create: %+v", got)
		}
		wantRows(t, snap, fresh, "7|new")
	}
	check(s)
	// Row ids of the new schema continue after the ones used in it.
	mustInsert(t, s, fresh, kvRows(1, 8, "later"))
	wantRows(t, s.Snapshot(), fresh, "7|new 8|later")
	must(t, s.Close())
	s = openTest(t, dir, Options{})
	defer s.Close()
	wantRows(t, s.Snapshot(), fresh, "7|new 8|later")
	_, ids := scanAll(t, s.Snapshot(), fresh)
	if ids["7"] == ids["8"] {
		t.Fatalf("rows share row id %d", ids["7"])
	}
}

func TestDropSchemaRollback(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := schemaWithTable(t, s, "x")
	tx := s.Begin()
	must(t, tx.Insert(tbl, kvRows(1, 5, "own")))
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.DropSchema("x"))
	must(t, tx.CreateSchema("x"))
	tx.Rollback()
	snap := s.Snapshot()
	if !snap.HasSchema("x") || snap.Table("x", "kv") == nil {
		t.Fatal("rollback did not keep the schema")
	}
	wantRows(t, snap, tbl, "0|a 1|a")
	mustInsert(t, s, tbl, kvRows(1, 9, "b"))
	wantRows(t, s.Snapshot(), tbl, "0|a 1|a 9|b")
}

func TestDropSchemaSavepoint(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := schemaWithTable(t, s, "x")
	tx := s.Begin()
	must(t, tx.Insert(tbl, kvRows(1, 5, "own")))
	sp := tx.Savepoint()
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.DropSchema("x"))
	afterDrop := tx.Savepoint()
	must(t, tx.CreateSchema("x"))
	other := kvIn("x", "other")
	must(t, tx.CreateTable(other))

	mustRollbackTo(t, tx, afterDrop)
	if snap := tx.Snapshot(); snap.HasSchema("x") {
		t.Fatal("RollbackTo a mark after the drop kept the re-created schema")
	}
	mustRollbackTo(t, tx, sp)
	snap := tx.Snapshot()
	if !snap.HasSchema("x") || snap.Table("x", "kv") == nil || snap.Table("x", "other") != nil {
		t.Fatal("RollbackTo a mark before the drop did not restore the schema")
	}
	wantRows(t, snap, tbl, "0|a 1|a 5|own")
	must(t, tx.Insert(tbl, kvRows(1, 6, "more")))
	must(t, tx.Commit())
	snap = s.Snapshot()
	if !snap.HasSchema("x") {
		t.Fatal("schema gone after commit")
	}
	wantRows(t, snap, tbl, "0|a 1|a 5|own 6|more")
}

func TestDropSchemaCreatedInTransaction(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	defer s.Close()
	tx := s.Begin()
	must(t, tx.CreateSchema("gone"))
	tmp := kvIn("gone", "t")
	must(t, tx.CreateTable(tmp))
	must(t, tx.Insert(tmp, kvRows(1, 0, "x")))
	must(t, tx.DropTable("gone", "t"))
	must(t, tx.DropSchema("gone"))
	must(t, tx.CreateSchema("again"))
	must(t, tx.DropSchema("again"))
	must(t, tx.CreateSchema("again"))
	kept := kvIn("again", "t")
	must(t, tx.CreateTable(kept))
	must(t, tx.Insert(kept, kvRows(1, 3, "k")))
	must(t, tx.Commit())
	snap := s.Snapshot()
	if snap.HasSchema("gone") || !snap.HasSchema("again") {
		t.Fatalf("schemas after commit: %v", snap.Schemas())
	}
	wantRows(t, snap, kept, "3|k")
	if got := dataEntries(t, dir); !slices.Equal(got, []string{"again", "public"}) {
		t.Fatalf("data directory holds %v", got)
	}
}

func TestDropSchemaConcurrentCommits(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	setup := s.Begin()
	must(t, setup.CreateSchema("x"))
	must(t, setup.CreateSchema("y"))
	must(t, setup.Commit())

	// A table committed into the schema after the dropper looked makes
	// the drop fail at commit.
	dropper := s.Begin()
	must(t, dropper.DropSchema("x"))
	creator := s.Begin()
	must(t, creator.CreateTable(kvIn("x", "t")))
	must(t, creator.Commit())
	wantCode(t, dropper.Commit(), pgerr.DependentObjectsStillExist)
	if snap := s.Snapshot(); !snap.HasSchema("x") || snap.Table("x", "t") == nil {
		t.Fatal("failed drop changed the schema")
	}

	// A transaction that wrote into a schema dropped before its commit
	// fails with 3F000.
	late := s.Begin()
	must(t, late.CreateTable(kvIn("y", "t")))
	dropper = s.Begin()
	must(t, dropper.DropSchema("y"))
	must(t, dropper.Commit())
	wantCode(t, late.Commit(), pgerr.InvalidSchemaName)
	if s.Snapshot().HasSchema("y") {
		t.Fatal("commit into a dropped schema brought it back")
	}
	must(t, s.Checkpoint())
}

func TestDropSchemaRecreateInLaterTransaction(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{FlushRows: 1})
	old := schemaWithTable(t, s, "x")
	must(t, s.Checkpoint()) // the old table has Parquet segments
	before := s.Snapshot()

	tx := s.Begin()
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.DropSchema("x"))
	must(t, tx.Commit())
	if !before.HasSchema("x") || before.Table("x", "kv") == nil {
		t.Fatal("a snapshot taken before the drop lost the schema's catalog")
	}

	tx = s.Begin()
	must(t, tx.CreateSchema("x"))
	must(t, tx.Commit())
	if snap := s.Snapshot(); len(snap.Tables("x")) != 0 {
		t.Fatal("re-created schema is not empty")
	}
	fresh := kvIn("x", "kv")
	mustCreate(t, s, fresh)
	mustInsert(t, s, fresh, kvRows(1, 4, "n"))
	must(t, s.Close())

	s = openTest(t, dir, Options{})
	defer s.Close()
	snap := s.Snapshot()
	if got := snap.Table("x", "kv"); got == nil || got.ID != fresh.ID || got.ID == old.ID {
		t.Fatalf("table after reopen: %+v", got)
	}
	wantRows(t, snap, fresh, "4|n")
}

func TestDropPublicSchema(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCreate(t, s, kvTable("kv"))
	tx := s.Begin()
	must(t, tx.DropTable("public", "kv"))
	must(t, tx.DropSchema("public"))
	must(t, tx.Commit())
	must(t, s.Close())

	s = openTest(t, dir, Options{})
	if s.Snapshot().HasSchema("public") {
		t.Fatal("dropped public schema came back on open")
	}
	tx = s.Begin()
	must(t, tx.CreateSchema("public"))
	must(t, tx.Commit())
	mustCreate(t, s, kvTable("kv"))
	must(t, s.Close())

	s = openTest(t, dir, Options{})
	defer s.Close()
	if s.Snapshot().Table("public", "kv") == nil {
		t.Fatal("re-created public schema lost its table")
	}
}

// TestDropSchemaCrashAfterRename leaves the data directory as a crash
// between the drop's rename and its delete would: the schema's directory
// intact under a trash name.
func TestDropSchemaCrashAfterRename(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	schemaWithTable(t, s, "x")
	s.crash()
	trash := filepath.Join(dir, trashPrefix+"x-1")
	if err := os.Rename(filepath.Join(dir, "x"), trash); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, Options{})
	if s.Snapshot().HasSchema("x") {
		t.Fatal("a schema in the trash was opened")
	}
	if _, err := os.Stat(trash); !os.IsNotExist(err) {
		t.Fatalf("trash left after open: %v", err)
	}
	tx := s.Begin()
	must(t, tx.CreateSchema("x"))
	must(t, tx.Commit())
	if len(s.Snapshot().Tables("x")) != 0 {
		t.Fatal("schema re-created after the crash is not empty")
	}
	must(t, s.Close())
}

// TestDropSchemaCrashBeforeCommit: a crash before the drop commits
// leaves the schema as it was.
func TestDropSchemaCrashBeforeCommit(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := schemaWithTable(t, s, "x")
	tx := s.Begin()
	must(t, tx.DropTable("x", "kv"))
	must(t, tx.DropSchema("x"))
	s.crash() // before the transaction commits
	s = openTest(t, dir, Options{})
	defer s.Close()
	wantRows(t, s.Snapshot(), tbl, "0|a 1|a")
}
