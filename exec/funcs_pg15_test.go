package exec

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// funcCase is one line of testdata/funcs_pg15.txt: a call of a scalar
// function on typed constants and PostgreSQL 15's answer, recorded by
// testdata/record_funcs.py from testdata/funcs_cases.txt.
type funcCase struct {
	line  int
	fn    string
	types []catalog.Type
	args  []catalog.Datum // nil for NULL
	typ   string          // pg_typeof of the result, "-" for errors
	want  string          // text, "NULL" or "ERROR <sqlstate>"
}

func unescapeCase(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func readFuncCases(t *testing.T) []funcCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "funcs_pg15.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []funcCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		call, result, ok := strings.Cut(line, "\t=>\t")
		if !ok {
			t.Fatalf("line %d: no result (run testdata/record_funcs.py)", n)
		}
		fields := strings.Split(call, "\t")
		typ, want, _ := strings.Cut(result, "\t")
		c := funcCase{line: n, fn: fields[0], typ: typ, want: unescapeCase(want)}
		for _, a := range fields[1:] {
			var tn, val string
			null := strings.HasPrefix(a, "~")
			if null {
				tn = a[1:]
			} else {
				tn, val, _ = strings.Cut(a, ":")
			}
			at, err := catalog.TypeByName(tn, nil)
			if err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
			c.types = append(c.types, at)
			if null {
				c.args = append(c.args, nil)
				continue
			}
			d, err := catalog.ParseText(at, unescapeCase(val))
			if err != nil {
				t.Fatalf("line %d: %s: %v", n, a, err)
			}
			c.args = append(c.args, d)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (c funcCase) name() string {
	return strconv.Itoa(c.line) + ":" + c.fn
}

func resultText(t catalog.Type, d catalog.Datum) string {
	if d == nil {
		return "NULL"
	}
	return formatText(t, d)
}

// TestFuncsPG15 calls each recorded case on constants, then every case
// of one signature together on columns (in batches of three rows with a
// selection vector), and compares the results and result types with
// PostgreSQL's.
func TestFuncsPG15(t *testing.T) {
	cases := readFuncCases(t)
	type group struct {
		fn    string
		types []catalog.Type
		cases []funcCase
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			args := make([]Expr, len(c.args))
			for i, a := range c.args {
				args[i] = Literal(a, c.types[i])
			}
			e, err := Func(c.fn, args)
			var got string
			if err == nil {
				if c.typ != "-" && e.Type().String() != c.typ && !(c.typ == "character" && e.Type().Kind == catalog.Bpchar) {
					t.Errorf("type %s, want %s", e.Type(), c.typ)
				}
				got, err = evalConst(t, e)
			}
			if code, ok := strings.CutPrefix(c.want, "ERROR "); ok {
				if err == nil {
					t.Fatalf("got %q, want error %s", got, code)
				}
				if pgerr.CodeOf(err) != code {
					t.Fatalf("got error %v (%s), want %s", err, pgerr.CodeOf(err), code)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v (%s), want %q", err, pgerr.CodeOf(err), c.want)
			}
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
		if strings.HasPrefix(c.want, "ERROR ") {
			continue
		}
		key := c.fn
		for _, at := range c.types {
			key += "," + at.String()
		}
		g := byKey[key]
		if g == nil {
			g = &group{fn: c.fn, types: c.types}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.cases = append(g.cases, c)
	}
	for _, g := range groups {
		if len(g.types) == 0 {
			continue
		}
		t.Run("columns:"+g.cases[0].name(), func(t *testing.T) {
			args := make([]Expr, len(g.types))
			for i, at := range g.types {
				args[i] = ColumnRef(i, at)
			}
			e, err := Func(g.fn, args)
			if err != nil {
				if pgerr.CodeOf(err) == pgerr.FeatureNotSupported {
					t.Skipf("only constant arguments: %v", err)
				}
				t.Fatal(err)
			}
			rows := make([][]catalog.Datum, len(g.cases))
			for i, c := range g.cases {
				rows[i] = c.args
			}
			got, err := evalExpr(t, e, g.types, rows)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range g.cases {
				if s := resultText(e.Type(), got[i]); s != c.want {
					t.Errorf("line %d: got %q, want %q", c.line, s, c.want)
				}
			}
		})
	}
}
