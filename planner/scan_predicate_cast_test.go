package planner

import (
	"cmp"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/storage"
)

// pgFloatCmp compares as PostgreSQL's float8 does: NaN equal to itself
// and above everything.
func pgFloatCmp(x, y float64) int {
	switch xn, yn := math.IsNaN(x), math.IsNaN(y); {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	}
	return cmp.Compare(x, y)
}

func opHolds(op storage.CompareOp, c int) bool {
	switch op {
	case storage.Eq:
		return c == 0
	case storage.Lt:
		return c < 0
	case storage.Le:
		return c <= 0
	case storage.Gt:
		return c > 0
	}
	return c >= 0
}

var castOps = []storage.CompareOp{storage.Eq, storage.Lt, storage.Le, storage.Gt, storage.Ge}

// TestCastKeyValueReal: "r::float8 op v" holds for exactly the real
// values r that the mapped "r op' v'" holds for, for values v that are
// reals, between reals, beyond them and NaN, and r around them.
func TestCastKeyValueReal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []float64{0, math.Copysign(0, -1), 0.1, -0.1, 1.5, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN(),
		math.MaxFloat32, float64(math.SmallestNonzeroFloat32) / 3}
	for range 300 {
		values = append(values, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(80)-40)))
	}
	for _, v := range values {
		f := float32(v)
		reals := []float32{f, math.Nextafter32(f, float32(math.Inf(1))), math.Nextafter32(f, float32(math.Inf(-1))),
			0, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32, -math.MaxFloat32}
		for _, op := range castOps {
			mop, mv, ok := castKeyValue(catalog.TypeFloat4, catalog.TypeFloat8, op, v)
			if !ok {
				if op != storage.Eq || float64(f) == v || math.IsNaN(v) {
					t.Errorf("%v %v: not mapped", op, v)
				}
				// No real equals v.
				for _, r := range reals {
					if pgFloatCmp(float64(r), v) == 0 {
						t.Errorf("%v equals %v, mapped to nothing", r, v)
					}
				}
				continue
			}
			for _, r := range reals {
				want := opHolds(op, pgFloatCmp(float64(r), v))
				got := opHolds(mop, pgFloatCmp(float64(r), float64(mv.(float32))))
				if got != want {
					t.Errorf("real %v, %v %v mapped to %v %v: %v, want %v", r, op, v, mop, mv, got, want)
				}
			}
		}
	}
}

// TestCastKeyValueNumeric: "d::numeric op v" for a numeric(30,2) column
// d holds for exactly the d that the mapped comparison with a decimal
// holds for, with v of more digits than the column's scale or fewer.
func TestCastKeyValueNumeric(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	col := catalog.NumericType(30, 2)
	decimal := func(unscaled int64) ([]byte, decimal128.Num) {
		d := decimal128.FromI64(unscaled)
		n, err := numeric.FromDecimal128(nil, d.HighBits(), d.LowBits(), 2)
		if err != nil {
			t.Fatal(err)
		}
		return n, d
	}
	for range 500 {
		text := strconv.FormatFloat((rng.Float64()-0.5)*20, 'f', rng.IntN(5), 64)
		v, err := numeric.Parse(nil, text)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range castOps {
			mop, mv, ok := castKeyValue(col, catalog.TypeNumeric, op, v)
			if !ok && op != storage.Eq {
				t.Fatalf("%v %s: not mapped", op, text)
			}
			center, _ := strconv.ParseFloat(text, 64)
			for u := int64(center*100) - 3; u <= int64(center*100)+3; u++ {
				n, d := decimal(u)
				want := opHolds(op, numeric.Compare(n, v))
				if !ok {
					if want {
						t.Fatalf("%s = %s, mapped to nothing", numeric.AppendText(nil, n), text)
					}
					continue
				}
				if got := opHolds(mop, d.Cmp(mv.(decimal128.Num))); got != want {
					t.Fatalf("%s %v %s mapped to %v %v: %v, want %v", numeric.AppendText(nil, n), op, text, mop, mv, got, want)
				}
			}
		}
	}
	// A cast that rounds (to a smaller scale or a typmod) maps nothing.
	if keyCast(col, catalog.UnconstrainedNumeric(1)) || keyCast(col, catalog.NumericType(30, 4)) || keyCast(catalog.BpcharType(4), catalog.BpcharType(2)) {
		t.Fatal("a rounding or truncating cast maps values")
	}
	if !keyCast(col, catalog.UnconstrainedNumeric(3)) || !keyCast(catalog.BpcharType(4), catalog.BpcharType(-1)) {
		t.Fatal("an exact cast maps no values")
	}
}
