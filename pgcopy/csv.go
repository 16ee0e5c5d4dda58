package pgcopy

import "bytes"

var carriageReturn = []byte{'\r'}

// The CSV format: fields separated by the delimiter, rows by newlines;
// a field in quotes may hold delimiters, newlines and doubled quotes (or
// escape-character pairs); an unquoted field equal to the null string is
// NULL, while a quoted one never is, so "" is an empty string and an
// empty unquoted field is NULL by default. A line holding only \. ends
// the data.

// csvRow reads one CSV record into the builders; false at the end of the
// data. A record cut by the end of the buffer is parsed again once more
// input has arrived.
func (r *Reader) csvRow() (bool, error) {
	for {
		n, lines, ok, err := r.parseCSVRecord(r.buf[r.start:r.end], r.eof)
		if err != nil {
			return false, err
		}
		if ok {
			record := r.buf[r.start : r.start+n]
			r.start += n
			r.line++
			first := !r.started
			r.started = true
			if first {
				// PostgreSQL counts the line breaks inside quotes by the
				// file's newline, which it knows only once the first
				// record has ended: in the first record it counts
				// carriage returns, so the newlines of a file's first
				// record (header or not) count only as CRLFs.
				lines = bytes.Count(trimNewline(record), carriageReturn)
			}
			if first && r.opts.Header {
				r.line += int64(lines)
				if r.opts.HeaderMatch {
					value := func(f field) []byte { return r.csvValue(record, f) }
					if err := r.matchHeader(trimNewline(record), value); err != nil {
						return false, err
					}
				}
				continue
			}
			if isEndMarker(trimNewline(record)) {
				r.marker = true
				return false, nil
			}
			// Like PostgreSQL, count a record by its last line.
			r.line += int64(lines)
			err := r.csvFields(trimNewline(record))
			return err == nil, err
		}
		if r.eof && r.start == r.end {
			return false, nil
		}
		more, err := r.fill()
		if err != nil {
			return false, err
		}
		if !more && !r.eof {
			return false, nil
		}
	}
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return trimCR(b)
}

// parseCSVRecord splits the record at the start of data into r.fields
// (values in r.fieldBuf). It returns the bytes the record takes with its
// newline, the newlines inside quoted fields, and ok=false when data ends
// before the record does and more input may come (atEOF false).
func (r *Reader) parseCSVRecord(data []byte, atEOF bool) (n, lines int, ok bool, err error) {
	delim, quote, escape := r.opts.Delimiter, r.opts.Quote, r.opts.Escape
	r.fields = r.fields[:0]
	r.fieldBuf = r.fieldBuf[:0]
	if len(data) == 0 {
		return 0, 0, false, nil
	}
	i := 0
	for {
		if j, start, end, ok := r.plainCSVField(data, i, atEOF); ok {
			// The field is used where it lies; what ends it is handled as
			// below.
			quoted := start > i
			if quoted {
				lines += bytes.Count(data[start:end], newline)
			}
			v := data[start:end]
			r.fields = append(r.fields, field{start: start, end: end, null: !quoted && string(v) == r.opts.Null, direct: true})
			i = j
			if i == len(data) {
				return i, lines, true, nil
			}
			switch data[i] {
			case delim:
				i++
				continue
			case '\r':
				if i+1 < len(data) && data[i+1] == '\n' {
					i++
				}
			}
			return i + 1, lines, true, nil
		}
		start := len(r.fieldBuf)
		quoted, inQuote := false, false
		for {
			if i == len(data) {
				if !atEOF {
					return 0, 0, false, nil
				}
				if inQuote {
					r.line += int64(lines) + 1
					return 0, 0, false, r.badFormat(data, "unterminated CSV quoted field")
				}
				r.endCSVField(start, quoted)
				return i, lines, true, nil
			}
			c := data[i]
			if inQuote {
				if c == escape && i+1 == len(data) && !atEOF {
					return 0, 0, false, nil // escape or closing quote: decided by the next byte
				}
				if c == escape && escape != quote && i+1 < len(data) && (data[i+1] == quote || data[i+1] == escape) {
					r.fieldBuf = append(r.fieldBuf, data[i+1])
					i += 2
					continue
				}
				if c == quote {
					if escape == quote && i+1 < len(data) && data[i+1] == quote {
						r.fieldBuf = append(r.fieldBuf, quote)
						i += 2
						continue
					}
					inQuote = false
					i++
					continue
				}
				if c == '\n' {
					lines++
				}
				r.fieldBuf = append(r.fieldBuf, c)
				i++
				continue
			}
			switch c {
			case delim:
				r.endCSVField(start, quoted)
				i++
			case '\n':
				r.endCSVField(start, quoted)
				return i + 1, lines, true, nil
			case '\r':
				if i+1 == len(data) && !atEOF {
					return 0, 0, false, nil
				}
				r.endCSVField(start, quoted)
				if i+1 < len(data) && data[i+1] == '\n' {
					i++
				}
				return i + 1, lines, true, nil
			case quote:
				quoted, inQuote = true, true
				i++
				continue
			default:
				// Copy the run of ordinary bytes at once.
				j := i + 1
				for j < len(data) && !r.csvSpecial[data[j]] {
					j++
				}
				r.fieldBuf = append(r.fieldBuf, data[i:j]...)
				i = j
				continue
			}
			break
		}
	}
}

// plainCSVField finds a field at data[i:] that needs no copying: a run of
// ordinary bytes, or a quoted run without quotes or escapes inside. Its
// value is data[start:end] and it ends at j, at the end of data (atEOF),
// or at a delimiter, newline or carriage return whose meaning the bytes
// present decide. ok is false for any other field, which parseCSVRecord
// reads byte by byte.
func (r *Reader) plainCSVField(data []byte, i int, atEOF bool) (j, start, end int, ok bool) {
	quote, escape := r.opts.Quote, r.opts.Escape
	start, end = i, i
	if i < len(data) && data[i] == quote {
		k := bytes.IndexByte(data[i+1:], quote)
		if k < 0 || escape != quote && bytes.IndexByte(data[i+1:i+1+k], escape) >= 0 {
			return 0, 0, 0, false
		}
		start, end = i+1, i+1+k
		j = end + 1
	} else {
		for end < len(data) && !r.csvSpecial[data[end]] {
			end++
		}
		j = end
	}
	if j == len(data) {
		return j, start, end, atEOF
	}
	switch data[j] {
	case r.opts.Delimiter, '\n':
		return j, start, end, true
	case '\r':
		return j, start, end, j+1 < len(data) || atEOF
	}
	return 0, 0, 0, false
}

// endCSVField records the field that started at fieldBuf[start:].
func (r *Reader) endCSVField(start int, quoted bool) {
	v := r.fieldBuf[start:]
	r.fields = append(r.fields, field{start: start, end: len(r.fieldBuf), null: !quoted && string(v) == r.opts.Null})
}

// csvValue returns the value of field f of record.
func (r *Reader) csvValue(record []byte, f field) []byte {
	if f.direct {
		return record[f.start:f.end]
	}
	return r.fieldBuf[f.start:f.end]
}

// csvFields decodes the fields of the record just parsed.
func (r *Reader) csvFields(record []byte) error {
	if len(r.types) == 0 && len(record) == 0 {
		return nil
	}
	if len(r.fields) > len(r.types) {
		return r.badFormat(record, "extra data after last expected column")
	}
	if len(r.fields) < len(r.types) {
		return r.badFormat(record, "missing data for column \"%s\"", r.columnName(len(r.fields)))
	}
	for col, f := range r.fields {
		v, null := r.csvValue(record, f), f.null
		switch {
		case marked(r.opts.ForceNotNull, col):
			null = false
		case marked(r.opts.ForceNull, col):
			null = string(v) == r.opts.Null
		}
		if err := r.appendField(col, v, null, true); err != nil {
			return err
		}
	}
	return nil
}
