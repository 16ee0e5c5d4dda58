package storage

import (
	"cmp"
	"slices"
	"sort"
	"unsafe"

	"github.com/pqdb/pqdb/catalog"
)

// CompareOp is the comparison of a scan Predicate.
type CompareOp uint8

const (
	Eq CompareOp = iota
	Lt
	Le
	Gt
	Ge
	// In holds when the column equals one of Predicate.Values.
	In
	// IsNull and IsNotNull test the column for NULL; they take no value.
	IsNull
	IsNotNull
)

// Predicate is "column Op Value" over one column of the scanned table
// (Column indexes Table.Columns); for In, "column = any of Values". A
// value has the column's type, in the Go representation of catalog.Datum
// (a numeric is a decimal128.Num scaled to the column's Type.Scale, or
// for a var-scale numeric column its numeric-package encoding as []byte,
// compared with numeric.Compare; an integer is also accepted there). A
// predicate whose value is nil or does not fit the column is ignored, as
// is an In whose list holds such a value (a NULL in the list is dropped:
// it equals nothing). Text and bytea are ordered byte-wise (the C
// collation, which every collation pqdb has orders as); an enum column
// takes only Eq and In, its values being ordered by their labels'
// declared order; char(n) takes none, its comparisons ignoring trailing
// blanks that its stored form keeps (but for the order keys of an index
// lookup, index_order_keys.go).
//
// Scans use predicates only to skip what cannot match: segments and row
// groups by their statistics, bloom filters and dictionaries, pages by
// the page index, and rows whose value an equality's narrowing or a
// dictionary's codes prove to fail (page_narrow.go,
// dictionary_filter.go). They may return rows that fail: the caller
// evaluates its filter on every row a scan returns.
type Predicate struct {
	Column int
	Op     CompareOp
	Value  catalog.Datum
	Values []catalog.Datum // In
}

// boundedPredicate is a Predicate with its values decoded into the
// column's statistics domain.
type boundedPredicate struct {
	column int
	op     CompareOp
	dom    statDomain
	value  bound
	values []bound // In: sorted, distinct
	// members is the set of an integer In list's values, made once
	// for every page a scan narrows by them (page_narrow.go).
	members *intMembers
}

// preparePredicates keeps the predicates that statistics can decide.
func preparePredicates(t *catalog.Table, preds []Predicate) []boundedPredicate {
	var out []boundedPredicate
	for _, p := range preds {
		if p.Column < 0 || p.Column >= len(t.Columns) {
			continue
		}
		typ := t.Columns[p.Column].Type
		if typ.Kind == catalog.Bpchar {
			// 'ab' = 'ab  ' and 'a\x01' < 'a' as char(n): neither the
			// stored, padded bytes nor their order match the comparisons,
			// but equality with padded values does (bpchar_predicate.go).
			padded, ok := bpcharEquality(typ, p)
			if !ok || len(padded) == 0 {
				continue
			}
			p = Predicate{Column: p.Column, Op: In, Values: padded}
		}
		if typ.HasEnum() && p.Op != Eq && p.Op != In {
			// Enum values order by their labels' declared order, which
			// the statistics (of the labels' bytes) do not know; they
			// still bound which labels a row group holds.
			continue
		}
		if typ.Kind == catalog.Array && (p.Op == IsNull || p.Op == IsNotNull) {
			// A list's Parquet NULL counts count NULL elements too.
			continue
		}
		dom := domainOf(typ)
		if dom == domNone && p.Op != IsNull && p.Op != IsNotNull {
			continue
		}
		bp := boundedPredicate{column: p.Column, op: p.Op, dom: dom}
		switch p.Op {
		case IsNull, IsNotNull:
		case In:
			vals, ok := inListBounds(dom, p.Values)
			if !ok {
				continue
			}
			bp.values = vals
			if dom == domInt && len(vals) > 1 {
				bp.members = intMembersOf(vals)
			}
		default:
			if p.Value == nil {
				continue
			}
			b, ok := datumBound(dom, p.Value)
			if !ok {
				continue
			}
			bp.value = b
		}
		out = append(out, bp)
	}
	return out
}

// inListBounds decodes the non-NULL values of an In list, sorted and
// without duplicates; false when one does not fit the domain or none is
// left.
func inListBounds(dom statDomain, vals []catalog.Datum) ([]bound, bool) {
	out := make([]bound, 0, len(vals))
	for _, v := range vals {
		if v == nil {
			continue
		}
		b, ok := datumBound(dom, v)
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, false
	}
	return sortedBounds(dom, out), true
}

// columnBounds is the decoded form of a ColumnStats, or of one page's
// entry in a column index. nulls is negative when unknown.
type columnBounds struct {
	rows, nulls int64
	has         bool
	min, max    bound
}

// excludes reports whether no row with these bounds can satisfy p.
func (p *boundedPredicate) excludes(cb *columnBounds) bool {
	switch p.op {
	case IsNull:
		return cb.nulls == 0
	case IsNotNull:
		return cb.nulls == cb.rows
	}
	if cb.nulls == cb.rows {
		// Every value is NULL, and a comparison with NULL is never true.
		return true
	}
	if !cb.has {
		return false
	}
	if p.dom == domInt {
		return p.excludesInts(cb.min.i, cb.max.i)
	}
	return p.excludesBounds(cb)
}

// excludesBounds is excludes over cb's min and max (set), in any domain.
func (p *boundedPredicate) excludesBounds(cb *columnBounds) bool {
	switch p.op {
	case Eq:
		return compareBounds(p.dom, p.value, cb.min) < 0 || compareBounds(p.dom, p.value, cb.max) > 0
	case In:
		// The first value not below min must exceed max.
		i, _ := slices.BinarySearchFunc(p.values, cb.min, func(v, mn bound) int { return compareBounds(p.dom, v, mn) })
		return i == len(p.values) || compareBounds(p.dom, p.values[i], cb.max) > 0
	case Lt:
		return compareBounds(p.dom, cb.min, p.value) >= 0
	case Le:
		return compareBounds(p.dom, cb.min, p.value) > 0
	case Gt:
		return compareBounds(p.dom, cb.max, p.value) <= 0
	case Ge:
		return compareBounds(p.dom, cb.max, p.value) < 0
	}
	return false
}

// excludesInts is excludes over integer bounds lo..hi, without the
// generic comparison's copies of whole bounds: the path of every point
// lookup's walk over a tail of single-row batches (tail_bounds.go).
func (p *boundedPredicate) excludesInts(lo, hi int64) bool {
	switch p.op {
	case Eq:
		return p.value.i < lo || p.value.i > hi
	case In:
		// The first value not below lo must exceed hi.
		i, _ := slices.BinarySearchFunc(p.values, lo, func(v bound, lo int64) int { return cmp.Compare(v.i, lo) })
		return i == len(p.values) || p.values[i].i > hi
	case Lt:
		return lo >= p.value.i
	case Le:
		return lo > p.value.i
	case Gt:
		return hi <= p.value.i
	case Ge:
		return hi < p.value.i
	}
	return false
}

// equalityDensity estimates the share of a column's distinct values
// that p, an equality, admits, from the column's statistics cb (nil: none)
// over rows rows: for integers, its values within the bounds over the
// integers the bounds span; otherwise its values over the rows, as if
// every row held its own value.
func (p *boundedPredicate) equalityDensity(cb *columnBounds, rows int64) float64 {
	eq := p.equalities()
	if p.dom == domInt && cb != nil && cb.has && cb.max.i >= cb.min.i {
		lo, _ := slices.BinarySearchFunc(eq, cb.min.i, func(v bound, x int64) int { return cmp.Compare(v.i, x) })
		hi := lo + sort.Search(len(eq)-lo, func(k int) bool { return eq[lo+k].i > cb.max.i })
		return float64(hi-lo) / (float64(cb.max.i) - float64(cb.min.i) + 1)
	}
	return float64(len(eq)) / float64(max(rows, 1))
}

// equalities are the values an Eq or In predicate admits, the ones a
// bloom filter can rule out; nil for other predicates.
func (p *boundedPredicate) equalities() []bound {
	switch p.op {
	case Eq:
		return []bound{p.value}
	case In:
		return p.values
	}
	return nil
}

// unsafeBytes views s as a byte slice without copying; the result must not
// be modified.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
