package iceberg

import (
	"context"
	"maps"
	"slices"
	"strconv"

	ice "github.com/apache/iceberg-go"
)

// changes sorts v's files and deletions against the previous snapshot's
// entries: a data file the previous snapshot listed is existing (it
// keeps its sequence number, so deletes written since still apply to
// it), one it did not is added, and one it listed that v does not (a
// compaction replaced it) is deleted. Delete files are named by their
// content (deleteFileKey), so a segment whose deletions did not change
// keeps its file as existing; a changed one gets a new file holding
// all of its deleted positions, and the old file is deleted.
func (p *Publisher) changes(ctx context.Context, v *Version, snapshotID int64, prev entrySet) (data, deletes *manifestChanges, st *snapshotStats, err error) {
	data, deletes, st = &manifestChanges{}, &manifestChanges{}, &snapshotStats{}
	keptData := map[string]bool{}
	keptDeletes := map[string]bool{}
	for _, f := range v.Files {
		dataURI := uri(p.root, f.Key)
		keptData[dataURI] = true
		st.totalDataFiles++
		st.totalRecords += f.Rows
		if e, ok := prev.data[dataURI]; ok {
			data.existing = append(data.existing, e)
		} else {
			b, err := ice.NewDataFileBuilder(*ice.UnpartitionedSpec, ice.EntryContentData, dataURI, ice.ParquetFile,
				nil, nil, nil, f.Rows, f.Size)
			if err != nil {
				return nil, nil, nil, err
			}
			if f.NullCounts != nil {
				b.NullValueCounts(f.NullCounts)
			}
			data.added = append(data.added, ice.NewManifestEntry(ice.EntryStatusADDED, &snapshotID, nil, nil, b.Build()))
			st.addedDataFiles++
			st.addedRecords += f.Rows
		}

		if f.Deleted == nil || f.Deleted.IsEmpty() {
			continue
		}
		n := int64(f.Deleted.GetCardinality())
		st.totalDeleteFiles++
		st.totalPositionDeletes += n
		key, err := deleteFileKey(v.Location, f.Key, f.Deleted)
		if err != nil {
			return nil, nil, nil, err
		}
		deleteURI := uri(p.root, key)
		keptDeletes[deleteURI] = true
		if e, ok := prev.deletes[deleteURI]; ok {
			deletes.existing = append(deletes.existing, e)
			continue
		}
		file, rows, err := positionDeleteFile(dataURI, f.Deleted)
		if err != nil {
			return nil, nil, nil, err
		}
		// Plain write: the name is the content, so an object already
		// there (an earlier try of this version) holds the same bytes.
		if err := p.bucket.WriteAll(ctx, key, file, nil); err != nil {
			return nil, nil, nil, err
		}
		b, err := ice.NewDataFileBuilder(*ice.UnpartitionedSpec, ice.EntryContentPosDeletes, deleteURI, ice.ParquetFile,
			nil, nil, nil, rows, int64(len(file)))
		if err != nil {
			return nil, nil, nil, err
		}
		b.ReferencedDataFile(dataURI)
		deletes.added = append(deletes.added, ice.NewManifestEntry(ice.EntryStatusADDED, &snapshotID, nil, nil, b.Build()))
		st.addedDeleteFiles++
		st.addedPositionDeletes += n
	}
	// Sorted, so that the same inputs write the same manifests.
	for _, u := range slices.Sorted(maps.Keys(prev.data)) {
		if !keptData[u] {
			data.deleted = append(data.deleted, prev.data[u])
			st.deletedDataFiles++
			st.deletedRecords += prev.data[u].DataFile().Count()
		}
	}
	for _, u := range slices.Sorted(maps.Keys(prev.deletes)) {
		if !keptDeletes[u] {
			deletes.deleted = append(deletes.deleted, prev.deletes[u])
			st.removedDeleteFiles++
		}
	}
	return data, deletes, st, nil
}

// snapshotStats counts a snapshot's changes for its summary.
type snapshotStats struct {
	addedDataFiles, deletedDataFiles, totalDataFiles       int64
	addedRecords, deletedRecords, totalRecords             int64
	addedDeleteFiles, removedDeleteFiles, totalDeleteFiles int64
	addedPositionDeletes, totalPositionDeletes             int64
}

// summary is the snapshot summary: the operation (append when it only
// adds data files, delete when it only changes deletions, overwrite
// otherwise) and the spec's optional counts.
func (s *snapshotStats) summary() map[string]string {
	op := "overwrite"
	changedDeletes := s.addedDeleteFiles+s.removedDeleteFiles > 0
	switch {
	case s.deletedDataFiles == 0 && !changedDeletes:
		op = "append"
	case s.addedDataFiles == 0 && s.deletedDataFiles == 0:
		op = "delete"
	}
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	return map[string]string{
		"operation":              op,
		"added-data-files":       n(s.addedDataFiles),
		"deleted-data-files":     n(s.deletedDataFiles),
		"total-data-files":       n(s.totalDataFiles),
		"added-records":          n(s.addedRecords),
		"deleted-records":        n(s.deletedRecords),
		"total-records":          n(s.totalRecords),
		"added-delete-files":     n(s.addedDeleteFiles),
		"removed-delete-files":   n(s.removedDeleteFiles),
		"total-delete-files":     n(s.totalDeleteFiles),
		"added-position-deletes": n(s.addedPositionDeletes),
		"total-position-deletes": n(s.totalPositionDeletes),
	}
}
