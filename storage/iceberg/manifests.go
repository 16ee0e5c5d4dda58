package iceberg

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	ice "github.com/apache/iceberg-go"
	"gocloud.dev/blob"
)

// Manifests, manifest lists and their Avro encoding are iceberg-go's
// (ManifestWriter, ManifestListWriter, ReadManifestList, ReadManifest):
// they are the intricate part of the format (Avro schemas with field
// ids, sequence-number inheritance, partition summaries), and iceberg-go's
// root package brings little with it.

// entrySet is the live entries of a snapshot, by file URI: data files,
// and position delete files.
type entrySet struct {
	data, deletes map[string]ice.ManifestEntry
}

// snapshotEntries reads the live entries of snap's manifests.
func snapshotEntries(ctx context.Context, b *blob.Bucket, root string, snap *snapshot) (entrySet, error) {
	set := entrySet{data: map[string]ice.ManifestEntry{}, deletes: map[string]ice.ManifestEntry{}}
	if snap == nil {
		return set, nil
	}
	read := func(u string) ([]byte, error) {
		key, ok := keyOf(root, u)
		if !ok {
			return nil, fmt.Errorf("iceberg: %s is not below %s", u, root)
		}
		return b.ReadAll(ctx, key)
	}
	data, err := read(snap.ManifestList)
	if err != nil {
		return set, err
	}
	files, err := ice.ReadManifestList(bytes.NewReader(data))
	if err != nil {
		return set, fmt.Errorf("iceberg: %s: %w", snap.ManifestList, err)
	}
	for _, mf := range files {
		data, err := read(mf.FilePath())
		if err != nil {
			return set, err
		}
		entries, err := ice.ReadManifest(mf, bytes.NewReader(data), true)
		if err != nil {
			return set, fmt.Errorf("iceberg: %s: %w", mf.FilePath(), err)
		}
		for _, e := range entries {
			if e.DataFile().ContentType() == ice.EntryContentData {
				set.data[e.DataFile().FilePath()] = e
			} else {
				set.deletes[e.DataFile().FilePath()] = e
			}
		}
	}
	return set, nil
}

// manifestChanges is what one manifest of a new snapshot holds: entries
// added by it, entries kept from the previous snapshot (existing, with
// their own snapshot and sequence numbers) and the previous snapshot's
// entries it drops (deleted).
type manifestChanges struct {
	added, existing, deleted []ice.ManifestEntry
}

func (c *manifestChanges) empty() bool {
	return len(c.added)+len(c.existing)+len(c.deleted) == 0
}

// writeManifest writes the manifest of c at key and returns its entry
// for the manifest list; nil when c is empty, as Iceberg wants no empty
// manifests.
func writeManifest(ctx context.Context, b *blob.Bucket, root, key string, content ice.ManifestContent,
	schema *ice.Schema, snapshotID int64, c *manifestChanges) (ice.ManifestFile, error) {
	if c.empty() {
		return nil, nil
	}
	var buf bytes.Buffer
	w, err := ice.NewManifestWriter(2, &buf, *ice.UnpartitionedSpec, schema, snapshotID,
		ice.WithManifestWriterContent(content))
	if err != nil {
		return nil, err
	}
	for _, e := range c.added {
		err = errors.Join(err, w.Add(e))
	}
	for _, e := range c.existing {
		err = errors.Join(err, w.Existing(e))
	}
	for _, e := range c.deleted {
		err = errors.Join(err, w.Delete(e))
	}
	if err != nil {
		w.Close()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	mf, err := w.ToManifestFile(uri(root, key), int64(buf.Len()))
	if err != nil {
		return nil, err
	}
	if err := b.WriteAll(ctx, key, buf.Bytes(), nil); err != nil {
		return nil, err
	}
	return mf, nil
}

// writeManifestList writes the manifest list of snapshot snapshotID at
// key.
func writeManifestList(ctx context.Context, b *blob.Bucket, key string, snapshotID, sequence int64,
	parent *int64, manifests []ice.ManifestFile) error {
	var buf bytes.Buffer
	if err := ice.WriteManifestList(2, &buf, snapshotID, parent, &sequence, 0, manifests); err != nil {
		return err
	}
	return b.WriteAll(ctx, key, buf.Bytes(), nil)
}
