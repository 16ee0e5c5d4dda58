package sqltests

import (
	"path/filepath"
	"strings"
)

// Dialect selects how a script's query results are written and compared.
type Dialect int

const (
	// DialectSQLite is the original sqllogictest format: one value per
	// result line, formatted by type letter, hashed above a threshold.
	DialectSQLite Dialect = iota
	// DialectRS is the sqllogictest-rs format: one row per result line,
	// values as the server printed them, whitespace-insensitive.
	DialectRS
)

func (d Dialect) String() string {
	if d == DialectRS {
		return "sqllogictest-rs"
	}
	return "sqlite"
}

// DialectFor picks the dialect from a file name: .slt and .slt.part files
// are sqllogictest-rs scripts, everything else is read as SQLite's format.
func DialectFor(path string) Dialect {
	base := filepath.Base(path)
	if strings.HasSuffix(base, ".slt") || strings.HasSuffix(base, ".slt.part") {
		return DialectRS
	}
	return DialectSQLite
}

// RecordKind says what a record asks the runner to do.
type RecordKind int

const (
	// KindStatement runs SQL and checks only success or failure (or, with
	// "statement count N", the number of rows affected).
	KindStatement RecordKind = iota
	// KindQuery runs SQL and compares its result, or expects an error.
	KindQuery
	// KindHashThreshold sets the number of values above which results are
	// compared by hash.
	KindHashThreshold
	// KindSortMode ("control sortmode X") sets the sort mode of queries that
	// do not name one.
	KindSortMode
	// KindHalt stops the script.
	KindHalt
	// KindInvalid is a record the parser could not understand; running it
	// records a failure carrying Problem.
	KindInvalid
)

// SortMode is how a query's result is ordered before it is compared.
type SortMode int

const (
	// SortDefault means the query did not name a mode; the script's
	// control sortmode, or nosort, applies.
	SortDefault SortMode = iota
	// NoSort compares values in the order the server returned them.
	NoSort
	// RowSort sorts rows by their printed values, column by column.
	RowSort
	// ValueSort sorts all printed values independently of their rows.
	ValueSort
)

// Condition is one skipif/onlyif line in front of a record.
type Condition struct {
	// Only is true for onlyif, false for skipif.
	Only bool
	// Engine is the engine label the condition names, e.g. "postgresql".
	Engine string
}

// Skips reports whether the condition excludes a record for engine.
func (c Condition) Skips(engine string) bool {
	if c.Only {
		return c.Engine != engine
	}
	return c.Engine == engine
}

// Record is one entry of a script.
type Record struct {
	Kind RecordKind
	// Line is the 1-based line of the record's directive (its "statement",
	// "query", ... line), the line failures are reported at.
	Line int
	// Conditions are the skipif/onlyif lines that precede the directive.
	Conditions []Condition
	// SQL is the statement text: the lines after the directive up to the
	// blank line (statements) or the "----" line (queries), joined by "\n".
	SQL string

	// ExpectError is set by "statement error" and "query error".
	ExpectError bool
	// ErrorPattern is the text after "statement error" or "query error".
	ErrorPattern string
	// ExpectCount is the row count of "statement count N"; -1 when absent.
	ExpectCount int64

	// Types is the type string of a query, one letter per column.
	Types string
	// Sort is the query's sort mode, or the mode a KindSortMode sets.
	Sort SortMode
	// Label is the optional label after the sort mode; queries sharing a
	// label must produce identical results.
	Label string
	// Expected are the raw lines after "----" up to the blank line ending
	// the record.
	Expected []string

	// Threshold is the value of a hash-threshold record.
	Threshold int
	// Problem says why a KindInvalid record could not be parsed.
	Problem string
}

// Skipped reports whether any of the record's conditions excludes it for
// engine.
func (r *Record) Skipped(engine string) bool {
	for _, c := range r.Conditions {
		if c.Skips(engine) {
			return true
		}
	}
	return false
}
