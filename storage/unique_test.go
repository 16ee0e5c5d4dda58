package storage

import (
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// uTable is (id int8 primary key, a int8, b text).
func uTable(name string) *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   name,
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8},
			{Name: "a", Type: catalog.TypeInt8},
			{Name: "b", Type: catalog.TypeText},
		},
		PrimaryKey: []int{0},
	}
}

// uRow is one row of uTable; nil a or b is NULL.
type uRow struct {
	id int64
	a  any
	b  any
}

func uRecord(rows ...uRow) arrow.Record {
	mem := memory.DefaultAllocator
	ib, ab, bb := array.NewInt64Builder(mem), array.NewInt64Builder(mem), array.NewStringBuilder(mem)
	for _, r := range rows {
		ib.Append(r.id)
		if r.a == nil {
			ab.AppendNull()
		} else {
			ab.Append(int64(r.a.(int)))
		}
		if r.b == nil {
			bb.AppendNull()
		} else {
			bb.Append(r.b.(string))
		}
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{ib.NewArray(), ab.NewArray(), bb.NewArray()}, int64(len(rows)))
}

func uniqueIndex(tbl *catalog.Table, name string, cols ...string) *catalog.Index {
	return &catalog.Index{Schema: tbl.Schema, Name: name, Table: tbl.Name, Columns: cols, Unique: true}
}

// wantUnique checks a unique violation's message and detail.
func wantUnique(t *testing.T, err error, msg, detail string) {
	t.Helper()
	wantCode(t, err, pgerr.UniqueViolation)
	if err.Error() != msg || pgerr.From(err).Detail != detail {
		t.Fatalf("got %q detail %q, want %q detail %q", err.Error(), pgerr.From(err).Detail, msg, detail)
	}
}

const abViolation = `duplicate key value violates unique constraint "u_a_b_key"`

// createU creates uTable(name) with a unique index u_a_b_key on (a, b) in
// one transaction.
func createU(t *testing.T, s *Store, name string) *catalog.Table {
	t.Helper()
	tbl := uTable(name)
	tx := s.Begin()
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_a_b_key", "a", "b")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestUniqueIndexInsertUpdate(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := createU(t, s, "u")
	// Keys with a NULL never conflict.
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}, uRow{2, 1, "y"}, uRow{3, nil, "x"}, uRow{4, nil, "x"}, uRow{5, 2, nil}, uRow{6, 2, nil}))

	tx := s.Begin()
	defer tx.Rollback()
	wantUnique(t, tx.Insert(tbl, uRecord(uRow{7, 1, "x"})), abViolation, "Key (a, b)=(1, x) already exists.")
	wantUnique(t, tx.Insert(tbl, uRecord(uRow{7, 7, "z"}, uRow{8, 7, "z"})), abViolation, "Key (a, b)=(7, z) already exists.")
	// The primary key is still checked, and first.
	wantUnique(t, tx.Insert(tbl, uRecord(uRow{1, 1, "x"})), `duplicate key value violates unique constraint "u_pkey"`, "Key (id)=(1) already exists.")
	if err := tx.Insert(tbl, uRecord(uRow{9, 5, "q"}, uRow{10, nil, nil}, uRow{11, nil, nil})); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.Insert(tbl, uRecord(uRow{12, 5, "q"})), abViolation, "Key (a, b)=(5, q) already exists.")

	_, ids := scanAll(t, tx.Snapshot(), tbl)
	// An update keeping its row's key, or moving it to a free key, is fine;
	// moving it onto another row's key is not.
	if err := tx.Update(tbl, []int64{ids["1"]}, uRecord(uRow{1, 1, "x"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Update(tbl, []int64{ids["9"]}, uRecord(uRow{9, 5, "q"})); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.Update(tbl, []int64{ids["2"]}, uRecord(uRow{2, 1, "x"})), abViolation, "Key (a, b)=(1, x) already exists.")
	wantUnique(t, tx.Update(tbl, []int64{ids["2"]}, uRecord(uRow{2, 5, "q"})), abViolation, "Key (a, b)=(5, q) already exists.")
	// Swapping two keys in one update is fine.
	if err := tx.Update(tbl, []int64{ids["1"], ids["2"]}, uRecord(uRow{1, 1, "y"}, uRow{2, 1, "x"})); err != nil {
		t.Fatal(err)
	}
	// A key freed by a delete or an update can be reused.
	if err := tx.Update(tbl, []int64{ids["9"]}, uRecord(uRow{9, 6, "q"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Delete(tbl, []int64{ids["1"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(tbl, uRecord(uRow{12, 5, "q"}, uRow{13, 1, "y"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 10 || rows["2"] != "2|1|x" || rows["13"] != "13|1|y" || rows["9"] != "9|6|q" || rows["12"] != "12|5|q" {
		t.Fatalf("rows %v", rows)
	}

	// After a flush the committed keys come from Parquet segments.
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	tx2 := s.Begin()
	defer tx2.Rollback()
	wantUnique(t, tx2.Insert(tbl, uRecord(uRow{20, 6, "q"})), abViolation, "Key (a, b)=(6, q) already exists.")
	if err := tx2.Insert(tbl, uRecord(uRow{20, 6, "r"}, uRow{21, nil, "q"})); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueIndexOnSeveralTypes(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := allTypesTable("all")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, allTypesRecord(tbl, 0, 20))
	tx := s.Begin()
	defer tx.Rollback()
	cols := []string{"b", "i2", "f8", "n15", "vc", "by", "ts", "iv", "u", "vn"}
	if err := tx.CreateIndex(uniqueIndex(tbl, "all_key", cols...)); err != nil {
		t.Fatal(err)
	}
	err := tx.Insert(tbl, allTypesRecord(tbl, 4, 1)) // id 4 again, all key columns equal
	wantCode(t, err, pgerr.UniqueViolation)
	if err.Error() != `duplicate key value violates unique constraint "all_key"` {
		t.Fatalf("message %q", err.Error())
	}
	// Row 3 has NULLs in every key column, so it never conflicts.
	rec := allTypesRecord(tbl, 3, 1)
	cols0 := make([]arrow.Array, rec.NumCols())
	for i := range cols0 {
		cols0[i] = rec.Column(i)
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.Append(1000)
	cols0[0] = b.NewArray()
	if err := tx.Insert(tbl, array.NewRecordBatch(rec.Schema(), cols0, 1)); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueIndexFloatEquality(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := &catalog.Table{Schema: "public", Name: "f", Columns: []catalog.Column{{Name: "x", Type: catalog.TypeFloat8}}}
	mustCreate(t, s, tbl)
	rec := func(v float64) arrow.Record {
		b := array.NewFloat64Builder(memory.DefaultAllocator)
		b.Append(v)
		return array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil), []arrow.Array{b.NewArray()}, 1)
	}
	tx := s.Begin()
	defer tx.Rollback()
	if err := tx.CreateIndex(uniqueIndex(tbl, "f_x_key", "x")); err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	if err := tx.Insert(tbl, rec(zero)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Insert(tbl, rec(-zero*1)), pgerr.UniqueViolation) // -0 = 0 in SQL
}

func TestUniqueIndexConcurrentCommits(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := createU(t, s, "u")
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}))

	// Two transactions inserting the same new key: the second commit fails.
	a, b := s.Begin(), s.Begin()
	if err := a.Insert(tbl, uRecord(uRow{2, 2, "x2"})); err != nil {
		t.Fatal(err)
	}
	if err := b.Insert(tbl, uRecord(uRow{3, 2, "x2"})); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, b.Commit(), abViolation, "Key (a, b)=(2, x2) already exists.")

	// A transaction creating a unique index while another commits a
	// duplicate of a committed key: the index's commit fails.
	c, d := s.Begin(), s.Begin()
	if err := c.CreateIndex(uniqueIndex(tbl, "u_a_key", "a")); err != nil {
		t.Fatal(err)
	}
	if err := d.Insert(tbl, uRecord(uRow{4, 1, "other"})); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, c.Commit(), `could not create unique index "u_a_key"`, "Key (a)=(1) is duplicated.")
	if s.Snapshot().Index("public", "u_a_key") != nil {
		t.Fatal("failed index was committed")
	}
	// Nothing of the failed index is enforced.
	mustInsert(t, s, tbl, uRecord(uRow{5, 1, "third"}))

	// A unique index and a concurrent insert that does not break it both
	// commit, and the index then holds the insert's key.
	e, f := s.Begin(), s.Begin()
	if err := e.CreateIndex(uniqueIndex(tbl, "u_b_key", "b")); err != nil {
		t.Fatal(err)
	}
	if err := f.Insert(tbl, uRecord(uRow{6, 9, "fresh"})); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := e.Commit(); err != nil {
		t.Fatal(err)
	}
	g := s.Begin()
	defer g.Rollback()
	wantUnique(t, g.Insert(tbl, uRecord(uRow{7, 10, "fresh"})), `duplicate key value violates unique constraint "u_b_key"`, "Key (b)=(fresh) already exists.")
}

func TestCreateUniqueIndexOverDuplicates(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := uTable("u")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}, uRow{2, 1, "y"}, uRow{3, nil, "z"}, uRow{4, nil, "z"}))

	tx := s.Begin()
	defer tx.Rollback()
	wantCode(t, tx.CreateIndex(uniqueIndex(tbl, "u_c_key", "c")), pgerr.UndefinedColumn)
	wantUnique(t, tx.CreateIndex(uniqueIndex(tbl, "u_a_key", "a")), `could not create unique index "u_a_key"`, "Key (a)=(1) is duplicated.")
	if tx.Snapshot().Index("public", "u_a_key") != nil {
		t.Fatal("failed index recorded")
	}
	// (a, b) has no duplicate since NULLs are distinct; b has z twice.
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_a_b_key", "a", "b")); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.CreateIndex(uniqueIndex(tbl, "u_b_key", "b")), `could not create unique index "u_b_key"`, "Key (b)=(z) is duplicated.")
	// The transaction's own rows count too.
	if err := tx.Insert(tbl, uRecord(uRow{5, 7, "w"}, uRow{6, 7, "v"})); err != nil {
		t.Fatal(err)
	}
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	if err := tx.Delete(tbl, []int64{ids["2"]}); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.CreateIndex(uniqueIndex(tbl, "u_a_key", "a")), `could not create unique index "u_a_key"`, "Key (a)=(7) is duplicated.")
	if err := tx.Delete(tbl, []int64{ids["6"]}); err != nil {
		t.Fatal(err)
	}
	// With the duplicates deleted by this transaction the index is fine,
	// enforced at once and after commit.
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_a_key", "a")); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx.Insert(tbl, uRecord(uRow{8, 1, "new"})), `duplicate key value violates unique constraint "u_a_key"`, "Key (a)=(1) already exists.")
	if err := tx.Insert(tbl, uRecord(uRow{8, 2, "y"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx2 := s.Begin()
	defer tx2.Rollback()
	wantUnique(t, tx2.Insert(tbl, uRecord(uRow{9, 2, "q"})), `duplicate key value violates unique constraint "u_a_key"`, "Key (a)=(2) already exists.")
	if err := tx2.Insert(tbl, uRecord(uRow{9, nil, "q"})); err != nil {
		t.Fatal(err)
	}

	// A table created in the transaction, with duplicate rows of its own.
	tx3 := s.Begin()
	defer tx3.Rollback()
	t2 := uTable("v")
	if err := tx3.CreateTable(t2); err != nil {
		t.Fatal(err)
	}
	if err := tx3.Insert(t2, uRecord(uRow{1, 3, "a"}, uRow{2, 3, "a"})); err != nil {
		t.Fatal(err)
	}
	wantUnique(t, tx3.CreateIndex(uniqueIndex(t2, "v_a_b_key", "a", "b")), `could not create unique index "v_a_b_key"`, "Key (a, b)=(3, a) is duplicated.")
}

func TestUniqueIndexDropAndRollback(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := createU(t, s, "u")
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}))

	// Rolling back the creation of an index leaves nothing enforced.
	tx := s.Begin()
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_b_key", "b")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx.Insert(tbl, uRecord(uRow{2, 2, "x"})), pgerr.UniqueViolation)
	tx.Rollback()
	mustInsert(t, s, tbl, uRecord(uRow{2, 2, "x"}))

	// DROP INDEX ends the enforcement, in the dropping transaction and
	// after it.
	tx = s.Begin()
	if err := tx.DropIndex("public", "u_a_b_key"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(tbl, uRecord(uRow{3, 1, "x"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, uRecord(uRow{4, 1, "x"}))

	// DROP TABLE drops its indexes: the same names can be used again, and
	// the new index knows nothing of the old rows.
	tx = s.Begin()
	if err := tx.CreateIndex(uniqueIndex(tbl, "u_id_b_key", "id", "b")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tx = s.Begin()
	if err := tx.DropTable("public", "u"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if ixs := s.Snapshot().Indexes("public"); len(ixs) != 0 {
		t.Fatalf("indexes left: %v", ixs)
	}
	t2 := createU(t, s, "u")
	tx = s.Begin()
	if err := tx.CreateIndex(uniqueIndex(t2, "u_id_b_key", "id", "b")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, t2, uRecord(uRow{1, 1, "x"}))
	tx = s.Begin()
	defer tx.Rollback()
	wantUnique(t, tx.Insert(t2, uRecord(uRow{2, 1, "x"})), abViolation, "Key (a, b)=(1, x) already exists.")

	// Dropping and recreating in one transaction.
	tx2 := s.Begin()
	defer tx2.Rollback()
	if err := tx2.DropTable("public", "u"); err != nil {
		t.Fatal(err)
	}
	t3 := uTable("u")
	if err := tx2.CreateTable(t3); err != nil {
		t.Fatal(err)
	}
	if err := tx2.CreateIndex(uniqueIndex(t3, "u_a_b_key", "a", "b")); err != nil {
		t.Fatal(err)
	}
	if err := tx2.Insert(t3, uRecord(uRow{1, 1, "x"})); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tx2.Insert(t3, uRecord(uRow{2, 1, "x"})), pgerr.UniqueViolation)
	if err := tx2.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueIndexAfterRestart(t *testing.T) {
	for _, crash := range []bool{false, true} {
		dir := t.TempDir()
		s := openTest(t, dir, Options{})
		tbl := createU(t, s, "u")
		mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}, uRow{2, nil, "x"}))
		if crash {
			s.crash()
		} else if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = openTest(t, dir, Options{})
		tbl = s.Snapshot().Table("public", "u")
		tx := s.Begin()
		wantUnique(t, tx.Insert(tbl, uRecord(uRow{3, 1, "x"})), abViolation, "Key (a, b)=(1, x) already exists.")
		if err := tx.Insert(tbl, uRecord(uRow{3, nil, "x"}, uRow{4, 1, "y"})); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		// The writer's check at commit, with an index built after reopening.
		a, b := s.Begin(), s.Begin()
		a.Insert(tbl, uRecord(uRow{5, 5, "z"}))
		b.Insert(tbl, uRecord(uRow{6, 5, "z"}))
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, b.Commit(), pgerr.UniqueViolation)
		s.Close()
	}
}

// BenchmarkInsertWithKeys inserts 64k-row batches into a table with a
// primary key and a unique index over (a, b).
func BenchmarkInsertWithKeys(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := uTable("u")
	tx := s.Begin()
	tx.CreateTable(tbl)
	tx.CreateIndex(uniqueIndex(tbl, "u_a_b_key", "a", "b"))
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	const n = 64 * 1024
	rows := make([]uRow, n)
	next := 0
	b.ResetTimer()
	for range b.N {
		for i := range rows {
			rows[i] = uRow{int64(next), next % 1000, "v" + strconv.Itoa(next)}
			next++
		}
		b.StopTimer()
		rec := uRecord(rows...)
		b.StartTimer()
		mustInsert(b, s, tbl, rec)
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkInsertKeyAmongFlushed commits single-row inserts whose primary
// keys fall among a million flushed keys, so each one is looked up in the
// segments (by their bounds, bloom filters and page indexes), not in the
// unflushed tail.
func BenchmarkInsertKeyAmongFlushed(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := uTable("u")
	tx := s.Begin()
	tx.CreateTable(tbl)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	const n, batch = 1 << 20, 64 * 1024
	rows := make([]uRow, batch)
	for i := 0; i < n; i += batch {
		for j := range rows {
			rows[j] = uRow{int64(2 * (i + j)), nil, "v"}
		}
		mustInsert(b, s, tbl, uRecord(rows...))
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		mustInsert(b, s, tbl, uRecord(uRow{int64(2*((i*7919)%n) + 1), nil, "w"}))
	}
}
