package exec

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func TestFuncVolatility(t *testing.T) {
	for name, want := range map[string]Volatility{
		"random": Volatile, "setseed": Volatile, "clock_timestamp": Volatile, "timeofday": Volatile,
		"pg_sleep": Volatile, "gen_random_uuid": Volatile, "now": Stable, "current_date": Stable,
		"age": Stable, "sin": Immutable, "format": Immutable, "no_such_function": Immutable,
	} {
		if got := FuncVolatility(name); got != want {
			t.Errorf("%s: volatility %d, want %d", name, got, want)
		}
	}
	if FuncStrict("format") || FuncStrict("quote_nullable") || FuncStrict("concat") || !FuncStrict("md5") {
		t.Error("strictness")
	}
	names, defaults := FuncParams("make_interval")
	if len(names) != 7 || len(defaults) != 7 || names[6] != "secs" {
		t.Errorf("make_interval params %v %v", names, defaults)
	}
}

// evalRows evaluates e (over no columns) for n rows, every other row
// selected.
func evalSelected(t *testing.T, ctx *Context, e Expr, n int) []catalog.Datum {
	t.Helper()
	rows := make([][]catalog.Datum, n)
	for i := range rows {
		rows[i] = []catalog.Datum{int32(i)}
	}
	src := source([]catalog.Type{catalog.TypeInt4}, rows)
	src.sel = true
	out, err := Collect(ctx, NewProject(src, []Expr{e}))
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]catalog.Datum, len(out))
	for i, r := range out {
		vals[i] = r[0]
	}
	return vals
}

func TestRandomPerRowAndSetseed(t *testing.T) {
	ctx := checkedCtx(t)
	ctx.Random = new(PRNG)
	e := must(Func("random", nil))
	vals := evalSelected(t, ctx, e, 7)
	seen := map[float64]bool{}
	for _, v := range vals {
		f := v.(float64)
		if f < 0 || f >= 1 || seen[f] {
			t.Fatalf("random() gave %v in %v", f, vals)
		}
		seen[f] = true
	}
	// setseed(0.5) then random(): PostgreSQL 15's sequence
	// (select setseed(0.5); select random() from generate_series(1,3)).
	if err := ctx.Random.SetSeed(0.5); err != nil {
		t.Fatal(err)
	}
	vals = evalSelected(t, ctx, e, 3)
	want := []float64{0.9851677175347999, 0.825301858027981, 0.12974610012450416}
	for i, v := range vals {
		if v.(float64) != want[i] {
			t.Fatalf("after setseed(0.5): %v, want %v", vals, want)
		}
	}
	// setseed through the function, then the first value again
	set := must(Func("setseed", []Expr{f8(0.5)}))
	if set.Type() != catalog.TypeVoid {
		t.Fatalf("setseed type %v", set.Type())
	}
	if got, err := evalConst(t, set); err != nil || got != "" {
		t.Fatalf("setseed gave %q, %v", got, err)
	}
	_, err := evalConst(t, must(Func("setseed", []Expr{f8(1.5)})))
	wantCode(t, err, pgerr.InvalidParameterValue)
	if err.Error() != "setseed parameter 1.5 is out of allowed range [-1,1]" {
		t.Fatalf("message %q", err.Error())
	}
}

func TestGenRandomUUIDAndClock(t *testing.T) {
	ctx := checkedCtx(t)
	vals := evalSelected(t, ctx, must(Func("gen_random_uuid", nil)), 6)
	seen := map[[16]byte]bool{}
	for _, v := range vals {
		u := v.([16]byte)
		if u[6]>>4 != 4 || u[8]>>6 != 2 || seen[u] {
			t.Fatalf("uuid %x", u)
		}
		seen[u] = true
	}
	before := time.Now().UnixMicro()
	vals = evalSelected(t, ctx, must(Func("clock_timestamp", nil)), 4)
	prev := int64(0)
	for _, v := range vals {
		us := v.(int64)
		if us < before || us < prev {
			t.Fatalf("clock_timestamp %v", vals)
		}
		prev = us
	}
	s, err := evalConst(t, must(Func("timeofday", nil)))
	if err != nil || len(s) < 30 || s[len(s)-3:] != "UTC" {
		t.Fatalf("timeofday %q %v", s, err)
	}
}

func TestPgSleep(t *testing.T) {
	e := must(Func("pg_sleep", []Expr{f8(0.05)}))
	if e.Type() != catalog.TypeVoid {
		t.Fatalf("type %v", e.Type())
	}
	start := time.Now()
	if got, err := evalConst(t, e); err != nil || got != "" {
		t.Fatalf("got %q %v", got, err)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("did not sleep")
	}
	// a cancelled statement stops sleeping
	ctx := checkedCtx(t)
	c, cancel := context.WithCancel(context.Background())
	ctx.Ctx = c
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	start = time.Now()
	_, err := Collect(ctx, NewValues([][]Expr{{must(Func("pg_sleep", []Expr{f8(math.Inf(1))}))}}, []catalog.Type{catalog.TypeVoid}))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
}

// TestFuncsUnsupported lists the corners that fail with 0A000 instead of
// giving PostgreSQL's answer.
func TestFuncsUnsupported(t *testing.T) {
	cases := []struct {
		fn   string
		args []Expr
	}{
		{"textregexeq", []Expr{txt("aa"), txt(`(a)\1`)}},
		{"regexp_like", []Expr{txt("aa"), txt("a"), txt("b")}},
		{"make_interval", []Expr{i4(0), i4(0), i4(0), i4(0), i4(0), i4(0), f8(1e18)}},
		{"to_timestamp", []Expr{txt("2024 UTC"), txt("YYYY TZ")}},
	}
	for _, c := range cases {
		e, err := Func(c.fn, c.args)
		if err == nil {
			_, err = evalConst(t, e)
		}
		if pgerr.CodeOf(err) != pgerr.FeatureNotSupported {
			t.Errorf("%s: got %v, want 0A000", c.fn, err)
		}
	}
}
