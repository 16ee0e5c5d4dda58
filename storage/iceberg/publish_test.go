package iceberg

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/apache/arrow-go/v18/arrow/array"
	iceio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/io/gocloud/blobfs"
	_ "github.com/apache/iceberg-go/io/gocloud/s3" // s3:// for LoadFS
	"github.com/apache/iceberg-go/table"
	"github.com/parquet-go/parquet-go"
	"github.com/pqdb/pqdb/internal/s3test"
	"github.com/pqdb/pqdb/storage/bucket"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
)

// segmentRow is a row of a test segment, shaped like pqdb's: an int8
// key, an int2 (INT32 annotated INT(16)), a nullable text, a JSON
// column, 16 raw bytes standing for an interval (no Iceberg type: left
// out of the schema) and the required _row_id, last.
type segmentRow struct {
	ID       int64    `parquet:"id"`
	Small    int16    `parquet:"small"`
	Name     *string  `parquet:"name,optional"`
	Doc      string   `parquet:"doc,json"`
	Interval [16]byte `parquet:"iv"`
	RowID    int64    `parquet:"_row_id"`
}

var testColumns = []Column{
	{Name: "id", FieldID: 1, Type: Long, Required: true},
	{Name: "small", FieldID: 2, Type: Int, Required: true},
	{Name: "name", FieldID: 3, Type: String},
	{Name: "doc", FieldID: 4, Type: String, Required: true},
}

// testIgnored is the interval stand-in, which no Iceberg type fits.
var testIgnored = []IgnoredColumn{{Name: "iv", FieldID: 5}}

// writeSegment writes a segment holding ids [first, first+n) as key and
// returns its DataFile, with deleted as its deleted positions.
func writeSegment(t *testing.T, b *blob.Bucket, key string, first, n int64, deleted ...uint32) DataFile {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	f := writeIDs(t, b, key, ids)
	if len(deleted) > 0 {
		f.Deleted = roaring.BitmapOf(deleted...)
	}
	return f
}

// writeIDs writes a segment of the rows of ids, in order, as key and
// returns its DataFile.
func writeIDs(t *testing.T, b *blob.Bucket, key string, ids []int64) DataFile {
	t.Helper()
	rows := make([]segmentRow, len(ids))
	for i, id := range ids {
		rows[i] = segmentRow{ID: id, Small: int16(id), Doc: fmt.Sprintf(`{"id":%d}`, id), RowID: 1000 + id}
		if id%3 != 0 {
			name := fmt.Sprintf("row %d", id)
			rows[i].Name = &name
		}
	}
	var buf strings.Builder
	w := parquet.NewGenericWriter[segmentRow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteAll(context.Background(), key, []byte(buf.String()), nil); err != nil {
		t.Fatal(err)
	}
	return DataFile{Key: key, Rows: int64(len(ids)), Size: int64(buf.Len())}
}

// liveIDs is what a pqdb scan of files returns: the ids of the rows not
// deleted, sorted.
func liveIDs(t *testing.T, b *blob.Bucket, files []DataFile) []int64 {
	t.Helper()
	var ids []int64
	for _, f := range files {
		data, err := b.ReadAll(context.Background(), f.Key)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := parquet.Read[segmentRow](strings.NewReader(string(data)), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if f.Deleted == nil || !f.Deleted.Contains(uint32(i)) {
				ids = append(ids, r.ID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// scanIDs reads the table with iceberg-go, at snapshot id (0: current),
// checks that it sees the schema's columns only, with values that match
// the id, and returns the ids, sorted.
func scanIDs(t *testing.T, tbl *table.Table, snapshotID int64) []int64 {
	t.Helper()
	var opts []table.ScanOption
	if snapshotID != 0 {
		opts = append(opts, table.WithSnapshotID(snapshotID))
	}
	at, err := tbl.Scan(opts...).ToArrowTable(context.Background())
	if err != nil {
		t.Fatalf("scan at snapshot %d: %v", snapshotID, err)
	}
	defer at.Release()
	var names []string
	for _, f := range at.Schema().Fields() {
		names = append(names, f.Name)
	}
	if want := []string{"id", "small", "name", "doc"}; !slices.Equal(names, want) {
		t.Fatalf("scan columns %v, want %v", names, want)
	}
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	var ids []int64
	for tr.Next() {
		rec := tr.RecordBatch()
		id := rec.Column(0).(*array.Int64)
		small := rec.Column(1).(*array.Int32)
		name := rec.Column(2).(*array.String)
		doc := rec.Column(3)
		for i := range int(rec.NumRows()) {
			v := id.Value(i)
			ids = append(ids, v)
			if int64(small.Value(i)) != v {
				t.Errorf("id %d: small %d", v, small.Value(i))
			}
			if wantNull := v%3 == 0; name.IsNull(i) != wantNull || !wantNull && name.Value(i) != fmt.Sprintf("row %d", v) {
				t.Errorf("id %d: name %q (null %v)", v, name.Value(i), name.IsNull(i))
			}
			if got, want := doc.ValueStr(i), fmt.Sprintf(`{"id":%d}`, v); got != want {
				t.Errorf("id %d: doc %q, want %q", v, got, want)
			}
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// publishAndRead publishes three versions of a table into b (whose root
// is rootURI) and reads each back through fsys, iceberg-go's IO over
// the same objects.
func publishAndRead(t *testing.T, b *blob.Bucket, rootURI string, fsys iceio.IO) {
	ctx := context.Background()
	const loc = "ns/3/t/17"
	p := NewPublisher(b, rootURI)
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

	// Version 3: two segments, two rows of the first deleted.
	seg1 := writeSegment(t, b, loc+"/data/000001.parquet", 1, 10, 1, 4)
	seg2 := writeSegment(t, b, loc+"/data/000002.parquet", 11, 5)
	v3 := &Version{Location: loc, Number: 3, CommitTime: t0, Columns: testColumns, Ignored: testIgnored,
		Files: []DataFile{seg1, seg2}}
	// Version 5: more deletions in both, and a new segment.
	seg1b, seg2b := seg1, seg2
	seg1b.Deleted = roaring.BitmapOf(1, 4, 6)
	seg2b.Deleted = roaring.BitmapOf(0)
	seg3 := writeSegment(t, b, loc+"/data/000003.parquet", 16, 3)
	v5 := &Version{Location: loc, Number: 5, CommitTime: t0.Add(time.Minute), Columns: testColumns,
		Ignored: testIgnored, Files: []DataFile{seg1b, seg2b, seg3}}
	// Version 6: a compaction rewrote the first two segments into one,
	// and a row of the third is deleted: seg1 and seg2 are gone, their
	// delete files too; seg3's deletions are new.
	seg4 := writeIDs(t, b, loc+"/data/c6-000004.parquet", liveIDs(t, b, []DataFile{seg1b, seg2b}))
	seg3b := seg3
	seg3b.Deleted = roaring.BitmapOf(2)
	v6 := &Version{Location: loc, Number: 6, CommitTime: t0.Add(2 * time.Minute), Columns: testColumns,
		Ignored: testIgnored, Files: []DataFile{seg4, seg3b}}

	versions := []*Version{v3, v5, v6}
	metadata := map[int64]string{} // version → its metadata file's URI
	for i, v := range versions {
		pub, err := p.Publish(ctx, v)
		if err != nil {
			t.Fatalf("publish %d: %v", v.Number, err)
		}
		if pub.Already || pub.SnapshotID != v.Number || pub.MetadataKey != fmt.Sprintf("%s/metadata/v%d.metadata.json", loc, i+1) {
			t.Fatalf("publish %d: %+v", v.Number, pub)
		}
		metadata[v.Number] = pub.MetadataURI
	}
	if cur, err := p.CurrentMetadataURI(ctx, loc); err != nil || cur != metadata[6] {
		t.Fatalf("current metadata %q, %v; want %q", cur, err, metadata[6])
	}

	// The newest metadata, loaded with no catalog, reads each version's
	// live rows at its snapshot, and the last one's as current.
	latest := metadata[6]
	tbl, err := table.NewFromLocation(ctx, table.Identifier{"ns", "t"}, latest,
		func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		want := liveIDs(t, b, v.Files)
		if got := scanIDs(t, tbl, v.Number); !slices.Equal(got, want) {
			t.Errorf("snapshot %d: ids %v, want %v", v.Number, got, want)
		}
	}
	if got, want := scanIDs(t, tbl, 0), liveIDs(t, b, v6.Files); !slices.Equal(got, want) {
		t.Errorf("current snapshot: ids %v, want %v", got, want)
	}

	// Snapshots chain to their parents and say which pqdb version they
	// are; the snapshot log lists them all.
	meta := tbl.Metadata()
	var parent *int64
	for _, v := range versions {
		s := meta.SnapshotByID(v.Number)
		if s == nil {
			t.Fatalf("no snapshot %d", v.Number)
		}
		if (parent == nil) != (s.ParentSnapshotID == nil) || parent != nil && *parent != *s.ParentSnapshotID {
			t.Errorf("snapshot %d: parent %v, want %v", v.Number, s.ParentSnapshotID, parent)
		}
		if s.Summary.Properties["pqdb.version"] != fmt.Sprint(v.Number) {
			t.Errorf("snapshot %d: summary %v", v.Number, s.Summary)
		}
		if s.TimestampMs != v.CommitTime.UnixMilli() {
			t.Errorf("snapshot %d: timestamp %d", v.Number, s.TimestampMs)
		}
		parent = &s.SnapshotID
	}
	var logged []int64
	for e := range meta.SnapshotLogs() {
		logged = append(logged, e.SnapshotID)
	}
	if !slices.Equal(logged, []int64{3, 5, 6}) {
		t.Errorf("snapshot log %v", logged)
	}

	// Time travel by time reaches version 5 between its commit and 6's.
	at, err := tbl.Scan(table.WithSnapshotAsOf(t0.Add(90 * time.Second).UnixMilli())).ToArrowTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := at.NumRows(), int64(len(liveIDs(t, b, v5.Files))); got != want {
		t.Errorf("as of 90s: %d rows, want %d", got, want)
	}
	at.Release()

	// An older metadata file still loads its own version.
	old, err := table.NewFromLocation(ctx, table.Identifier{"ns", "t"}, metadata[3],
		func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scanIDs(t, old, 0), liveIDs(t, b, v3.Files); !slices.Equal(got, want) {
		t.Errorf("v3 metadata: ids %v, want %v", got, want)
	}

	hint, err := b.ReadAll(ctx, loc+"/metadata/version-hint.text")
	if err != nil || string(hint) != "3" {
		t.Errorf("version hint %q, %v", hint, err)
	}
	if pub, err := p.Publish(ctx, v6); err != nil || !pub.Already {
		t.Errorf("publish 6 again: %+v, %v", pub, err)
	}
	if _, err := p.Publish(ctx, v5); !errors.Is(err, ErrStale) {
		t.Errorf("publish 5 after 6: %v, want ErrStale", err)
	}
}

func TestPublishLocalDir(t *testing.T) {
	dir := t.TempDir()
	b, err := bucket.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// iceberg-go reads the files through its own local file IO: nothing
	// of pqdb's bucket is on the read path.
	publishAndRead(t, b, "file://"+dir, iceio.LocalFS{})
}

func TestPublishMem(t *testing.T) {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	fsys := blobfs.New(ctx, b, blobfs.DefaultObjectLocationExtractor("pqdb", "mem"))
	publishAndRead(t, b, "mem://pqdb", fsys)
}

// TestPublishS3 publishes into an S3 bucket below a key prefix, as
// pqdb's s3:// data locations have them, and reads back with
// iceberg-go's own S3 IO, configured from Iceberg's s3.* properties as
// an engine would be.
func TestPublishS3(t *testing.T) {
	ctx := context.Background()
	s := s3test.Start(t)
	s.SetEnv(t)
	const name = "lake"
	s.NewBucket(t, name)
	b, err := bucket.Open(ctx, s.URL(name+"/pqdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	fsys, err := iceio.LoadFS(ctx, map[string]string{
		iceio.S3EndpointURL:     s.Endpoint,
		iceio.S3Region:          s3test.Region,
		iceio.S3AccessKeyID:     s3test.AccessKey,
		iceio.S3SecretAccessKey: s3test.SecretKey,
	}, "s3://"+name+"/pqdb")
	if err != nil {
		t.Fatal(err)
	}
	publishAndRead(t, b, "s3://"+name+"/pqdb", fsys)
}
