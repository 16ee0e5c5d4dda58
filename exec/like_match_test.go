package exec

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// likeRows makes n random short strings of a few letters, one in nine
// NULL, so that occurrences of a pattern's literals often run from one
// row into the next in the column's byte buffer.
func likeRows(rng *rand.Rand, n int) [][]catalog.Datum {
	rows := make([][]catalog.Datum, n)
	for i := range rows {
		if rng.IntN(9) == 0 {
			rows[i] = row(nil)
			continue
		}
		b := make([]byte, rng.IntN(9))
		for j := range b {
			b[j] = "aab c"[rng.IntN(5)]
		}
		rows[i] = row(string(b))
	}
	return rows
}

// likeByTokens is the row-at-a-time answer: matchTokens, the general
// matcher, on every row.
func likeByTokens(t *testing.T, rows [][]catalog.Datum, pattern string, negate bool) [][]catalog.Datum {
	p, err := compileLike(pattern, false)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]catalog.Datum
	for _, r := range rows {
		if r[0] == nil {
			continue
		}
		ok, err := matchTokens([]byte(r[0].(string)), p.tokens)
		if err != nil {
			t.Fatal(err)
		}
		if ok != negate {
			want = append(want, r)
		}
	}
	return want
}

var likeTestPatterns = []string{"%ab%", "%a%b%", "%ab%ba%", "%b%a", "%aa%c", "%a c%", "%a%", "ab%", "%ba", "ab", "%a_b%"}

// TestLikeBatchMatchesRowByRow runs LIKE and NOT LIKE with constant
// patterns as filters (selecting rows) and as projected booleans, at
// batch sizes around 1024 rows and with selection vectors, against
// matchTokens row by row.
func TestLikeBatchMatchesRowByRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	rows := likeRows(rng, 3000)
	types := []catalog.Type{catalog.TypeText}
	for _, pattern := range likeTestPatterns {
		for _, op := range []BinaryOp{OpLike, OpNotLike} {
			want := likeByTokens(t, rows, pattern, op == OpNotLike)
			for _, per := range []int{7, 1023, 1024, 1025, 3000} {
				for _, sel := range []bool{false, true} {
					pred := must(Binary(op, ColumnRef(0, types[0]), txt(pattern)))
					src := &rowsSource{types: types, rows: rows, per: per, sel: sel}
					got := collect(t, NewFilter(src, pred))
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s %q, batches of %d (sel %v): filter keeps %d rows, want %d", op, pattern, per, sel, len(got), len(want))
					}
					src = &rowsSource{types: types, rows: rows, per: per, sel: sel}
					flags := collect(t, NewProject(src, []Expr{pred, ColumnRef(0, types[0])}))
					var kept [][]catalog.Datum
					for _, f := range flags {
						if f[0] == true {
							kept = append(kept, f[1:])
						}
					}
					if !reflect.DeepEqual(kept, want) {
						t.Fatalf("%s %q, batches of %d (sel %v): boolean true for %d rows, want %d", op, pattern, per, sel, len(kept), len(want))
					}
				}
			}
		}
	}
}

// TestLikeMatchRowsOfSlicedColumn matches a column that is a slice of a
// larger one (its offsets start inside the byte buffer) over a sparse
// selection.
func TestLikeMatchRowsOfSlicedColumn(t *testing.T) {
	ctx := checkedCtx(t)
	rng := rand.New(rand.NewPCG(9, 10))
	rows := likeRows(rng, 500)
	vals := make([]catalog.Datum, len(rows))
	for i, r := range rows {
		vals[i] = r[0]
	}
	whole, err := datumsToArray(ctx.Mem, catalog.TypeText, vals)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	sliced := array.NewSlice(whole, 37, 411)
	defer sliced.Release()
	var sel []int32
	for i := 0; i < sliced.Len(); i += 1 + rng.IntN(3) {
		sel = append(sel, int32(i))
	}
	for _, pattern := range likeTestPatterns {
		p, err := compileLike(pattern, false)
		if err != nil {
			t.Fatal(err)
		}
		m := likeMatcher{pat: p}
		hit := make([]bool, sliced.Len())
		v := varlenViewOf(sliced)
		if err := m.matchRows(v, sel, hit); err != nil {
			t.Fatal(err)
		}
		for _, i := range sel {
			if !v.valid(int(i)) {
				continue
			}
			want, _ := matchTokens(v.bytes(int(i)), p.tokens)
			if hit[i] != want {
				t.Fatalf("%q on row %d %q: got %v, want %v", pattern, i, v.bytes(int(i)), hit[i], want)
			}
		}
	}
}

// TestLiteralSearchMatchesBytesIndex: finding a literal by its rarest
// byte gives bytes.Index's answer.
func TestLiteralSearchMatchesBytesIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		s := make([]byte, rng.IntN(40))
		for j := range s {
			s[j] = "eeqsz x"[rng.IntN(7)]
		}
		lit := make([]byte, 1+rng.IntN(4))
		for j := range lit {
			lit[j] = "eqsz x"[rng.IntN(6)]
		}
		if got, want := newLiteralSearch(lit).index(s), bytes.Index(s, lit); got != want {
			t.Fatalf("index(%q, %q) = %d, want %d", s, lit, got, want)
		}
	}
}
