package pgcopy

import (
	"github.com/pqdb/pqdb/pgerr"
)

// Format is a COPY data format.
type Format uint8

const (
	Text Format = iota
	CSV
	Binary
)

func (f Format) String() string {
	switch f {
	case CSV:
		return "csv"
	case Binary:
		return "binary"
	}
	return "text"
}

// Options are the options of a COPY statement that shape its data. Use
// DefaultOptions for PostgreSQL's defaults and override what the
// statement gives; the fields are used as they are, except that a zero
// Delimiter, Quote or Escape means the format's default.
type Options struct {
	Format    Format
	Delimiter byte   // text: '\t', CSV: ','
	Null      string // text: `\N`, CSV: ""
	Header    bool   // the first line holds column names and is skipped
	// HeaderMatch (COPY FROM ... HEADER MATCH, with Header) checks that
	// the header's fields are Columns, in order.
	HeaderMatch bool
	Quote       byte // CSV only: '"'
	Escape      byte // CSV only: the Quote character
	// Table and Columns name the target in error contexts
	// ("COPY t, line 2, column a: ..."); Columns are the names of the
	// columns the data holds, in order.
	Table   string
	Columns []string
	// ForceQuote (CSV, writing) quotes every non-NULL value of the
	// columns it marks. ForceNotNull (CSV, reading) never reads the
	// marked columns' values as NULL (an unquoted NULL string is that
	// string); ForceNull reads them as NULL when they equal the NULL
	// string, quoted or not. Each is indexed like Columns; nil marks none.
	ForceQuote, ForceNotNull, ForceNull []bool
}

// marked reports whether flags marks column col.
func marked(flags []bool, col int) bool { return col < len(flags) && flags[col] }

// DefaultOptions returns PostgreSQL's defaults for format f.
func DefaultOptions(f Format) Options {
	o := Options{Format: f}
	switch f {
	case CSV:
		o.Delimiter, o.Quote, o.Escape = ',', '"', '"'
	case Text:
		o.Delimiter, o.Null = '\t', `\N`
	}
	return o
}

// normalize fills zero delimiter, quote and escape with their defaults.
func (o Options) normalize() Options {
	d := DefaultOptions(o.Format)
	if o.Delimiter == 0 {
		o.Delimiter = d.Delimiter
	}
	if o.Format == CSV {
		if o.Quote == 0 {
			o.Quote = d.Quote
		}
		if o.Escape == 0 {
			o.Escape = o.Quote
		}
	}
	return o
}

// Validate reports option combinations PostgreSQL rejects.
func (o Options) Validate() error {
	o = o.normalize()
	switch {
	case o.Format == Binary && o.Header:
		return pgerr.New(pgerr.FeatureNotSupported, "cannot specify HEADER in BINARY mode")
	case o.Format != Binary && (o.Delimiter == '\n' || o.Delimiter == '\r'):
		return pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	case o.Format == Text && (o.Delimiter == '\\' || o.Delimiter >= 'a' && o.Delimiter <= 'z' || o.Delimiter >= '0' && o.Delimiter <= '9' || o.Delimiter == '.'):
		return pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter cannot be %q", string(o.Delimiter))
	case o.Format == CSV && o.Delimiter == o.Quote:
		return pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter and quote must be different")
	case o.Format != Binary && containsByte(o.Null, o.Delimiter):
		return pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification")
	case o.Format == CSV && containsByte(o.Null, o.Quote):
		return pgerr.New(pgerr.InvalidParameterValue, "CSV quote character must not appear in the NULL specification")
	}
	return nil
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
