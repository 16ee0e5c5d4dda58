package storage

import (
	"maps"
	"sort"

	"github.com/pqdb/pqdb/catalog"
)

// Snapshot is an immutable read view: the committed state of every
// namespace at one moment, optionally overlaid with one transaction's
// uncommitted catalog changes and rows. It is safe for concurrent use.
type Snapshot struct {
	store  *Store
	spaces map[string]*nsState
	// sharedSpaces: other snapshots hold spaces too (Store.Snapshot);
	// ownSpaces copies it before a change.
	sharedSpaces bool
	pending      map[int64]*pendingTable // by table id; nil outside a transaction
	roles        map[string]*catalog.Role
	asOf         *historicReads // set for a time-travel snapshot (time_travel.go)
	sx           *sxact         // the serializable transaction reading, if any (serializable.go)
}

// ownSpaces makes s.spaces s's own to change.
func (s *Snapshot) ownSpaces() {
	if s.sharedSpaces {
		s.spaces = maps.Clone(s.spaces)
		s.sharedSpaces = false
	}
}

// Schemas returns the schema names in order.
func (s *Snapshot) Schemas() []string {
	out := make([]string, 0, len(s.spaces))
	for name := range s.spaces {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// HasSchema reports whether the schema exists.
func (s *Snapshot) HasSchema(name string) bool { return s.spaces[name] != nil }

// Table returns the named table, or nil.
func (s *Snapshot) Table(schema, name string) *catalog.Table {
	if st := s.spaces[schema]; st != nil {
		if ts := st.tables[name]; ts != nil {
			return ts.table
		}
	}
	return nil
}

// View returns the named view, or nil.
func (s *Snapshot) View(schema, name string) *catalog.View {
	if st := s.spaces[schema]; st != nil {
		return st.views[name]
	}
	return nil
}

// Index returns the named index, or nil.
func (s *Snapshot) Index(schema, name string) *catalog.Index {
	if st := s.spaces[schema]; st != nil {
		return st.indexes[name]
	}
	return nil
}

// Tables returns the tables of a schema in name order.
func (s *Snapshot) Tables(schema string) []*catalog.Table {
	st := s.spaces[schema]
	if st == nil {
		return nil
	}
	out := make([]*catalog.Table, 0, len(st.tables))
	for _, ts := range st.tables {
		out = append(out, ts.table)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Views returns the views of a schema in name order.
func (s *Snapshot) Views(schema string) []*catalog.View {
	st := s.spaces[schema]
	if st == nil {
		return nil
	}
	out := make([]*catalog.View, 0, len(st.views))
	for _, v := range st.views {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Indexes returns the indexes of a schema in name order.
func (s *Snapshot) Indexes(schema string) []*catalog.Index {
	st := s.spaces[schema]
	if st == nil {
		return nil
	}
	out := make([]*catalog.Index, 0, len(st.indexes))
	for _, ix := range st.indexes {
		out = append(out, ix)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Scan returns the live rows of t: the columns cols (indexes into
// t.Columns), then an int64 column of row ids. preds are ANDed and only
// used to skip segments and row groups by their statistics; the caller
// still filters rows.
func (s *Snapshot) Scan(t *catalog.Table, cols []int, preds []Predicate) (RecordReader, error) {
	return s.scan(t, cols, preds, nil)
}

// scan reads t in the snapshot, with setup (if set) adjusting the reader
// before it starts, and notes the read for serializable transactions.
func (s *Snapshot) scan(t *catalog.Table, cols []int, preds []Predicate, setup func(*scanReader)) (RecordReader, error) {
	ts, err := s.readState(t)
	if err != nil {
		return nil, err
	}
	r, err := newScan(s.store, ts, s.pending[t.ID], cols, preds)
	if err != nil {
		return nil, err
	}
	if setup != nil {
		setup(r)
	}
	r.lookUpUnique(s.pending[t.ID])
	return s.sx.noteRead(t, cols, preds, r), nil
}

// tableState is the state of table t in the snapshot, or nil when the
// snapshot has no such table.
func (s *Snapshot) tableState(t *catalog.Table) *tableState {
	if st := s.spaces[t.Schema]; st != nil {
		return st.byID[t.ID]
	}
	return nil
}

// EstimatedRows is the number of live rows of t, counted from manifests
// and tail batch sizes without reading data: deletions of tail rows by
// later tail batches are counted as if they hit segment rows.
func (s *Snapshot) EstimatedRows(t *catalog.Table) int64 {
	ts := s.tableState(t)
	if ts == nil {
		return 0
	}
	var n int64
	for _, seg := range ts.manifest.Segments {
		n += seg.Rows - seg.DeletedRows
	}
	count := func(ins []tailInsert, del []tailDelete) {
		for _, i := range ins {
			n += i.numRows()
		}
		for _, d := range del {
			n -= int64(len(d.ids))
		}
	}
	count(ts.inserts, ts.deletes)
	if p := s.pending[t.ID]; p != nil {
		count(p.inserts, p.deletes)
	}
	return max(n, 0)
}

// TableByID returns the table with the given id (its OID), or nil.
func (s *Snapshot) TableByID(id int64) *catalog.Table {
	for _, st := range s.spaces {
		if ts := st.byID[id]; ts != nil {
			return ts.table
		}
	}
	return nil
}
