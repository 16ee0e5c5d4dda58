package storage

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func testEnum(name string, labels ...string) *catalog.UserType {
	u := &catalog.UserType{Schema: "public", Name: name}
	for i, l := range labels {
		u.Labels = append(u.Labels, catalog.EnumLabel{Label: l, SortOrder: float32(i + 1)})
	}
	return u
}

// Types are catalog objects: transactional, undone by savepoints, in a
// name space shared with tables' and views' row types, kept across a
// crash with their OIDs, which later objects never reuse.
func TestUserTypes(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})

	tx := s.Begin()
	mood := testEnum("mood", "sad", "happy")
	must(t, tx.CreateType(mood))
	if mood.ID < firstObjectID || mood.Labels[0].OID <= mood.ID+1 || mood.Labels[1].OID <= mood.Labels[0].OID {
		t.Fatalf("OIDs: type %d, labels %v", mood.ID, mood.Labels)
	}
	sp := tx.Savepoint()
	must(t, tx.CreateType(&catalog.UserType{Schema: "public", Name: "posint", Domain: &catalog.Domain{Base: catalog.TypeInt4}}))
	must(t, tx.RollbackTo(sp))
	if tx.View().UserType("public", "posint") != nil {
		t.Fatal("savepoint kept the domain")
	}
	wantCode(t, tx.CreateType(testEnum("mood", "x")), pgerr.DuplicateObject)
	must(t, tx.CreateTable(&catalog.Table{Schema: "public", Name: "people", Columns: []catalog.Column{{Name: "m", Type: mood.Type()}}}))
	wantCode(t, tx.CreateType(testEnum("people", "x")), pgerr.DuplicateObject)
	wantCode(t, tx.CreateTable(&catalog.Table{Schema: "public", Name: "mood"}), pgerr.DuplicateObject)
	must(t, tx.Commit())

	// A label added and the type renamed, in another transaction.
	tx = s.Begin()
	u := tx.View().UserType("public", "mood").Clone()
	must(t, u.AddLabel("ok", 0, "happy", false))
	u.Name = "feeling"
	must(t, tx.AlterType(u))
	if tx.View().UserType("public", "mood") != nil || tx.View().UserTypeByOID(uint32(mood.ID)).Name != "feeling" {
		t.Fatal("rename not in the transaction's view")
	}
	must(t, tx.Commit())

	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	snap := s.Snapshot()
	got := snap.UserTypeByOID(uint32(mood.ID))
	if got == nil || got.Name != "feeling" || len(got.Labels) != 3 || got.Labels[1].Label != "ok" || got.Labels[1].SortOrder != 1.5 || got.Labels[1].OID == 0 {
		t.Fatalf("after a crash: %+v", got)
	}
	if c := snap.Table("public", "people").Columns[0]; c.Type != mood.Type() {
		t.Fatalf("column type %+v", c.Type)
	}
	tx = s.Begin()
	next := testEnum("color", "red")
	must(t, tx.CreateType(next))
	for _, id := range got.OIDs() {
		if next.ID == id || next.ID+1 == id {
			t.Fatalf("new type reuses OID %d of %v", id, got.OIDs())
		}
	}
	must(t, tx.DropType("public", "feeling"))
	wantCode(t, tx.DropType("public", "feeling"), pgerr.UndefinedObject)
	must(t, tx.Commit())
	if s.Snapshot().UserType("public", "feeling") != nil {
		t.Fatal("dropped type still there")
	}
}
