package iceberg

import (
	"context"
	"errors"
	"slices"

	"github.com/pqdb/pqdb/storage/bucket"
)

// Snapshot expiry. pqdb's history collection deletes the table versions
// its retention no longer needs, with the segments and deletion vectors
// only they named; the Iceberg snapshots of those versions would then
// name files that are gone. So Publish is told which versions pqdb still
// keeps (Version.Retain) and keeps only their snapshots and the current
// one: the others leave the snapshots and the snapshot log, and once the
// new metadata file is committed their manifest lists and manifests are
// deleted, with the position delete files that no kept snapshot lists.
// A version published again once history collection caught up expires
// what it deleted, in a metadata file of its own. The metadata log keeps
// the previous maxPreviousMetadata metadata files; older ones are
// deleted. A metadata file read before may then name deleted objects,
// as after Iceberg's own expire_snapshots; the newest one never does. A
// crash between the commit and the deletes leaves objects nothing names.

// maxPreviousMetadata is how many previous metadata files the metadata
// log lists and the bucket keeps (Iceberg's
// write.metadata.previous-versions-max, which defaults to 100).
const maxPreviousMetadata = 10

// expire drops from m the snapshots that are neither current nor in
// retain, with their snapshot log entries, and returns them. A nil
// retain keeps every snapshot.
func (m *tableMetadata) expire(location string, current int64, retain []int64) []snapshot {
	if retain == nil {
		return nil
	}
	kept := func(id int64) bool { return id == current || slices.Contains(retain, id) }
	var expired []snapshot
	m.Snapshots = slices.DeleteFunc(m.Snapshots, func(s snapshot) bool {
		if kept(s.SnapshotID) {
			return false
		}
		expired = append(expired, s)
		return true
	})
	m.SnapshotLog = slices.DeleteFunc(m.SnapshotLog, func(e snapshotLogEntry) bool { return !kept(e.SnapshotID) })
	return expired
}

// collect deletes what the metadata m of the table at location no longer
// names: the metadata files the metadata log dropped, and the expired
// snapshots' manifest lists and manifests, with the position delete
// files they list that no snapshot of m lists.
func (p *Publisher) collect(ctx context.Context, location string, m *tableMetadata, expired []snapshot, dropped []metadataLogEntry) error {
	var errs []error
	remove := func(key string) {
		if err := p.bucket.Delete(ctx, key); err != nil && !bucket.IsNotFound(err) {
			errs = append(errs, err)
		}
	}
	for _, e := range dropped {
		if key, ok := keyOf(p.root, e.MetadataFile); ok {
			remove(key)
		}
	}
	if len(expired) == 0 {
		return errors.Join(errs...)
	}
	listed := map[string]bool{}
	for i := range m.Snapshots {
		set, err := snapshotEntries(ctx, p.bucket, p.root, &m.Snapshots[i])
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for u := range set.deletes {
			listed[u] = true
		}
	}
	for i := range expired {
		s := &expired[i]
		// A snapshot whose manifests an interrupted collection deleted
		// already lists nothing more to delete.
		if set, err := snapshotEntries(ctx, p.bucket, p.root, s); err == nil {
			for u := range set.deletes {
				if key, ok := keyOf(p.root, u); ok && !listed[u] {
					remove(key)
				}
			}
		} else if !bucket.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		n := s.SnapshotID
		remove(manifestKey(location, n, "data"))
		remove(manifestKey(location, n, "deletes"))
		remove(manifestListKey(location, n))
	}
	return errors.Join(errs...)
}
