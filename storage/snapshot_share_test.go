package storage

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// Snapshots share the map of namespace states until a commit replaces
// one, so a transaction's own catalog changes must land in a copy: no
// other snapshot, earlier or later, may see them before they commit.
func TestSnapshotsShareSpacesUntilChanged(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	a := &catalog.Table{Schema: "public", Name: "a", Columns: []catalog.Column{{Name: "x", Type: catalog.TypeInt4}}}
	tx := s.Begin()
	if err := tx.CreateTable(a); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	before := s.Snapshot()
	tx = s.Begin()
	b := &catalog.Table{Schema: "public", Name: "b", Columns: []catalog.Column{{Name: "y", Type: catalog.TypeInt4}}}
	if err := tx.CreateTable(b); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreateSchema("other"); err != nil {
		t.Fatal(err)
	}
	own := tx.Snapshot()
	if own.Table("public", "b") == nil || !own.HasSchema("other") {
		t.Fatal("the transaction does not see its own table and schema")
	}
	for name, snap := range map[string]*Snapshot{"earlier": before, "concurrent": s.Snapshot()} {
		if snap.Table("public", "b") != nil || snap.HasSchema("other") {
			t.Errorf("an %s snapshot sees another transaction's uncommitted table or schema", name)
		}
		if snap.Table("public", "a") == nil {
			t.Errorf("an %s snapshot lost a committed table", name)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if after := s.Snapshot(); after.Table("public", "b") == nil || !after.HasSchema("other") {
		t.Error("a snapshot after the commit does not see its table and schema")
	}
	if before.Table("public", "b") != nil {
		t.Error("a snapshot taken before the commit sees its table")
	}
}

// Scans keep the schema they last built per table state; a state whose
// columns changed must build its own.
func TestScanSchemaFollowsAlterTable(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := &catalog.Table{Schema: "public", Name: "t", Columns: []catalog.Column{{Name: "x", Type: catalog.TypeInt4}, {Name: "y", Type: catalog.TypeText}}}
	tx := s.Begin()
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	scanNames := func(tbl *catalog.Table) []string {
		t.Helper()
		rr, err := s.Snapshot().Scan(tbl, []int{1, 0}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer rr.Close()
		sr, ok := rr.(ColumnsSchemer)
		if !ok {
			t.Fatalf("a table scan (%T) does not give its columns' schema", rr)
		}
		var names []string
		for _, f := range sr.ColumnsSchema().Fields() {
			names = append(names, f.Name)
		}
		return names
	}
	if got := scanNames(tbl); len(got) != 2 || got[0] != "y" || got[1] != "x" {
		t.Fatalf("columns before ALTER: %v", got)
	}
	altered := *tbl
	altered.Columns = []catalog.Column{{Name: "x", Type: catalog.TypeInt4}, {Name: "z", Type: catalog.TypeText}}
	tx = s.Begin()
	if err := tx.AlterTable("public", "t", &altered, map[string]string{"y": "z"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	cur := s.Snapshot().Table("public", "t")
	if got := scanNames(cur); len(got) != 2 || got[0] != "z" || got[1] != "x" {
		t.Fatalf("columns after renaming y to z: %v", got)
	}
}
