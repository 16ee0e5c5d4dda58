package storage

import "maps"

// SameCatalog reports whether o sees the catalog s sees: the same
// schemas with the same definitions of tables, views, indexes, sequences
// and types (compared by identity: a definition that changes is
// replaced, never modified), the same comments and the same roles. Rows
// may differ. Callers that index the catalog (the engine's object-name
// lookups) keep an index for as long as the snapshots they are handed
// see the same catalog, across the commits of rows.
func (s *Snapshot) SameCatalog(o *Snapshot) bool {
	if s == o {
		return true
	}
	if o == nil || s.store != o.store || len(s.spaces) != len(o.spaces) || !maps.Equal(s.roles, o.roles) {
		return false
	}
	for name, a := range s.spaces {
		b := o.spaces[name]
		if b == nil {
			return false
		}
		if a == b {
			continue
		}
		if a.oid != b.oid || a.comment != b.comment || len(a.byID) != len(b.byID) ||
			!maps.Equal(a.views, b.views) || !maps.Equal(a.indexes, b.indexes) ||
			!maps.Equal(a.sequences, b.sequences) || !maps.Equal(a.types, b.types) {
			return false
		}
		for id, ta := range a.byID {
			if tb := b.byID[id]; tb == nil || tb.table != ta.table {
				return false
			}
		}
	}
	return true
}
