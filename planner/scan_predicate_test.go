package planner

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/storage"
)

func TestLikePrefix(t *testing.T) {
	for pattern, want := range map[string]string{
		"abc%":      "abc",
		"abc":       "abc",
		"a_c%":      "a",
		"%abc":      "",
		`a\%b%`:     "a%b",
		`a\_%`:      "a_",
		`ab\`:       "",
		"é字%":       "é字",
		`a\\b_`:     `a\b`,
		"":          "",
		"_":         "",
		`\a\b\c%x%`: "abc",
	} {
		if got := likePrefix(pattern); got != want {
			t.Errorf("likePrefix(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestPrefixSuccessor(t *testing.T) {
	for prefix, want := range map[string]string{
		"abc":        "abd",
		"a\xff":      "b",
		"é":          "\xc3\xaa",
		"\xff\xff":   "",
		"az\xff\xff": "a{",
	} {
		got, ok := prefixSuccessor(prefix)
		if ok != (want != "") || got != want {
			t.Errorf("prefixSuccessor(%q) = %q, %v; want %q", prefix, got, ok, want)
		}
	}
}

// TestDateBound: date::timestamp op ts maps to date op' day exactly, on
// both sides of midnight and before 1970.
func TestDateBound(t *testing.T) {
	const day = microsPerDay
	for _, ts := range []int64{0, 1, day - 1, day, day + 1, -1, -day, -day - 1, 10*day + day/2, -10*day - day/2} {
		for _, op := range []storage.CompareOp{storage.Eq, storage.Lt, storage.Le, storage.Gt, storage.Ge} {
			mop, v, ok := dateBound(op, ts)
			for d := int64(-15); d <= 15; d++ {
				want := compareOp(op, d*day, ts)
				if !ok {
					if op == storage.Eq && want {
						t.Errorf("%v %d: no bound, but day %d matches", op, ts, d)
					}
					continue
				}
				if got := compareOp(mop, d, int64(v.(int32))); got != want {
					t.Errorf("date %d %v ts %d: bound says %v, cast says %v", d, op, ts, got, want)
				}
			}
		}
	}
	// The last finite timestamp falls on a finite date, below the date
	// infinity, which casts to the timestamp infinity.
	if _, v, ok := dateBound(storage.Ge, catalog.TimestampInfinity-1); !ok || v.(int32) >= catalog.DateInfinity {
		t.Errorf("bound of the last timestamp: %v %v", v, ok)
	}
}

func compareOp(op storage.CompareOp, x, y int64) bool {
	switch op {
	case storage.Eq:
		return x == y
	case storage.Lt:
		return x < y
	case storage.Le:
		return x <= y
	case storage.Gt:
		return x > y
	}
	return x >= y
}

func TestNarrowInt(t *testing.T) {
	if v, ok := narrowInt(70000, catalog.Int2); ok {
		t.Errorf("70000 fits int2 as %v", v)
	}
	if v, ok := narrowInt(-5, catalog.Int4); !ok || v != int32(-5) {
		t.Errorf("narrowInt(-5, int4) = %v, %v", v, ok)
	}
	if v, ok := narrowInt(1<<40, catalog.Int4); ok {
		t.Errorf("1<<40 fits int4 as %v", v)
	}
}
