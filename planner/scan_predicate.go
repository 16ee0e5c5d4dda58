package planner

import (
	"math"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// Storage skips segments, row groups and pages that no row satisfying a
// scan's predicates can be in (storage.Predicate). scanPredicates derives
// them from a scan's pushed-down filter conjuncts: comparisons of a
// column with a constant or a parameter (whose value is bound by the time
// a plan is lowered, so prepared statements prune too), IN lists of
// those, IS [NOT] NULL, LIKE 'prefix%' on text, and the same through a
// cast that keeps order and loses nothing (integer widening, date to
// timestamp), mapped back to the column's own domain. A predicate is a
// superset of its conjunct's rows: the filter above the scan still
// evaluates every row, so an imprecise predicate costs only reads, while
// one that excludes a row the conjunct admits would be a wrong answer.
// Anything not provably safe yields no predicate.

// scanPredicates returns the storage predicates implied by the filter
// conjunct f of scan s.
func (l *lowerer) scanPredicates(s *Scan, f Expr) []storage.Predicate {
	return l.appendScanPredicates(nil, s, f)
}

// appendScanPredicates appends scanPredicates(s, f) to dst.
func (l *lowerer) appendScanPredicates(dst []storage.Predicate, s *Scan, f Expr) []storage.Predicate {
	switch x := f.(type) {
	case *BoolExpr:
		if !x.And {
			return dst
		}
		for _, a := range x.Args {
			dst = l.appendScanPredicates(dst, s, a)
		}
	case *BinExpr:
		if x.Op >= exec.OpLike && x.Op <= exec.OpNotILike {
			return append(dst, l.likePredicates(s, x)...)
		}
		if p, ok := l.comparePredicate(s, x); ok {
			return append(dst, p)
		}
	case *InList:
		if p, ok := l.inPredicate(s, x); ok {
			return append(dst, p)
		}
	case *NullTest:
		if x.Datum {
			return dst
		}
		col, ok := scanColumn(s, x.Arg)
		if !ok || s.Table.Columns[col].Type.Kind == catalog.Record {
			return dst
		}
		op := storage.IsNull
		if x.Not {
			op = storage.IsNotNull
		}
		return append(dst, storage.Predicate{Column: col, Op: op})
	}
	return dst
}

// scanColumn returns the table column e reads, when e is a column of s.
func scanColumn(s *Scan, e Expr) (int, bool) {
	c, ok := e.(*ColRef)
	if !ok || c.Index < 0 || c.Index >= len(s.Cols) {
		return 0, false
	}
	return s.Cols[c.Index], true
}

// boundValue returns the value of a constant or a bound parameter, and
// its type; false for any other expression or a NULL.
func (l *lowerer) boundValue(e Expr) (catalog.Datum, catalog.Type, bool) {
	var v catalog.Datum
	switch x := e.(type) {
	case *Const:
		v = x.Value
	case *Param:
		if x.Index < len(l.params) {
			v = l.params[x.Index]
		}
	default:
		return nil, catalog.Type{}, false
	}
	return v, e.Type(), v != nil
}

// storageComparisons are the storage comparisons of column op value,
// and of value op column (5 < col is col > 5). A list, not a map: it is
// read at every execution of a prepared statement.
var storageComparisons = [...]struct {
	op             exec.BinaryOp
	plain, flipped storage.CompareOp
}{
	{exec.OpEq, storage.Eq, storage.Eq},
	{exec.OpLt, storage.Lt, storage.Gt},
	{exec.OpLe, storage.Le, storage.Ge},
	{exec.OpGt, storage.Gt, storage.Lt},
	{exec.OpGe, storage.Ge, storage.Le},
}

// storageCompare is the storage comparison of column op value, or with
// flipped of value op column; false for an op that is not a comparison.
func storageCompare(op exec.BinaryOp, flipped bool) (storage.CompareOp, bool) {
	for _, c := range storageComparisons {
		if c.op == op {
			if flipped {
				return c.flipped, true
			}
			return c.plain, true
		}
	}
	return 0, false
}

// comparePredicate recognises column-op-value (either way round).
func (l *lowerer) comparePredicate(s *Scan, b *BinExpr) (storage.Predicate, bool) {
	colSide, val, flipped := b.L, b.R, false
	if _, _, ok := l.boundValue(colSide); ok {
		colSide, val, flipped = b.R, b.L, true
	}
	op, ok := storageCompare(b.Op, flipped)
	if !ok {
		return storage.Predicate{}, false
	}
	v, vt, ok := l.boundValue(val)
	if !ok {
		return storage.Predicate{}, false
	}
	col, op, v, ok := l.columnDomain(s, colSide, op, v, vt)
	if !ok {
		return storage.Predicate{}, false
	}
	return storage.Predicate{Column: col, Op: op, Value: v}, true
}

// columnDomain maps "e op v" (v of type vt) to an equivalent comparison
// of a column of s with a value of the column's type: e is the column
// itself (of v's type), or the column under an order-preserving exact
// cast whose inverse is applied to v.
func (l *lowerer) columnDomain(s *Scan, e Expr, op storage.CompareOp, v catalog.Datum, vt catalog.Type) (int, storage.CompareOp, catalog.Datum, bool) {
	if col, ok := scanColumn(s, e); ok {
		return col, op, v, vt == s.Table.Columns[col].Type
	}
	c, ok := e.(*CastExpr)
	if !ok || c.T.Kind != vt.Kind {
		return 0, 0, nil, false
	}
	col, ok := scanColumn(s, c.Arg)
	if !ok || c.Arg.Type() != s.Table.Columns[col].Type {
		return 0, 0, nil, false
	}
	from := s.Table.Columns[col].Type
	switch {
	case isIntKind(from.Kind) && isIntKind(vt.Kind) && intWidth(from.Kind) <= intWidth(vt.Kind):
		n, ok := intDatum(v)
		if !ok {
			return 0, 0, nil, false
		}
		d, ok := narrowInt(n, from.Kind)
		return col, op, d, ok
	case from.Kind == catalog.Date && vt.Kind == catalog.Timestamp:
		ts, ok := v.(int64)
		if !ok || ts == catalog.TimestampInfinity || ts == catalog.TimestampNegInfinity {
			return 0, 0, nil, false
		}
		op, day, ok := dateBound(op, ts)
		return col, op, day, ok
	}
	op, v, ok = castKeyValue(from, c.T, op, v)
	return col, op, v, ok && vt == c.T
}

func intDatum(v catalog.Datum) (int64, bool) {
	switch n := v.(type) {
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// narrowInt returns n as a Datum of the integer kind k, when it fits.
func narrowInt(n int64, k catalog.Kind) (catalog.Datum, bool) {
	switch k {
	case catalog.Int2:
		return int16(n), n >= math.MinInt16 && n <= math.MaxInt16
	case catalog.Int4:
		return int32(n), n >= math.MinInt32 && n <= math.MaxInt32
	}
	return n, true
}

const microsPerDay = 86_400_000_000

// dateBound maps "date::timestamp op ts" to "date op' day": a date is
// midnight of its day, so d::timestamp >= ts holds when d is at least the
// day ts falls in, rounded up unless ts is a midnight. Days beyond the
// finite dates (whose infinities compare as the timestamp infinities
// they cast to only while day stays finite) give no bound.
func dateBound(op storage.CompareOp, ts int64) (storage.CompareOp, catalog.Datum, bool) {
	floor := ts / microsPerDay
	if ts%microsPerDay < 0 {
		floor--
	}
	exact := floor*microsPerDay == ts
	ceil := floor
	if !exact {
		ceil++
	}
	day := floor
	switch op {
	case storage.Eq:
		if !exact {
			return 0, nil, false
		}
	case storage.Ge, storage.Lt:
		day = ceil
	}
	if day <= math.MinInt32 || day >= math.MaxInt32 {
		return 0, nil, false
	}
	return op, int32(day), true
}

// inPredicate recognises column IN (values), every value a constant or
// a bound parameter of the column's type (NULLs included: they match
// nothing).
func (l *lowerer) inPredicate(s *Scan, in *InList) (storage.Predicate, bool) {
	if in.Not {
		return storage.Predicate{}, false
	}
	col, ok := scanColumn(s, in.Arg)
	cast, _ := in.Arg.(*CastExpr)
	if !ok && cast != nil {
		// The column under a cast castKeyValue maps values back through.
		col, ok = scanColumn(s, cast.Arg)
		ok = ok && cast.Arg.Type() == s.Table.Columns[col].Type && keyCast(cast.Arg.Type(), cast.T)
	}
	if !ok {
		return storage.Predicate{}, false
	}
	t := s.Table.Columns[col].Type
	if cast != nil {
		t = cast.T
	}
	vals := make([]catalog.Datum, 0, len(in.List))
	for _, e := range in.List {
		var v catalog.Datum
		switch x := e.(type) {
		case *Const:
			v = x.Value
		case *Param:
			if x.Index >= len(l.params) {
				return storage.Predicate{}, false
			}
			v = l.params[x.Index]
		default:
			return storage.Predicate{}, false
		}
		if e.Type() != t {
			return storage.Predicate{}, false
		}
		if cast != nil && v != nil {
			var equal bool
			if _, v, equal = castKeyValue(cast.Arg.Type(), t, storage.Eq, v); !equal {
				continue // equals no value of the column
			}
		}
		vals = append(vals, v)
	}
	return storage.Predicate{Column: col, Op: storage.In, Values: vals}, len(vals) > 0
}

// likePredicates bounds column LIKE 'prefix...' on text: every match
// starts with the pattern's literal prefix, so lies in [prefix,
// successor of prefix) in byte order, the order of every collation pqdb
// has. NOT LIKE, ILIKE and char(n) (whose LIKE ignores trailing blanks)
// give none.
func (l *lowerer) likePredicates(s *Scan, b *BinExpr) []storage.Predicate {
	if b.Op != exec.OpLike {
		return nil
	}
	col, ok := scanColumn(s, b.L)
	if !ok {
		return nil
	}
	t := s.Table.Columns[col].Type
	if t.Kind != catalog.Text && t.Kind != catalog.Varchar && t.Kind != catalog.Name || b.L.Type() != t {
		return nil
	}
	v, _, ok := l.boundValue(b.R)
	pattern, isText := v.(string)
	if !ok || !isText {
		return nil
	}
	prefix := likePrefix(pattern)
	if prefix == "" {
		return nil
	}
	preds := []storage.Predicate{{Column: col, Op: storage.Ge, Value: prefix}}
	if next, ok := prefixSuccessor(prefix); ok {
		preds = append(preds, storage.Predicate{Column: col, Op: storage.Lt, Value: next})
	}
	return preds
}

// likePrefix is the literal text a LIKE pattern's matches start with: up
// to its first unescaped % or _, a backslash making the next character
// literal. A pattern ending in a lone backslash (an error to LIKE) has
// none.
func likePrefix(pattern string) string {
	var out []byte
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '%', '_':
			return string(out)
		case '\\':
			if i+1 == len(pattern) {
				return ""
			}
			i++
			out = append(out, pattern[i])
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// prefixSuccessor is the least byte string above every string starting
// with prefix: prefix with its last byte below 0xFF incremented and what
// follows dropped; false when every byte is 0xFF.
func prefixSuccessor(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
