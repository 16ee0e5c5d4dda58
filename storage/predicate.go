package storage

import (
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
)

// Predicate is "column Op Value" over one column of the scanned table
// (Column indexes Table.Columns). Value has the column's type, in the Go
// representation of catalog.Datum (a numeric is a decimal128.Num scaled
// to the column's Type.Scale, or for a var-scale numeric column its
// numeric-package encoding as []byte, compared with numeric.Compare; an
// integer is also accepted there); a nil Value is ignored, as is one
// that does not fit the column. Text and bytea are ordered byte-wise (the
// C collation); an enum column takes only Eq, its values being ordered by
// their labels' declared order. Scans use predicates only to skip whole
// segments and row groups whose statistics prove that no row can match;
// they never filter individual rows.
type Predicate struct {
	Column int
	Op     CompareOp
	Value  catalog.Datum
}

// boundedPredicate is a Predicate with its value decoded into the
// column's statistics domain.
type boundedPredicate struct {
	column int
	op     CompareOp
	dom    statDomain
	value  bound
}

// preparePredicates keeps the predicates that statistics can decide.
func preparePredicates(t *catalog.Table, preds []Predicate) []boundedPredicate {
	var out []boundedPredicate
	for _, p := range preds {
		if p.Column < 0 || p.Column >= len(t.Columns) || p.Value == nil {
			continue
		}
		if t.Columns[p.Column].Type.HasEnum() && p.Op != Eq {
			// Enum values order by their labels' declared order, which
			// the statistics (of the labels' bytes) do not know; they
			// still bound which labels a row group holds.
			continue
		}
		dom := domainOf(t.Columns[p.Column].Type)
		if dom == domNone {
			continue
		}
		b, ok := datumBound(dom, p.Value)
		if !ok {
			continue
		}
		out = append(out, boundedPredicate{column: p.Column, op: p.Op, dom: dom, value: b})
	}
	return out
}

// columnBounds is the decoded form of a ColumnStats.
type columnBounds struct {
	rows, nulls int64
	has         bool
	min, max    bound
}

// excludes reports whether no row with these bounds can satisfy p.
func (p *boundedPredicate) excludes(cb *columnBounds) bool {
	if cb.nulls == cb.rows {
		// Every value is NULL, and a comparison with NULL is never true.
		return true
	}
	if !cb.has {
		return false
	}
	switch p.op {
	case Eq:
		return compareBounds(p.dom, p.value, cb.min) < 0 || compareBounds(p.dom, p.value, cb.max) > 0
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

// unsafeBytes views s as a byte slice without copying; the result must not
// be modified.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
