package storage

import (
	"slices"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// wantRows checks the rows of kv-shaped tbl in snap, rendered "k|v" and
// sorted, separated by spaces.
func wantRows(t *testing.T, snap *Snapshot, tbl *catalog.Table, want string) {
	t.Helper()
	rows, _ := scanAll(t, snap, tbl)
	got := make([]string, 0, len(rows))
	for _, r := range rows {
		got = append(got, r)
	}
	slices.Sort(got)
	if g := strings.Join(got, " "); g != want {
		t.Fatalf("rows\n got %q\nwant %q", g, want)
	}
}

func mustRollbackTo(t *testing.T, tx *Txn, sp Savepoint) {
	t.Helper()
	if err := tx.RollbackTo(sp); err != nil {
		t.Fatalf("RollbackTo: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSavepointInsert(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(2, 0, "c"))

	tx := s.Begin()
	must(t, tx.Insert(tbl, kvRows(2, 10, "before")))
	sp := tx.Savepoint()
	must(t, tx.Insert(tbl, kvRows(2, 20, "after")))
	early := tx.Snapshot()
	wantRows(t, early, tbl, "0|c 10|before 11|before 1|c 20|after 21|after")
	mustRollbackTo(t, tx, sp)
	wantRows(t, tx.Snapshot(), tbl, "0|c 10|before 11|before 1|c")
	// A snapshot taken before the rollback still reads what it saw, also
	// after new inserts reuse the cut lists.
	must(t, tx.Insert(tbl, kvRows(1, 30, "new")))
	wantRows(t, early, tbl, "0|c 10|before 11|before 1|c 20|after 21|after")
	must(t, tx.Commit())
	wantRows(t, s.Snapshot(), tbl, "0|c 10|before 11|before 1|c 30|new")
}

func TestSavepointUpdateDelete(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(4, 0, "c"))

	tx := s.Begin()
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	must(t, tx.Update(tbl, []int64{ids["0"]}, kvRecord([]int64{0}, []string{"kept"})))
	must(t, tx.Insert(tbl, kvRows(1, 10, "own")))
	_, ids = scanAll(t, tx.Snapshot(), tbl)
	sp := tx.Savepoint()
	must(t, tx.Update(tbl, []int64{ids["0"], ids["1"], ids["10"]}, kvRecord([]int64{0, 1, 10}, []string{"x", "x", "x"})))
	must(t, tx.Delete(tbl, []int64{ids["2"], ids["10"]}))
	wantRows(t, tx.Snapshot(), tbl, "0|x 1|x 3|c")
	mustRollbackTo(t, tx, sp)
	wantRows(t, tx.Snapshot(), tbl, "0|kept 10|own 1|c 2|c 3|c")
	if got, _ := tx.tables[tbl.ID].deleted.sorted(); !slices.Equal(got, []int64{ids["0"]}) {
		t.Fatalf("deleted committed ids %v, want only the update before the savepoint", got)
	}

	// The undone delete and update do not conflict with a concurrent
	// change to those rows.
	other := s.Begin()
	other.Snapshot()
	must(t, other.Delete(tbl, []int64{ids["1"], ids["2"]}))
	must(t, other.Commit())
	must(t, tx.Commit())
	wantRows(t, s.Snapshot(), tbl, "0|kept 10|own 3|c")
}

func TestSavepointDDL(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	kv := kvTable("kv")
	mustCreate(t, s, kv)
	mustInsert(t, s, kv, kvRows(2, 0, "c"))
	setup := s.Begin()
	must(t, setup.CreateView(&catalog.View{Schema: "public", Name: "v", SQL: "SELECT 1", Columns: []string{"x"}}))
	must(t, setup.Commit())

	tx := s.Begin()
	early := kvTable("early")
	must(t, tx.CreateTable(early))
	must(t, tx.Insert(early, kvRows(2, 0, "e")))
	must(t, tx.Insert(kv, kvRows(1, 5, "own")))
	sp := tx.Savepoint()

	late := kvTable("late")
	must(t, tx.CreateTable(late))
	must(t, tx.Insert(late, kvRows(1, 0, "l")))
	must(t, tx.CreateSchema("sch"))
	must(t, tx.CreateView(&catalog.View{Schema: "public", Name: "w", SQL: "SELECT 2", Columns: []string{"y"}}))
	must(t, tx.CreateIndex(&catalog.Index{Schema: "public", Name: "kv_v", Table: "kv", Columns: []string{"v"}}))
	must(t, tx.DropView("public", "v"))
	must(t, tx.DropTable("public", "early"))
	must(t, tx.DropTable("public", "kv"))
	snap := tx.Snapshot()
	if snap.Table("public", "kv") != nil || snap.Table("public", "early") != nil || snap.Table("public", "late") == nil || !snap.HasSchema("sch") {
		t.Fatal("changes after the savepoint are not visible before the rollback")
	}

	mustRollbackTo(t, tx, sp)
	snap = tx.Snapshot()
	if snap.Table("public", "late") != nil || snap.HasSchema("sch") || snap.View("public", "w") != nil || snap.Index("public", "kv_v") != nil {
		t.Fatal("objects created after the savepoint survive RollbackTo")
	}
	if snap.Table("public", "kv") == nil || snap.Table("public", "early") == nil || snap.View("public", "v") == nil {
		t.Fatal("objects dropped after the savepoint are still gone after RollbackTo")
	}
	wantRows(t, snap, early, "0|e 1|e")
	wantRows(t, snap, kv, "0|c 1|c 5|own")
	// The names are free again.
	must(t, tx.CreateSchema("sch"))
	late2 := kvTable("late")
	must(t, tx.CreateTable(late2))
	must(t, tx.Commit())

	snap = s.Snapshot()
	if !snap.HasSchema("sch") || snap.Table("public", "late").ID != late2.ID || snap.View("public", "w") != nil || snap.View("public", "v") == nil {
		t.Fatal("committed catalog does not match the transaction's final view")
	}
	wantRows(t, snap, early, "0|e 1|e")
	wantRows(t, snap, kv, "0|c 1|c 5|own")
	wantRows(t, snap, late2, "")
}

func TestSavepointNesting(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)

	tx := s.Begin()
	sp1 := tx.Savepoint()
	must(t, tx.Insert(tbl, kvRows(1, 1, "a")))
	sp2 := tx.Savepoint()
	must(t, tx.Insert(tbl, kvRows(1, 2, "b")))
	sp3 := tx.Savepoint()
	must(t, tx.Insert(tbl, kvRows(1, 3, "c")))

	mustRollbackTo(t, tx, sp2)
	wantRows(t, tx.Snapshot(), tbl, "1|a")
	wantCode(t, tx.RollbackTo(sp3), pgerr.SEInvalidSpecification)

	// The mark stays valid: ROLLBACK TO can repeat.
	must(t, tx.Insert(tbl, kvRows(1, 4, "d")))
	sp4 := tx.Savepoint()
	must(t, tx.Insert(tbl, kvRows(1, 5, "e")))
	wantRows(t, tx.Snapshot(), tbl, "1|a 4|d 5|e")
	mustRollbackTo(t, tx, sp4)
	wantRows(t, tx.Snapshot(), tbl, "1|a 4|d")
	mustRollbackTo(t, tx, sp2)
	wantRows(t, tx.Snapshot(), tbl, "1|a")
	mustRollbackTo(t, tx, sp2)
	wantRows(t, tx.Snapshot(), tbl, "1|a")
	wantCode(t, tx.RollbackTo(sp4), pgerr.SEInvalidSpecification)

	mustRollbackTo(t, tx, sp1)
	wantRows(t, tx.Snapshot(), tbl, "")
	if !tx.Empty() {
		t.Fatal("transaction not empty after rolling back to its first savepoint")
	}
	wantCode(t, tx.RollbackTo(sp2), pgerr.SEInvalidSpecification)

	other := s.Begin()
	wantCode(t, other.RollbackTo(sp1), pgerr.InternalError)
	wantCode(t, other.RollbackTo(Savepoint{}), pgerr.InternalError)
	other.Rollback()

	must(t, tx.Insert(tbl, kvRows(1, 6, "f")))
	must(t, tx.Commit())
	wantCode(t, tx.RollbackTo(sp1), pgerr.InternalError)
	wantRows(t, s.Snapshot(), tbl, "6|f")
}

func TestSavepointFreesKeys(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(2, 0, "c"))

	tx := s.Begin()
	must(t, tx.Insert(tbl, kvRows(1, 7, "own")))
	// Fill the transaction's own key index before the savepoint.
	wantCode(t, tx.Insert(tbl, kvRows(1, 7, "dup")), pgerr.UniqueViolation)
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	sp := tx.Savepoint()

	must(t, tx.Insert(tbl, kvRows(1, 5, "late")))
	wantCode(t, tx.Insert(tbl, kvRows(1, 5, "dup")), pgerr.UniqueViolation)
	must(t, tx.Update(tbl, []int64{ids["7"]}, kvRecord([]int64{8}, []string{"moved"})))
	must(t, tx.Delete(tbl, []int64{ids["0"]}))
	must(t, tx.Insert(tbl, kvRows(1, 0, "reused")))
	mustRollbackTo(t, tx, sp)

	// The inserted and moved-to keys are free again; the deleted and
	// moved-from keys are taken again.
	wantCode(t, tx.Insert(tbl, kvRows(1, 0, "dup")), pgerr.UniqueViolation)
	wantCode(t, tx.Insert(tbl, kvRows(1, 7, "dup")), pgerr.UniqueViolation)
	sp = tx.Savepoint()
	must(t, tx.Insert(tbl, kvRecord([]int64{5, 8}, []string{"again", "again"})))
	mustRollbackTo(t, tx, sp)
	must(t, tx.Insert(tbl, kvRecord([]int64{5, 8}, []string{"third", "third"})))
	must(t, tx.Commit())
	wantRows(t, s.Snapshot(), tbl, "0|c 1|c 5|third 7|own 8|third")
}

func TestSavepointUndoesUniqueIndex(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := createU(t, s, "u")
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}))

	tx := s.Begin()
	must(t, tx.Insert(tbl, uRecord(uRow{9, 9, "z"})))
	sp := tx.Savepoint()
	must(t, tx.CreateIndex(uniqueIndex(tbl, "u_a_key", "a")))
	wantCode(t, tx.Insert(tbl, uRecord(uRow{2, 1, "y"})), pgerr.UniqueViolation)
	mustRollbackTo(t, tx, sp)
	// As many catalog changes as when the constraints were last looked
	// at, but a different one: the unique index must not linger.
	must(t, tx.CreateIndex(&catalog.Index{Schema: "public", Name: "u_b", Table: "u", Columns: []string{"b"}}))
	must(t, tx.Insert(tbl, uRecord(uRow{2, 1, "y"})))
	wantCode(t, tx.Insert(tbl, uRecord(uRow{3, 1, "y"})), pgerr.UniqueViolation)
	must(t, tx.Commit())
	snap := s.Snapshot()
	if snap.Index("public", "u_a_key") != nil || snap.Index("public", "u_b") == nil {
		t.Fatal("committed indexes do not match the transaction's final view")
	}
}
