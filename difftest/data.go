package difftest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Step is one statement of the data load. PqdbOnly steps (CHECKPOINT)
// change where pqdb keeps rows, not which rows there are, so PostgreSQL
// does not run them.
type Step struct {
	SQL      string
	PqdbOnly bool
}

// textWords are the strings text columns draw from: empty strings,
// case variants, LIKE's metacharacters, spaces, a quote and multibyte
// characters, so that LIKE patterns, trims and length() have something
// to find.
var textWords = []string{
	"", "", "a", "b", "ab", "abc", "abd", "ba", "A", "AB", "Abc", "foo", "foobar", "bar", "barfoo",
	"x_y", "x%y", "50%", "_", "%", " a", "a ", " ", "it's", "héllo", "zz", "zzz", "a\\b", "0", "10", "9",
}

// textLetters make the random strings.
const textLetters = "ab_%xA"

// dateEpoch is the day dates are counted from.
var dateEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// dateValue is day k after 2000-01-01 (k may be negative) as ISO text.
func dateValue(k int) string {
	return dateEpoch.AddDate(0, 0, k).Format("2006-01-02")
}

// specialDates are edge days: leap days, month and year ends.
var specialDates = []string{"2000-02-29", "2024-02-29", "1999-12-31", "2001-01-01", "1970-01-01", "2023-12-31", "1900-03-01"}

// quote makes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// numericLit is units·10^-scale as a numeric literal with exactly scale
// decimals.
// plainNumericLit writes units×10^-scale for a plain numeric column,
// which keeps each value's scale as written: trailing zeros removed, then
// 0 to 2 put back, a number fixed by the value. So values differ in
// scale (1.5, 2.000, 7), but equal values are always written alike: which
// of 1.5 and 1.50 a GROUP BY, DISTINCT, min or LIMIT picks is left open by
// SQL, and would make both servers right with different text.
func plainNumericLit(units int64, scale int) string {
	for scale > 0 && units%10 == 0 {
		units /= 10
		scale--
	}
	pad := int(max(units, -units) % 3)
	for range pad {
		units *= 10
	}
	return numericLit(units, scale+pad)
}

func numericLit(units int64, scale int) string {
	neg := units < 0
	if neg {
		units = -units
	}
	s := strconv.FormatInt(units, 10)
	if scale > 0 {
		for len(s) <= scale {
			s = "0" + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// floatLit formats a float8 literal.
func floatLit(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// genValue draws one value of column c as a SQL literal ("NULL" for
// NULL).
func genValue(r *rand.Rand, c *Column, id int) string {
	if c.Unique {
		return strconv.Itoa(id)
	}
	if c.NullFrac > 0 && r.Float64() < c.NullFrac {
		return "NULL"
	}
	return genNonNull(r, c)
}

func genNonNull(r *rand.Rand, c *Column) string {
	switch c.Type.Kind {
	case KInt:
		if c.Hi-c.Lo > 1000 && r.IntN(20) == 0 {
			return strconv.FormatInt([]int64{c.Lo, c.Hi, 0}[r.IntN(3)], 10)
		}
		return strconv.FormatInt(c.Lo+r.Int64N(c.Hi-c.Lo+1), 10)
	case KNumeric:
		units := c.Lo + r.Int64N(c.Hi-c.Lo+1)
		if c.Type.Scale < 0 {
			return plainNumericLit(units, r.IntN(4))
		}
		return numericLit(units, c.Type.Scale)
	case KFloat:
		switch r.IntN(40) {
		case 0:
			return "0.1"
		case 1:
			return "-1234567.5"
		case 2:
			return "3.0e-5"
		}
		return floatLit(float64(c.Lo+r.Int64N(c.Hi-c.Lo+1)) / 4)
	case KText:
		if r.IntN(3) == 0 {
			n := r.IntN(7)
			b := make([]byte, n)
			for i := range b {
				b[i] = textLetters[r.IntN(len(textLetters))]
			}
			return quote(string(b))
		}
		return quote(textWords[r.IntN(len(textWords))])
	case KBool:
		if r.IntN(2) == 0 {
			return "true"
		}
		return "false"
	case KDate:
		if r.IntN(10) == 0 {
			return quote(specialDates[r.IntN(len(specialDates))])
		}
		return quote(dateValue(r.IntN(9000) - 1000))
	case KTimestamp:
		return quote(timestampText(r))
	case KTimestamptz:
		return quote(timestamptzText(r))
	case KJsonb:
		return jsonbValue(r)
	case KIntArray:
		return intArrayValue(r, c)
	case KTextArray:
		return textArrayValue(r)
	}
	panic("unknown kind")
}

// GenData makes the load: INSERTs (the same on both servers), CHECKPOINT
// on pqdb after the tables marked Flushed (some in two segments), then
// UPDATEs and DELETEs, so that flushed tables carry delete markers and
// pending changes over their segments, and the other tables live only
// in the writer's tail.
func GenData(r *rand.Rand, s *Schema) []Step {
	var steps []Step
	insert := func(t *Table, from, to int) {
		for lo := from; lo < to; lo += 300 {
			hi := min(lo+300, to)
			var rows []string
			for id := lo + 1; id <= hi; id++ {
				var vals []string
				for i := range t.Cols {
					vals = append(vals, genValue(r, &t.Cols[i], id))
				}
				rows = append(rows, "("+strings.Join(vals, ", ")+")")
			}
			steps = append(steps, Step{SQL: fmt.Sprintf("INSERT INTO %s VALUES %s", t.Name, strings.Join(rows, ", "))})
		}
	}
	// Flushed tables first, some in two segments.
	anyFlushed := false
	for _, t := range s.Tables {
		if !t.Flushed {
			continue
		}
		anyFlushed = true
		split := t.Rows
		if t.Rows > 10 && r.IntN(2) == 0 {
			split = t.Rows / 2
		}
		insert(t, 0, split)
		if split < t.Rows {
			steps = append(steps, Step{SQL: "CHECKPOINT", PqdbOnly: true})
			insert(t, split, t.Rows)
		}
	}
	if anyFlushed {
		steps = append(steps, Step{SQL: "CHECKPOINT", PqdbOnly: true})
	}
	// Changes after the checkpoint, then the tables that stay in the tail.
	for _, t := range s.Tables {
		if t.Flushed {
			steps = append(steps, mutations(r, t)...)
		}
	}
	for _, t := range s.Tables {
		if !t.Flushed {
			insert(t, 0, t.Rows)
			steps = append(steps, mutations(r, t)...)
		}
	}
	return steps
}

// mutations updates and deletes some rows of t, chosen by id so that
// both servers change the same ones.
func mutations(r *rand.Rand, t *Table) []Step {
	if t.Rows == 0 || r.IntN(3) == 0 {
		return nil
	}
	var steps []Step
	for range 1 + r.IntN(3) {
		m := 2 + r.IntN(11)
		k := r.IntN(m)
		where := fmt.Sprintf("id %% %d = %d", m, k)
		if r.IntN(3) == 0 {
			steps = append(steps, Step{SQL: fmt.Sprintf("DELETE FROM %s WHERE %s", t.Name, where)})
			continue
		}
		c := &t.Cols[1+r.IntN(len(t.Cols)-1)]
		v := "NULL"
		if c.NullFrac == 0 || r.IntN(3) > 0 {
			v = genNonNull(r, c)
		}
		steps = append(steps, Step{SQL: fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s", t.Name, c.Name, v, where)})
	}
	return steps
}
