package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// A literal evaluated for one row hands every evaluation a reference to
// one shared array: releasing theirs leaves it whole for the next, and
// values too long to keep are built each time.
func TestLiteralOneRowShared(t *testing.T) {
	ctx := NewContext(context.Background())
	defer ctx.Release()
	long := strings.Repeat("x", 65)
	for _, c := range []struct {
		v      catalog.Datum
		t      catalog.Type
		shared bool
	}{
		{int32(7), catalog.TypeInt4, true},
		{"short", catalog.TypeText, true},
		{long, catalog.TypeText, false},
		{nil, catalog.TypeInt8, true},
	} {
		lit := Literal(c.v, c.t)
		first, err := lit.Eval(ctx, &Batch{Len: 1})
		if err != nil {
			t.Fatal(err)
		}
		for run := range 3 {
			a, err := lit.Eval(ctx, &Batch{Len: 1})
			if err != nil {
				t.Fatal(err)
			}
			if a.Len() != 1 || datumAt(a, c.t, 0) != c.v {
				t.Fatalf("%v run %d: %d rows, value %v", c.v, run, a.Len(), datumAt(a, c.t, 0))
			}
			if (a == first) != c.shared {
				t.Fatalf("%v run %d: shared %v, want %v", c.v, run, a == first, c.shared)
			}
			a.Release()
		}
		first.Release()
		if a, err := lit.Eval(ctx, &Batch{Len: 2}); err != nil || a.Len() != 2 || datumAt(a, c.t, 1) != c.v {
			t.Fatalf("%v for two rows: %v", c.v, err)
		} else {
			a.Release()
		}
	}
}
