package difftest

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// PostgreSQL type OIDs the comparison treats specially.
const (
	oidFloat4 = 700
	oidFloat8 = 701
)

// floatTolerance is the relative difference allowed between float8
// values (sums and averages of floats depend on the order of addition);
// floatNoise is the absolute one, for a sum whose terms cancel, which
// is 0 in one order and 9.25e-18 in another.
const (
	floatTolerance = 1e-9
	floatNoise     = 1e-12
)

// cmpMode is how a column's values compare.
type cmpMode int

const (
	exact        cmpMode = iota // as text
	floatTol                    // float8: within floatTolerance
	numericLoose                // numeric: equal to the shorter one's last digit
)

// sameValue compares two values of one column: exactly as text, except
// float8 (and float4) within floatTolerance.
func sameValue(a, b string, mode cmpMode) bool {
	if a == b {
		return true
	}
	if mode == exact || a == nullText || b == nullText {
		return false
	}
	if mode == numericLoose {
		return numericClose(a, b)
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	if x == 0 && y == 0 {
		// -0 and 0 are equal floats: DISTINCT, GROUP BY and set
		// operations may keep either one as the group's value, in
		// PostgreSQL as in pqdb.
		return true
	}
	if x == y || (math.IsNaN(x) && math.IsNaN(y)) {
		// Equal values printed differently (say 1e+16 and 10000000000000000)
		// are a difference in the text format.
		return false
	}
	return math.Abs(x-y) <= floatTolerance*math.Max(math.Abs(x), math.Abs(y))+floatNoise
}

func floatCols(oids []uint32) []cmpMode {
	f := make([]cmpMode, len(oids))
	for i, o := range oids {
		if o == oidFloat8 || o == oidFloat4 {
			f[i] = floatTol
		}
	}
	return f
}

// numericClose: a and b differ by less than one unit in the last place
// of the one with fewer decimals (0.0000012007537088 against
// 0.000001200753708780288035), or by at most numericRelTolerance of
// the larger (a division rounded to 16 decimals and then divided or
// summed again: 10.1807909604519702 against 10.18079096045197740072).
func numericClose(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(a)
	y, ok2 := new(big.Rat).SetString(b)
	if !ok1 || !ok2 {
		return false
	}
	scale := func(s string) int {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			return len(s) - i - 1
		}
		return 0
	}
	unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(min(scale(a), scale(b)))), nil))
	d := new(big.Rat).Sub(x, y)
	d.Abs(d)
	if d.Cmp(unit) < 0 {
		return true
	}
	ax, ay := new(big.Rat).Abs(x), new(big.Rat).Abs(y)
	if ax.Cmp(ay) < 0 {
		ax = ay
	}
	return d.Cmp(ax.Mul(ax, numericRelTolerance)) <= 0
}

// numericRelTolerance bounds the numeric-precision class: far below any
// difference a wrong row or a wrong operator would make.
var numericRelTolerance = big.NewRat(1, 1_000_000_000_000)

func sameRow(a, b []string, modes []cmpMode) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i], modes[i]) {
			return false
		}
	}
	return true
}

// sortKey orders rows for the multiset comparison; float values are
// rounded so that rows within the tolerance sort alike.
func sortKey(row []string, modes []cmpMode) string {
	var b strings.Builder
	for i, v := range row {
		if modes[i] != exact && v != nullText {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				v = strconv.FormatFloat(x, 'g', 7, 64)
			}
		}
		b.WriteString(v)
		b.WriteByte(0xff)
	}
	return b.String()
}

// CompareResults compares PostgreSQL's result with pqdb's: the column
// types, then the rows as multisets (as sequences when ordered). It
// returns "" when they agree, else a description of the difference.
//
// Under ORDER BY, numerically equal values (0 and 0.000) tie but print
// differently, so rows that tie may come in either order: an ordered
// result also matches when it holds exactly the same rows and is in the
// same order once trailing fractional zeros are dropped. Likewise, float
// values that differ only in addition-order noise may sort either way, so
// an ordered result also matches when every run of rows that is out of
// place is a reordering among rows tied within the float tolerance.
func CompareResults(pg, pq Result, ordered bool) string {
	d := compareResults(pg, pq, ordered, false)
	if d != "" && ordered && compareResults(pg, pq, false, false) == "" &&
		(compareResults(numericNormalized(pg), numericNormalized(pq), true, false) == "" ||
			floatTiesReordered(pg.Rows, pq.Rows, floatCols(pg.OIDs))) {
		return ""
	}
	return d
}

// maxReorderedRun bounds the run of rows floatTiesReordered looks at. A
// near-tie can move a row past every row that ties with it exactly (an
// avg of 0.1s that prints 0.09999999999999999 on one side and 0.1 on the
// other, sorted before or after hundreds of rows of 0.1), so the bound is
// generous; the check is quadratic in it only for results that differ.
const maxReorderedRun = 2048

// floatTiesReordered reports whether pq's rows are pg's, in pg's order
// except within runs of rows that hold the same rows on both sides and
// whose values in some float column are all within the float tolerance
// of each other: a near-tie that addition-order noise can break either
// way.
func floatTiesReordered(pg, pq [][]string, modes []cmpMode) bool {
	if len(pg) != len(pq) {
		return false
	}
	for i := 0; i < len(pg); {
		if sameRow(pg[i], pq[i], modes) {
			i++
			continue
		}
		j := i + 2
		for ; j <= min(len(pg), i+maxReorderedRun); j++ {
			if multisetDiff(pg[i:j], pq[i:j], modes) == "" {
				break
			}
		}
		if j > min(len(pg), i+maxReorderedRun) || !floatTied(pg[i:j], modes) {
			return false
		}
		i = j
	}
	return true
}

// floatTied reports whether some float column holds, in every row, values
// within the float tolerance of the first row's.
func floatTied(rows [][]string, modes []cmpMode) bool {
	for c, m := range modes {
		if m != floatTol {
			continue
		}
		tied := true
		for _, r := range rows[1:] {
			if r[c] == nullText || rows[0][c] == nullText || !sameValue(rows[0][c], r[c], floatTol) {
				tied = false
				break
			}
		}
		if tied {
			return true
		}
	}
	return false
}

// compareResults with looseNumeric compares numeric values with
// numericClose.
func compareResults(pg, pq Result, ordered, looseNumeric bool) string {
	if len(pg.OIDs) != len(pq.OIDs) {
		return fmt.Sprintf("column count: postgres %d, pqdb %d", len(pg.OIDs), len(pq.OIDs))
	}
	var typeDiff string
	for i := range pg.OIDs {
		if pg.OIDs[i] != pq.OIDs[i] {
			typeDiff += fmt.Sprintf("column %d type: postgres %s, pqdb %s\n", i+1, oidName(pg.OIDs[i]), oidName(pq.OIDs[i]))
		}
	}
	modes := floatCols(pg.OIDs)
	for i, o := range pq.OIDs {
		if o == oidFloat8 || o == oidFloat4 {
			modes[i] = floatTol
		}
		if looseNumeric && pg.OIDs[i] == oidNumeric && o == oidNumeric {
			modes[i] = numericLoose
		}
	}
	if ordered {
		if rowsDiff := orderedDiff(pg.Rows, pq.Rows, modes); rowsDiff != "" {
			return typeDiff + rowsDiff
		}
		return typeDiff
	}
	return typeDiff + multisetDiff(pg.Rows, pq.Rows, modes)
}

func orderedDiff(pg, pq [][]string, modes []cmpMode) string {
	n := max(len(pg), len(pq))
	for i := range n {
		if i >= len(pg) || i >= len(pq) || !sameRow(pg[i], pq[i], modes) {
			var b strings.Builder
			fmt.Fprintf(&b, "ordered results differ at row %d (postgres %d rows, pqdb %d rows)\n", i+1, len(pg), len(pq))
			b.WriteString(sideBySide(pg, pq, 40))
			return b.String()
		}
	}
	return ""
}

// multisetDiff compares rows regardless of order.
func multisetDiff(pg, pq [][]string, modes []cmpMode) string {
	if len(pg) == len(pq) {
		a, b := sortedRows(pg, modes), sortedRows(pq, modes)
		same := true
		for i := range a {
			if !sameRow(a[i], b[i], modes) {
				same = false
				break
			}
		}
		if same {
			return ""
		}
	}
	onlyPG, onlyPQ := unmatched(pg, pq, modes)
	if len(onlyPG) == 0 && len(onlyPQ) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "postgres %d rows, pqdb %d rows; %d only in postgres, %d only in pqdb\n", len(pg), len(pq), len(onlyPG), len(onlyPQ))
	show := func(title string, rows [][]string) {
		if len(rows) == 0 {
			return
		}
		b.WriteString(title + "\n")
		for i, r := range rows {
			if i == 20 {
				fmt.Fprintf(&b, "  ... %d more\n", len(rows)-20)
				break
			}
			b.WriteString("  " + rowText(r) + "\n")
		}
	}
	show("only in postgres:", onlyPG)
	show("only in pqdb:", onlyPQ)
	return b.String()
}

func sortedRows(rows [][]string, modes []cmpMode) [][]string {
	out := append([][]string(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool { return sortKey(out[i], modes) < sortKey(out[j], modes) })
	return out
}

// unmatched pairs rows up (exactly, then within the float tolerance)
// and returns the rows left over on each side.
func unmatched(pg, pq [][]string, modes []cmpMode) (onlyPG, onlyPQ [][]string) {
	count := map[string][]int{}
	for i, r := range pq {
		k := strings.Join(r, "\xff")
		count[k] = append(count[k], i)
	}
	used := make([]bool, len(pq))
	var rest []int
	for i, r := range pg {
		k := strings.Join(r, "\xff")
		if idx := count[k]; len(idx) > 0 {
			used[idx[0]] = true
			count[k] = idx[1:]
			continue
		}
		rest = append(rest, i)
	}
	hasFloat := false
	for _, f := range modes {
		hasFloat = hasFloat || f != exact
	}
	for _, i := range rest {
		found := false
		if hasFloat && len(rest) <= 2000 {
			for j := range pq {
				if !used[j] && sameRow(pg[i], pq[j], modes) {
					used[j], found = true, true
					break
				}
			}
		}
		if !found {
			onlyPG = append(onlyPG, pg[i])
		}
	}
	for j, u := range used {
		if !u {
			onlyPQ = append(onlyPQ, pq[j])
		}
	}
	return onlyPG, onlyPQ
}

func rowText(r []string) string {
	vals := make([]string, len(r))
	for i, v := range r {
		if v == nullText {
			vals[i] = "NULL"
		} else {
			vals[i] = strconv.Quote(v)
			if _, err := strconv.ParseFloat(v, 64); err == nil || v == "t" || v == "f" {
				vals[i] = v
			}
		}
	}
	return "(" + strings.Join(vals, ", ") + ")"
}

// sideBySide prints the first rows of both results.
func sideBySide(pg, pq [][]string, limit int) string {
	var b strings.Builder
	for _, side := range []struct {
		name string
		rows [][]string
	}{{"postgres", pg}, {"pqdb", pq}} {
		b.WriteString(side.name + ":\n")
		for i, r := range side.rows {
			if i == limit {
				fmt.Fprintf(&b, "  ... %d more\n", len(side.rows)-limit)
				break
			}
			b.WriteString("  " + rowText(r) + "\n")
		}
	}
	return b.String()
}

var oidNames = map[uint32]string{16: "bool", 20: "int8", 21: "int2", 23: "int4", 25: "text", 700: "float4", 701: "float8",
	1043: "varchar", 1082: "date", 1700: "numeric", 705: "unknown", 1042: "bpchar", 1114: "timestamp", 1184: "timestamptz",
	1186: "interval", 3802: "jsonb", 114: "json", 1005: "int2[]", 1007: "int4[]", 1016: "int8[]", 1009: "text[]", 1015: "varchar[]"}

func oidName(o uint32) string {
	if n, ok := oidNames[o]; ok {
		return n
	}
	return fmt.Sprint(o)
}

// withOIDs is r with other column types (to tell a type difference from
// a value difference).
func withOIDs(r Result, oids []uint32) Result {
	if len(r.OIDs) == len(oids) {
		r.OIDs = oids
	}
	return r
}

const oidNumeric = 1700

// numericNormalized is r with numeric values stripped of trailing
// fractional zeros, so that 1.50 and 1.5 compare equal: results that
// agree only after this differ in numeric scale (display), not value.
func numericNormalized(r Result) Result {
	out := r
	out.Rows = make([][]string, len(r.Rows))
	for i, row := range r.Rows {
		nr := append([]string(nil), row...)
		for j, v := range nr {
			if j < len(r.OIDs) && r.OIDs[j] == oidNumeric && strings.Contains(v, ".") {
				v = strings.TrimRight(v, "0")
				v = strings.TrimSuffix(v, ".")
				if v == "-0" {
					v = "0"
				}
				nr[j] = v
			}
		}
		out.Rows[i] = nr
	}
	return out
}

// emptyRowsAsNull is r with the rows whose every non-NULL value is the
// empty string turned into all NULLs: results that agree only after
// this show pqdb sending such rows as NULLs.
func emptyRowsAsNull(r Result) Result {
	out := r
	out.Rows = make([][]string, len(r.Rows))
	for i, row := range r.Rows {
		allEmpty := true
		for _, v := range row {
			if v != "" && v != nullText {
				allEmpty = false
			}
		}
		if allEmpty {
			nr := make([]string, len(row))
			for j := range nr {
				nr[j] = nullText
			}
			row = nr
		}
		out.Rows[i] = row
	}
	return out
}

// rowsFollowOrder reports whether res's rows could be in the order terms
// ask for, as far as it can tell: NULL placement, and numbers compared as
// numbers. Other values (text under the database's collation, dates, ...)
// are taken to be in order. PostgreSQL 15 itself can break its ORDER BY:
// it drops a sort key it folded to a constant even inside GROUPING SETS,
// where the grouping makes that value NULL in some rows (PostgreSQL 18
// fixed this), and then its row order proves nothing.
func rowsFollowOrder(res Result, terms []OrderTerm) bool {
	for i := 1; i < len(res.Rows); i++ {
		if !pairInOrder(res.Rows[i-1], res.Rows[i], res.OIDs, terms) {
			return false
		}
	}
	return true
}

func pairInOrder(a, b []string, oids []uint32, terms []OrderTerm) bool {
	for _, t := range terms {
		c := t.Pos - 1
		if c < 0 || c >= len(a) || a[c] == b[c] {
			continue
		}
		nullsFirst := t.Nulls == "NULLS FIRST" || t.Nulls == "" && t.Desc
		switch {
		case a[c] == nullText:
			return nullsFirst
		case b[c] == nullText:
			return !nullsFirst
		}
		switch oids[c] {
		case 20, 21, 23, oidFloat4, oidFloat8, oidNumeric:
			x, errX := strconv.ParseFloat(a[c], 64)
			y, errY := strconv.ParseFloat(b[c], 64)
			if errX != nil || errY != nil {
				return true
			}
			if x == y {
				continue // 1.5 and 1.50 tie
			}
			return x < y != t.Desc
		}
		return true
	}
	return true
}
