package planner

import (
	"slices"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/storage"
)

// A scan of a stored table reads through one of the table's secondary
// indexes (an Index Scan, in EXPLAIN as in PostgreSQL) when its filters
// pick few rows by the index's key: storage then looks each segment's
// rows up in the segment's index file and decodes only the pages holding
// them (storage/index_scan.go). Without column statistics to estimate
// selectivity from, the rule is PostgreSQL's default estimate turned
// into a choice: an equality (= or IN) on the index's leading key column,
// or a range bounded on both sides (BETWEEN), is selective. Equalities on
// more of the key's columns make an index better; between equals, a
// unique index wins, then the older. No index is chosen when the table's
// own segment order (its sort key or primary key) already starts with an
// equality's column: the segments' statistics and page index find those
// rows without an index file. Where the catalog bounds the distinct
// values of the key columns the equalities are on (storage's
// EstimatedDistinct, for integer and bool columns) and the equalities
// would pick more than maxIndexFraction of the rows, the table is read
// in full instead. The rows read are always the rows the
// sequential scan would return (the filters still run on them), so the
// choice changes speed, never results; enable_indexscan = off turns it
// off.

// IndexScanner is a Catalog that reads a table through a secondary
// index: storage.Snapshot is.
type IndexScanner interface {
	ScanIndex(t *catalog.Table, ix *catalog.Index, cols []int, preds []storage.Predicate) (storage.RecordReader, error)
}

// indexScan returns the index scan s reads through, with the catalog that
// scans it, or nils for a sequential scan; preds are s's filters lowered
// to storage predicates. When explaining, the entry records the choice.
func (l *lowerer) indexScan(s *Scan, preds []storage.Predicate) (IndexScanner, *catalog.Index) {
	ic, ok := l.cat.(IndexScanner)
	if !ok || l.opts.NoIndexScan {
		return nil, nil
	}
	ix := chooseIndex(l.cat, s, preds)
	if ix == nil {
		return nil, nil
	}
	if e := l.entry(); e != nil {
		e.name, e.index = "Index Scan", ix
		e.indexConds, e.indexFilters = l.splitIndexConds(s, ix)
	}
	return ic, ix
}

// chooseIndex returns the index of s's table that s is best read through,
// or nil (see the comment at the top of the file).
func chooseIndex(cat Catalog, s *Scan, preds []storage.Predicate) *catalog.Index {
	t := s.Table
	if len(preds) == 0 || t == nil || t.System || s.Files != nil || s.HistoryOf != nil || s.AsOf != nil {
		return nil
	}
	if lead := segmentLeadColumn(t); lead >= 0 && hasEquality(preds, lead) {
		return nil
	}
	var best *catalog.Index
	bestScore := 0
	for _, ix := range cat.Indexes(t.Schema) {
		if ix.Table != t.Name || !storage.IndexFilesKept(t, ix) {
			continue
		}
		score := indexScore(t, ix, preds)
		if score == 0 || unselective(cat, t, ix, preds) {
			continue
		}
		if score > bestScore || score == bestScore && ix.Unique && !best.Unique {
			best, bestScore = ix, score
		}
	}
	return best
}

// indexScore rates reading through ix for preds: 0 when ix does not
// help, more for equalities on more key columns.
func indexScore(t *catalog.Table, ix *catalog.Index, preds []storage.Predicate) int {
	score := 0
	for k, name := range ix.Columns {
		c := t.ColumnIndex(name)
		switch {
		case hasEquality(preds, c):
			score += 10
			continue
		case k == 0 && ix.AccessMethod() != "hash" && hasRange(preds, c):
			// A hash index, as in PostgreSQL, serves only equalities.
			return 5
		}
		break
	}
	return score
}

// maxIndexFraction is the largest share of a table's rows the
// equalities on an index's key columns may be estimated to pick for the
// index to be read: beyond it, the pages holding the rows are most of
// the table's.
const maxIndexFraction = 0.2

// unselective reports whether the catalog's column estimates show that
// the equalities (= or IN) on ix's leading key columns pick more than
// maxIndexFraction of t's rows: columns of few distinct values (a bool
// alone, say, but not a bool and an id). Each column's share is its
// values over its distinct values, the columns taken as independent; a
// column without an estimate is taken as selective.
func unselective(cat Catalog, t *catalog.Table, ix *catalog.Index, preds []storage.Predicate) bool {
	est, ok := cat.(tableEstimates)
	if !ok {
		return false
	}
	share, counted := 1.0, false
	for _, name := range ix.Columns {
		c := t.ColumnIndex(name)
		values := 0
		for _, p := range preds {
			switch {
			case p.Column != c:
			case p.Op == storage.Eq:
				values = 1
			case p.Op == storage.In && values == 0:
				values = len(p.Values)
			}
		}
		if values == 0 {
			break
		}
		distinct, ok := est.EstimatedDistinct(t, c)
		if !spanBoundedKind(t.Columns[c].Type.Kind) {
			// Only the span-bounded estimates decide, as before the
			// catalog estimated every type (sketches, storage/hll.go):
			// other types' lookups keep their index.
			ok = false
		}
		if t.Columns[c].Type.Kind == catalog.Bool {
			distinct, ok = 2, true // whatever the unflushed rows
		}
		if !ok || distinct <= 0 {
			return false
		}
		share *= float64(values) / float64(distinct)
		counted = true
	}
	return counted && share > maxIndexFraction
}

// spanBoundedKind reports whether storage bounds the distinct values of
// a column of kind k by its span (it stores them as integers).
func spanBoundedKind(k catalog.Kind) bool {
	switch k {
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Bool, catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		return true
	}
	return false
}

// segmentLeadColumn is the first column segments of t are ordered by
// (storage's segment order: the sort key, else the primary key), or -1.
func segmentLeadColumn(t *catalog.Table) int {
	if len(t.SortKey) > 0 {
		return t.ColumnIndex(t.SortKey[0])
	}
	if len(t.PrimaryKey) > 0 {
		return t.PrimaryKey[0]
	}
	return -1
}

// hasEquality reports whether preds hold an Eq or In on column c.
func hasEquality(preds []storage.Predicate, c int) bool {
	return slices.ContainsFunc(preds, func(p storage.Predicate) bool {
		return p.Column == c && (p.Op == storage.Eq || p.Op == storage.In)
	})
}

// hasRange reports whether preds bound column c from below and above.
func hasRange(preds []storage.Predicate, c int) bool {
	lower := slices.ContainsFunc(preds, func(p storage.Predicate) bool {
		return p.Column == c && (p.Op == storage.Gt || p.Op == storage.Ge)
	})
	upper := slices.ContainsFunc(preds, func(p storage.Predicate) bool {
		return p.Column == c && (p.Op == storage.Lt || p.Op == storage.Le)
	})
	return lower && upper
}

// splitIndexConds splits s's filters into the conjuncts on ix's key
// columns that storage searches the index by (EXPLAIN's Index Cond) and
// the others (its Filter).
func (l *lowerer) splitIndexConds(s *Scan, ix *catalog.Index) (conds, rest []Expr) {
	for _, f := range s.Filters {
		for _, c := range splitAnd(f) {
			onKey := false
			for _, p := range l.scanPredicates(s, c) {
				if slices.Contains(ix.Columns, s.Table.Columns[p.Column].Name) {
					onKey = true
				}
			}
			if onKey {
				conds = append(conds, c)
			} else {
				rest = append(rest, c)
			}
		}
	}
	return conds, rest
}

// usesIndex reports whether the scan s would read through an index.
func (l *lowerer) usesIndex(s *Scan, preds []storage.Predicate) bool {
	_, ok := l.cat.(IndexScanner)
	return ok && !l.opts.NoIndexScan && chooseIndex(l.cat, s, preds) != nil
}
