package sqltests

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// DefaultHashThreshold is the hash threshold of a SQLite-dialect file that
// does not set one.
const DefaultHashThreshold = 8

// HashValues returns the MD5, in lower-case hex, of every value followed by
// a newline: the digest of a "N values hashing to X" line.
func HashValues(values []string) string {
	h := md5.New()
	var buf []byte
	for _, v := range values {
		buf = append(buf[:0], v...)
		buf = append(buf, '\n')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashLine is the result line sqllogictest writes for a hashed result.
func HashLine(values []string) string {
	return strconv.Itoa(len(values)) + " values hashing to " + HashValues(values)
}

var hashLinePattern = regexp.MustCompile(`^\s*(\d+) values? hashing to ([0-9a-fA-F]{32})\s*$`)

// parseHashLine recognises an expected result written as a hash.
func parseHashLine(line string) (count int, digest string, ok bool) {
	m := hashLinePattern.FindStringSubmatch(line)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	return n, strings.ToLower(m[2]), true
}

// SortRows sorts a flat list of values in place as rows of width columns,
// comparing rows value by value with byte order, as sqllogictest's
// rowsort does.
func SortRows(values []string, width int) {
	if width <= 1 {
		slices.Sort(values)
		return
	}
	n := len(values) / width
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = values[i*width : (i+1)*width : (i+1)*width]
	}
	slices.SortStableFunc(rows, slices.Compare[[]string])
	sorted := make([]string, 0, len(values))
	for _, r := range rows {
		sorted = append(sorted, r...)
	}
	copy(values, sorted)
}

// SortValues sorts all values independently (valuesort).
func SortValues(values []string) { slices.Sort(values) }

// normalizeSpace trims s and collapses each run of whitespace to one space,
// the comparison sqllogictest-rs makes between a result row and its line.
func normalizeSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, isASCIISpace), " ")
}

func isASCIISpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
}
