package iceberg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	ice "github.com/apache/iceberg-go"
	"github.com/google/uuid"
	"github.com/pqdb/pqdb/storage/bucket"
	"gocloud.dev/blob"
)

// ErrStale says a version older than the table's newest Iceberg
// snapshot was given to Publish.
var ErrStale = errors.New("iceberg: version older than the published one")

// Publisher publishes table versions as Iceberg snapshots in one bucket.
type Publisher struct {
	bucket *blob.Bucket
	root   string
}

// NewPublisher publishes into b, whose root other engines address as
// rootURI ("s3://bucket/prefix", "file:///var/lib/pqdb"): Iceberg
// metadata names every file by its full URI, rootURI + "/" + key.
func NewPublisher(b *blob.Bucket, rootURI string) *Publisher {
	return &Publisher{bucket: b, root: strings.TrimSuffix(rootURI, "/")}
}

// Published says where a version's Iceberg metadata is.
type Published struct {
	// MetadataKey is the metadata file's key in the bucket, MetadataURI
	// its URI, which an engine loads the table from.
	MetadataKey, MetadataURI string
	// SnapshotID is the version's snapshot, for time travel.
	SnapshotID int64
	// Already is true when the version had been published before: a
	// retry after a failure past the commit point does nothing.
	Already bool
}

// CurrentMetadataURI is the URI of the newest metadata file of the table
// at location, or "" when none is published.
func (p *Publisher) CurrentMetadataURI(ctx context.Context, location string) (string, error) {
	n, _, err := latestMetadata(ctx, p.bucket, location)
	if err != nil || n == 0 {
		return "", err
	}
	return uri(p.root, metadataKey(location, n)), nil
}

// Publish adds v as the table's new current Iceberg snapshot. It writes
// the position delete files of v's deletions that the previous snapshot
// does not already have, a data and a delete manifest, a manifest list,
// then the next metadata file, v<n+1>.metadata.json, by create-if-absent,
// which is the commit point: a crash before it leaves unreferenced
// objects that a retry writes again, and a reader sees the version
// whole or not at all. The version hint is written after and may lag.
// It then deletes what expired (expire.go).
//
// Versions must be published in order of Number. A Number that is
// already the current snapshot returns Already, after expiring the
// snapshots v.Retain no longer keeps (in a metadata file of its own);
// an older one returns ErrStale. Calls for one table must not run
// concurrently (pqdb's one writer per namespace publishes); the
// create-if-absent makes a second writer fail rather than lose a
// snapshot.
func (p *Publisher) Publish(ctx context.Context, v *Version) (Published, error) {
	if err := v.validate(); err != nil {
		return Published{}, err
	}
	prevNumber, prev, err := latestMetadata(ctx, p.bucket, v.Location)
	if err != nil {
		return Published{}, err
	}
	if cur := prev.currentSnapshot(); cur != nil {
		switch {
		case cur.SnapshotID > v.Number:
			return Published{}, fmt.Errorf("%w: %s has version %d, given %d", ErrStale, v.Location, cur.SnapshotID, v.Number)
		case cur.SnapshotID == v.Number:
			return p.expireOnly(ctx, v, prevNumber, prev)
		}
	}
	key := metadataKey(v.Location, prevNumber+1)
	out := Published{MetadataKey: key, MetadataURI: uri(p.root, key), SnapshotID: v.Number}

	m := prev
	if m == nil {
		m = &tableMetadata{
			FormatVersion:   2,
			TableUUID:       uuid.NewString(),
			Location:        uri(p.root, v.Location),
			PartitionSpecs:  []partitionSpec{{SpecID: 0, Fields: []any{}}},
			LastPartitionID: unpartitionedLastPartitionID,
			SortOrders:      []sortOrder{{OrderID: 0, Fields: []any{}}},
			Properties:      map[string]string{},
			Refs:            map[string]ref{},
		}
	}
	schema, err := p.setSchema(m, v.Columns, v.Ignored)
	if err != nil {
		return Published{}, err
	}
	var parent *int64
	prevSnap := m.currentSnapshot()
	if prevSnap != nil {
		parent = &prevSnap.SnapshotID
	}
	prevEntries, err := snapshotEntries(ctx, p.bucket, p.root, prevSnap)
	if err != nil {
		return Published{}, err
	}

	snapshotID := v.Number
	data, deletes, stats, err := p.changes(ctx, v, snapshotID, prevEntries)
	if err != nil {
		return Published{}, err
	}
	var manifests []ice.ManifestFile
	for _, mc := range []struct {
		name    string
		content ice.ManifestContent
		changes *manifestChanges
	}{{"data", ice.ManifestContentData, data}, {"deletes", ice.ManifestContentDeletes, deletes}} {
		mf, err := writeManifest(ctx, p.bucket, p.root, manifestKey(v.Location, v.Number, mc.name),
			mc.content, schema, snapshotID, mc.changes)
		if err != nil {
			return Published{}, fmt.Errorf("iceberg: %s manifest: %w", mc.name, err)
		}
		if mf != nil {
			manifests = append(manifests, mf)
		}
	}
	sequence := m.LastSequenceNumber + 1
	listKey := manifestListKey(v.Location, v.Number)
	if err := writeManifestList(ctx, p.bucket, listKey, snapshotID, sequence, parent, manifests); err != nil {
		return Published{}, fmt.Errorf("iceberg: manifest list: %w", err)
	}

	ms := v.CommitTime.UnixMilli()
	summary := stats.summary()
	summary["pqdb.version"] = strconv.FormatInt(v.Number, 10)
	m.Snapshots = append(m.Snapshots, snapshot{
		SnapshotID: snapshotID, ParentSnapshotID: parent, SequenceNumber: sequence, TimestampMs: ms,
		ManifestList: uri(p.root, listKey), Summary: summary, SchemaID: m.CurrentSchemaID,
	})
	m.LastSequenceNumber = sequence
	m.CurrentSnapshotID = &snapshotID
	m.SnapshotLog = append(m.SnapshotLog, snapshotLogEntry{TimestampMs: ms, SnapshotID: snapshotID})
	m.Refs["main"] = ref{SnapshotID: snapshotID, Type: "branch"}
	// Readers check that the log moves forward; a clock that stepped
	// back must not make the table unreadable.
	m.LastUpdatedMs = max(m.LastUpdatedMs, ms)
	if err := p.commit(ctx, v, m, prevNumber, m.expire(v.Location, v.Number, v.Retain)); err != nil {
		return out, err
	}
	return out, nil
}

// expireOnly expires, for a version that is already the current
// snapshot, the snapshots v.Retain no longer keeps.
func (p *Publisher) expireOnly(ctx context.Context, v *Version, prevNumber int64, m *tableMetadata) (Published, error) {
	key := metadataKey(v.Location, prevNumber)
	out := Published{MetadataKey: key, MetadataURI: uri(p.root, key), SnapshotID: v.Number, Already: true}
	expired := m.expire(v.Location, v.Number, v.Retain)
	if len(expired) == 0 {
		return out, nil
	}
	out.MetadataKey = metadataKey(v.Location, prevNumber+1)
	out.MetadataURI = uri(p.root, out.MetadataKey)
	return out, p.commit(ctx, v, m, prevNumber, expired)
}

// commit writes m as the table's metadata file after prevNumber (0:
// none), which is the commit point, then the version hint, and deletes
// the expired snapshots' objects and the metadata files the metadata
// log no longer lists.
func (p *Publisher) commit(ctx context.Context, v *Version, m *tableMetadata, prevNumber int64, expired []snapshot) error {
	if prevNumber > 0 {
		m.MetadataLog = append(m.MetadataLog, metadataLogEntry{TimestampMs: m.LastUpdatedMs,
			MetadataFile: uri(p.root, metadataKey(v.Location, prevNumber))})
	}
	var dropped []metadataLogEntry
	if n := len(m.MetadataLog) - maxPreviousMetadata; n > 0 {
		dropped = slices.Clone(m.MetadataLog[:n])
		m.MetadataLog = slices.Delete(m.MetadataLog, 0, n)
	}
	doc, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	key := metadataKey(v.Location, prevNumber+1)
	if err := bucket.CreateIfAbsent(ctx, p.bucket, key, doc); err != nil {
		if bucket.IsPrecondition(err) {
			return fmt.Errorf("iceberg: %s was published meanwhile by another writer: %w", key, err)
		}
		return err
	}
	hint := []byte(strconv.FormatInt(prevNumber+1, 10))
	if err := p.bucket.WriteAll(ctx, versionHintKey(v.Location), hint, nil); err != nil {
		return fmt.Errorf("iceberg: version %d is published, its version hint is not: %w", v.Number, err)
	}
	if err := p.collect(ctx, v.Location, m, expired, dropped); err != nil {
		return fmt.Errorf("iceberg: version %d is published; deleting what expired: %w", v.Number, err)
	}
	return nil
}

// setSchema makes cols m's current schema: an earlier schema of m when
// one has the same fields (a column dropped and the table back to an
// old shape reuses its id), else a new one. It also sets the name
// mapping and last-column-id, which never goes down: a dropped
// column's field id must not be reused.
func (p *Publisher) setSchema(m *tableMetadata, cols []Column, ignored []IgnoredColumn) (*ice.Schema, error) {
	next := 0
	for _, raw := range m.Schemas {
		var s ice.Schema
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("iceberg: schema in metadata: %w", err)
		}
		next = max(next, s.ID+1)
		want, err := schemaOf(s.ID, cols)
		if err != nil {
			return nil, err
		}
		if want.Equals(&s) {
			m.CurrentSchemaID = s.ID
			return want, p.setNameMapping(m, cols, ignored)
		}
	}
	schema, err := schemaOf(next, cols)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	m.Schemas = append(m.Schemas, raw)
	m.CurrentSchemaID = next
	for _, c := range cols {
		m.LastColumnID = max(m.LastColumnID, c.FieldID)
	}
	for _, c := range ignored {
		m.LastColumnID = max(m.LastColumnID, c.FieldID)
	}
	return schema, p.setNameMapping(m, cols, ignored)
}

func (p *Publisher) setNameMapping(m *tableMetadata, cols []Column, ignored []IgnoredColumn) error {
	nm, err := nameMapping(cols, ignored)
	if err != nil {
		return err
	}
	m.Properties[nameMappingProperty] = nm
	return nil
}
