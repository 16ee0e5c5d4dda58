package sqltests

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestCompleteFile(t *testing.T) {
	srv := startScriptedServer(t, map[string]reply{
		"CREATE TABLE t(k int, v text)": {tag: "CREATE TABLE"},
		"SELECT k, v FROM t":            {columns: []string{"k", "v"}, rows: [][]interface{}{{"2", "two  words"}, {"1", ""}, {"3", nil}}},
		"SELECT k FROM t ORDER BY k":    {columns: []string{"k"}, rows: [][]interface{}{{"1"}, {"2"}, {"3"}}},
		"SELECT k, k FROM t":            {columns: []string{"k", "k"}, rows: [][]interface{}{{"3", "30"}, {"1", "10"}}},
		"SELECT 'a\nb'":                 {columns: []string{"x"}, rows: [][]interface{}{{"a\nb"}}},
		"SELECT bad":                    {errCode: "42703"},
		"SELECT 1":                      {columns: []string{"one"}, rows: [][]interface{}{{"1"}}},
		"SELECT 1, 2":                   {columns: []string{"a", "b"}, rows: [][]interface{}{{"1", "2"}}},
		"SELECT k FROM t WHERE false":   {columns: []string{"k"}},
	})
	path := writeScript(t, "c.slt", `# comments, conditions and blank lines stay

statement ok
CREATE TABLE t(k int, v text)

# rowsort: sorted as the runner sorts
query IT rowsort
SELECT k, v FROM t
----
old result

query I
SELECT k FROM t ORDER BY k

query I
SELECT k FROM t WHERE false

skipif postgresql
query I
SELECT never
----
kept as written

query II valuesort
SELECT k, k FROM t
----

query T
SELECT 'a
b'
----
x


statement ok
SELECT bad

statement error no such column
SELECT 1

query error
SELECT bad

query error
SELECT 1

query I
SELECT bad
----
kept too

query I
SELECT 1, 2
----
kept as well

control sortmode rowsort

query II
SELECT k, k FROM t
----
1 10
3 30`)

	c, err := CompleteFile(context.Background(), srv.connect, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `# comments, conditions and blank lines stay

statement ok
CREATE TABLE t(k int, v text)

# rowsort: sorted as the runner sorts
query IT rowsort
SELECT k, v FROM t
----
1 (empty)
2 two  words
3 NULL

query I
SELECT k FROM t ORDER BY k
----
1
2
3

query I
SELECT k FROM t WHERE false
----

skipif postgresql
query I
SELECT never
----
kept as written

query II valuesort
SELECT k, k FROM t
----
1
10
3
30

query T
SELECT 'a
b'
----
a b


statement ok
SELECT bad

statement error no such column
SELECT 1

query error
SELECT bad

query error
SELECT 1

query I
SELECT bad
----
kept too

query I
SELECT 1, 2
----
kept as well

control sortmode rowsort

query II
SELECT k, k FROM t
----
1 10
3 30`
	if string(got) != want {
		t.Errorf("completed file:\n%s\nwant:\n%s", got, want)
	}
	if c.Queries != 6 || c.Changed != 5 {
		t.Errorf("%d queries written, %d changed; want 6 and 5", c.Queries, c.Changed)
	}
	var lines []int
	for _, d := range c.Disagreements {
		lines = append(lines, d.Line)
	}
	if want := []int{46, 49, 55, 58, 63}; !slices.Equal(lines, want) {
		t.Errorf("disagreements at lines %v, want %v: %v", lines, want, c.Disagreements)
	}

	// The completed file passes, but for the records the server disagrees
	// with, and completing it again changes nothing.
	res, err := RunFile(context.Background(), srv.connect, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 8 || res.Failed != 5 || res.Skipped != 1 {
		t.Errorf("completed file: %s, want 8 passed, 5 failed, 1 skipped: %v", res.Summary(), res.Failures)
	}
	if c, err := CompleteFile(context.Background(), srv.connect, path, Options{}); err != nil || c.Changed != 0 {
		t.Errorf("second completion changed %d queries (%v)", c.Changed, err)
	}
}

// TestCompleteSQLiteDialect writes one value per line, formatted by type
// letter, and a hash above the threshold, keeping CRLF line endings.
func TestCompleteSQLiteDialect(t *testing.T) {
	srv := startScriptedServer(t, map[string]reply{
		"SELECT k, v FROM t": {columns: []string{"k", "v"}, rows: [][]interface{}{{"2.7", "b"}, {"1", ""}}},
	})
	body := "hash-threshold 3\r\n\r\nquery IT\r\nSELECT k, v FROM t\r\n----\r\n\r\nquery IT rowsort\r\nSELECT k, v FROM t\r\n\r\n" +
		"hash-threshold 8\r\n\r\nquery IT rowsort\r\nSELECT k, v FROM t\r\n----\r\n"
	path := writeScript(t, "c.test", body)
	if _, err := CompleteFile(context.Background(), srv.connect, path, Options{}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	hash := HashLine([]string{"2", "b", "1", "(empty)"})
	sortedHash := HashLine([]string{"1", "(empty)", "2", "b"})
	want := "hash-threshold 3\r\n\r\nquery IT\r\nSELECT k, v FROM t\r\n----\r\n" + hash + "\r\n\r\n" +
		"query IT rowsort\r\nSELECT k, v FROM t\r\n----\r\n" + sortedHash + "\r\n\r\n" +
		"hash-threshold 8\r\n\r\nquery IT rowsort\r\nSELECT k, v FROM t\r\n----\r\n1\r\n(empty)\r\n2\r\nb\r\n"
	if string(got) != want {
		t.Errorf("completed file:\n%q\nwant:\n%q", got, want)
	}
	if strings.Count(string(got), "values hashing to") != 2 {
		t.Errorf("want two hashed results")
	}
}
