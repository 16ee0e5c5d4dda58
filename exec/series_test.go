package exec

import (
	"context"
	"fmt"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func TestSeries(t *testing.T) {
	i4 := func(v int32) Expr { return Literal(v, catalog.TypeInt4) }
	cases := []struct {
		start, stop, step Expr
		want              string
	}{
		{i4(1), i4(5), i4(2), "[[1] [3] [5]]"},
		{i4(5), i4(1), i4(-2), "[[5] [3] [1]]"},
		{i4(1), i4(0), i4(1), "[]"},
		{i4(1), Literal(nil, catalog.TypeInt4), i4(1), "[]"},
		{i4(2147483646), i4(2147483647), i4(1), "[[2147483646] [2147483647]]"},
	}
	for _, c := range cases {
		rows, err := Collect(NewContext(context.Background()), NewSeries(c.start, c.stop, c.step))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(rows); got != c.want && !(c.want == "[]" && len(rows) == 0) {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	rows, err := Collect(NewContext(context.Background()), NewSeries(Literal(int64(1), catalog.TypeInt8), Literal(int64(200000), catalog.TypeInt8), Literal(int64(1), catalog.TypeInt8)))
	if err != nil || len(rows) != 200000 || rows[199999][0] != int64(200000) {
		t.Fatalf("large series: %d rows, %v", len(rows), err)
	}
	_, err = Collect(NewContext(context.Background()), NewSeries(i4(1), i4(2), i4(0)))
	if pgerr.CodeOf(err) != pgerr.InvalidParameterValue {
		t.Fatalf("zero step: %v", err)
	}
}
