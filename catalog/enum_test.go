package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// sortOrders renders the labels as label=enumsortorder, as pg_enum shows
// them.
func sortOrders(u *UserType) string {
	parts := make([]string, len(u.Labels))
	for i, l := range u.Labels {
		parts[i] = l.Label + "=" + strconv.FormatFloat(float64(l.SortOrder), 'g', -1, 32)
	}
	return strings.Join(parts, " ")
}

// The sort orders ALTER TYPE ... ADD VALUE gives, including the
// renumbering when no float4 is left between two neighbours; the wants
// are PostgreSQL 15's pg_enum after the same statements.
func TestEnumAddLabelSortOrder(t *testing.T) {
	u := &UserType{Name: "m", Labels: []EnumLabel{{Label: "a", SortOrder: 1}, {Label: "c", SortOrder: 2}}}
	for _, step := range []struct {
		label, neighbor string
		after           bool
	}{{"b", "a", true}, {"z", "a", false}, {"e", "", false}} {
		if err := u.AddLabel(step.label, 0, step.neighbor, step.after); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := sortOrders(u), "z=0 a=1 b=1.5 c=2 e=3"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}

	u = &UserType{Name: "rn", Labels: []EnumLabel{{Label: "a", SortOrder: 1}, {Label: "c", SortOrder: 2}}}
	for i := 1; i <= 30; i++ {
		if err := u.AddLabel(fmt.Sprintf("v%d", i), 0, "c", false); err != nil {
			t.Fatal(err)
		}
	}
	want := "a=1 v1=2 v2=3 v3=4 v4=5 v5=6 v6=7 v7=8 v8=9 v9=10 v10=11 v11=12 v12=13 v13=14 v14=15 v15=16 v16=17 v17=18 v18=19 v19=20 v20=21 v21=22 v22=23 v23=24 v24=24.5 v25=24.75 v26=24.875 v27=24.9375 v28=24.96875 v29=24.984375 v30=24.992188 c=25"
	if got := sortOrders(u); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
