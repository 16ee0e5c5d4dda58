package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// Manifest is one published version of a table's flushed data: its
// Parquet segments with their statistics and delete markers. Manifests are
// immutable once published; a new version is written beside the old ones
// and made current by creating it if absent (publishManifest).
type Manifest struct {
	Version int64 `json:"version"`
	TableID int64 `json:"table_id"`
	// FlushedSeq is the commit sequence number up to which every event of
	// the table is materialized in Segments: on open, events with a seq at
	// or below it are already flushed and are not replayed.
	FlushedSeq  uint64     `json:"flushed_seq"`
	NextSegment int64      `json:"next_segment"`
	Segments    []*Segment `json:"segments"`
	// Events are the table's flushed events still within the history
	// retention, oldest first (event_files.go). Every version carries the
	// list forward; a flush appends the file of the events it
	// materialized.
	Events []*EventFile `json:"events,omitempty"`

	// distinct is, by column name, the estimate of the merged sketches
	// of the segments (estimate.go), made by decode. A copy of the
	// manifest that changes no segment's sketches keeps it.
	distinct map[string]float64
}

// Segment is one immutable Parquet file of a table.
type Segment struct {
	File string `json:"file"` // relative to the table directory
	// Bytes is the file's size; 0 in manifests written before it was kept.
	Bytes    int64 `json:"bytes,omitempty"`
	Rows     int64 `json:"rows"`
	MinRowID int64 `json:"min_row_id"`
	MaxRowID int64 `json:"max_row_id"`
	// DenseRowIDs says that the row at each position p has id
	// MinRowID+p (a load in key order, whose ids grow with the key):
	// readers compute the ids instead of decoding them (scan_row_ids.go).
	// Segments written before it was kept say false.
	DenseRowIDs bool `json:"dense_row_ids,omitempty"`
	// IntervalText says that the segment's interval columns hold ISO 8601
	// text, as every segment of a table with one written since does;
	// older segments hold 16 raw bytes (chunkLayout reads both), which
	// keeps the table's intervals out of its Iceberg schema until a
	// compaction rewrote them.
	IntervalText bool `json:"interval_text,omitempty"`
	// Columns are the Parquet column names of the table columns, in table
	// order, when the segment was written; stats are aligned with them.
	Columns   []string        `json:"columns"`
	RowGroups []RowGroupStats `json:"row_groups"`
	// DeletesFile names, relative to the table directory, the segment's
	// deletion vector: the positions of its rows deleted (or replaced by
	// an update) after it was written (deletion_vector.go). "" when none
	// is. DeletedRows is how many positions it holds.
	DeletesFile string `json:"deletes_file,omitempty"`
	DeletedRows int64  `json:"deleted_rows,omitempty"`
	// LegacyDeleted is the deleted row ids, in ascending order, of a
	// manifest written before deletion vectors existed. It is only read:
	// the next manifest published replaces it by a deletion vector.
	LegacyDeleted []int64 `json:"deleted,omitempty"`
	// Indexes are the segment's index files, one per secondary index
	// that has them, in index id order (index_files.go).
	Indexes []SegmentIndex `json:"indexes,omitempty"`
	// Sketches are the HyperLogLog sketches of the distinct values of
	// the segment's columns, aligned with Columns (hll.go's manifest
	// form; nil for a column of a type that has none). Segments written
	// before sketches have none until ANALYZE adds them (analyze.go).
	Sketches [][]byte `json:"sketches,omitempty"`

	legacy *legacyDeletions // LegacyDeleted mapped to positions, on first use

	bounds    [][]columnBounds // [row group][column], decoded from RowGroups
	segBounds []columnBounds   // [column], the union over row groups
	// filters holds the segment's key columns' bloom filters once a scan
	// kept them (segment_key_filters.go); copies of the Segment share it.
	filters *keyFilterSlot
}

// RowGroupStats describes one row group of a segment.
type RowGroupStats struct {
	Rows    int64         `json:"rows"`
	Columns []ColumnStats `json:"columns"`
}

const (
	manifestDir     = "_manifest"
	currentPointer  = "current"
	segmentDataDir  = "data"
	manifestPattern = "v%012d.json"
)

// decode fills the segments' decoded bounds for the column kinds of tbl.
func (m *Manifest) decode(tbl *catalog.Table) {
	for _, s := range m.Segments {
		s.decode(tbl)
	}
	m.distinct = mergeSketches(m.Segments)
}

func (s *Segment) decode(tbl *catalog.Table) {
	if s.bounds != nil {
		return
	}
	if s.filters == nil {
		s.filters = new(keyFilterSlot)
	}
	types := make([]catalog.Type, len(s.Columns))
	for i, name := range s.Columns {
		if j := tbl.ColumnIndex(name); j >= 0 {
			types[i] = tbl.Columns[j].Type
		} else {
			types[i] = catalog.TypeInterval // no usable ordering
		}
	}
	s.bounds = make([][]columnBounds, len(s.RowGroups))
	for g, rg := range s.RowGroups {
		cbs := make([]columnBounds, len(s.Columns))
		for c := range s.Columns {
			cb := &cbs[c]
			cb.rows = rg.Rows
			if c >= len(rg.Columns) {
				cb.nulls = -1
				continue
			}
			st := rg.Columns[c]
			cb.nulls = st.Nulls
			if dom := domainOf(types[c]); st.HasBounds && dom != domNone {
				mn, ok1 := decodeBound(dom, st.Min)
				mx, ok2 := decodeBound(dom, st.Max)
				cb.has, cb.min, cb.max = ok1 && ok2, mn, mx
			}
		}
		s.bounds[g] = cbs
	}
	s.segBounds = make([]columnBounds, len(s.Columns))
	for c := range s.Columns {
		dom := domainOf(types[c])
		sb := columnBounds{has: true}
		seen := false
		for g := range s.bounds {
			cb := s.bounds[g][c]
			sb.rows += cb.rows
			if cb.nulls < 0 || sb.nulls < 0 {
				sb.nulls = -1
			} else {
				sb.nulls += cb.nulls
			}
			if cb.nulls == cb.rows {
				continue // an all-NULL row group does not widen the bounds
			}
			if !cb.has {
				sb.has = false
				continue
			}
			if !seen {
				sb.min, sb.max, seen = cb.min, cb.max, true
				continue
			}
			if compareBounds(dom, cb.min, sb.min) < 0 {
				sb.min = cb.min
			}
			if compareBounds(dom, cb.max, sb.max) > 0 {
				sb.max = cb.max
			}
		}
		sb.has = sb.has && seen
		s.segBounds[c] = sb
	}
}

// manifestObject is the key of version v of the manifest of the table whose
// objects are under prefix.
func manifestObject(prefix string, v int64) string {
	return prefix + "/" + manifestDir + "/" + fmt.Sprintf(manifestPattern, v)
}

// loadManifest reads the current manifest of the table whose objects are
// under prefix, or returns an empty version-0 manifest when none was
// published yet. The current version is the highest one that exists:
// the hint names one published version (the highest, unless a crash
// came between a version and its hint), and the versions after it are
// probed; without a hint the manifests are listed.
func (o *objectStore) loadManifest(prefix string, tbl *catalog.Table) (*Manifest, error) {
	v, err := o.hintedVersion(prefix, tbl)
	if err != nil {
		return nil, err
	}
	var m *Manifest
	if v > 0 {
		m, err = o.readManifest(prefix, v, tbl)
		if errors.Is(err, fs.ErrNotExist) {
			// A stale hint whose version history collection deleted.
			if v, err = o.latestVersion(prefix); err == nil && v > 0 {
				m, err = o.readManifest(prefix, v, tbl)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	for {
		next, err := o.readManifest(prefix, v+1, tbl)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, err
		}
		m, v = next, v+1
	}
	if m == nil {
		return &Manifest{TableID: tbl.ID}, nil
	}
	return m, nil
}

// hintedVersion is the version the table's hint names, or the latest
// version listed when there is no hint.
func (o *objectStore) hintedVersion(prefix string, tbl *catalog.Table) (int64, error) {
	ptr, err := o.read(prefix + "/" + manifestDir + "/" + currentPointer)
	if err == nil {
		var v int64
		name := strings.TrimSpace(string(ptr))
		if _, err := fmt.Sscanf(name, manifestPattern, &v); err != nil || v <= 0 {
			return 0, fmt.Errorf("manifest pointer of table %d is corrupt: %q", tbl.ID, name)
		}
		return v, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	return o.latestVersion(prefix)
}

// latestVersion is the highest version of the table's manifests listed,
// or 0 when there is none.
func (o *objectStore) latestVersion(prefix string) (int64, error) {
	versions, err := o.manifestVersions(prefix)
	if err != nil || len(versions) == 0 {
		return 0, err
	}
	return versions[len(versions)-1], nil
}

// manifestVersions lists the versions of the table's manifests that
// exist, in ascending order.
func (o *objectStore) manifestVersions(prefix string) ([]int64, error) {
	entries, err := o.list(prefix + "/" + manifestDir + "/")
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, e := range entries {
		var v int64
		name := path.Base(e.key)
		if _, err := fmt.Sscanf(name, manifestPattern, &v); err != nil || name != fmt.Sprintf(manifestPattern, v) {
			continue
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// readManifest reads version v of the manifest of the table whose
// objects are under prefix.
func (o *objectStore) readManifest(prefix string, v int64, tbl *catalog.Table) (*Manifest, error) {
	data, err := o.read(manifestObject(prefix, v))
	if err != nil {
		return nil, err
	}
	m := new(Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("manifest version %d of table %d: %w", v, tbl.ID, err)
	}
	for _, s := range m.Segments {
		if len(s.LegacyDeleted) > 0 {
			s.DeletedRows = int64(len(s.LegacyDeleted))
			s.legacy = new(legacyDeletions)
		}
	}
	m.decode(tbl)
	return m, nil
}

// publishManifest makes m the current manifest of the table whose objects
// are under prefix: the version's object is created if absent (the files
// it names were made durable before), which is the commit point; then
// the hint is replaced, best effort, since loadManifest probes past it.
//
// A write that failed may still have landed, so a failure is checked by
// reading the object back: holding these bytes, the version is
// published. An object of the version with other bytes is an earlier
// attempt of this publication that landed although it failed (a retried
// flush names new files): it is replaced, since only the table's one
// writer publishes its manifests.
func (o *objectStore) publishManifest(prefix string, m *Manifest) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	key := manifestObject(prefix, m.Version)
	if err := o.putIfAbsent(key, data); err != nil {
		old, rerr := o.read(key)
		switch {
		case rerr == nil && bytes.Equal(old, data):
			// landed
		case rerr == nil && errors.Is(err, errObjectExists):
			if err := o.put(key, data); err != nil {
				return err
			}
		default:
			return err
		}
	}
	o.put(prefix+"/"+manifestDir+"/"+currentPointer, []byte(fmt.Sprintf(manifestPattern, m.Version)))
	if o.published != nil {
		o.published(prefix, m.Version)
	}
	return nil
}
