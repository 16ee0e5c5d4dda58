package storage

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
)

// dictRow is one generated row of dictTable, as Go values.
type dictRow struct {
	id       int64
	mode     string
	modeNull bool
	note     string
	noteNull bool
	b        []byte
	v        int32
}

func dictTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "dt",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "mode", Type: catalog.TypeText},
			{Name: "note", Type: catalog.VarcharType(20)},
			{Name: "b", Type: catalog.TypeBytea},
			{Name: "v", Type: catalog.TypeInt4},
		},
		PrimaryKey: []int{0},
	}
}

var dictModes = []string{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"}

// dictRows generates rows [from, from+n) for row groups of rowGroup rows:
// the first group's modes are AIR, MAIL and TRUCK, the second's all
// seven, the third's FOB, REG AIR and SHIP, so that values inside a
// group's bounds are missing from its dictionary; every 11th mode and
// every 17th note is NULL; notes are distinct.
func dictRows(from, n, rowGroup int) []dictRow {
	rows := make([]dictRow, n)
	for k := range rows {
		r := from + k
		row := &rows[k]
		row.id = int64(r)
		switch r / rowGroup {
		case 0:
			row.mode = []string{"AIR", "MAIL", "TRUCK"}[r%3]
		case 2:
			row.mode = []string{"FOB", "REG AIR", "SHIP"}[r%3]
		default:
			row.mode = dictModes[r%7]
		}
		row.modeNull = r%11 == 0
		row.note = fmt.Sprintf("note-%05d", r)
		row.noteNull = r%17 == 0
		row.b = []byte{byte(r % 5), 0xff}
		row.v = int32(r * 3)
	}
	return rows
}

func dictRecord(tbl *catalog.Table, rows []dictRow) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, tailSchemaNoRowID(tbl))
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.Int64Builder).Append(r.id)
		if r.modeNull {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.StringBuilder).Append(r.mode)
		}
		if r.noteNull {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(r.note)
		}
		b.Field(3).(*array.BinaryBuilder).Append(r.b)
		b.Field(4).(*array.Int32Builder).Append(r.v)
	}
	return b.NewRecordBatch()
}

// dictFilterStore loads n rows of dictTable in row groups of rowGroup
// rows with small pages, deletes some (some flushed to deletion vectors,
// some left in the tail) and adds tail rows; it returns the store, every
// generated row and the deleted ids.
func dictFilterStore(t *testing.T, n, rowGroup int) (*Store, *catalog.Table, []dictRow, map[int64]bool) {
	t.Helper()
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 512
	tbl := dictTable()
	all := dictRows(0, n+50, rowGroup)
	s := openTest(t, t.TempDir(), Options{RowGroupRows: rowGroup})
	t.Cleanup(func() { s.Close() })
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, dictRecord(tbl, all[:n]))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	deleted := map[int64]bool{}
	del := func(ids ...int64) {
		_, rowIDs := scanAll(t, s.Snapshot(), tbl)
		var rids []int64
		for _, id := range ids {
			rids = append(rids, rowIDs[fmt.Sprint(id)])
			deleted[id] = true
		}
		tx := s.Begin()
		if err := tx.Delete(tbl, rids); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// MAIL rows (2, 5, 1003 % 7 == 2), a row group's first and last rows.
	del(2, 5, 1002, int64(rowGroup), int64(rowGroup-1))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	del(8, 1003, int64(2*rowGroup+2)) // deleted by the tail
	mustInsert(t, s, tbl, dictRecord(tbl, all[n:]))
	return s, tbl, all, deleted
}

// dictScan scans every column of tbl with preds and returns the rows by
// id, checking each returned row's values against all.
func dictScan(t *testing.T, s *Store, tbl *catalog.Table, preds []Predicate, batch int, all []dictRow) (map[int64]bool, *ScanCounts) {
	t.Helper()
	r, err := s.Snapshot().Scan(tbl, []int{0, 1, 2, 3, 4}, preds)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	counts := new(ScanCounts)
	r.(CountingScan).CountInto(counts)
	if batch > 0 {
		r.(BatchSizer).SetMaxBatchRows(batch)
	}
	got := map[int64]bool{}
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return got, counts
		}
		ids := rec.Column(0).(*array.Int64).Int64Values()
		mode, note := rec.Column(1).(*array.String), rec.Column(2).(*array.String)
		b, v := rec.Column(3).(*array.Binary), rec.Column(4).(*array.Int32)
		for i, id := range ids {
			if got[id] {
				t.Fatalf("row %d returned twice", id)
			}
			got[id] = true
			w := &all[id]
			if mode.IsNull(i) != w.modeNull || !w.modeNull && mode.Value(i) != w.mode ||
				note.IsNull(i) != w.noteNull || !w.noteNull && note.Value(i) != w.note ||
				!bytes.Equal(b.Value(i), w.b) || v.Value(i) != w.v {
				t.Fatalf("row %d: got (%q %q %x %d), want %+v", id, mode.ValueStr(i), note.ValueStr(i), b.Value(i), v.Value(i), *w)
			}
		}
	}
}

// TestDictionaryFilterDifferential: scans whose predicates the column
// dictionaries decide return every live matching row with its values,
// nothing that is not live, and at most the rows the same scan returns
// without dictionary filtering; selective ones skip row groups or drop
// rows by their codes.
func TestDictionaryFilterDifferential(t *testing.T) {
	const n, rowGroup = 3000, 1000
	s, tbl, all, deleted := dictFilterStore(t, n, rowGroup)
	if pages := segmentPages(t, s, tbl, "mode"); pages < 4 {
		t.Fatalf("the mode column has %d pages per row group, want several", pages)
	}
	mode := func(r *dictRow, vs ...string) bool { return !r.modeNull && slices.Contains(vs, r.mode) }
	cases := []struct {
		name    string
		preds   []Predicate
		match   func(r *dictRow) bool
		skips   int64 // row groups the dictionaries skip
		filters bool  // rows dropped by codes
		inexact bool  // a predicate pruned only by pages
	}{
		{"eq present in some groups", []Predicate{{Column: 1, Op: Eq, Value: "MAIL"}}, func(r *dictRow) bool { return mode(r, "MAIL") }, 1, true, false},
		{"eq absent within bounds", []Predicate{{Column: 1, Op: Eq, Value: "BOAT"}}, func(r *dictRow) bool { return false }, 2, false, false},
		{"in present", []Predicate{{Column: 1, Op: In, Values: []catalog.Datum{"MAIL", "SHIP"}}}, func(r *dictRow) bool { return mode(r, "MAIL", "SHIP") }, 0, true, false},
		{"in mixing absent and NULL", []Predicate{{Column: 1, Op: In, Values: []catalog.Datum{"BOAT", nil, "RAIL"}}},
			func(r *dictRow) bool { return mode(r, "RAIL") }, 2, true, false},
		{"prefix range", []Predicate{{Column: 1, Op: Ge, Value: "R"}, {Column: 1, Op: Lt, Value: "S"}},
			func(r *dictRow) bool { return mode(r, "RAIL", "REG AIR") }, 1, true, false},
		{"lt", []Predicate{{Column: 1, Op: Lt, Value: "FOB"}}, func(r *dictRow) bool { return mode(r, "AIR") }, 0, true, false},
		{"le gt", []Predicate{{Column: 1, Op: Le, Value: "MAIL"}, {Column: 1, Op: Gt, Value: "AIR"}},
			func(r *dictRow) bool { return mode(r, "FOB", "MAIL") }, 0, true, false},
		{"distinct values eq", []Predicate{{Column: 2, Op: Eq, Value: "note-01234"}}, func(r *dictRow) bool { return !r.noteNull && r.note == "note-01234" }, 0, true, false},
		{"eq value deleted by deletion vector", []Predicate{{Column: 2, Op: Eq, Value: "note-01002"}}, func(r *dictRow) bool { return false }, 0, true, false},
		{"eq value deleted by the tail", []Predicate{{Column: 2, Op: Eq, Value: "note-02002"}}, func(r *dictRow) bool { return false }, 0, true, false},
		{"eq value of a NULL row", []Predicate{{Column: 2, Op: Eq, Value: "note-01003"}}, func(r *dictRow) bool { return false }, 1, false, false},
		{"tail value", []Predicate{{Column: 2, Op: Eq, Value: "note-03010"}}, func(r *dictRow) bool { return r.id == 3010 }, 0, false, false},
		{"key and code", []Predicate{{Column: 0, Op: Ge, Value: int64(1100)}, {Column: 0, Op: Lt, Value: int64(1300)}, {Column: 1, Op: Eq, Value: "MAIL"}},
			func(r *dictRow) bool { return r.id >= 1100 && r.id < 1300 && mode(r, "MAIL") }, 0, true, true},
		{"key past the group's first pages and code", []Predicate{{Column: 0, Op: Ge, Value: int64(1600)}, {Column: 0, Op: Lt, Value: int64(1800)}, {Column: 1, Op: Eq, Value: "MAIL"}},
			func(r *dictRow) bool { return r.id >= 1600 && r.id < 1800 && mode(r, "MAIL") }, 0, true, true},
		{"key eq and code", []Predicate{{Column: 0, Op: Eq, Value: int64(1101)}, {Column: 1, Op: In, Values: []catalog.Datum{"MAIL", "SHIP"}}},
			func(r *dictRow) bool { return r.id == 1101 }, 0, false, false},
		{"two columns", []Predicate{{Column: 1, Op: Eq, Value: "MAIL"}, {Column: 2, Op: Ge, Value: "note-00500"}, {Column: 2, Op: Lt, Value: "note-00700"}},
			func(r *dictRow) bool {
				return mode(r, "MAIL") && !r.noteNull && r.note >= "note-00500" && r.note < "note-00700"
			}, 0, true, false},
		{"bytea eq", []Predicate{{Column: 3, Op: Eq, Value: []byte{2, 0xff}}}, func(r *dictRow) bool { return bytes.Equal(r.b, []byte{2, 0xff}) }, 0, true, false},
		{"most rows match: codes give up", []Predicate{{Column: 1, Op: Ge, Value: "B"}}, func(r *dictRow) bool { return !r.modeNull && r.mode >= "B" }, 0, false, false},
		{"is null is not decided", []Predicate{{Column: 1, Op: IsNull}}, func(r *dictRow) bool { return r.modeNull }, 0, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, batch := range []int{0, 1, 7} {
				s.opts.NoDictionaryFilter = true
				plain, _ := dictScan(t, s, tbl, c.preds, batch, all)
				s.opts.NoDictionaryFilter = false
				got, counts := dictScan(t, s, tbl, c.preds, batch, all)
				for _, r := range all {
					if !c.match(&r) || deleted[r.id] {
						continue
					}
					if !got[r.id] || !plain[r.id] {
						t.Errorf("batch %d: row %d matches but a scan lost it (filtered %v, unfiltered %v)", batch, r.id, got[r.id], plain[r.id])
					}
				}
				for id := range got {
					if deleted[id] || !plain[id] {
						t.Errorf("batch %d: the filtered scan returned row %d, which is deleted or not returned unfiltered", batch, id)
					}
				}
				if g := counts.RowGroupsDictionarySkipped.Load(); g != c.skips {
					t.Errorf("batch %d: dictionaries skipped %d row groups, want %d (%+v)", batch, g, c.skips, counts)
				}
				if f := counts.RowsDictionaryFiltered.Load(); (f > 0) != c.filters {
					t.Errorf("batch %d: codes dropped %d rows", batch, f)
				}
				if c.filters && !c.inexact {
					// Rows of segments that fail the predicate are dropped.
					for id := range got {
						if id < n && !c.match(&all[id]) {
							t.Errorf("batch %d: the filtered scan returned row %d, which fails the predicate", batch, id)
							break
						}
					}
				}
			}
		})
	}
}

// TestDictionaryFilterPlainFallback: a chunk whose dictionary outgrew the
// writer's limit has plain pages after its dictionary ones; the
// dictionary decides nothing there (its values are not all the chunk's),
// while the chunks still wholly dictionary encoded filter.
func TestDictionaryFilterPlainFallback(t *testing.T) {
	const n, rowGroup = 3000, 1000
	s, tbl, all, deleted := dictFilterStore(t, n, rowGroup)
	// Rewrite the segment with a dictionary limit the notes outgrow.
	ts := s.Snapshot().tableState(tbl)
	if len(ts.manifest.Segments) != 1 {
		t.Fatalf("%d segments", len(ts.manifest.Segments))
	}
	rewriteWithDictionaryLimit(t, localFile(t, s, ts, ts.manifest.Segments[0].File), 200)
	s.files.forget(func(string) bool { return true })

	sf, err := s.files.open(tableFile(ts.prefix, ts.manifest.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	md := sf.pf.Metadata()
	noteLeaf, modeLeaf := sf.leaves["note"], sf.leaves["mode"]
	for g := range md.RowGroups {
		if allDictionaryPages(&md.RowGroups[g].Columns[noteLeaf].MetaData) {
			t.Errorf("row group %d: the notes' chunk reads as all dictionary encoded", g)
		}
		if !allDictionaryPages(&md.RowGroups[g].Columns[modeLeaf].MetaData) {
			t.Errorf("row group %d: the modes' chunk does not read as all dictionary encoded", g)
		}
	}
	// Should the statistics lie, the pass over the codes gives up at the
	// first plain page.
	chunk := sf.pf.RowGroups()[0].ColumnChunks()[noteLeaf].(*parquet.FileColumnChunk)
	preds := preparePredicates(tbl, []Predicate{{Column: 2, Op: Eq, Value: "note-00003"}})
	match, err := readDictionaryMatches(chunk, &md.RowGroups[0].Columns[noteLeaf].MetaData, sf.reader(nil), nil, &preds[0])
	if err != nil || !slices.Contains(match, true) {
		t.Fatalf("dictionary of the notes: %v, %v", match, err)
	}
	rr := rowGroupReader{pf: sf.pf, file: sf.reader(nil), rg: sf.pf.RowGroups()[0]}
	ok, err := rr.selectByCodes(&dictionaryFilter{leaf: noteLeaf, t: tbl.Columns[2].Type, match: match})
	if ok || err != nil || rr.ranges != nil || rr.selected != nil {
		t.Errorf("codes of a chunk with plain pages selected rows: %v %v %v", ok, err, rr.ranges)
	}
	rr.release()
	sf.release()

	cases := []struct {
		preds []Predicate
		match func(r *dictRow) bool
	}{
		{[]Predicate{{Column: 2, Op: Eq, Value: "note-00003"}}, func(r *dictRow) bool { return r.id == 3 }},    // in a dictionary page
		{[]Predicate{{Column: 2, Op: Eq, Value: "note-01900"}}, func(r *dictRow) bool { return r.id == 1900 }}, // in a plain page
		{[]Predicate{{Column: 2, Op: In, Values: []catalog.Datum{"note-00004", "note-02500", "note-09999"}}}, func(r *dictRow) bool { return r.id == 4 || r.id == 2500 }},
		{[]Predicate{{Column: 2, Op: Ge, Value: "note-00990"}, {Column: 2, Op: Lt, Value: "note-01010"}}, func(r *dictRow) bool {
			return !r.noteNull && r.note >= "note-00990" && r.note < "note-01010"
		}},
	}
	for i, c := range cases {
		got, counts := dictScan(t, s, tbl, c.preds, 0, all)
		for _, r := range all {
			if c.match(&r) && !deleted[r.id] && !got[r.id] {
				t.Errorf("case %d: row %d lost", i, r.id)
			}
		}
		if d := counts.RowGroupsDictionarySkipped.Load() + counts.RowsDictionaryFiltered.Load(); d != 0 {
			t.Errorf("case %d: a fallen-back chunk was filtered by its dictionary: %+v", i, counts)
		}
	}
	got, counts := dictScan(t, s, tbl, []Predicate{{Column: 1, Op: Eq, Value: "MAIL"}}, 0, all)
	for _, r := range all {
		if !r.modeNull && r.mode == "MAIL" && !deleted[r.id] && !got[r.id] {
			t.Errorf("MAIL row %d lost", r.id)
		}
	}
	if counts.RowsDictionaryFiltered.Load() == 0 {
		t.Errorf("the modes' dictionaries filtered nothing: %+v", counts)
	}
}

// rewriteWithDictionaryLimit writes the Parquet file at path again, row
// group by row group, with dictionaries limited to limit bytes.
func rewriteWithDictionaryLimit(t *testing.T, path string, limit int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	// The file's columns stay required where they are (requireWhereNoNull).
	tbl := dictTable()
	optional := make([]bool, len(tbl.Columns))
	for i, c := range tbl.Columns {
		leaf, ok := pf.Schema().Lookup(c.Name)
		optional[i] = !ok || !leaf.Node.Required()
	}
	var out bytes.Buffer
	w := parquet.NewWriter(&out, encodedSegmentSchema(tbl, nil, optional), parquet.DictionaryMaxBytes(limit), parquet.PageBufferSize(256))
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		buf := make([]parquet.Row, 64)
		for {
			k, err := rows.ReadRows(buf)
			if k > 0 {
				if _, err := w.WriteRows(buf[:k]); err != nil {
					t.Fatal(err)
				}
			}
			if err != nil {
				break
			}
		}
		rows.Close()
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDictionaryFilterPagesWithoutNulls: pages of a nullable column that
// hold no NULL take the selection without a branch per row, their short
// values copied 16 bytes at a time, a long one's the plain way; scans
// whose predicates the dictionaries decide return the same rows, with
// the same values, as the same scans without dictionary filtering,
// whole and within key ranges that start and end inside pages.
func TestDictionaryFilterPagesWithoutNulls(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 512
	tbl := dictTable()
	modes := append(slices.Clone(dictModes), "A MODE LONGER THAN SIXTEEN BYTES")
	const n, rowGroup = 3000, 1000
	rows := make([]dictRow, n)
	for r := range rows {
		rows[r] = dictRow{id: int64(r), mode: modes[(r*5+r/13)%len(modes)], note: fmt.Sprintf("note-%05d", r), b: []byte{1}, v: int32(r)}
	}
	s := openTest(t, t.TempDir(), Options{RowGroupRows: rowGroup})
	defer s.Close()
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, dictRecord(tbl, rows))
	must(t, s.Checkpoint())
	scan := func(preds []Predicate, filter bool) map[int64]string {
		t.Helper()
		s.opts.NoDictionaryFilter = !filter
		defer func() { s.opts.NoDictionaryFilter = false }()
		r, err := s.Snapshot().Scan(tbl, []int{0, 1}, preds)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		got := map[int64]string{}
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				return got
			}
			ids, m := rec.Column(0).(*array.Int64), rec.Column(1).(*array.String)
			for i := range int(rec.NumRows()) {
				got[ids.Value(i)] = m.Value(i)
			}
		}
	}
	in := func(vs ...string) func(string) bool { return func(m string) bool { return slices.Contains(vs, m) } }
	for _, c := range []struct {
		preds []Predicate
		mode  func(string) bool    // the predicate on the mode
		match func(r dictRow) bool // the whole predicate
	}{
		{[]Predicate{{Column: 1, Op: Eq, Value: "MAIL"}}, in("MAIL"), nil},
		{[]Predicate{{Column: 1, Op: In, Values: []catalog.Datum{"SHIP", "AIR"}}}, in("SHIP", "AIR"), nil},
		{[]Predicate{{Column: 1, Op: In, Values: []catalog.Datum{"RAIL", modes[len(modes)-1]}}}, in("RAIL", modes[len(modes)-1]), nil},
		{[]Predicate{{Column: 0, Op: Ge, Value: int64(1037)}, {Column: 0, Op: Lt, Value: int64(2411)}, {Column: 1, Op: Eq, Value: "TRUCK"}},
			in("TRUCK"), func(r dictRow) bool { return r.id >= 1037 && r.id < 2411 }},
		// Equalities on the key narrow the rows to single rows (every
		// seventh, then runs of three), many to each of the modes' pages.
		{[]Predicate{{Column: 0, Op: In, Values: selectedKeys()}, {Column: 1, Op: In, Values: []catalog.Datum{"MAIL", "FOB"}}},
			in("MAIL", "FOB"), func(r dictRow) bool { return selectedKey(r.id) }},
		// The notes' codes narrow the rows to one range.
		{[]Predicate{{Column: 2, Op: Ge, Value: "note-00500"}, {Column: 2, Op: Lt, Value: "note-00700"}, {Column: 1, Op: Eq, Value: "MAIL"}},
			in("MAIL"), func(r dictRow) bool { return r.note >= "note-00500" && r.note < "note-00700" }},
	} {
		// Without the dictionaries the scan's predicates only prune: it
		// returns a superset, which the executor filters.
		plain, got := scan(c.preds, false), scan(c.preds, true)
		matched := 0
		for _, r := range rows {
			if !c.mode(r.mode) || c.match != nil && !c.match(r) {
				continue
			}
			matched++
			if got[r.id] != r.mode || plain[r.id] != r.mode {
				t.Fatalf("%v: row %d %q: %q filtered by codes, %q without", c.preds, r.id, r.mode, got[r.id], plain[r.id])
			}
		}
		if matched == 0 {
			t.Fatalf("%v: no row matches", c.preds)
		}
		// The codes drop every row whose mode fails (fewer than half
		// pass); a key range prunes by pages only.
		for id, m := range got {
			if r := rows[id]; m != r.mode || !c.mode(r.mode) {
				t.Fatalf("%v: row %d %q returned as %q", c.preds, id, r.mode, m)
			}
		}
	}
}

// selectedKey tells the ids of selectedKeys: every seventh below 1500, then
// runs of three every ten up to 2900.
func selectedKey(id int64) bool {
	return id < 1500 && id%7 == 0 || id >= 1500 && id < 2900 && id%10 < 3
}

// selectedKeys is the ids selectedKey tells, as In values.
func selectedKeys() []catalog.Datum {
	var out []catalog.Datum
	for id := int64(0); id < 3000; id++ {
		if selectedKey(id) {
			out = append(out, id)
		}
	}
	return out
}
