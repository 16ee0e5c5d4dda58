package sqltests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Completion is what CompleteFile did to one script.
type Completion struct {
	File string
	// Queries counts the query records whose expected results were
	// written from the server's answer; Changed counts those whose text
	// differs from what the file held.
	Queries int
	Changed int
	// Disagreements are records the server did not run the way the file
	// says (a "statement ok" that failed, an expected error that did not
	// happen, a query that failed or returned another number of columns
	// than its type string names). They are reported, never rewritten:
	// whether the file or the server is wrong is for its author to decide.
	// Their lines are those of the file as rewritten.
	Disagreements []Failure
}

// CompleteFile runs the script at path like RunFile and rewrites the file
// in place: the expected result of every query record that ran and
// returned rows is replaced by what the server returned, printed in the
// file's dialect and sorted by the query's sort mode as the runner sorts
// it. For sqllogictest-rs files that is one row per line, values
// separated by one space; for SQLite files one value per line, or a hash
// line above the hash threshold. Everything else (comments, conditions,
// blank lines, statement records, the SQL, the directive lines) is kept,
// and records that were skipped, not run, or disagreed keep their
// expected results. The file is written only when something changed.
//
// The file is written even when records disagree with the server, since
// the results written are still the server's answers. The returned error
// is, as for RunFile, for what stops the file as a whole, and then nothing
// is written, or ErrCleanup after the file was written.
func CompleteFile(ctx context.Context, connect func(ctx context.Context) (*pgx.Conn, error), path string, opts Options) (Completion, error) {
	c := Completion{File: path}
	src, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	script := Parse(src, DialectFor(path))
	r := newFileRun(path, script, connect, opts)
	results := make(map[int][]string) // directive line -> expected lines
	r.observe = func(rec *Record, out outcome) {
		problem := disagreement(rec, out)
		if problem == "" && rec.Kind == KindQuery && !rec.ExpectError && out.columns > 0 {
			var lines []string
			if lines, problem = r.resultLines(rec, out); problem == "" {
				results[rec.Line] = lines
			}
		}
		if problem != "" {
			c.Disagreements = append(c.Disagreements, Failure{File: path, Line: rec.Line, SQL: rec.SQL, Expected: expectation(rec), Got: problem})
		}
	}
	// A file whose objects could not be dropped afterwards still ran to
	// its end, so its results are written; the error is returned too.
	runErr := r.run(ctx)
	if runErr != nil && !errors.Is(runErr, ErrCleanup) {
		return c, runErr
	}
	rewritten, changed, moved := rewriteResults(src, script, results)
	c.Queries = len(results)
	c.Changed = changed
	for i := range c.Disagreements {
		c.Disagreements[i].Line = moved(c.Disagreements[i].Line)
	}
	if changed > 0 {
		if err := writeFileAtomic(path, rewritten); err != nil {
			return c, err
		}
	}
	return c, runErr
}

// disagreement says how a record's outcome differs from what its
// directive expects, apart from the values of a query's result; "" when
// it does not.
func disagreement(rec *Record, out outcome) string {
	switch {
	case rec.Kind == KindInvalid:
		return "invalid record: " + rec.Problem
	case rec.ExpectError && out.err == nil:
		return "ok"
	case rec.ExpectError:
		return ""
	case out.err != nil:
		return errorText(out.err)
	case rec.Kind == KindStatement && rec.ExpectCount >= 0 && out.affected != rec.ExpectCount:
		return fmt.Sprintf("%d rows affected", out.affected)
	case rec.Kind == KindQuery && out.columns != 0 && out.columns != len(rec.Types):
		return fmt.Sprintf("%d columns, but the type string %s names %d", out.columns, rec.Types, len(rec.Types))
	}
	return ""
}

// expectation prints what a record's directive expects, for reports.
func expectation(rec *Record) string {
	switch {
	case rec.Kind == KindInvalid:
		return "a valid record"
	case rec.ExpectError:
		return "error"
	case rec.Kind == KindStatement && rec.ExpectCount >= 0:
		return fmt.Sprintf("%d rows affected", rec.ExpectCount)
	case rec.Kind == KindStatement:
		return "ok"
	}
	return "a result"
}

// resultLines prints a query's result as its expected lines: sorted by
// the query's sort mode (or the file's control sortmode), hashed above the
// hash threshold, and otherwise one value (SQLite dialect) or one row
// (sqllogictest-rs; one value under valuesort) per line. It returns a
// problem instead when a line could not be written into a script.
func (r *fileRun) resultLines(rec *Record, out outcome) ([]string, string) {
	values := append([]string(nil), out.values...)
	mode := rec.Sort
	if mode == SortDefault {
		mode = r.sortMode
	}
	switch mode {
	case RowSort:
		SortRows(values, out.columns)
	case ValueSort:
		SortValues(values)
	}
	if r.threshold > 0 && len(values) > r.threshold {
		return []string{HashLine(values)}, ""
	}
	width := out.columns
	if r.script.Dialect == DialectSQLite || mode == ValueSort {
		width = 1
	}
	lines := make([]string, 0, len(values)/width)
	for i := 0; i+width <= len(values); i += width {
		line := strings.Join(values[i:i+width], " ")
		if strings.ContainsAny(line, "\r\n") {
			// Rows are compared with whitespace runs collapsed, so a value
			// spanning lines is written on one.
			line = normalizeSpace(line)
		}
		if isBlank(line) {
			// Only whitespace: as a script line it would end the record.
			return nil, fmt.Sprintf("row %d prints as blank, which a script cannot hold", len(lines)+1)
		}
		lines = append(lines, line)
	}
	return lines, ""
}

// rewriteResults replaces the expected lines of the query records named in
// results (by directive line) and returns the new text, how many queries'
// lines changed, and a function giving the new number of an old line that
// is not among those replaced. A query written without a "----" line gets
// one. Lines are written back with the file's line ending ("\r\n" when it
// has any) and its final newline, or lack of one.
func rewriteResults(src []byte, script *Script, results map[int][]string) (text []byte, changed int, moved func(line int) int) {
	eol := "\n"
	if strings.Contains(string(src), "\r\n") {
		eol = "\r\n"
	}
	lines := splitLines(src) // as the parser numbered them
	// shifts records, per replaced block, the 0-based index of the first
	// line after it in the old text and how many lines it grew by.
	type shift struct{ after, by int }
	var shifts []shift
	// Records are replaced from the last to the first, so the line numbers
	// of the ones still to do stay valid.
	for i := len(script.Records) - 1; i >= 0; i-- {
		rec := &script.Records[i]
		want, ok := results[rec.Line]
		if !ok {
			continue
		}
		// The body runs from the line after the directive to the "----"
		// line or the first blank line, exactly as the parser read it.
		at := rec.Line
		for at < len(lines) && !isBlank(lines[at]) && strings.TrimSpace(lines[at]) != "----" {
			at++
		}
		var start, end int
		var insert []string
		if at < len(lines) && strings.TrimSpace(lines[at]) == "----" {
			start = at + 1
			end = start + len(rec.Expected)
			if slices.Equal(lines[start:end], want) {
				continue
			}
		} else {
			start, end = at, at
			insert = append(insert, "----")
		}
		changed++
		insert = append(insert, want...)
		shifts = append(shifts, shift{after: end, by: len(insert) - (end - start)})
		lines = slices.Concat(lines[:start], insert, lines[end:])
	}
	out := strings.Join(lines, eol)
	if bytes.HasSuffix(src, []byte("\n")) {
		out += eol
	}
	moved = func(line int) int {
		n := line
		for _, s := range shifts {
			if line-1 >= s.after {
				n += s.by
			}
		}
		return n
	}
	return []byte(out), changed, moved
}

// writeFileAtomic replaces path with data through a temporary file in the
// same folder, so an interrupted write never leaves half a script; the
// file keeps its permissions.
func writeFileAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
