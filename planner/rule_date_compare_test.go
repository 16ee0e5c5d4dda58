package planner

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

func TestDateComparison(t *testing.T) {
	const day = 24 * 60 * 60 * 1_000_000
	d := &ColRef{Index: 0, T: catalog.TypeDate, Name: "d"}
	cast := &CastExpr{Arg: d, T: catalog.TypeTimestamp}
	ts := func(us int64) *Const { return &Const{Value: us, T: catalog.TypeTimestamp} }
	for _, c := range []struct {
		name    string
		in      *BinExpr
		op      exec.BinaryOp
		day     int32
		rewrote bool
	}{
		{"lt midnight", &BinExpr{Op: exec.OpLt, L: cast, R: ts(10 * day)}, exec.OpLt, 10, true},
		{"lt noon", &BinExpr{Op: exec.OpLt, L: cast, R: ts(10*day + day/2)}, exec.OpLe, 10, true},
		{"le noon", &BinExpr{Op: exec.OpLe, L: cast, R: ts(10*day + day/2)}, exec.OpLe, 10, true},
		{"gt noon", &BinExpr{Op: exec.OpGt, L: cast, R: ts(10*day + day/2)}, exec.OpGt, 10, true},
		{"ge midnight", &BinExpr{Op: exec.OpGe, L: cast, R: ts(10 * day)}, exec.OpGe, 10, true},
		{"ge noon", &BinExpr{Op: exec.OpGe, L: cast, R: ts(10*day + day/2)}, exec.OpGt, 10, true},
		{"eq midnight", &BinExpr{Op: exec.OpEq, L: cast, R: ts(10 * day)}, exec.OpEq, 10, true},
		{"eq noon", &BinExpr{Op: exec.OpEq, L: cast, R: ts(10*day + 1)}, 0, 0, false},
		{"before 1970", &BinExpr{Op: exec.OpLt, L: cast, R: ts(-day - 1)}, exec.OpLe, -2, true},
		{"constant first", &BinExpr{Op: exec.OpLt, L: ts(10*day + 1), R: cast}, exec.OpGt, 10, true},
		{"infinity", &BinExpr{Op: exec.OpLt, L: cast, R: ts(catalog.TimestampInfinity)}, 0, 0, false},
		{"not equal", &BinExpr{Op: exec.OpNe, L: cast, R: ts(10 * day)}, 0, 0, false},
		{"timestamptz", &BinExpr{Op: exec.OpLt, L: &CastExpr{Arg: d, T: catalog.TypeTimestampTZ}, R: &Const{Value: int64(day), T: catalog.TypeTimestampTZ}}, 0, 0, false},
	} {
		got, ok := dateComparison(c.in)
		if ok != c.rewrote {
			t.Errorf("%s: rewrote %v, want %v", c.name, ok, c.rewrote)
			continue
		}
		if !ok {
			continue
		}
		b := got.(*BinExpr)
		if b.Op != c.op || b.L != d || b.R.(*Const).Value != c.day {
			t.Errorf("%s: got %v %v %v, want op %v day %d", c.name, b.L, b.Op, b.R.(*Const).Value, c.op, c.day)
		}
	}
}
