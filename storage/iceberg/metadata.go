package iceberg

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"gocloud.dev/blob"
)

// tableMetadata is an Iceberg v2 table metadata file, the fields of the
// spec's "Table Metadata" that pqdb writes. It is written here rather
// than with iceberg-go's table.MetadataBuilder: that lives in iceberg-go's
// table package, which links the scan planner, Substrait, gRPC and
// OpenTelemetry into the server, and a JSON document with a dozen
// fields does not need it. iceberg-go's reader parses it in the tests.
type tableMetadata struct {
	FormatVersion      int                `json:"format-version"`
	TableUUID          string             `json:"table-uuid"`
	Location           string             `json:"location"`
	LastSequenceNumber int64              `json:"last-sequence-number"`
	LastUpdatedMs      int64              `json:"last-updated-ms"`
	LastColumnID       int                `json:"last-column-id"`
	Schemas            []json.RawMessage  `json:"schemas"`
	CurrentSchemaID    int                `json:"current-schema-id"`
	PartitionSpecs     []partitionSpec    `json:"partition-specs"`
	DefaultSpecID      int                `json:"default-spec-id"`
	LastPartitionID    int                `json:"last-partition-id"`
	Properties         map[string]string  `json:"properties"`
	CurrentSnapshotID  *int64             `json:"current-snapshot-id,omitempty"`
	Snapshots          []snapshot         `json:"snapshots"`
	SnapshotLog        []snapshotLogEntry `json:"snapshot-log"`
	MetadataLog        []metadataLogEntry `json:"metadata-log"`
	SortOrders         []sortOrder        `json:"sort-orders"`
	DefaultSortOrderID int                `json:"default-sort-order-id"`
	Refs               map[string]ref     `json:"refs"`
}

// pqdb's tables are unpartitioned and unsorted (as far as Iceberg can
// tell): one empty spec and one empty order, both id 0. Partition field
// ids start at 1000, so an unpartitioned table's last one is 999.
type partitionSpec struct {
	SpecID int   `json:"spec-id"`
	Fields []any `json:"fields"`
}

type sortOrder struct {
	OrderID int   `json:"order-id"`
	Fields  []any `json:"fields"`
}

const unpartitionedLastPartitionID = 999

type snapshot struct {
	SnapshotID       int64             `json:"snapshot-id"`
	ParentSnapshotID *int64            `json:"parent-snapshot-id,omitempty"`
	SequenceNumber   int64             `json:"sequence-number"`
	TimestampMs      int64             `json:"timestamp-ms"`
	ManifestList     string            `json:"manifest-list"`
	Summary          map[string]string `json:"summary"`
	SchemaID         int               `json:"schema-id"`
}

type snapshotLogEntry struct {
	TimestampMs int64 `json:"timestamp-ms"`
	SnapshotID  int64 `json:"snapshot-id"`
}

type metadataLogEntry struct {
	TimestampMs  int64  `json:"timestamp-ms"`
	MetadataFile string `json:"metadata-file"`
}

type ref struct {
	SnapshotID int64  `json:"snapshot-id"`
	Type       string `json:"type"`
}

// currentSnapshot is the snapshot current-snapshot-id names, or nil.
func (m *tableMetadata) currentSnapshot() *snapshot {
	if m == nil || m.CurrentSnapshotID == nil {
		return nil
	}
	for i := range m.Snapshots {
		if m.Snapshots[i].SnapshotID == *m.CurrentSnapshotID {
			return &m.Snapshots[i]
		}
	}
	return nil
}

// latestMetadata finds the newest metadata file of the table at
// location: its version number and contents, or 0 and nil when none
// exists. It lists the metadata directory rather than trusting the
// version hint, which is overwritten after the metadata file is
// published and so may lag it.
func latestMetadata(ctx context.Context, b *blob.Bucket, location string) (int64, *tableMetadata, error) {
	var latest int64
	it := b.List(&blob.ListOptions{Prefix: metadataDir(location) + "v", Delimiter: "/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, nil, err
		}
		if n, ok := metadataVersion(location, obj.Key); ok && n > latest {
			latest = n
		}
	}
	if latest == 0 {
		return 0, nil, nil
	}
	data, err := b.ReadAll(ctx, metadataKey(location, latest))
	if err != nil {
		return 0, nil, err
	}
	var m tableMetadata
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, nil, fmt.Errorf("iceberg: %s: %w", metadataKey(location, latest), err)
	}
	if m.FormatVersion != 2 {
		return 0, nil, fmt.Errorf("iceberg: %s: format version %d, want 2", metadataKey(location, latest), m.FormatVersion)
	}
	return latest, &m, nil
}
