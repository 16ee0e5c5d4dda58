package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// Manifest is one published version of a table's flushed data: its
// Parquet segments with their statistics and delete markers. Manifests are
// immutable once published; a new version is written beside the old ones
// and made current by an atomic rename of the "current" pointer file.
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
	File     string `json:"file"` // relative to the table directory
	Rows     int64  `json:"rows"`
	MinRowID int64  `json:"min_row_id"`
	MaxRowID int64  `json:"max_row_id"`
	// DenseRowIDs says that the row at each position p has id
	// MinRowID+p (a load in key order, whose ids grow with the key):
	// readers compute the ids instead of decoding them (scan_row_ids.go).
	// Segments written before it was kept say false.
	DenseRowIDs bool `json:"dense_row_ids,omitempty"`
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

// loadManifest reads the current manifest of the table stored in dir, or
// returns an empty version-0 manifest when none was published yet.
func loadManifest(dir string, tbl *catalog.Table) (*Manifest, error) {
	ptr, err := os.ReadFile(filepath.Join(dir, manifestDir, currentPointer))
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{TableID: tbl.ID}, nil
	}
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(string(ptr))
	if name == "" || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("manifest pointer of table %d is corrupt: %q", tbl.ID, name)
	}
	return readManifest(dir, name, tbl)
}

// readManifest reads the manifest file name of the table stored in dir.
func readManifest(dir, name string, tbl *catalog.Table) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestDir, name))
	if err != nil {
		return nil, err
	}
	m := new(Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("manifest %s of table %d: %w", name, tbl.ID, err)
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

// publishManifest makes m the current manifest of the table stored in dir.
// The manifest file is written and synced first, then the pointer is
// replaced by rename, so a crash leaves either the old or the new version
// current, never a partial one. A retry after a failed publish writes the
// same version again, also by rename, because the failed attempt may have
// made it current already.
func publishManifest(dir string, m *Manifest) error {
	mdir := filepath.Join(dir, manifestDir)
	if err := mkdirAllSync(mdir); err != nil {
		return err
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	name := fmt.Sprintf(manifestPattern, m.Version)
	if err := replaceFileSync(filepath.Join(mdir, name), data); err != nil {
		return err
	}
	if err := replaceFileSync(filepath.Join(mdir, currentPointer), []byte(name)); err != nil {
		return err
	}
	return syncDir(mdir)
}
