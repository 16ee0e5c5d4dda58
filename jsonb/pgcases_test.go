package jsonb

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// testdata/pg15.txt holds cases evaluated by a real PostgreSQL 15: each
// line is an operation, its arguments and the result, tab-separated and
// escaped. A result is the rows PostgreSQL returned, as text (rows on
// lines, columns tab-separated, NULL as \N), or an error rendered by
// renderError. TestPG15Cases evaluates every case with this package and
// compares; TestRecord (record_test.go) regenerates the file.

const casesFile = "testdata/pg15.txt"

func escapeField(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func unescapeField(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// renderRows renders a query result: rows on lines, columns separated by
// tabs, NULL as \N.
func renderRows(rows [][]*string) string {
	var b strings.Builder
	for i, row := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, v := range row {
			if j > 0 {
				b.WriteByte('\t')
			}
			if v == nil {
				b.WriteString(`\N`)
			} else {
				b.WriteString(*v)
			}
		}
	}
	return b.String()
}

func renderError(code, msg, detail, hint, where string) string {
	s := "!" + code + " " + msg
	if detail != "" {
		s += " | DETAIL: " + detail
	}
	if hint != "" {
		s += " | HINT: " + hint
	}
	if where != "" {
		s += " | CONTEXT: " + where
	}
	return s
}

func errText(err error) string {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return "!XX000 " + err.Error()
	}
	return renderError(pe.Code, pe.Message, pe.Detail, pe.Hint, pe.Where)
}

type pgCase struct {
	line   int
	op     string
	args   []string
	result string
}

func loadCases(t testing.TB) []pgCase {
	f, err := os.Open(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []pgCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, "\t")
		for i := range fields {
			fields[i] = unescapeField(fields[i])
		}
		cases = append(cases, pgCase{line: n, op: fields[0], args: fields[1 : len(fields)-1], result: fields[len(fields)-1]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestPG15Cases(t *testing.T) {
	cases := loadCases(t)
	if len(cases) < 1000 {
		t.Fatalf("only %d cases", len(cases))
	}
	failed := 0
	for _, c := range cases {
		if ok, got := checkCase(c); !ok {
			failed++
			if failed <= 40 {
				t.Errorf("line %d: %s %q\n got: %q\nwant: %q", c.line, c.op, c.args, got, c.result)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d cases differ", failed, len(cases))
	}
	t.Logf("%d cases", len(cases))
}

// checkCase evaluates c and compares, allowing what text cannot pin down:
// float formatting (compared as numbers) and the order PostgreSQL gives
// to equal values when sorting.
func checkCase(c pgCase) (bool, string) {
	switch {
	case c.op == "cast" && (c.args[1] == "float4" || c.args[1] == "float8") && !strings.HasPrefix(c.result, "!"):
		got := evalCase(c.op, c.args)
		bits := 64
		if c.args[1] == "float4" {
			bits = 32
		}
		want, err1 := strconv.ParseFloat(c.result, bits)
		have, err2 := strconv.ParseFloat(got, bits)
		return err1 == nil && err2 == nil && (want == have || math.IsNaN(want) && math.IsNaN(have)), got
	case c.op == "sort":
		return checkSort(c)
	case c.op == "cmp":
		got := evalCase(c.op, c.args)
		if got != c.result {
			return false, got
		}
		// The sort key must order the pair the same way.
		a, _ := Parse([]byte(c.args[0]))
		b, _ := Parse([]byte(c.args[1]))
		k := bytes.Compare(AppendKey(nil, a), AppendKey(nil, b))
		if strconv.Itoa(k) != c.result {
			return false, "key order " + strconv.Itoa(k)
		}
		return true, got
	}
	got := evalCase(c.op, c.args)
	return got == c.result, got
}

// checkSort sorts the elements with Compare and checks that PostgreSQL's
// order matches up to equal values.
func checkSort(c pgCase) (bool, string) {
	arr, err := Parse([]byte(c.args[0]))
	if err != nil {
		return false, errText(err)
	}
	var mine []Value
	for i := 0; i < arr.Len(); i++ {
		mine = append(mine, arr.Elem(i))
	}
	slices.SortStableFunc(mine, Compare)
	var theirs []Value
	for _, s := range strings.Split(c.result, "\n") {
		v, err := Parse([]byte(s))
		if err != nil {
			return false, errText(err)
		}
		theirs = append(theirs, v)
	}
	var out []string
	for _, v := range mine {
		out = append(out, v.String())
	}
	got := strings.Join(out, "\n")
	if len(mine) != len(theirs) {
		return false, got
	}
	for i := range mine {
		if Compare(mine[i], theirs[i]) != 0 {
			return false, got
		}
		if i > 0 && bytes.Compare(AppendKey(nil, mine[i-1]), AppendKey(nil, mine[i])) > 0 {
			return false, "key order broken at " + mine[i].String()
		}
	}
	return true, got
}

// parseTextArray reads a one-dimensional text[] literal as pgArray writes
// it (and PostgreSQL accepts): elements quoted or bare, NULL unquoted.
func parseTextArray(s string) (elems [][]byte, nulls []bool) {
	s = strings.TrimSpace(s)
	s = s[1 : len(s)-1]
	if strings.TrimSpace(s) == "" {
		return [][]byte{}, []bool{}
	}
	i := 0
	for {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		var e []byte
		quoted := false
		if i < len(s) && s[i] == '"' {
			quoted = true
			i++
			for s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				e = append(e, s[i])
				i++
			}
			i++
		} else {
			start := i
			for i < len(s) && s[i] != ',' {
				i++
			}
			e = []byte(strings.TrimSpace(s[start:i]))
		}
		isNull := !quoted && strings.EqualFold(string(e), "NULL")
		if e == nil {
			e = []byte{}
		}
		elems = append(elems, e)
		nulls = append(nulls, isNull)
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			return elems, nulls
		}
		i++ // comma
	}
}

func hasNull(nulls []bool) bool { return slices.Contains(nulls, true) }

func nonNull(elems [][]byte, nulls []bool) [][]byte {
	var out [][]byte
	for i, e := range elems {
		if !nulls[i] {
			out = append(out, e)
		}
	}
	return out
}

var nullText = `\N`

// evalCase computes a case with this package and renders it as the
// recorder renders PostgreSQL's answer.
func evalCase(op string, a []string) string {
	var docs []Value
	parse := func(i int) (Value, error) { return Parse([]byte(a[i])) }
	needDocs := func(idx ...int) error {
		docs = docs[:0]
		for _, i := range idx {
			v, err := parse(i)
			if err != nil {
				return err
			}
			docs = append(docs, v)
		}
		return nil
	}
	text := func(v Value) string { return v.String() }
	optText := func(v Value, ok bool) string {
		if !ok {
			return nullText
		}
		return v.String()
	}
	asText := func(v Value, ok bool) string {
		if !ok {
			return nullText
		}
		s, ok := AppendAsText(nil, v)
		if !ok {
			return nullText
		}
		return string(s)
	}
	result := func(b []byte, err error) string {
		if err != nil {
			return errText(err)
		}
		return Value(b).String()
	}
	boolText := func(b bool) string {
		if b {
			return "true"
		}
		return "false"
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }

	switch op {
	case "in":
		v, err := parse(0)
		if err != nil {
			return errText(err)
		}
		if !Valid(v) {
			return "invalid encoding"
		}
		return text(v)
	case "json_in":
		if err := ValidateJSON([]byte(a[0])); err != nil {
			return errText(err)
		}
		return a[0]
	case "send":
		v, err := parse(0)
		if err != nil {
			return errText(err)
		}
		return `\x` + hex.EncodeToString(AppendSend(nil, v))
	case "from_numeric":
		n, err := numeric.Parse(nil, a[0])
		if err != nil {
			return errText(err)
		}
		return Value(AppendNumeric(nil, n)).String()
	case "from_text":
		return Value(AppendString(nil, []byte(a[0]))).String()
	case "json_quote":
		return string(AppendQuoted(nil, []byte(a[0])))
	case "deep":
		n := atoi(a[1])
		open, close := "[", "]"
		if a[0] == "object" {
			open, close = `{"a":`, "}"
		}
		s := []byte(strings.Repeat(open, n) + "1" + strings.Repeat(close, n))
		if a[2] == "json" {
			if err := ValidateJSON(s); err != nil {
				return errText(err)
			}
			return strconv.Itoa(len(s))
		}
		v, err := Parse(s)
		if err != nil {
			return errText(err)
		}
		return strconv.Itoa(len(AppendText(nil, v)))
	}

	if strings.HasPrefix(op, "j_") {
		return evalJSONCase(op, a)
	}

	switch op {
	case "build_object":
		if len(a)%2 != 0 {
			return errText(ErrBuildObjectOddArgs("jsonb_build_object"))
		}
		var b Builder
		b.BeginObject()
		for i := 0; i < len(a); i += 2 {
			if a[i] == nullArg {
				return errText(ErrBuildObjectNullKey(i+1, true))
			}
			v, err := parse(i + 1)
			if err != nil {
				return errText(err)
			}
			b.Key([]byte(a[i]))
			b.Value(v)
		}
		if err := b.End(); err != nil {
			return errText(err)
		}
		return Value(b.Finish(nil)).String()
	case "build_array", "agg":
		var b Builder
		b.BeginArray()
		for i := range a {
			if a[i] == nullArg {
				b.Null()
				continue
			}
			v, err := parse(i)
			if err != nil {
				return errText(err)
			}
			b.Value(v)
		}
		if err := b.End(); err != nil {
			return errText(err)
		}
		return Value(b.Finish(nil)).String()
	case "object_agg":
		var b Builder
		b.BeginObject()
		for i := 0; i+1 < len(a); i += 2 {
			if a[i] == nullArg {
				return errText(ErrObjectAggNullKey())
			}
			b.Key([]byte(a[i]))
			if a[i+1] == nullArg {
				b.Null()
				continue
			}
			v, err := parse(i + 1)
			if err != nil {
				return errText(err)
			}
			b.Value(v)
		}
		if err := b.End(); err != nil {
			return errText(err)
		}
		return Value(b.Finish(nil)).String()
	case "json_build_object":
		if len(a)%2 != 0 {
			return errText(ErrBuildObjectOddArgs("json_build_object"))
		}
		var o JSONObjectBuilder
		for i := 0; i < len(a); i += 2 {
			if a[i] == nullArg {
				return errText(ErrBuildObjectNullKey(i+1, false))
			}
			if err := ValidateJSON([]byte(a[i+1])); err != nil {
				return errText(err)
			}
			o.Add([]byte(a[i]), []byte(a[i+1]))
		}
		return string(o.Finish(nil))
	case "json_build_array":
		var vals [][]byte
		for _, s := range a {
			vals = append(vals, []byte(s))
		}
		return string(AppendJSONBuildArray(nil, vals...))
	case "json_agg", "json_agg_intarr":
		var ag JSONAgg
		for _, s := range a {
			if s == nullArg {
				ag.AddNull()
				continue
			}
			if op == "json_agg" {
				ag.Add([]byte(s), false)
			} else {
				// array_to_json of an int[] literal
				ag.Add([]byte("["+strings.Trim(s, "{}")+"]"), true)
			}
		}
		return string(ag.Finish(nil))
	case "json_object_agg":
		var ag JSONObjectAgg
		for i := 0; i+1 < len(a); i += 2 {
			if a[i] == nullArg {
				return errText(ErrObjectAggNullKey())
			}
			v := a[i+1]
			if v == nullArg {
				v = "null"
			}
			ag.Add([]byte(a[i]), []byte(v))
		}
		return string(ag.Finish(nil))
	}

	// The remaining operations take a jsonb first argument (two for the
	// binary operators).
	nDocs := 1
	switch op {
	case "contains", "contained", "concat", "cmp", "eq":
		nDocs = 2
	case "set", "insert":
		if err := needDocs(0); err != nil {
			return errText(err)
		}
		nv, err := parse(2)
		if err != nil {
			return errText(err)
		}
		elems, nulls := parseTextArray(a[1])
		var out []byte
		if op == "set" {
			out, err = Set(nil, docs[0], elems, nulls, nv, a[3] == "true")
		} else {
			out, err = Insert(nil, docs[0], elems, nulls, nv, a[3] == "true")
		}
		return result(out, err)
	}
	idx := []int{0}
	if nDocs == 2 {
		idx = []int{0, 1}
	}
	if err := needDocs(idx...); err != nil {
		return errText(err)
	}
	v := docs[0]
	switch op {
	case "pretty":
		return string(AppendPretty(nil, v))
	case "typeof":
		return TypeOf(v)
	case "alen":
		n, err := ArrayLength(v)
		if err != nil {
			return errText(err)
		}
		return strconv.Itoa(n)
	case "keys":
		if err := CheckObjectKeys(v); err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < v.Len(); i++ {
			k := string(v.Key(i))
			rows = append(rows, []*string{&k})
		}
		return renderRows(rows)
	case "each", "each_text":
		fn := "jsonb_" + op
		if err := CheckEach(v, fn); err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < v.Len(); i++ {
			k := string(v.Key(i))
			var val *string
			if op == "each" {
				s := v.Field(i).String()
				val = &s
			} else if b, ok := AppendAsText(nil, v.Field(i)); ok {
				s := string(b)
				val = &s
			}
			rows = append(rows, []*string{&k, val})
		}
		return renderRows(rows)
	case "elems", "elems_text":
		if err := CheckArrayElements(v); err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < v.Len(); i++ {
			var val *string
			if op == "elems" {
				s := v.Elem(i).String()
				val = &s
			} else if b, ok := AppendAsText(nil, v.Elem(i)); ok {
				s := string(b)
				val = &s
			}
			rows = append(rows, []*string{val})
		}
		return renderRows(rows)
	case "strip":
		return result(StripNulls(nil, v))
	case "field":
		return optText(ObjectField(v, []byte(a[1])))
	case "field_text":
		return asText(ObjectField(v, []byte(a[1])))
	case "elem":
		return optText(ArrayElement(v, atoi(a[1])))
	case "elem_text":
		return asText(ArrayElement(v, atoi(a[1])))
	case "path", "path_text":
		elems, nulls := parseTextArray(a[1])
		if hasNull(nulls) {
			return nullText
		}
		if op == "path" {
			return optText(Path(v, elems))
		}
		return asText(Path(v, elems))
	case "contains":
		return boolText(Contains(v, docs[1]))
	case "contained":
		return boolText(Contains(docs[1], v))
	case "exists":
		return boolText(Exists(v, []byte(a[1])))
	case "exists_any", "exists_all":
		elems, nulls := parseTextArray(a[1])
		keys := nonNull(elems, nulls)
		if op == "exists_any" {
			return boolText(ExistsAny(v, keys))
		}
		return boolText(ExistsAll(v, keys))
	case "concat":
		return result(Concat(nil, v, docs[1]))
	case "del_key":
		return result(DeleteKey(nil, v, []byte(a[1])))
	case "del_idx":
		return result(DeleteIndex(nil, v, atoi(a[1])))
	case "del_keys":
		elems, nulls := parseTextArray(a[1])
		return result(DeleteKeys(nil, v, elems, nulls))
	case "del_path":
		elems, nulls := parseTextArray(a[1])
		return result(DeletePath(nil, v, elems, nulls))
	case "cast":
		return evalCast(v, a[1])
	case "cmp":
		return strconv.Itoa(Compare(v, docs[1]))
	case "eq":
		return boolText(Equal(v, docs[1]))
	}
	panic("unknown op " + op)
}

func evalCast(v Value, typ string) string {
	var s string
	var err error
	switch typ {
	case "numeric":
		var n []byte
		if n, err = ToNumeric(v); err == nil {
			s = numeric.String(n)
		}
	case "int2":
		var x int16
		x, err = ToInt16(v)
		s = strconv.Itoa(int(x))
	case "int4":
		var x int32
		x, err = ToInt32(v)
		s = strconv.Itoa(int(x))
	case "int8":
		var x int64
		x, err = ToInt64(v)
		s = strconv.FormatInt(x, 10)
	case "float4":
		var x float32
		x, err = ToFloat32(v)
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case "float8":
		var x float64
		x, err = ToFloat64(v)
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case "bool":
		var x bool
		x, err = ToBool(v)
		s = strconv.FormatBool(x)
	case "text", "json":
		s = v.String()
	}
	if err != nil {
		return errText(err)
	}
	return s
}

func evalJSONCase(op string, a []string) string {
	text := []byte(a[0])
	if err := ValidateJSON(text); err != nil {
		return errText(err)
	}
	opt := func(b []byte, ok bool, err error) string {
		if err != nil {
			return errText(err)
		}
		if !ok {
			return nullText
		}
		return string(b)
	}
	asText := func(b []byte, ok bool, err error) string {
		if err != nil {
			return errText(err)
		}
		if !ok {
			return nullText
		}
		return opt(AppendJSONAsText(nil, b))
	}
	var d JSONDoc
	switch op {
	case "j_typeof":
		s, err := JSONTypeOf(text)
		if err != nil {
			return errText(err)
		}
		return s
	case "j_alen":
		n, err := JSONArrayLength(text)
		if err != nil {
			return errText(err)
		}
		return strconv.Itoa(n)
	case "j_keys":
		n, err := d.ObjectKeys(text)
		if err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < n; i++ {
			k := string(d.Key(i))
			rows = append(rows, []*string{&k})
		}
		return renderRows(rows)
	case "j_each", "j_each_text":
		n, err := d.Each(text)
		if err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < n; i++ {
			k := string(d.Key(i))
			var val *string
			if op == "j_each" {
				s := string(d.Field(i))
				val = &s
			} else if b, ok := d.FieldText(nil, i); ok {
				s := string(b)
				val = &s
			}
			rows = append(rows, []*string{&k, val})
		}
		return renderRows(rows)
	case "j_elems", "j_elems_text":
		n, err := d.ArrayElements(text, op == "j_elems_text")
		if err != nil {
			return errText(err)
		}
		var rows [][]*string
		for i := 0; i < n; i++ {
			var val *string
			if op == "j_elems" {
				s := string(d.Elem(i))
				val = &s
			} else if b, ok := d.ElemText(nil, i); ok {
				s := string(b)
				val = &s
			}
			rows = append(rows, []*string{val})
		}
		return renderRows(rows)
	case "j_strip":
		out, err := JSONStripNulls(nil, text)
		if err != nil {
			return errText(err)
		}
		return string(out)
	case "j_field":
		return opt(JSONField(text, []byte(a[1])))
	case "j_field_text":
		return asText(JSONField(text, []byte(a[1])))
	case "j_elem", "j_elem_text":
		n, _ := strconv.Atoi(a[1])
		if op == "j_elem" {
			return opt(JSONElement(text, n))
		}
		return asText(JSONElement(text, n))
	case "j_path", "j_path_text":
		elems, nulls := parseTextArray(a[1])
		if hasNull(nulls) {
			return nullText
		}
		if op == "j_path" {
			return opt(JSONPath(text, elems))
		}
		return asText(JSONPath(text, elems))
	}
	panic("unknown op " + op)
}
