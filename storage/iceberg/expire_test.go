package iceberg

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	iceio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/io/gocloud/blobfs"
	"github.com/apache/iceberg-go/table"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
)

// TestExpire: a version published with Retain keeps the snapshots of the
// retained versions, which still read, and deletes the others' objects
// and the position delete files only they listed.
func TestExpire(t *testing.T) {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	fsys := blobfs.New(ctx, b, blobfs.DefaultObjectLocationExtractor("pqdb", "mem"))
	const loc = "ns/1/t/9"
	p := NewPublisher(b, "mem://pqdb")
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	seg1 := writeSegment(t, b, loc+"/data/000001.parquet", 1, 10, 1)
	seg2 := writeSegment(t, b, loc+"/data/000002.parquet", 11, 5)
	seg3 := writeSegment(t, b, loc+"/data/000003.parquet", 16, 3)
	seg1b, seg2b := seg1, seg2
	seg1b.Deleted = roaring.BitmapOf(1, 2)
	seg2b.Deleted = roaring.BitmapOf(0)
	versions := []*Version{
		{Number: 1, Files: []DataFile{seg1}},
		{Number: 2, Files: []DataFile{seg1b, seg2}},
		{Number: 3, Files: []DataFile{seg1b, seg2b}},
		{Number: 4, Files: []DataFile{seg1b, seg2b, seg3}, Retain: []int64{2}},
	}
	var pub Published
	for i, v := range versions {
		v.Location, v.CommitTime, v.Columns, v.Ignored = loc, t0.Add(time.Duration(i)*time.Minute), testColumns, testIgnored
		var err error
		if pub, err = p.Publish(ctx, v); err != nil {
			t.Fatalf("publish %d: %v", v.Number, err)
		}
	}
	tbl, err := table.NewFromLocation(ctx, table.Identifier{"ns", "t"}, pub.MetadataURI,
		func(context.Context) (iceio.IO, error) { return fsys, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range tbl.Metadata().Snapshots() {
		ids = append(ids, s.SnapshotID)
	}
	if !slices.Equal(ids, []int64{2, 4}) {
		t.Fatalf("snapshots %v, want [2 4]", ids)
	}
	var logged []int64
	for e := range tbl.Metadata().SnapshotLogs() {
		logged = append(logged, e.SnapshotID)
	}
	if !slices.Equal(logged, []int64{2, 4}) {
		t.Fatalf("snapshot log %v", logged)
	}
	for _, v := range []*Version{versions[1], versions[3]} {
		if got, want := scanIDs(t, tbl, v.Number), liveIDs(t, b, v.Files); !slices.Equal(got, want) {
			t.Errorf("snapshot %d: ids %v, want %v", v.Number, got, want)
		}
	}

	// Snapshots 1 and 3 are gone with their objects, and so is the delete
	// file of seg1's first deletions, which only snapshot 1 listed; the
	// files the kept snapshots list stay.
	keys := listKeys(t, b, loc+"/metadata/")
	for _, gone := range []string{"snap-1.avro", "1-data.avro", "1-deletes.avro",
		"snap-3.avro", "3-data.avro", "3-deletes.avro"} {
		if slices.Contains(keys, loc+"/metadata/"+gone) {
			t.Errorf("%s was not deleted", gone)
		}
	}
	deletes := 0
	for _, k := range keys {
		if strings.Contains(k, "/deletes/") {
			deletes++
		}
	}
	// seg1's {1,2} (snapshots 2 and 4) and seg2's {0} (snapshot 4).
	if deletes != 2 {
		t.Errorf("%d position delete files left: %v", deletes, keys)
	}
	for _, kept := range []string{"snap-2.avro", "v4.metadata.json", "snap-4.avro"} {
		if !slices.Contains(keys, loc+"/metadata/"+kept) {
			t.Errorf("%s was deleted", kept)
		}
	}
}

// TestExpireOnly: a version published again, after pqdb deleted more
// of its history, expires those snapshots in a metadata file of its own;
// and the metadata log keeps the last maxPreviousMetadata files, the
// older ones deleted.
func TestExpireOnly(t *testing.T) {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	const loc = "ns/1/t/9"
	p := NewPublisher(b, "mem://pqdb")
	seg := writeSegment(t, b, loc+"/data/000001.parquet", 1, 10)
	publish := func(n int64, retain []int64) Published {
		t.Helper()
		pub, err := p.Publish(ctx, &Version{Location: loc, Number: n, CommitTime: time.Unix(n, 0), Columns: testColumns,
			Ignored: testIgnored, Files: []DataFile{seg}, Retain: retain})
		if err != nil {
			t.Fatalf("publish %d: %v", n, err)
		}
		return pub
	}
	publish(1, nil)
	publish(2, nil)
	if pub := publish(2, nil); !pub.Already || pub.MetadataKey != loc+"/metadata/v2.metadata.json" {
		t.Fatalf("publishing 2 again: %+v", pub)
	}
	pub := publish(2, []int64{})
	if !pub.Already || pub.MetadataKey != loc+"/metadata/v3.metadata.json" {
		t.Fatalf("expiring 1 at version 2: %+v", pub)
	}
	m := readMetadata(t, b, pub.MetadataKey)
	if len(m.Snapshots) != 1 || m.Snapshots[0].SnapshotID != 2 {
		t.Fatalf("snapshots after expiry: %+v", m.Snapshots)
	}
	if keys := listKeys(t, b, loc+"/metadata/snap-1"); len(keys) != 0 {
		t.Fatalf("snapshot 1's manifest list stayed: %v", keys)
	}
	for n := int64(3); n <= 20; n++ {
		pub = publish(n, []int64{n - 1})
	}
	m = readMetadata(t, b, pub.MetadataKey)
	if len(m.MetadataLog) != maxPreviousMetadata || len(m.Snapshots) != 2 {
		t.Fatalf("%d metadata log entries, %d snapshots", len(m.MetadataLog), len(m.Snapshots))
	}
	// The current file and the ten it lists; every snapshot but 19 and
	// 20 expired with its manifests.
	var files []string
	for _, k := range listKeys(t, b, loc+"/metadata/v") {
		if strings.HasSuffix(k, ".metadata.json") {
			files = append(files, k)
		}
	}
	if len(files) != maxPreviousMetadata+1 {
		t.Fatalf("%d metadata files: %v", len(files), files)
	}
	if keys := listKeys(t, b, loc+"/metadata/snap-"); len(keys) != 2 {
		t.Fatalf("manifest lists %v", keys)
	}
}

// readMetadata reads the metadata file key.
func readMetadata(t *testing.T, b *blob.Bucket, key string) *tableMetadata {
	t.Helper()
	data, err := b.ReadAll(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	var m tableMetadata
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// listKeys lists the keys of b under prefix.
func listKeys(t *testing.T, b *blob.Bucket, prefix string) []string {
	t.Helper()
	var keys []string
	it := b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return keys
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, obj.Key)
	}
}
