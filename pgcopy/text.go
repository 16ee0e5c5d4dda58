package pgcopy

import (
	"bytes"
)

// The text format: one row per line, fields separated by the delimiter,
// NULL written as the null string (\N), and backslash escapes for the
// bytes that would otherwise end a field or a line: \b \f \n \r \t \v,
// \digits (octal), \xhh (hex), and a backslash before any other byte
// for that byte. \. at the end of a line ends the data (after the row
// the line began, if any), as in PostgreSQL 15.

// nextLine returns the next line of text-format data without its line
// ending (\n or \r\n). A newline preceded by an odd number of backslashes
// is data, as in PostgreSQL. ok is false at the end of the input.
func (r *Reader) nextLine() (line []byte, ok bool, err error) {
	scan := r.start
	for {
		if i := bytes.IndexByte(r.buf[scan:r.end], '\n'); i >= 0 {
			nl := scan + i
			backslashes := 0
			for k := nl - 1; k >= r.start && r.buf[k] == '\\'; k-- {
				backslashes++
			}
			if backslashes%2 == 1 {
				scan = nl + 1
				continue
			}
			line = r.buf[r.start:nl]
			r.start = nl + 1
			r.line++
			return trimCR(line), true, nil
		}
		offset := scan - r.start
		more, err := r.fill()
		if err != nil {
			return nil, false, err
		}
		scan = r.start + offset
		if !more {
			if r.start == r.end {
				return nil, false, nil
			}
			line = r.buf[r.start:r.end]
			r.start = r.end
			r.line++
			return trimCR(line), true, nil
		}
	}
}

func trimCR(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}

func isEndMarker(line []byte) bool { return len(line) == 2 && line[0] == '\\' && line[1] == '.' }

// textRow reads one row of the text format into the builders; false at
// the end of the data.
func (r *Reader) textRow() (bool, error) {
	if r.ended {
		return false, nil
	}
	line, ok, err := r.nextLine()
	if err != nil || !ok {
		return false, err
	}
	if !r.started {
		r.started = true
		if r.opts.Header {
			if r.opts.HeaderMatch {
				if err := r.matchTextHeader(line); err != nil {
					return false, err
				}
			}
			if line, ok, err = r.nextLine(); err != nil || !ok {
				return false, err
			}
		}
	}
	rest, endAfter, err := r.splitTextLine(line)
	if err != nil || rest == nil {
		return false, err
	}
	return r.textFields(rest, endAfter)
}

// matchTextHeader checks the header line against the column names.
func (r *Reader) matchTextHeader(line []byte) error {
	rest, _, err := r.splitTextLine(line)
	if err != nil || rest == nil {
		return err
	}
	return r.matchHeader(rest, func(f field) []byte {
		v := rest[f.start:f.end]
		if f.escaped {
			v = unescapeText(nil, v)
		}
		return v
	})
}

// splitTextLine splits line into r.fields. It returns the line without an
// end marker that ends it (endAfter), or nil when the line is the end
// marker alone.
func (r *Reader) splitTextLine(line []byte) (rest []byte, endAfter bool, err error) {
	delim := r.opts.Delimiter
	r.fields = r.fields[:0]
	firstBackslash := bytes.IndexByte(line, '\\')
	if firstBackslash < 0 {
		// No escapes and no end marker (most lines): split at delimiters.
		for start := 0; ; {
			end := len(line)
			if k := bytes.IndexByte(line[start:], delim); k >= 0 {
				end = start + k
			}
			r.fields = append(r.fields, field{start: start, end: end, null: string(line[start:end]) == r.opts.Null})
			if end == len(line) {
				break
			}
			start = end + 1
		}
		return line, false, nil
	}
	// \. ends the data at the end of a line; anywhere else it is an error.
	for i := firstBackslash; i+1 < len(line); i++ {
		if line[i] != '\\' {
			continue
		}
		if line[i+1] == '.' {
			if i+2 != len(line) {
				return nil, false, r.badFormat(nil, "end-of-copy marker corrupt")
			}
			r.marker = true
			if i == 0 {
				return nil, false, nil
			}
			line, endAfter = line[:i], true
			break
		}
		i++
	}
	// Split first, so that a row with the wrong number of fields is
	// reported as such even when one of its values is also bad.
	start, escaped := 0, false
	for i := 0; ; i++ {
		if i == len(line) || line[i] == delim {
			raw := line[start:i]
			r.fields = append(r.fields, field{start: start, end: i, null: string(raw) == r.opts.Null, escaped: escaped})
			if i == len(line) {
				break
			}
			start, escaped = i+1, false
			continue
		}
		if line[i] == '\\' && i+1 < len(line) {
			escaped = true
			i++
		}
	}
	return line, endAfter, nil
}

// textFields decodes the fields of line that textRow split; endAfter
// says the line ended with the end marker.
func (r *Reader) textFields(line []byte, endAfter bool) (bool, error) {
	if len(r.types) == 0 && len(line) == 0 {
		return true, nil
	}
	if len(r.fields) > len(r.types) {
		return false, r.badFormat(line, "extra data after last expected column")
	}
	if len(r.fields) < len(r.types) {
		return false, r.badFormat(line, "missing data for column \"%s\"", r.columnName(len(r.fields)))
	}
	for col, f := range r.fields {
		v := line[f.start:f.end]
		if f.escaped && !f.null {
			r.fieldBuf = unescapeText(r.fieldBuf[:0], v)
			v = r.fieldBuf
		}
		if err := r.appendField(col, v, f.null, true); err != nil {
			return false, err
		}
	}
	if endAfter {
		r.ended = true
	}
	return true, nil
}

// unescapeText appends the value of a text-format field with backslash
// escapes to dst.
func unescapeText(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			dst = append(dst, c)
			continue
		}
		i++
		switch c = v[i]; c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'v':
			dst = append(dst, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n := c - '0'
			for k := 0; k < 2 && i+1 < len(v) && v[i+1] >= '0' && v[i+1] <= '7'; k++ {
				i++
				n = n<<3 | (v[i] - '0')
			}
			dst = append(dst, n)
		case 'x':
			n, digits := byte(0), 0
			for digits < 2 && i+1 < len(v) {
				h, ok := hexValue(v[i+1])
				if !ok {
					break
				}
				n = n<<4 | h
				i++
				digits++
			}
			if digits == 0 {
				dst = append(dst, 'x')
			} else {
				dst = append(dst, n)
			}
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
