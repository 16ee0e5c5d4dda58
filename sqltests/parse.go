package sqltests

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Script is a parsed sqllogictest file.
type Script struct {
	Dialect Dialect
	Records []Record
}

// ParseFile reads and parses the script at path, in the dialect its name
// implies (see DialectFor).
func ParseFile(path string) (*Script, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(src, DialectFor(path)), nil
}

// Parse splits src into records. A record is a run of non-blank lines: any
// number of comment ("#") and skipif/onlyif lines, a directive line, and
// the directive's body. Parsing never fails as a whole: a record it cannot
// understand becomes a KindInvalid record, so one bad record costs one
// failure and the rest of the file still runs.
func Parse(src []byte, dialect Dialect) *Script {
	p := parser{lines: splitLines(src), dialect: dialect}
	return &Script{Dialect: dialect, Records: p.records()}
}

type parser struct {
	lines   []string
	next    int // index of the next unread line
	dialect Dialect
}

func splitLines(src []byte) []string {
	text := string(src)
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// directiveFields splits a header line into its words, dropping a trailing
// "# comment" (as in "skipif postgresql # no AS needed").
func directiveFields(line string) []string {
	fields := strings.Fields(line)
	for i, f := range fields {
		if strings.HasPrefix(f, "#") {
			return fields[:i]
		}
	}
	return fields
}

func (p *parser) records() []Record {
	var out []Record
	var conds []Condition
	for p.next < len(p.lines) {
		lineNo := p.next + 1
		line := p.lines[p.next]
		p.next++
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			// Conditions bind to the directive that follows them within the
			// same record; a blank line ends a record that had none.
			conds = nil
			continue
		}
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		fields := directiveFields(trimmed)
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "skipif", "onlyif":
			if len(fields) < 2 {
				out = append(out, p.invalid(lineNo, conds, fmt.Sprintf("%s without an engine name", fields[0])))
				conds = nil
				continue
			}
			conds = append(conds, Condition{Only: fields[0] == "onlyif", Engine: fields[1]})
			continue
		}
		rec := p.directive(lineNo, trimmed, fields)
		rec.Conditions = conds
		conds = nil
		out = append(out, rec)
	}
	return out
}

// invalid builds a KindInvalid record and skips the rest of its lines.
func (p *parser) invalid(lineNo int, conds []Condition, problem string) Record {
	p.skipBody()
	return Record{Kind: KindInvalid, Line: lineNo, Conditions: conds, Problem: problem, ExpectCount: -1}
}

func (p *parser) skipBody() {
	for p.next < len(p.lines) && !isBlank(p.lines[p.next]) {
		p.next++
	}
}

// restAfter returns the text of line after its first n words.
func restAfter(line string, n int) string {
	rest := strings.TrimSpace(line)
	for i := 0; i < n; i++ {
		j := strings.IndexAny(rest, " \t")
		if j < 0 {
			return ""
		}
		rest = strings.TrimSpace(rest[j:])
	}
	return rest
}

func (p *parser) directive(lineNo int, line string, fields []string) Record {
	rec := Record{Line: lineNo, ExpectCount: -1}
	switch fields[0] {
	case "statement":
		rec.Kind = KindStatement
		if len(fields) < 2 {
			return p.invalid(lineNo, nil, "statement without ok, error or count")
		}
		switch fields[1] {
		case "ok":
		case "error":
			rec.ExpectError = true
			rec.ErrorPattern = restAfter(line, 2)
		case "count":
			if len(fields) < 3 {
				return p.invalid(lineNo, nil, "statement count without a number")
			}
			n, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil || n < 0 {
				return p.invalid(lineNo, nil, fmt.Sprintf("statement count %q is not a row count", fields[2]))
			}
			rec.ExpectCount = n
		default:
			return p.invalid(lineNo, nil, fmt.Sprintf("statement argument %q should be ok, error or count", fields[1]))
		}
		rec.SQL, _ = p.body()
		// A "----" block after a statement holds a multi-line expected
		// error message (sqllogictest-rs); like a one-line pattern it is
		// not matched.
		p.skipBody()
		return rec

	case "query":
		rec.Kind = KindQuery
		if len(fields) < 2 {
			return p.invalid(lineNo, nil, "query without a type string")
		}
		if fields[1] == "error" {
			rec.ExpectError = true
			rec.ErrorPattern = restAfter(line, 2)
			rec.SQL, _ = p.body()
			p.skipBody()
			return rec
		}
		rec.Types = fields[1]
		if problem := p.checkTypes(rec.Types); problem != "" {
			return p.invalid(lineNo, nil, problem)
		}
		if len(fields) > 2 {
			mode, ok := parseSortMode(fields[2])
			if !ok {
				return p.invalid(lineNo, nil, fmt.Sprintf("unknown sort mode %q", fields[2]))
			}
			rec.Sort = mode
		}
		if len(fields) > 3 {
			rec.Label = fields[3]
		}
		var sawSeparator bool
		rec.SQL, sawSeparator = p.body()
		if sawSeparator {
			for p.next < len(p.lines) && !isBlank(p.lines[p.next]) {
				rec.Expected = append(rec.Expected, p.lines[p.next])
				p.next++
			}
		}
		return rec

	case "hash-threshold":
		if len(fields) < 2 {
			return p.invalid(lineNo, nil, "hash-threshold without a number")
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n < 0 {
			return p.invalid(lineNo, nil, fmt.Sprintf("hash-threshold %q is not a count", fields[1]))
		}
		rec.Kind = KindHashThreshold
		rec.Threshold = n
		p.skipBody()
		return rec

	case "halt":
		rec.Kind = KindHalt
		p.skipBody()
		return rec

	case "control":
		if len(fields) == 3 && fields[1] == "sortmode" {
			mode, ok := parseSortMode(fields[2])
			if ok {
				rec.Kind = KindSortMode
				rec.Sort = mode
				p.skipBody()
				return rec
			}
		}
		return p.invalid(lineNo, nil, fmt.Sprintf("unsupported control %q", restAfter(line, 1)))
	}
	return p.invalid(lineNo, nil, fmt.Sprintf("unsupported record type %q", fields[0]))
}

// body reads the SQL lines of a record: up to a blank line, or up to a
// "----" line, in which case it reports that the separator was consumed.
func (p *parser) body() (sql string, sawSeparator bool) {
	var b strings.Builder
	for p.next < len(p.lines) {
		line := p.lines[p.next]
		if isBlank(line) {
			break
		}
		p.next++
		if strings.TrimSpace(line) == "----" {
			sawSeparator = true
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String(), sawSeparator
}

// checkTypes validates a query's type string. SQLite's runner accepts only
// T, I and R; sqllogictest-rs files use further letters (B for boolean,
// and others) that only count columns.
func (p *parser) checkTypes(types string) string {
	for i := 0; i < len(types); i++ {
		c := types[i]
		if p.dialect == DialectSQLite {
			if c != 'T' && c != 'I' && c != 'R' {
				return fmt.Sprintf("unknown type character %q in type string %q", c, types)
			}
		} else if c < 'A' || c > 'Z' {
			return fmt.Sprintf("unknown type character %q in type string %q", c, types)
		}
	}
	return ""
}

func parseSortMode(word string) (SortMode, bool) {
	switch word {
	case "nosort":
		return NoSort, true
	case "rowsort":
		return RowSort, true
	case "valuesort":
		return ValueSort, true
	}
	return SortDefault, false
}
