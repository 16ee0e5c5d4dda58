package numeric

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// The file testdata/pg15.txt holds expressions evaluated by a real
// PostgreSQL 15 and their results. Each line is tab-separated: an
// operation name, its arguments, and the result as PostgreSQL printed it,
// "NULL", or "!SQLSTATE message[ | detail]" for an error. TestPG15Cases
// replays every line through this package; TestRecord (with -record and a
// running server) regenerates the file, see record_test.go.

const casesFile = "testdata/pg15.txt"

// opArity gives the number of arguments of each operation.
var opArity = map[string]int{
	"in": 1, "add": 2, "sub": 2, "mul": 2, "div": 2, "divtrunc": 2, "mod": 2,
	"round": 2, "trunc": 2, "ceil": 1, "floor": 1, "abs": 1, "neg": 1, "sign": 1,
	"sqrt": 1, "exp": 1, "ln": 1, "log10": 1, "log": 2, "power": 2, "cmp": 2,
	"typmod": 3, "int2": 1, "int4": 1, "int8": 1, "ffloat8": 1, "ffloat4": 1,
	"tfloat8": 1, "tfloat4": 1, "sum": 1, "avg": 1, "var_samp": 1, "var_pop": 1,
	"stddev_samp": 1, "stddev_pop": 1, "scale": 1,
	"min_scale": 1, "trim_scale": 1, "intypmod": 3, "gcd": 2, "lcm": 2, "factorial": 1,
}

// sqlFor returns the SQL expression PostgreSQL evaluates for a case.
func sqlFor(op string, args []string) string {
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	n := func(i int) string { return q(args[i]) + "::numeric" }
	agg := func(f string) string {
		return fmt.Sprintf("(SELECT %s(x) FROM unnest(string_to_array(%s, ' ')::numeric[]) x)", f, q(args[0]))
	}
	switch op {
	case "in":
		return n(0)
	case "add":
		return n(0) + " + " + n(1)
	case "sub":
		return n(0) + " - " + n(1)
	case "mul":
		return n(0) + " * " + n(1)
	case "div":
		return n(0) + " / " + n(1)
	case "divtrunc":
		return "div(" + n(0) + ", " + n(1) + ")"
	case "mod":
		return "mod(" + n(0) + ", " + n(1) + ")"
	case "round", "trunc":
		return op + "(" + n(0) + ", " + args[1] + ")"
	case "ceil", "floor", "abs", "sign", "sqrt", "exp", "ln", "scale", "min_scale", "trim_scale":
		return op + "(" + n(0) + ")"
	case "gcd", "lcm":
		return op + "(" + n(0) + ", " + n(1) + ")"
	case "factorial":
		return "factorial(" + args[0] + "::int8)"
	case "neg":
		return "-(" + n(0) + ")"
	case "log10":
		return "log(" + n(0) + ")"
	case "log":
		return "log(" + n(0) + ", " + n(1) + ")"
	case "power":
		return "power(" + n(0) + ", " + n(1) + ")"
	case "cmp":
		return "numeric_cmp(" + n(0) + ", " + n(1) + ")"
	case "typmod":
		return n(0) + "::numeric(" + args[1] + "," + args[2] + ")"
	case "intypmod":
		// numeric_in with a typmod, as COPY calls it; a literal cast
		// would parse first and coerce afterwards.
		p, _ := strconv.Atoi(args[1])
		s, _ := strconv.Atoi(args[2])
		return fmt.Sprintf("numeric_in(%s::cstring, 0, %d)", q(args[0]), ((p<<16)|(s&0x7ff))+4)
	case "int2", "int4", "int8":
		return n(0) + "::" + op
	case "ffloat8":
		return q(args[0]) + "::float8::numeric"
	case "ffloat4":
		return q(args[0]) + "::float4::numeric"
	case "tfloat8":
		return n(0) + "::float8"
	case "tfloat4":
		return n(0) + "::float4"
	case "sum", "avg", "var_samp", "var_pop", "stddev_samp", "stddev_pop":
		return agg(op)
	}
	panic("unknown op " + op)
}

// errText renders an error as the recorder does.
func errText(err error) string {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return "!XX000 " + err.Error()
	}
	s := "!" + pe.Code + " " + pe.Message
	if pe.Detail != "" {
		s += " | " + pe.Detail
	}
	return s
}

// evalCase computes a case with this package, rendering the result as
// PostgreSQL's text output.
func evalCase(c *Calc, op string, args []string) string {
	num := func(i int) ([]byte, error) { return Parse(nil, args[i]) }
	un := func(f func(dst, a []byte) ([]byte, error)) string {
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		r, err := f(nil, a)
		if err != nil {
			return errText(err)
		}
		return String(r)
	}
	bin := func(f func(dst, a, b []byte) ([]byte, error)) string {
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		b, err := num(1)
		if err != nil {
			return errText(err)
		}
		r, err := f(nil, a, b)
		if err != nil {
			return errText(err)
		}
		return String(r)
	}
	switch op {
	case "in":
		return un(func(dst, a []byte) ([]byte, error) { return append(dst, a...), nil })
	case "add":
		return bin(c.Add)
	case "sub":
		return bin(c.Sub)
	case "mul":
		return bin(c.Mul)
	case "div":
		return bin(c.Div)
	case "divtrunc":
		return bin(c.DivTrunc)
	case "mod":
		return bin(c.Mod)
	case "round", "trunc":
		s, _ := strconv.Atoi(args[1])
		f := c.Round
		if op == "trunc" {
			f = c.Trunc
		}
		return un(func(dst, a []byte) ([]byte, error) { return f(dst, a, int32(s)) })
	case "ceil":
		return un(c.Ceil)
	case "floor":
		return un(c.Floor)
	case "abs":
		return un(c.Abs)
	case "neg":
		return un(c.Neg)
	case "sign":
		return un(c.Sign)
	case "sqrt":
		return un(c.Sqrt)
	case "exp":
		return un(c.Exp)
	case "ln":
		return un(c.Ln)
	case "log10":
		return un(c.Log10)
	case "log":
		return bin(c.Log)
	case "power":
		return bin(c.Power)
	case "gcd":
		return bin(c.GCD)
	case "lcm":
		return bin(c.LCM)
	case "trim_scale":
		return un(c.TrimScale)
	case "factorial":
		n, _ := strconv.ParseInt(args[0], 10, 64)
		r, err := c.Factorial(nil, n)
		if err != nil {
			return errText(err)
		}
		return String(r)
	case "scale", "min_scale":
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		s, ok := Scale(a)
		if op == "min_scale" {
			s, ok = MinScale(a)
		}
		if !ok {
			return "NULL"
		}
		return strconv.Itoa(s)
	case "cmp":
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		b, err := num(1)
		if err != nil {
			return errText(err)
		}
		return strconv.Itoa(Compare(a, b))
	case "typmod":
		p, _ := strconv.Atoi(args[1])
		s, _ := strconv.Atoi(args[2])
		return un(func(dst, a []byte) ([]byte, error) { return c.ApplyTypmod(dst, a, int32(p), int32(s)) })
	case "intypmod":
		p, _ := strconv.Atoi(args[1])
		s, _ := strconv.Atoi(args[2])
		r, err := c.ParseTypmod(nil, args[0], int32(p), int32(s))
		if err != nil {
			return errText(err)
		}
		return String(r)
	case "int2", "int4", "int8":
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		var v int64
		switch op {
		case "int2":
			var x int16
			x, err = ToInt16(a)
			v = int64(x)
		case "int4":
			var x int32
			x, err = ToInt32(a)
			v = int64(x)
		default:
			v, err = ToInt64(a)
		}
		if err != nil {
			return errText(err)
		}
		return strconv.FormatInt(v, 10)
	case "ffloat8", "ffloat4":
		bits := 64
		if op == "ffloat4" {
			bits = 32
		}
		f, err := strconv.ParseFloat(args[0], bits)
		typ := "double precision"
		if bits == 32 {
			typ = "real"
		}
		if err != nil || (f == 0 && strings.ContainsAny(strings.Split(strings.ToLower(args[0]), "e")[0], "123456789")) {
			// float8in / float4in reject overflow and underflow to zero.
			return "!22003 \"" + args[0] + "\" is out of range for type " + typ
		}
		if op == "ffloat4" {
			return String(FromFloat32(nil, float32(f)))
		}
		return String(FromFloat64(nil, f))
	case "tfloat8", "tfloat4":
		a, err := num(0)
		if err != nil {
			return errText(err)
		}
		var f float64
		if op == "tfloat8" {
			f, err = ToFloat64(a)
		} else {
			var g float32
			g, err = ToFloat32(a)
			f = float64(g)
		}
		if err != nil {
			return errText(err)
		}
		return "float:" + strconv.FormatUint(math.Float64bits(f), 16)
	case "sum", "avg", "var_samp", "var_pop", "stddev_samp", "stddev_pop":
		var s Sum
		s.TrackSquares()
		if args[0] != "" {
			for _, t := range strings.Split(args[0], " ") {
				a, err := Parse(nil, t)
				if err != nil {
					return errText(err)
				}
				s.Add(a)
			}
		}
		if s.Count() == 0 {
			return "NULL"
		}
		var r []byte
		var err error
		ok := true
		switch op {
		case "sum":
			r, err = s.Append(nil)
		case "avg":
			r, err = s.AppendAvg(c, nil)
		default:
			r, ok, err = s.Variance(c, nil, strings.HasSuffix(op, "samp"), strings.HasPrefix(op, "stddev"))
		}
		if err != nil {
			return errText(err)
		}
		if !ok {
			return "NULL"
		}
		return String(r)
	}
	panic("unknown op " + op)
}

// normalizeExpected turns PostgreSQL's float output into the form
// evalCase gives (the bits of the double), so both compare as strings.
func normalizeExpected(op, want string) string {
	if (op == "tfloat8" || op == "tfloat4") && !strings.HasPrefix(want, "!") {
		bits := 64
		if op == "tfloat4" {
			bits = 32
		}
		f, err := strconv.ParseFloat(want, bits)
		if err != nil {
			return "unparsable float " + want
		}
		return "float:" + strconv.FormatUint(math.Float64bits(f), 16)
	}
	return want
}

type pgCase struct {
	line int
	op   string
	args []string
	want string
}

func readCases(t testing.TB) []pgCase {
	f, err := os.Open(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []pgCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	ln := 0
	for sc.Scan() {
		ln++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		op := fields[0]
		ar, ok := opArity[op]
		if !ok || len(fields) != ar+2 {
			t.Fatalf("%s:%d: malformed line %q", casesFile, ln, line)
		}
		cases = append(cases, pgCase{ln, op, fields[1 : 1+ar], fields[1+ar]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

var verboseCases = flag.Bool("cases.v", false, "log every replayed case")

// TestPG15Cases replays the recorded PostgreSQL 15 results.
func TestPG15Cases(t *testing.T) {
	cases := readCases(t)
	var c Calc
	fails := 0
	counts := map[string]int{}
	for _, k := range cases {
		counts[k.op]++
		got := evalCase(&c, k.op, k.args)
		want := normalizeExpected(k.op, k.want)
		if *verboseCases {
			t.Logf("%d %s %q => %s", k.line, k.op, k.args, got)
		}
		if got != want {
			fails++
			if fails <= 80 {
				t.Errorf("%s:%d: %s(%s)\n got: %s\nwant: %s", casesFile, k.line, k.op, strings.Join(k.args, ", "), got, want)
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d of %d cases differ from PostgreSQL 15", fails, len(cases))
	}
	t.Logf("%d cases replayed: %v", len(cases), counts)
}
