package storage

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// noCompaction is the options of tests that compact by hand.
// noCompaction turns background compaction off; segments of fewer than
// 16 rows (4 row groups of the tests' 4 rows) are small, as the tests of
// merging expect.
var noCompaction = CompactionPolicy{Disabled: true, SmallRows: 16}

func mustDelete(t testing.TB, s *Store, tbl *catalog.Table, ids ...int64) {
	t.Helper()
	tx := s.Begin()
	if err := tx.Delete(tbl, ids); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func mustCheckpoint(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
}

func currentManifest(s *Store, tbl *catalog.Table) *Manifest {
	return s.Snapshot().tableState(tbl).manifest
}

// segmentColumnInt64 reads column name (an int8 column) of a segment file
// in position order.
func segmentColumnInt64(t testing.TB, s *Store, tbl *catalog.Table, seg *Segment, name string) []int64 {
	t.Helper()
	ts := s.Snapshot().tableState(tbl)
	sf, err := s.files.open(tableFile(ts.prefix, seg.File))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.release()
	var out []int64
	for _, rg := range sf.pf.RowGroups() {
		arr, err := readColumn(rg, sf.leaves[name], catalog.TypeInt8)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, arr.(*array.Int64).Int64Values()...)
		arr.Release()
	}
	return out
}

func TestDeletionVectorEncoding(t *testing.T) {
	for _, positions := range [][]uint32{nil, {0}, {3, 4, 5, 70000, 1 << 31}} {
		bm := roaring.BitmapOf(positions...)
		data, err := encodeDeletionVector(bm)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(data[4:8]); got != string(deletionVectorMagic[:]) {
			t.Fatalf("magic %x", got)
		}
		back, err := decodeDeletionVector(data)
		if err != nil {
			t.Fatalf("%v: %v", positions, err)
		}
		if !back.Equals(bm) {
			t.Fatalf("round trip of %v gave %v", positions, back.ToArray())
		}
		// A flipped bit anywhere is caught by the checksum or the framing.
		for i := range data {
			bad := slices.Clone(data)
			bad[i] ^= 0x10
			if _, err := decodeDeletionVector(bad); err == nil {
				t.Fatalf("%v: corrupting byte %d went unnoticed", positions, i)
			}
		}
		if _, err := decodeDeletionVector(data[:len(data)-1]); err == nil {
			t.Fatal("truncated vector accepted")
		}
	}
}

func TestLiveSelection(t *testing.T) {
	bm := roaring.BitmapOf(0, 3, 4, 9, 10, 15)
	cases := []struct {
		start int64
		n     int
		want  []int32
	}{
		{0, 5, []int32{1, 2}},
		{5, 4, nil}, // 5..8: none deleted
		{5, 5, []int32{0, 1, 2, 3}},
		{9, 2, []int32{}},
		{10, 6, []int32{1, 2, 3, 4}},
		{16, 3, nil},
	}
	for _, c := range cases {
		got := liveSelection(bm, c.start, c.n)
		if (got == nil) != (c.want == nil) || !slices.Equal(got, c.want) {
			t.Errorf("liveSelection(%d, %d) = %v, want %v", c.start, c.n, got, c.want)
		}
	}
}

// TestDeletionVectorsAcrossRestart deletes rows of flushed segments at row
// group boundaries and checks the vectors' files, the counts, and the
// rows before and after a restart.
func TestDeletionVectorsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{RowGroupRows: 4, Compaction: noCompaction})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(12, 0, "a"))
	mustCheckpoint(t, s)
	mustInsert(t, s, tbl, kvRows(5, 100, "b"))
	mustCheckpoint(t, s)
	rows, ids := scanAll(t, s.Snapshot(), tbl)
	// Row group boundaries of the first segment: 3|4, 7|8, and its last row.
	for _, k := range []string{"3", "4", "7", "8", "11", "100"} {
		mustDelete(t, s, tbl, ids[k])
		delete(rows, k)
	}
	mustCheckpoint(t, s)
	m := currentManifest(s, tbl)
	if len(m.Segments) != 2 || m.Segments[0].DeletedRows != 5 || m.Segments[1].DeletedRows != 1 {
		t.Fatalf("segments %+v", m.Segments)
	}
	first := m.Segments[0].DeletesFile
	// Named after the segment and the manifest version, then a unique tag.
	if stem := strings.TrimSuffix(filepath.Base(m.Segments[0].File), ".parquet"); !strings.HasPrefix(first, filepath.Join("deletes", stem+"-"+fmt.Sprint(m.Version)+"-")) || !strings.HasSuffix(first, ".roaring") {
		t.Fatalf("deletes file %q of segment %q in version %d", first, m.Segments[0].File, m.Version)
	}
	if n := s.Snapshot().EstimatedRows(tbl); n != 11 {
		t.Fatalf("EstimatedRows %d, want 11", n)
	}
	// Another deletion in the second segment only: the first keeps its file.
	mustDelete(t, s, tbl, ids["101"])
	delete(rows, "101")
	mustCheckpoint(t, s)
	m = currentManifest(s, tbl)
	if m.Segments[0].DeletesFile != first || m.Segments[1].DeletedRows != 2 {
		t.Fatalf("after a second flush: %+v %+v", m.Segments[0], m.Segments[1])
	}
	// A deletion still in the tail applies too.
	mustDelete(t, s, tbl, ids["0"])
	delete(rows, "0")
	got, _ := scanAll(t, s.Snapshot(), tbl)
	if !equalRows(got, rows) {
		t.Fatalf("before restart: %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
	}
	s.crash()
	s = openTest(t, dir, Options{RowGroupRows: 4, Compaction: noCompaction})
	defer s.Close()
	got, _ = scanAll(t, s.Snapshot(), tbl)
	if !equalRows(got, rows) {
		t.Fatalf("after restart: %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
	}
	data, err := os.ReadFile(localFile(t, s, s.Snapshot().tableState(tbl), manifestDir+"/"+fmt.Sprintf(manifestPattern, m.Version)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"deleted"`) {
		t.Fatalf("manifest still written in the legacy form: %s", data)
	}
}

func equalRows(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestLegacyDeletedListReads opens a manifest in the form written before
// deletion vectors (a "deleted" list of row ids) and checks it reads, and
// that the next flush rewrites it as a deletion vector.
func TestLegacyDeletedListReads(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 4, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 0, "a"))
	mustCheckpoint(t, s)
	rows, ids := scanAll(t, s.Snapshot(), tbl)
	tdir := localFile(t, s, s.Snapshot().tableState(tbl), "")
	s.Close()

	// Rewrite the current manifest as a legacy one deleting k=2, 4 and 9.
	mdir := filepath.Join(tdir, manifestDir)
	ptr, err := os.ReadFile(filepath.Join(mdir, currentPointer))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(mdir, strings.TrimSpace(string(ptr)))
	var raw map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	seg := raw["segments"].([]any)[0].(map[string]any)
	seg["deleted"] = []int64{ids["2"], ids["4"], ids["9"]}
	for _, k := range []string{"2", "4", "9"} {
		delete(rows, k)
	}
	data, _ = json.Marshal(raw)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, opts)
	if got, _ := scanAll(t, s.Snapshot(), tbl); !equalRows(got, rows) {
		t.Fatalf("legacy manifest: %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
	}
	if n := s.Snapshot().EstimatedRows(tbl); n != 7 {
		t.Fatalf("EstimatedRows %d, want 7", n)
	}
	// A flush with only an insert still converts the legacy list.
	mustInsert(t, s, tbl, kvRows(2, 50, "b"))
	rows["50"], rows["51"] = "50|b", "51|b"
	mustCheckpoint(t, s)
	m := currentManifest(s, tbl)
	if m.Segments[0].DeletesFile == "" || m.Segments[0].LegacyDeleted != nil || m.Segments[0].DeletedRows != 3 {
		t.Fatalf("legacy segment not converted: %+v", m.Segments[0])
	}
	s.Close()
	s = openTest(t, dir, opts)
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); !equalRows(got, rows) {
		t.Fatalf("after conversion: %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
	}
}

// smallSegments makes n segments of per rows each, keys descending across
// segments (so the merged output must be sorted), and deletes every
// seventh row. It returns the live rows and all row ids by key.
func smallSegments(t testing.TB, s *Store, tbl *catalog.Table, n, per int) (map[string]string, map[string]int64) {
	t.Helper()
	for i := n - 1; i >= 0; i-- {
		mustInsert(t, s, tbl, kvRows(per, int64(i*per), fmt.Sprint("s", i)))
		mustCheckpoint(t, s)
	}
	rows, ids := scanAll(t, s.Snapshot(), tbl)
	var dead []int64
	for k, id := range ids {
		var key int
		fmt.Sscan(k, &key)
		if key%7 == 3 {
			dead = append(dead, id)
			delete(rows, k)
		}
	}
	mustDelete(t, s, tbl, dead...)
	mustCheckpoint(t, s)
	return rows, ids
}

func TestCompactMergesSmallSegments(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 4, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	rows, ids := smallSegments(t, s, tbl, 10, 5)
	before := currentManifest(s, tbl)
	if len(before.Segments) != 10 {
		t.Fatalf("%d segments", len(before.Segments))
	}
	oldSnap := s.Snapshot()

	res, err := s.Compact("public", "kv", CompactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after := currentManifest(s, tbl)
	// 43 live rows, at most 32 (8 row groups) per output.
	if res.SegmentsBefore != 10 || res.SegmentsAfter != 2 || len(after.Segments) != 2 || res.LiveRows != 43 || res.DeletedRowsRemoved != 7 {
		t.Fatalf("result %+v, %d segments", res, len(after.Segments))
	}
	if after.FlushedSeq != before.FlushedSeq || after.Version != before.Version+1 {
		t.Fatalf("version %d flushed %d, was %d %d", after.Version, after.FlushedSeq, before.Version, before.FlushedSeq)
	}
	got, gotIDs := scanAll(t, s.Snapshot(), tbl)
	if !equalRows(got, rows) {
		t.Fatalf("rows changed: %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
	}
	for k, id := range gotIDs {
		if ids[k] != id {
			t.Fatalf("row %s moved from id %d to %d", k, ids[k], id)
		}
	}
	for _, seg := range after.Segments {
		keys := segmentColumnInt64(t, s, tbl, seg, "k")
		if !slices.IsSorted(keys) || seg.DeletedRows != 0 || int64(len(keys)) != seg.Rows {
			t.Fatalf("output %s: keys %v, %d deleted", seg.File, keys, seg.DeletedRows)
		}
	}
	// The old snapshot still reads its files, which compaction keeps.
	if old, _ := scanAll(t, oldSnap, tbl); !equalRows(old, rows) {
		t.Fatal("old snapshot changed")
	}
	for _, seg := range before.Segments {
		if _, err := os.Stat(localFile(t, s, oldSnap.tableState(tbl), seg.File)); err != nil {
			t.Fatalf("input removed: %v", err)
		}
	}
	if st := s.Stats(); st.Compactions != 1 || st.SegmentsMerged != 10 {
		t.Fatalf("stats %+v", st)
	}
	// Nothing left to merge: no new version.
	if res, err := s.Compact("public", "kv", CompactOptions{}); err != nil || res.Inputs != 0 {
		t.Fatalf("second compaction %+v %v", res, err)
	}
	// VACUUM FULL rewrites even large segments.
	if res, err := s.Compact("public", "kv", CompactOptions{Full: true}); err != nil || res.Inputs != 2 {
		t.Fatalf("full compaction %+v %v", res, err)
	}
	s.Close()
	s = openTest(t, dir, opts)
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); !equalRows(got, rows) {
		t.Fatal("rows changed after restart")
	}
	wantCode(t, func() error { _, err := s.Compact("public", "nope", CompactOptions{}); return err }(), "42P01")
}

// TestCompactRebasesOverConcurrentFlushes pauses a compaction between its
// merge and its swap, and meanwhile deletes rows of its inputs (flushed
// into new deletion vectors, and some left in the tail), updates rows,
// and flushes new segments.
func TestCompactRebasesOverConcurrentFlushes(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 4, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	rows, ids := smallSegments(t, s, tbl, 6, 6)

	paused, resume := make(chan struct{}), make(chan struct{})
	s.compactor.beforeSwap = func(int64) {
		close(paused)
		<-resume
	}
	type result struct {
		res CompactResult
		err error
	}
	done := make(chan result)
	go func() {
		res, err := s.Compact("public", "kv", CompactOptions{})
		done <- result{res, err}
	}()
	<-paused
	// The writer is free while the compaction waits: commit and flush.
	mustDelete(t, s, tbl, ids["0"], ids["5"], ids["35"]) // row group edges of inputs
	for _, k := range []string{"0", "5", "35"} {
		delete(rows, k)
	}
	tx := s.Begin()
	if err := tx.Update(tbl, []int64{ids["8"]}, kvRecord([]int64{8}, []string{"new"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows["8"] = "8|new"
	mustInsert(t, s, tbl, kvRows(3, 1000, "late"))
	for k := 1000; k < 1003; k++ {
		rows[fmt.Sprint(k)] = fmt.Sprint(k, "|late")
	}
	mustCheckpoint(t, s)
	mid := currentManifest(s, tbl)
	mustDelete(t, s, tbl, ids["12"]) // stays in the tail
	delete(rows, "12")
	close(resume)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	after := currentManifest(s, tbl)
	if after.FlushedSeq != mid.FlushedSeq || after.Version != mid.Version+1 {
		t.Fatalf("swap published version %d flushed %d over %d %d", after.Version, after.FlushedSeq, mid.Version, mid.FlushedSeq)
	}
	// One output, plus the segment flushed meanwhile.
	if len(after.Segments) != 2 || r.res.Outputs != 1 {
		t.Fatalf("%d segments, result %+v", len(after.Segments), r.res)
	}
	// 31 live rows merged; 0, 5, 35 and 8's old version deleted meanwhile.
	if out := after.Segments[0]; out.Rows != 31 || out.DeletedRows != 4 {
		t.Fatalf("output has %d rows, %d deleted", out.Rows, out.DeletedRows)
	}
	check := func(when string) {
		got, gotIDs := scanAll(t, s.Snapshot(), tbl)
		if !equalRows(got, rows) {
			t.Fatalf("%s: %v, want %v", when, got, rows)
		}
		for k, id := range gotIDs {
			if old, ok := ids[k]; ok && old != id {
				t.Fatalf("%s: row %s moved from id %d to %d", when, k, old, id)
			}
		}
	}
	check("after swap")
	mustCheckpoint(t, s)
	check("after flushing the tail")
	s.Close()
	s = openTest(t, dir, opts)
	defer s.Close()
	check("after restart")
}

// TestCompactObsoleteWhenTableDropped drops the table while a compaction
// waits to swap: the compaction fails and publishes nothing.
func TestCompactObsoleteWhenTableDropped(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 4, Compaction: noCompaction})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	smallSegments(t, s, tbl, 3, 3)
	s.compactor.beforeSwap = func(int64) {
		tx := s.Begin()
		if err := tx.DropTable("public", "kv"); err != nil {
			t.Error(err)
		}
		if err := tx.Commit(); err != nil {
			t.Error(err)
		}
	}
	_, err := s.Compact("public", "kv", CompactOptions{})
	wantCode(t, err, "42P01")
	if st := s.Stats(); st.Compactions != 0 || st.CompactFailures != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestSortKeyOrdersSegments checks that a flush writes rows in sort-key
// order (NULLs last, then row ids), and a compaction merges in it.
func TestSortKeyOrdersSegments(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 3, Compaction: noCompaction})
	defer s.Close()
	tbl := &catalog.Table{
		Schema:     "public",
		Name:       "sk",
		Columns:    []catalog.Column{{Name: "k", Type: catalog.TypeInt8}, {Name: "grp", Type: catalog.TypeText}},
		PrimaryKey: []int{0},
		SortKey:    []string{"grp", "k"},
	}
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRecord([]int64{1, 2, 3, 4, 5, 6, 7}, []string{"b", "NULL", "a", "c", "a", "NULL", "b"}))
	mustCheckpoint(t, s)
	mustInsert(t, s, tbl, kvRecord([]int64{8, 9, 10}, []string{"a", "NULL", "aa"}))
	mustCheckpoint(t, s)
	m := currentManifest(s, tbl)
	if got := segmentColumnInt64(t, s, tbl, m.Segments[0], "k"); !slices.Equal(got, []int64{3, 5, 1, 7, 4, 2, 6}) {
		t.Fatalf("flushed in order %v", got)
	}
	if _, err := s.Compact("public", "sk", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	m = currentManifest(s, tbl)
	if len(m.Segments) != 1 {
		t.Fatalf("%d segments", len(m.Segments))
	}
	if got := segmentColumnInt64(t, s, tbl, m.Segments[0], "k"); !slices.Equal(got, []int64{3, 5, 8, 10, 1, 7, 4, 2, 6, 9}) {
		t.Fatalf("compacted in order %v", got)
	}
	// Without a sort key the primary key orders the rows.
	pk := kvTable("pk")
	mustCreate(t, s, pk)
	mustInsert(t, s, pk, kvRecord([]int64{5, -1, 3, 9}, []string{"x", "y", "z", "w"}))
	mustCheckpoint(t, s)
	if got := segmentColumnInt64(t, s, pk, currentManifest(s, pk).Segments[0], "k"); !slices.Equal(got, []int64{-1, 3, 5, 9}) {
		t.Fatalf("primary key order %v", got)
	}
}

// TestBackgroundCompaction lets the policy compact after flushes and
// checks Close stops it cleanly.
func TestBackgroundCompaction(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 4, Compaction: CompactionPolicy{MaxSmall: 2, SmallRows: 16}}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	want := map[string]string{}
	for i := 0; i < 12; i++ {
		mustInsert(t, s, tbl, kvRows(3, int64(i*3), "x"))
		for k := i * 3; k < i*3+3; k++ {
			want[fmt.Sprint(k)] = fmt.Sprint(k, "|x")
		}
		mustCheckpoint(t, s)
		if got, _ := scanAll(t, s.Snapshot(), tbl); !equalRows(got, want) {
			t.Fatalf("round %d: rows %v", i, sortedKeysOf(got))
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Compactions == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no background compaction ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := len(currentManifest(s, tbl).Segments); n >= 12 {
		t.Fatalf("%d segments after background compaction", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, opts)
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); !equalRows(got, want) {
		t.Fatalf("after restart: rows %v", sortedKeysOf(got))
	}
}

// TestDeletionVectorsInPartitionedScans: each reader of a partitioned
// scan maps its row groups to positions in the deletion vector on its
// own, so the union of the partitions is the table's live rows.
func TestDeletionVectorsInPartitionedScans(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 3, Compaction: noCompaction})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(20, 0, "a"))
	mustCheckpoint(t, s)
	rows, ids := scanAll(t, s.Snapshot(), tbl)
	for _, k := range []string{"0", "2", "3", "8", "9", "10", "11", "19"} {
		mustDelete(t, s, tbl, ids[k])
		delete(rows, k)
	}
	mustCheckpoint(t, s)
	for _, n := range []int{1, 2, 3, 7} {
		for _, concurrent := range []bool{false, true} {
			got := partitionRows(t, s.Snapshot(), tbl, nil, n, concurrent)
			if !slices.Equal(sortedKeysOf(got), sortedKeysOf(rows)) {
				t.Fatalf("%d partitions (concurrent %v): %v, want %v", n, concurrent, sortedKeysOf(got), sortedKeysOf(rows))
			}
		}
	}
}

// TestCompactAllTypes merges segments of every column type, sorted by a
// key over one column of each sortable kind, and checks every value
// survives (the key's NULLs included).
func TestCompactAllTypes(t *testing.T) {
	for _, key := range [][]string{
		{"b", "vn", "id"}, {"t", "id"}, {"n15", "f4"}, {"u", "d"}, {"tz", "by", "o"},
		{"f8", "i2"}, {"n", "tm", "vc"}, {"i4", "n5", "ts"},
	} {
		t.Run(strings.Join(key, ","), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{RowGroupRows: 5, Compaction: noCompaction})
			defer s.Close()
			tbl := allTypesTable("all")
			tbl.SortKey = key
			mustCreate(t, s, tbl)
			for i := 0; i < 4; i++ {
				mustInsert(t, s, tbl, allTypesRecord(tbl, 40-i*10, 10))
				mustCheckpoint(t, s)
			}
			rows, ids := scanAll(t, s.Snapshot(), tbl)
			mustDelete(t, s, tbl, ids["13"], ids["17"], ids["25"])
			for _, k := range []string{"13", "17", "25"} {
				delete(rows, k)
			}
			if _, err := s.Compact("public", "all", CompactOptions{Full: true}); err != nil {
				t.Fatal(err)
			}
			m := currentManifest(s, tbl)
			if len(m.Segments) != 1 || m.Segments[0].Rows != 37 {
				t.Fatalf("segments %+v", m.Segments)
			}
			got, gotIDs := scanAll(t, s.Snapshot(), tbl)
			if !equalRows(got, rows) {
				for k, v := range rows {
					if got[k] != v {
						t.Fatalf("row %s: got %s, want %s", k, got[k], v)
					}
				}
				t.Fatalf("rows %v, want %v", sortedKeysOf(got), sortedKeysOf(rows))
			}
			for k, id := range gotIDs {
				if ids[k] != id {
					t.Fatalf("row %s moved from id %d to %d", k, ids[k], id)
				}
			}
		})
	}
}
