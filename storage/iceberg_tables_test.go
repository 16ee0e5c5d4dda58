package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	iceio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/io/gocloud/blobfs"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // s3:// for LoadFS
	"github.com/apache/iceberg-go/table"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/s3test"
)

// icebergOptions are opts publishing Iceberg tables in the bucket of the
// store in dir, with the IO an Iceberg engine reads that bucket with.
func icebergOptions(t *testing.T, dir string, opts Options) (Options, iceio.IO) {
	t.Helper()
	opts.Iceberg = true
	switch testObjects {
	case "":
		return opts, iceio.LocalFS{}
	case "mem":
		opts.BucketURI = "mem://pqdb"
		b := testBucket(t, dir)
		return opts, blobfs.New(context.Background(), b, blobfs.DefaultObjectLocationExtractor("pqdb", "mem"))
	}
	testBucket(t, dir)
	testBuckets.Lock()
	url := testBuckets.urls[dir]
	testBuckets.Unlock()
	opts.BucketURI, _, _ = strings.Cut(url, "?")
	fsys, err := iceio.LoadFS(context.Background(), map[string]string{
		iceio.S3EndpointURL:     testS3.server.Endpoint,
		iceio.S3Region:          s3test.Region,
		iceio.S3AccessKeyID:     s3test.AccessKey,
		iceio.S3SecretAccessKey: s3test.SecretKey,
	}, opts.BucketURI)
	if err != nil {
		t.Fatal(err)
	}
	return opts, fsys
}

// icebergMetadata is the URI of tbl's current Iceberg metadata file.
func icebergMetadata(t *testing.T, s *Store, tbl *catalog.Table) string {
	t.Helper()
	u, err := s.lake.pub.CurrentMetadataURI(context.Background(), s.Snapshot().tableState(tbl).prefix)
	if err != nil || u == "" {
		t.Fatalf("no Iceberg metadata of %s: %v", tbl.Name, err)
	}
	return u
}

// icebergScan reads tbl's Iceberg table from its current metadata with
// iceberg-go, at snapshot (0: the current one); the caller releases it.
func icebergScan(t *testing.T, s *Store, fsys iceio.IO, tbl *catalog.Table, snapshot int64) arrow.Table {
	t.Helper()
	it, err := table.NewFromLocation(context.Background(), table.Identifier{tbl.Schema, tbl.Name}, icebergMetadata(t, s, tbl),
		func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var opts []table.ScanOption
	if snapshot != 0 {
		opts = append(opts, table.WithSnapshotID(snapshot))
	}
	at, err := it.Scan(opts...).ToArrowTable(context.Background())
	if err != nil {
		t.Fatalf("scan of snapshot %d: %v", snapshot, err)
	}
	return at
}

// icebergRows is icebergScan's rows, as scanAll shows rows.
func icebergRows(t *testing.T, s *Store, fsys iceio.IO, tbl *catalog.Table, snapshot int64) map[string]string {
	t.Helper()
	at := icebergScan(t, s, fsys, tbl, snapshot)
	defer at.Release()
	var names []string
	for _, f := range at.Schema().Fields() {
		names = append(names, f.Name)
	}
	if want := []string{"k", "v"}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("Iceberg columns %v, want %v", names, want)
	}
	rows := map[string]string{}
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for i := range int(rec.NumRows()) {
			k := rec.Column(0).ValueStr(i)
			if _, dup := rows[k]; dup {
				t.Fatalf("row %s read twice", k)
			}
			rows[k] = k + "|" + rec.Column(1).ValueStr(i)
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestIcebergTables: with Options.Iceberg, after inserts, updates,
// deletes, flushes, a compaction and a restart, iceberg-go reads the
// current snapshot, and those of the versions pqdb keeps by snapshot id,
// as exactly the rows pqdb has at that version.
func TestIcebergTables(t *testing.T) {
	dir := t.TempDir()
	opts, fsys := icebergOptions(t, dir, Options{RowGroupRows: 16, Compaction: noCompaction})
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	versions := map[int64]map[string]string{}
	var latest int64
	flushed := func(stage string) {
		t.Helper()
		mustCheckpoint(t, s)
		s.lake.wait()
		snap := s.Snapshot()
		rows, _ := scanAll(t, snap, tbl)
		latest = snap.tableState(tbl).manifest.Version
		versions[latest] = rows
		if got := icebergRows(t, s, fsys, tbl, 0); !maps.Equal(got, rows) {
			t.Fatalf("%s: Iceberg has %d rows, pqdb %d", stage, len(got), len(rows))
		}
	}

	mustInsert(t, s, tbl, kvRows(200, 0, "a"))
	flushed("first flush")
	tx := s.Begin()
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	var upd, del []int64
	var updKeys []int64
	var updVals []string
	for k := int64(0); k < 200; k++ {
		id := ids[fmt.Sprint(k)]
		switch {
		case k%7 == 0:
			del = append(del, id)
		case k%5 == 0:
			upd = append(upd, id)
			updKeys, updVals = append(updKeys, k), append(updVals, fmt.Sprint("u", k))
		}
	}
	if err := tx.Delete(tbl, del); err != nil {
		t.Fatal(err)
	}
	if err := tx.Update(tbl, upd, kvRecord(updKeys, updVals)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(tbl, kvRows(50, 1000, "b")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	flushed("updates and deletes")

	if _, err := s.Compact("public", "kv", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	flushed("compaction")

	// Rows only in the tail are not in Iceberg until a flush.
	mustInsert(t, s, tbl, kvRows(5, 5000, "tail"))
	s.lake.wait()
	if got := icebergRows(t, s, fsys, tbl, 0); !maps.Equal(got, versions[latest]) {
		t.Fatalf("unflushed rows changed the Iceberg table: %d rows, want %d", len(got), len(versions[latest]))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, opts)
	defer s.Close()
	flushed("after a restart")

	// Older snapshots read as long as pqdb keeps their versions (history
	// collection thins them out).
	ns := s.namespace("public")
	kept, err := ns.manifestVersions(ns.state.Load().tables["kv"])
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) < 2 {
		t.Fatalf("kept versions %v", kept)
	}
	// Iceberg keeps the snapshots of those versions only: the others
	// expired as pqdb's history collection deleted their files.
	it, err := table.NewFromLocation(context.Background(), table.Identifier{"public", "kv"},
		icebergMetadata(t, s, tbl), func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	keptSet := map[int64]bool{}
	for _, v := range kept {
		keptSet[v.version] = true
	}
	for _, snap := range it.Metadata().Snapshots() {
		if !keptSet[snap.SnapshotID] {
			t.Errorf("Iceberg snapshot %d is of a version pqdb no longer keeps (%v)", snap.SnapshotID, kept)
		}
	}
	for _, v := range kept {
		if rows, ok := versions[v.version]; ok {
			if got := icebergRows(t, s, fsys, tbl, v.version); !maps.Equal(got, rows) {
				t.Errorf("snapshot %d: Iceberg has %d rows, pqdb had %d", v.version, len(got), len(rows))
			}
		}
	}
}

// TestIcebergTableTypes: a table with a column of every type storage
// holds reads through iceberg-go: the columns with an Iceberg type, each
// with pqdb's values and NULLs, the others left out.
func TestIcebergTableTypes(t *testing.T) {
	dir := t.TempDir()
	opts, fsys := icebergOptions(t, dir, Options{RowGroupRows: 16})
	s := openTest(t, dir, opts)
	defer s.Close()
	tbl := allTypesTable("every")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, allTypesRecord(tbl, 0, 100))
	mustCheckpoint(t, s)
	s.lake.wait()
	at := icebergScan(t, s, fsys, tbl, 0)
	defer at.Release()
	var got []string
	for _, f := range at.Schema().Fields() {
		got = append(got, f.Name+" "+f.Type.String())
	}
	t.Logf("Iceberg columns: %v", got)
	want := "id int64,b bool,i2 int32,i4 int32,f4 float32,f8 float64,n5 decimal(5, 1),n15 decimal(15, 2),n decimal(38, 4)," +
		"t utf8,vc utf8,by binary,d date32,tm time64[us],ts timestamp[us],tz timestamp[us, tz=UTC],iv utf8,u extension<arrow.uuid>,js utf8,vn utf8"
	if strings.Join(got, ",") != want {
		t.Fatalf("Iceberg columns\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	if at.NumRows() != 100 {
		t.Fatalf("%d rows", at.NumRows())
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	compared := map[string]bool{}
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for i := range int(rec.NumRows()) {
			id := rec.Column(0).ValueStr(i)
			pq := strings.Split(rows[id], "|")
			for c, f := range at.Schema().Fields() {
				j := tbl.ColumnIndex(f.Name)
				if rec.Column(c).IsNull(i) != (pq[j] == "(null)") {
					t.Fatalf("row %s, column %s: Iceberg %q, pqdb %q", id, f.Name, rec.Column(c).ValueStr(i), pq[j])
				}
				// An interval is its ISO 8601 text.
				if f.Name == "iv" && !rec.Column(c).IsNull(i) {
					compared[f.Name] = true
					text := rec.Column(c).ValueStr(i)
					v, err := catalog.ParseIntervalISO([]byte(text))
					if err != nil {
						t.Fatalf("row %s: interval %q: %v", id, text, err)
					}
					if got, _ := json.Marshal(v); string(got) != pq[j] {
						t.Fatalf("row %s, column iv: Iceberg %q, pqdb %q", id, text, pq[j])
					}
				}
				// Where Iceberg's Arrow type is pqdb's, the values print
				// alike.
				if arrow.TypeEqual(f.Type, tbl.Columns[j].Type.ArrowType()) {
					compared[f.Name] = true
					if got := rec.Column(c).ValueStr(i); got != pq[j] {
						t.Fatalf("row %s, column %s: Iceberg %q, pqdb %q", id, f.Name, got, pq[j])
					}
				}
			}
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	if !compared["iv"] || len(compared) < 11 {
		t.Fatalf("values compared in %d columns only: %v", len(compared), compared)
	}
}

// TestIcebergInterval: flushes in one Options.IcebergInterval publish no
// second snapshot of a table, and CHECKPOINT publishes what is due at
// once.
func TestIcebergInterval(t *testing.T) {
	dir := t.TempDir()
	opts, fsys := icebergOptions(t, dir, Options{Compaction: noCompaction, IcebergInterval: time.Hour})
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(100, 0, "a"))
	mustCheckpoint(t, s) // the first publication: no earlier one to wait for
	if got := icebergRows(t, s, fsys, tbl, 0); len(got) != 100 {
		t.Fatalf("after the first checkpoint Iceberg has %d rows, want 100", len(got))
	}
	ns := s.namespace(tbl.Schema)
	for i := range 3 {
		mustInsert(t, s, tbl, kvRows(10, int64(100+10*i), "b"))
		if err := ns.do(ns.flushAll); err != nil { // a flush, as the writer's policy makes them
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond) // the publisher ran, and held the table back
	if got := icebergRows(t, s, fsys, tbl, 0); len(got) != 100 {
		t.Fatalf("flushes within the interval published: Iceberg has %d rows, want 100", len(got))
	}
	mustCheckpoint(t, s)
	if got := icebergRows(t, s, fsys, tbl, 0); len(got) != 130 {
		t.Fatalf("after CHECKPOINT Iceberg has %d rows, want 130", len(got))
	}
	s.Close()
}

// TestIcebergTableWithArrays: array columns are Iceberg lists and enums
// their labels, whose values iceberg-go reads as pqdb's; a column of
// arrays Iceberg has no form for is left out, and the files still read
// (iceberg-go maps every field of a data file to an id, list elements
// included).
func TestIcebergTableWithArrays(t *testing.T) {
	dir := t.TempDir()
	opts, fsys := icebergOptions(t, dir, Options{})
	s := openTest(t, dir, opts)
	defer s.Close()
	mood := testEnum("mood", "sad", "happy")
	tx := s.Begin()
	must(t, tx.CreateType(mood))
	must(t, tx.Commit())
	tbl := &catalog.Table{Schema: "public", Name: "arr", Columns: []catalog.Column{
		{Name: "k", Type: catalog.TypeInt8, NotNull: true},
		{Name: "a", Type: catalog.ArrayOf(catalog.TypeInt4)},
		{Name: "v", Type: catalog.TypeText},
		{Name: "b", Type: catalog.ArrayOf(catalog.TypeText)},
		{Name: "o", Type: catalog.ArrayOf(catalog.TypeOid)},
		{Name: "m", Type: mood.Type()},
	}}
	mustCreate(t, s, tbl)
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: !c.NotNull}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	for k := range 50 {
		b.Field(0).(*array.Int64Builder).Append(int64(k))
		a := b.Field(1).(*array.ListBuilder)
		a.Append(true)
		a.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{int32(k), -1}, nil)
		b.Field(2).(*array.StringBuilder).Append(fmt.Sprint("v", k))
		if l := b.Field(3).(*array.ListBuilder); k%3 == 0 {
			l.AppendNull()
		} else {
			l.Append(true)
			l.ValueBuilder().(*array.StringBuilder).AppendValues([]string{"x", fmt.Sprint(k)}, []bool{k%2 == 0, true})
		}
		b.Field(4).(*array.ListBuilder).AppendNull()
		b.Field(5).(*array.StringBuilder).Append(mood.Labels[k%2].Label)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	mustInsert(t, s, tbl, rec)
	mustCheckpoint(t, s)
	if got := icebergColumns(t, s, fsys, tbl); got != "k,a,v,b,m" {
		t.Fatalf("Iceberg columns %s, want k,a,v,b,m", got)
	}
	at := icebergScan(t, s, fsys, tbl, 0)
	defer at.Release()
	got := map[string]string{}
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	for tr.Next() {
		r := tr.RecordBatch()
		for i := range int(r.NumRows()) {
			got[r.Column(0).ValueStr(i)] = r.Column(1).ValueStr(i) + "|" + r.Column(3).ValueStr(i) + "|" + r.Column(4).ValueStr(i)
		}
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(got) != len(rows) {
		t.Fatalf("Iceberg has %d rows, pqdb %d", len(got), len(rows))
	}
	for k, row := range rows {
		pq := strings.Split(row, "|")
		if want := pq[1] + "|" + pq[3] + "|" + pq[5]; got[k] != want {
			t.Fatalf("row %s: Iceberg %q, pqdb %q", k, got[k], want)
		}
	}
}
