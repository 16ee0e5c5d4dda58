package jsonb

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Recording the PostgreSQL results:
//
//	PGPORT=54316 PGDIR=/tmp/pgref sh bench/postgres15.sh start
//	go test ./jsonb -run TestRecord -record
//
// The cases are generated from a fixed seed (plus hand-picked edge
// cases), evaluated one statement each by the server and written with
// their results to testdata/pg15.txt, which TestPG15Cases replays.

var (
	record = flag.Bool("record", false, "regenerate testdata/pg15.txt from a running PostgreSQL 15")
	pgDSN  = flag.String("pgdsn", "postgres://postgres@127.0.0.1:54316/postgres?sslmode=disable", "PostgreSQL 15 server for -record")
)

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("use -record to regenerate testdata/pg15.txt")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, *pgDSN)
	if err != nil {
		t.Skipf("no PostgreSQL server: %v", err)
	}
	defer conn.Close(ctx)
	var version string
	if err := conn.QueryRow(ctx, "show server_version_num").Scan(&version); err != nil || !strings.HasPrefix(version, "15") {
		t.Fatalf("need PostgreSQL 15, have %q (%v)", version, err)
	}
	var collate string
	if err := conn.QueryRow(ctx, "show lc_collate").Scan(&collate); err != nil || (collate != "C" && collate != "C.UTF-8" && collate != "POSIX") {
		t.Fatalf("need a C or C.UTF-8 database (jsonb orders strings by its collation), have %q (%v)", collate, err)
	}

	cases := buildCases()
	f, err := os.Create(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# Recorded from PostgreSQL 15 by TestRecord (record_test.go); do not edit.")
	fmt.Fprintln(w, "# op, arguments, result; fields tab-separated and escaped (\\t \\n \\r \\\\).")
	for _, c := range cases {
		res := runCase(ctx, t, conn, c[0], c[1:])
		fields := make([]string, 0, len(c)+1)
		for _, s := range c {
			fields = append(fields, escapeField(s))
		}
		fields = append(fields, escapeField(res))
		fmt.Fprintln(w, strings.Join(fields, "\t"))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d cases", len(cases))
}

// runCase evaluates one case on the server and renders its result.
func runCase(ctx context.Context, t *testing.T, conn *pgx.Conn, op string, args []string) string {
	query := sqlFor(op, args)
	rows, err := conn.Query(ctx, query, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return pgErrText(t, query, err)
	}
	var out [][]*string
	for rows.Next() {
		var row []*string
		for _, raw := range rows.RawValues() {
			if raw == nil {
				row = append(row, nil)
			} else {
				s := string(raw)
				row = append(row, &s)
			}
		}
		out = append(out, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return pgErrText(t, query, err)
	}
	return renderRows(out)
}

func pgErrText(t *testing.T, query string, err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("%s: %v", query, err)
	}
	return renderError(pe.Code, pe.Message, pe.Detail, pe.Hint, pe.Where)
}

// lit quotes s as a SQL string literal (standard_conforming_strings on).
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlFor returns the query PostgreSQL evaluates for a case.
func sqlFor(op string, a []string) string {
	jb := func(i int) string { return lit(a[i]) + "::jsonb" }
	js := func(i int) string { return lit(a[i]) + "::json" }
	arr := func(i int) string { return lit(a[i]) + "::text[]" }
	one := func(expr string) string { return "select (" + expr + ")::text" }
	switch op {
	case "in":
		return one(jb(0))
	case "json_in":
		return one(js(0))
	case "send":
		return "select jsonb_send(" + jb(0) + ")"
	case "deep":
		n, _ := strconv.Atoi(a[1])
		open, close := "[", "]"
		if a[0] == "object" {
			open, close = `{"a":`, "}"
		}
		return fmt.Sprintf("select length((repeat(%s, %d) || '1' || repeat(%s, %d))::%s::text)", lit(open), n, lit(close), n, a[2])
	case "from_numeric":
		return one("to_jsonb(" + lit(a[0]) + "::numeric)")
	case "from_text":
		return one("to_jsonb(" + lit(a[0]) + "::text)")
	case "json_quote":
		return one("to_json(" + lit(a[0]) + "::text)")
	case "pretty":
		return "select jsonb_pretty(" + jb(0) + ")"
	case "typeof":
		return "select jsonb_typeof(" + jb(0) + ")"
	case "alen":
		return "select jsonb_array_length(" + jb(0) + ")"
	case "keys":
		return "select jsonb_object_keys(" + jb(0) + ")"
	case "each":
		return "select key, value::text from jsonb_each(" + jb(0) + ")"
	case "each_text":
		return "select key, value from jsonb_each_text(" + jb(0) + ")"
	case "elems":
		return "select value::text from jsonb_array_elements(" + jb(0) + ")"
	case "elems_text":
		return "select value from jsonb_array_elements_text(" + jb(0) + ")"
	case "strip":
		return one("jsonb_strip_nulls(" + jb(0) + ")")
	case "field":
		return one(jb(0) + " -> " + lit(a[1]) + "::text")
	case "field_text":
		return "select " + jb(0) + " ->> " + lit(a[1]) + "::text"
	case "elem":
		return one(jb(0) + " -> " + a[1])
	case "elem_text":
		return "select " + jb(0) + " ->> " + a[1]
	case "path":
		return one(jb(0) + " #> " + arr(1))
	case "path_text":
		return "select " + jb(0) + " #>> " + arr(1)
	case "contains":
		return one(jb(0) + " @> " + jb(1))
	case "contained":
		return one(jb(0) + " <@ " + jb(1))
	case "exists":
		return one(jb(0) + " ? " + lit(a[1]))
	case "exists_any":
		return one(jb(0) + " ?| " + arr(1))
	case "exists_all":
		return one(jb(0) + " ?& " + arr(1))
	case "concat":
		return one(jb(0) + " || " + jb(1))
	case "del_key":
		return one(jb(0) + " - " + lit(a[1]) + "::text")
	case "del_idx":
		return one(jb(0) + " - " + a[1])
	case "del_keys":
		return one(jb(0) + " - " + arr(1))
	case "del_path":
		return one(jb(0) + " #- " + arr(1))
	case "set":
		return one(fmt.Sprintf("jsonb_set(%s, %s, %s, %s)", jb(0), arr(1), jb(2), a[3]))
	case "insert":
		return one(fmt.Sprintf("jsonb_insert(%s, %s, %s, %s)", jb(0), arr(1), jb(2), a[3]))
	case "cast":
		return one(jb(0) + "::" + a[1])
	case "cmp":
		return "select sign(jsonb_cmp(" + jb(0) + ", " + jb(1) + "))"
	case "eq":
		return one(jb(0) + " = " + jb(1))
	case "sort":
		// Sort by the jsonb column itself, not by the text output column.
		return "select x::text as s from jsonb_array_elements(" + jb(0) + ") as t(x) order by x"
	case "build_object", "json_build_object":
		var parts []string
		for i, s := range a {
			switch {
			case i%2 == 0 && s == nullArg:
				parts = append(parts, "NULL::text")
			case i%2 == 0:
				parts = append(parts, lit(s))
			case op == "build_object":
				parts = append(parts, jb(i))
			default:
				parts = append(parts, js(i))
			}
		}
		fn := "jsonb_build_object"
		if op == "json_build_object" {
			fn = op
		}
		return one(fn + "(" + strings.Join(parts, ", ") + ")")
	case "build_array", "json_build_array":
		var parts []string
		for i := range a {
			if op == "build_array" {
				parts = append(parts, jb(i))
			} else {
				parts = append(parts, js(i))
			}
		}
		fn := "jsonb_build_array"
		if op == "json_build_array" {
			fn = op
		}
		return one(fn + "(" + strings.Join(parts, ", ") + ")")
	case "agg", "json_agg", "json_agg_intarr":
		typ := map[string]string{"agg": "jsonb", "json_agg": "json", "json_agg_intarr": "int[]"}[op]
		fn := map[string]string{"agg": "jsonb_agg", "json_agg": "json_agg", "json_agg_intarr": "json_agg"}[op]
		return fmt.Sprintf("select (%s(x order by i))::text from (values %s) t(i, x)", fn, valuesList(a, typ))
	case "object_agg", "json_object_agg":
		typ, fn := "jsonb", "jsonb_object_agg"
		if op == "json_object_agg" {
			typ, fn = "json", op
		}
		var rows []string
		for i := 0; i+1 < len(a); i += 2 {
			k := lit(a[i]) + "::text"
			if a[i] == nullArg {
				k = "NULL::text"
			}
			v := lit(a[i+1]) + "::" + typ
			if a[i+1] == nullArg {
				v = "NULL::" + typ
			}
			rows = append(rows, fmt.Sprintf("(%d, %s, %s)", i, k, v))
		}
		return fmt.Sprintf("select (%s(k, v order by i))::text from (values %s) t(i, k, v)", fn, strings.Join(rows, ", "))
	case "j_field":
		return one(js(0) + " -> " + lit(a[1]) + "::text")
	case "j_field_text":
		return "select " + js(0) + " ->> " + lit(a[1]) + "::text"
	case "j_elem":
		return one(js(0) + " -> " + a[1])
	case "j_elem_text":
		return "select " + js(0) + " ->> " + a[1]
	case "j_path":
		return one(js(0) + " #> " + arr(1))
	case "j_path_text":
		return "select " + js(0) + " #>> " + arr(1)
	case "j_typeof":
		return "select json_typeof(" + js(0) + ")"
	case "j_alen":
		return "select json_array_length(" + js(0) + ")"
	case "j_keys":
		return "select json_object_keys(" + js(0) + ")"
	case "j_each":
		return "select key, value::text from json_each(" + js(0) + ")"
	case "j_each_text":
		return "select key, value from json_each_text(" + js(0) + ")"
	case "j_elems":
		return "select value::text from json_array_elements(" + js(0) + ")"
	case "j_elems_text":
		return "select value from json_array_elements_text(" + js(0) + ")"
	case "j_strip":
		return one("json_strip_nulls(" + js(0) + ")")
	}
	panic("unknown op " + op)
}

// nullArg stands for a SQL NULL argument in the constructor cases.
const nullArg = `\N`

func valuesList(a []string, typ string) string {
	var rows []string
	for i, s := range a {
		v := lit(s) + "::" + typ
		if s == nullArg {
			v = "NULL::" + typ
		}
		rows = append(rows, fmt.Sprintf("(%d, %s)", i, v))
	}
	return strings.Join(rows, ", ")
}

// pgArray formats elements as a text[] literal; nil is NULL.
func pgArray(elems []*string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		if e == nil {
			b.WriteString("NULL")
			continue
		}
		b.WriteByte('"')
		for _, c := range []byte(*e) {
			if c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// gen makes random JSON documents and arguments.
type gen struct {
	r     *rand.Rand
	cases [][]string
}

func (g *gen) add(op string, args ...string) {
	g.cases = append(g.cases, append([]string{op}, args...))
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

var keyPool = []string{"a", "b", "c", "aa", "ab", "ba", "", "key", "é", "a b", `x"y`, "1", "0", "-1", "A", "zz", "bb"}

var numPool = []string{"0", "-0", "1", "-1", "2", "10", "0.5", "1.5", "1.50", "-1.50", "1e2", "1E-5", "-2.5e+3",
	"123456789012345678901234567890", "0.000001", "3.14159", "100", "1.0", "7", "42", "-0.0", "1e20", "99999999999999999999.5"}

var strPool = []string{"", "a", "b", "abc", "a b", "é", "😀", `\"`, `\\`, `\/`, `\n`, `\t`, `\u0041`, `\u00e9`, `\ud83d\ude00`,
	`\u001f`, "1", "true", "null", "key", "aa", "zz", "A", "-1", "0"}

func (g *gen) ws() string {
	switch g.r.IntN(10) {
	case 0:
		return " "
	case 1:
		return "\n  "
	case 2:
		return "\t"
	case 3:
		return "  "
	}
	return ""
}

func (g *gen) keyLit() string {
	k := g.pick(keyPool)
	return string(AppendQuoted(nil, []byte(k)))
}

// scalar returns a random JSON scalar's text.
func (g *gen) scalar() string {
	switch g.r.IntN(10) {
	case 0:
		return "null"
	case 1:
		return "true"
	case 2:
		return "false"
	case 3, 4, 5:
		return g.pick(numPool)
	}
	return `"` + g.pick(strPool) + `"`
}

// value returns random JSON text of at most the given depth.
func (g *gen) value(depth int) string {
	if depth <= 0 || g.r.IntN(3) == 0 {
		return g.scalar()
	}
	var b strings.Builder
	n := g.r.IntN(5)
	if g.r.IntN(2) == 0 {
		b.WriteString("[" + g.ws())
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString("," + g.ws())
			}
			b.WriteString(g.value(depth - 1))
		}
		b.WriteString(g.ws() + "]")
		return b.String()
	}
	b.WriteString("{" + g.ws())
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("," + g.ws())
		}
		b.WriteString(g.keyLit() + g.ws() + ":" + g.ws() + g.value(depth-1))
	}
	b.WriteString(g.ws() + "}")
	return b.String()
}

// container returns random JSON text of an array or an object.
func (g *gen) container(depth int) string {
	for {
		s := g.value(depth)
		if s[0] == '[' || s[0] == '{' {
			return s
		}
	}
}

func (g *gen) doc() string {
	if g.r.IntN(6) == 0 {
		return g.scalar()
	}
	return g.container(3)
}

var pathPool = []string{"0", "1", "-1", "2", "-2", "3", "x", " 1", "+1", "1 ", "", "-5", "2147483648", "-2147483648", "01"}

func (g *gen) path() string {
	n := g.r.IntN(4)
	elems := make([]*string, n)
	for i := range elems {
		var s string
		if g.r.IntN(2) == 0 {
			s = g.pick(keyPool)
		} else {
			s = g.pick(pathPool)
		}
		elems[i] = &s
	}
	if n > 0 && g.r.IntN(12) == 0 {
		elems[g.r.IntN(n)] = nil
	}
	return pgArray(elems)
}

func (g *gen) keyArray() string {
	n := g.r.IntN(4)
	elems := make([]*string, n)
	for i := range elems {
		s := g.pick(keyPool)
		elems[i] = &s
	}
	if n > 0 && g.r.IntN(8) == 0 {
		elems[g.r.IntN(n)] = nil
	}
	return pgArray(elems)
}

var intPool = []string{"0", "1", "2", "-1", "-2", "3", "-3", "5", "-5", "2147483647", "-2147483648"}

// subValue returns the text of a part of the jsonb doc (for containment
// cases that hold) or a random value.
func (g *gen) derived(doc string) string {
	v, err := Parse([]byte(doc))
	if err != nil || g.r.IntN(3) == 0 {
		return g.doc()
	}
	return string(AppendText(nil, g.shrink(v)))
}

// shrink keeps a random part of v, which v then contains.
func (g *gen) shrink(v Value) Value {
	var b Builder
	g.shrinkInto(&b, v)
	return Value(b.Finish(nil))
}

func (g *gen) shrinkInto(b *Builder, v Value) {
	switch v.Kind() {
	case KindArray:
		b.BeginArray()
		for i := 0; i < v.Len(); i++ {
			if g.r.IntN(2) == 0 {
				g.shrinkInto(b, v.Elem(i))
			}
		}
		b.End()
	case KindObject:
		b.BeginObject()
		for i := 0; i < v.Len(); i++ {
			if g.r.IntN(2) == 0 {
				b.Key(v.Key(i))
				g.shrinkInto(b, v.Field(i))
			}
		}
		b.End()
	default:
		b.Value(v)
	}
}

func buildCases() [][]string {
	g := &gen{r: rand.New(rand.NewPCG(15, 2022))}

	// Input and output, json and jsonb.
	inputs := []string{
		"null", "true", "false", "0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "1.50", "1e2", "1E2", "1e+2", "1e-2", "1E-5",
		"-1.5e-3", "0e0", "0.000e5", "1e400", "1e-400", "123456789012345678901234567890",
		"-123456789012345678901234567890.123456789", "1e1000000", "1e-1000000", "1e131071", "1e131072", "1e-16383",
		"1e-16384", "9.99999e131071", "0.0000000000000000000001", "1e2147483647", "1e2147483648", "1e-2147483648",
		"01", "-01", "00", "1.", "-1.", ".5", "-", "--1", "+1", "1e", "1e+", "1E-", "1.e5", "1.5.2", "0x10", "1x", "NaN",
		"Infinity", "-Infinity", "nan", "1_000", "9223372036854775808", "-9223372036854775809", "1.0e-3", "2e0",
		`""`, `"a"`, `"\""`, `"\\"`, `"\/"`, `"/"`, `"\b\f\n\r\t"`, `"\u0041"`, `"\u00e9"`, "\"é\"", `"\u20AC"`,
		`"\ud83d\ude00"`, `"\uD83D\uDE00"`, "\"😀\"", `"\u0000"`, `"a\u0000b"`, `"\ud800"`, `"\udc00"`,
		`"\ud800\ud800"`, `"\ud800x"`, `"\ud800\n"`, `"\ud800\u0041"`, `"\ud800\udbff"`, `"\u001f"`, `"\u007f"`,
		`"\u0080"`, `"\uffff"`, `"\x"`, `"\u12"`, `"\u12g4"`, `"\uzzzz"`, `"\uD8"`, `"abc`, `"\`, `"\u`, `"\u00`,
		"\"a\tb\"", "\"a\nb\"", "\"\x01\"", "\"\x7f\"", `"\'"`, `"\a"`, `"\U0041"`, "\"\\é\"",
		"[]", "{}", "[1,2,3]", " [ 1 , 2 ] ", `{"a":1}`, `{"a":1,"a":2}`, `{"a":1,"b":2,"a":3}`,
		`{"b":1,"a":2,"aa":3,"":4}`, `{"a":{"b":{"c":[1,{"d":null}]}}}`, "[[[]]]", "[{}]", `{"a":[]}`, `{"a":{}}`,
		`[1,"a",true,null,false,1.5,{"x":[]}]`, `{"\u0061":1,"a":2}`, `{"é":1,"e":2,"z":3,"ab":4}`,
		`{"a":1,"A":2,"b":3,"B":4,"ä":5,"0":6}`, `["\u0000"]`, `{"\u0000":1}`,
		"[", "]", "{", "}", "[1,]", "[,1]", "[1 2]", `{"a"}`, `{"a":}`, `{"a" 1}`, `{"a":1,}`, "{,}", "{1:2}",
		`{"a":1 "b":2}`, "[1]]", "[1] x", "1 2", `{"a":1}}`, "tru", "truex", "nul", "True", "NULL", "[true false]",
		"@", "[@]", "'a'", `"a" "b"`, "", " ", "\n", "[1,2", `{"a":1`, `{"a"`, `{"a":`, "[1,2,]", `{"a":1,"b"}`,
		"[-]", "[-x]", "[1e5x]", `{"a":tru}`, `[1,{"a":[2,{"b":x}]}]`, "[:]", `{"a"::1}`, `{[1]:2}`, "[}", "{]",
		"{\n\"a\": 1,\n\"b\": x\n}", "[1,\n2,\n3,\n4 5]", "[1,\r\n2 x]", "\n\n\n  [1,\n   2,\n   @]",
		"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,x]",
		"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33]x",
		`["ééééééééééééééééééééééééééééééééééééééééééé", x]`, "[éx]", "[1é]", `["a" é]`, "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,x,16,17,18,19,20,21,22,23,24,25]",
		`{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":"\x"}`,
		"\t\n\r {\"a\" : [ 1 ,\n 2 ] }\n", "\f1", "\v1", "\u00a01", "1\u00a0", "[1,\f2]",
		`{"a": "x", "b": ["y", {"c": "z"}], "d": {"e": null, "f": [true, false]}}`,
		`[[1,2],[3,[4,[5,[6]]]]]`, `{"k":"v\u00e9\ud83d\ude00\t"}`,
	}
	for _, s := range inputs {
		g.add("in", s)
		g.add("json_in", s)
	}
	for i := 0; i < 150; i++ {
		s := g.doc()
		g.add("in", s)
		if i%5 == 0 {
			g.add("json_in", s)
		}
	}
	for _, s := range []string{"null", "1.50", `"a\u0000"`, `{"a":[1,"x"]}`, "[]", `"é"`} {
		g.add("send", s)
	}
	for _, d := range []struct{ kind, n, typ string }{
		{"array", "100", "jsonb"}, {"array", "10000", "jsonb"}, {"array", "20000", "jsonb"}, {"object", "10000", "jsonb"},
		{"object", "20000", "jsonb"}, {"array", "10000", "json"}, {"array", "20000", "json"}, {"object", "20000", "json"},
	} {
		g.add("deep", d.kind, d.n, d.typ)
	}

	// Constructors of scalars (what to_jsonb makes of SQL values).
	for _, n := range []string{"NaN", "Infinity", "-Infinity", "1.50", "-0", "1e-5", "123456789012345678901234567890.000"} {
		g.add("from_numeric", n)
	}
	for _, s := range []string{"", "a", "a\"b", `back\slash`, "tab\there", "nl\n", "cr\r", "\x01\x1f\x7f", "\b\f", "é😀", "/", "\u2028"} {
		g.add("from_text", s)
		g.add("json_quote", s)
	}

	// Output functions.
	for _, s := range []string{"null", "1", `"x"`, "[]", "{}", `{"a":[],"b":{},"c":[1,{"d":[]}]}`, `[1,[2,[3,[]]],{"a":{"b":{}}}]`,
		`{"a":"\n\"\\"}`, `[{"a":1},{"b":[null,true]}]`} {
		g.add("pretty", s)
	}
	for i := 0; i < 30; i++ {
		g.add("pretty", g.doc())
	}

	docs := func(n int, f func(doc string)) {
		for i := 0; i < n; i++ {
			f(g.doc())
		}
	}
	// Small fixed documents that every operator meets.
	fixed := []string{"null", "1", `"a"`, `"b"`, "true", "[]", "{}", `[1,"a",null,"b",[1],{"a":1}]`, `{"a":1,"b":null,"c":{"d":[1,2,{"e":null}]}}`,
		`[1,[2,[3,4]],{"a":[5,{"b":null}]}]`, `{"a":{"b":{"c":1}},"x":[[1,2],[3,4]]}`, `["a","a","b"]`, `{"":1,"a":null}`}

	for _, d := range fixed {
		g.add("typeof", d)
		g.add("alen", d)
		g.add("keys", d)
		g.add("each", d)
		g.add("each_text", d)
		g.add("elems", d)
		g.add("elems_text", d)
		g.add("strip", d)
		for _, c := range []string{"numeric", "int2", "int4", "int8", "float4", "float8", "bool", "text", "json"} {
			g.add("cast", d, c)
		}
	}
	for _, n := range []string{"1.5", "2.5", "-2.5", "0.49999", "32767", "32768", "-32768.5", "2147483647.4", "2147483647.5", "1e18",
		"9223372036854775807", "9223372036854775808", "1e39", "1e-46", "3.4028235e38", "1.7976931348623157e308", "1e309", "0.1", "-0", "1e-400"} {
		for _, c := range []string{"numeric", "int2", "int4", "int8", "float4", "float8"} {
			g.add("cast", n, c)
		}
	}
	for _, d := range []string{"false", `"true"`, "0"} {
		g.add("cast", d, "bool")
	}
	docs(60, func(d string) {
		g.add("typeof", d)
		g.add("alen", d)
		g.add("keys", d)
		g.add("each", d)
		g.add("each_text", d)
		g.add("elems", d)
		g.add("elems_text", d)
		g.add("strip", d)
	})

	// Navigation.
	for _, d := range fixed {
		for _, k := range []string{"a", "b", "c", "", "x"} {
			g.add("field", d, k)
			g.add("field_text", d, k)
			g.add("exists", d, k)
			g.add("del_key", d, k)
		}
		for _, i := range intPool {
			g.add("elem", d, i)
			g.add("elem_text", d, i)
			g.add("del_idx", d, i)
		}
		for _, p := range []string{"{}", "{a}", "{a,b}", "{c,d,2}", "{c,d,2,e}", "{0}", "{-1}", "{1,0}", "{1,1,0}", "{2,a,1,b}", "{x,0}",
			"{a,NULL}", "{NULL}", "{5}", "{-7}", "{1,-1,0}", "{c,d,-1,e}", `{""}`} {
			g.add("path", d, p)
			g.add("path_text", d, p)
			g.add("del_path", d, p)
			g.add("exists_any", d, p)
			g.add("exists_all", d, p)
			g.add("del_keys", d, p)
		}
	}
	docs(150, func(d string) {
		k := g.pick(keyPool)
		g.add("field", d, k)
		g.add("field_text", d, k)
		g.add("exists", d, k)
		i := g.pick(intPool)
		g.add("elem", d, i)
		g.add("elem_text", d, i)
		p := g.path()
		g.add("path", d, p)
		g.add("path_text", d, p)
		ka := g.keyArray()
		g.add("exists_any", d, ka)
		g.add("exists_all", d, ka)
	})

	// Containment.
	contain := [][2]string{
		{"[1,2,3]", "[1]"}, {"[1,2,3]", "[3,1]"}, {"[1,2,3]", "[1,1,1]"}, {"[1,2,3]", "[]"}, {"[]", "[]"}, {"[]", "[1]"},
		{"[1,2,3]", "1"}, {"[1,2,3]", "4"}, {"1", "1"}, {"1", "1.0"}, {"1.0", "1"}, {"1", "[1]"}, {"[1]", "1"}, {`"a"`, `"a"`},
		{`["a"]`, `"a"`}, {`{"a":1}`, `{}`}, {`{}`, `{}`}, {`{"a":1}`, `{"a":1}`}, {`{"a":1}`, `{"a":1.00}`},
		{`{"a":1,"b":2}`, `{"a":1}`}, {`{"a":1}`, `{"a":1,"b":2}`}, {`{"a":{"b":1,"c":2}}`, `{"a":{"b":1}}`},
		{`{"a":{"b":1}}`, `{"a":{"b":1,"c":2}}`}, {`{"a":[1,2,3]}`, `{"a":[3]}`}, {`{"a":[1,2,3]}`, `{"a":3}`},
		{`{"a":[1]}`, `{"a":{}}`}, {`{"a":{}}`, `{"a":[]}`}, {`[[1,2],[3,4]]`, `[[1]]`}, {`[[1,2],[3,4]]`, `[[1,3]]`},
		{`[[1,2],[3,4]]`, `[[4],[1]]`}, {`[[1,2],[3,4]]`, `[1]`}, {`[1,[2]]`, `[2]`}, {`[1,[2]]`, `[[2]]`}, {`[{"a":1},{"b":2}]`, `[{"a":1}]`},
		{`[{"a":1},{"b":2}]`, `[{"a":1,"b":2}]`}, {`[{"a":1,"b":2}]`, `[{}]`}, {`[{"a":1}]`, `[[]]`}, {`[[]]`, `[[]]`},
		{`[[]]`, `[{}]`}, {`{"a":1}`, `[{"a":1}]`}, {`[{"a":1}]`, `{"a":1}`}, {`[1]`, `{}`}, {`{}`, `[]`}, {"null", "null"},
		{"[null]", "null"}, {"[true]", "false"}, {"[true,false]", "[false]"}, {`["1"]`, "1"}, {`[1]`, `"1"`}, {"[]", "1"},
		{`{"a":null}`, `{"a":null}`}, {`{"a":null}`, `{"b":null}`}, {"1", "[]"}, {"[1]", "[]"}, {`"a"`, `[]`}, {`{"a":[[1]]}`, `{"a":[[]]}`},
		{`[1,2,[3,[4,5]]]`, `[[[5]]]`}, {`[1,2,[3,[4,5]]]`, `[[3,[4]]]`}, {`[1,2,[3,[4,5]]]`, `[[[3]]]`},
	}
	for _, c := range contain {
		g.add("contains", c[0], c[1])
		g.add("contained", c[1], c[0])
	}
	docs(150, func(d string) {
		g.add("contains", d, g.derived(d))
	})

	// Construction.
	concat := [][2]string{{"[1]", "[2]"}, {"[]", "[]"}, {"[]", "[1]"}, {"[1]", "[]"}, {"{}", "{}"}, {`{"a":1}`, `{}`}, {`{}`, `{"a":1}`},
		{`{"a":1,"b":2}`, `{"b":3,"c":4}`}, {`{"a":1}`, "[2]"}, {"[1]", `{"a":2}`}, {"1", "2"}, {"1", "[2]"}, {"[1]", "2"},
		{"{}", "[]"}, {"[]", "{}"}, {`{"a":1}`, "2"}, {"1", `{"a":2}`}, {"null", "null"}, {`"a"`, "[]"}, {"[]", `"a"`},
		{`{"a":{"b":1}}`, `{"a":{"c":2}}`}, {"[[1]]", "[[2]]"}, {`{}`, `1`}, {`1`, `{}`}}
	for _, c := range concat {
		g.add("concat", c[0], c[1])
	}
	docs(80, func(d string) { g.add("concat", d, g.doc()) })
	docs(120, func(d string) {
		g.add("del_key", d, g.pick(keyPool))
		g.add("del_idx", d, g.pick(intPool))
		g.add("del_keys", d, g.keyArray())
		g.add("del_path", d, g.path())
	})
	setDocs := append([]string{}, fixed...)
	for i := 0; i < 100; i++ {
		setDocs = append(setDocs, g.doc())
	}
	for i, d := range setDocs {
		paths := []string{g.path(), g.path()}
		if i < len(fixed) {
			paths = []string{"{a}", "{z}", "{c,d,1}", "{c,d,5}", "{c,d,-1}", "{c,d,-9}", "{1}", "{-1}", "{9}", "{-9}",
				"{1,0}", "{x}", "{c,z}", "{c,z,y}", "{}", "{NULL}", "{a,NULL}", "{c,NULL}", "{0,a}", "{5,a}", "{c,d,x}"}
		}
		if d[0] != '[' && d[0] != '{' {
			paths = paths[:1] // a scalar only ever fails
		}
		for _, p := range paths {
			nv := g.pick([]string{"9", `"new"`, "null", `{"n":1}`, "[7]"})
			g.add("set", d, p, nv, "true")
			g.add("set", d, p, nv, "false")
			g.add("insert", d, p, nv, "false")
			g.add("insert", d, p, nv, "true")
		}
	}
	g.add("build_object")
	g.add("build_object", "a", "1", "b", `"x"`, "a", "[2]")
	g.add("build_object", "b", "null", "a", `{"z":1,"y":2}`, "", "1.50")
	g.add("build_object", "a")
	g.add("build_object", nullArg, "1")
	g.add("build_array")
	g.add("build_array", "1", `"a"`, "null", "[]", `{"b":1,"a":2}`)
	g.add("agg", "1", `"a"`, nullArg, "[1,2]", `{"a":1}`)
	g.add("agg", "null")
	g.add("object_agg", "a", "1", "b", "2", "a", "3")
	g.add("object_agg", "b", "[1]", "", nullArg, "aa", `{"x":null}`)
	g.add("object_agg", nullArg, "1")
	g.add("json_build_object")
	g.add("json_build_object", "a", "1", "b", `"x"`, "a", "[2,  3]")
	g.add("json_build_object", "a\"b", "{\"z\" :1}", "é", "1.50")
	g.add("json_build_object", "a")
	g.add("json_build_object", nullArg, "1")
	g.add("json_build_array")
	g.add("json_build_array", "1", `"a"`, "null", "[ ]", `{"b":1,"a":2}`)
	g.add("json_agg", "1", `"a"`, nullArg, "[1,2]", `{"a" : 1}`)
	g.add("json_agg", "[1]", "[2]", "[3]")
	g.add("json_agg_intarr", "{1,2}", "{3}", nullArg, "{}")
	g.add("json_agg_intarr", nullArg, "{4,5}")
	g.add("json_object_agg", "a", "1", "b", "2", "a", "3")
	g.add("json_object_agg", "b", "[1]", "", nullArg)
	g.add("json_object_agg", nullArg, "1")

	// Order.
	pool := []string{"null", `""`, `"a"`, `"b"`, `"aa"`, `"ab"`, `"B"`, `"é"`, `"a b"`, "0", "-0", "1", "1.0", "-1", "2", "10", "1e2",
		"0.5", "-100", "123456789012345678901234567890", "false", "true", "[]", "[null]", "[1]", "[2]", "[1,2]", "[[]]", "[{}]",
		`["a"]`, "[true]", "[1,1]", "[[1]]", `[{"a":1}]`, "{}", `{"a":1}`, `{"a":2}`, `{"b":1}`, `{"aa":1}`, `{"a":null}`, `{"a":[]}`,
		`{"a":{}}`, `{"a":1,"b":2}`, `{"b":1,"c":1}`, `{"a":1,"c":2}`, `{"":1}`, `{"a":"x"}`, `{"a":true}`, "[[1,2],[3]]",
		"[[1],[2,3]]", `[1,"a"]`, `["a",1]`, "[false]", `{"b":[1]}`, `{"aa":1,"b":2}`, `{"a":1,"bb":2}`, `"1"`, `"null"`,
	}
	for rep := 0; rep < 6; rep++ {
		perm := g.r.Perm(len(pool))
		items := make([]string, 0, len(pool))
		for _, i := range perm {
			items = append(items, pool[i])
		}
		if rep > 0 {
			for i := 0; i < 25; i++ {
				items = append(items, g.doc())
			}
		}
		g.add("sort", "["+strings.Join(items, ", ")+"]")
	}
	for i := 0; i < 400; i++ {
		a, b := g.pick(pool), g.pick(pool)
		if i%3 == 0 {
			a, b = g.doc(), g.doc()
		}
		g.add("cmp", a, b)
		if i%4 == 0 {
			g.add("eq", a, b)
		}
	}
	for _, p := range [][2]string{{"1", "1.0"}, {"[1]", "[1.00]"}, {`{"a":1}`, `{"a":1.0}`}, {"[]", "null"}, {"[]", "1"},
		{"1", "[1]"}, {"1", "[]"}, {`"a"`, "[0]"}, {"true", "[]"}, {"{}", "[]"}, {"{}", "1"}, {"[[]]", "[1]"}, {"[{}]", "[[]]"}} {
		g.add("cmp", p[0], p[1])
		g.add("eq", p[0], p[1])
	}

	// json (text) functions.
	jdocs := []string{`{"a":{"b":1},"a":{"c":2}}`, `{"a": [1,  2], "b" : "x\u0041y", "c":1.50e1, "d":null, "e": {"x" : 1}}`,
		`[1, "a" ,  {"b" :2}, null, true, [ ]]`, `  1 `, `"abc"`, `"\u0000"`, `{"a":"\u0000"}`, `{"\u0000":1}`, `null`, `{}`,
		`[]`, ` { "a" : 1 , "a" : null } `, `{"a":null,"a":1}`, `[["x"]]`, `{"a":[{"b":1},{"b":2}]}`, `"\ud800"`, `[1,"\ud800"]`,
		`{"b":1,"a":2,"b":3}`, `{"a":{"b":{"c":"d"}},"a":{"b":[1]}}`, `{"a":1,"b":null,"c":[null,{"d":null,"e":"\u0041"}],"f":1.50}`}
	for i := 0; i < 40; i++ {
		jdocs = append(jdocs, g.doc())
	}
	for _, d := range jdocs {
		for _, op := range []string{"j_typeof", "j_alen", "j_keys", "j_each", "j_each_text", "j_elems", "j_elems_text", "j_strip"} {
			g.add(op, d)
		}
		for _, k := range []string{"a", "b", "x"} {
			g.add("j_field", d, k)
			g.add("j_field_text", d, k)
		}
		for _, i := range []string{"0", "1", "-1", "5", "-6"} {
			g.add("j_elem", d, i)
			g.add("j_elem_text", d, i)
		}
		for _, p := range []string{"{}", "{a}", "{a,b}", "{a,b,c}", "{0}", "{-1}", "{2,b}", "{a,0,b}", "{x}", "{1,x}"} {
			g.add("j_path", d, p)
			g.add("j_path_text", d, p)
		}
	}
	return g.cases
}
