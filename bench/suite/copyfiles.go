package suite

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

// CopyFormats are the COPY formats the copy workload loads, in order.
var CopyFormats = []string{"csv", "text", "binary"}

// copyFileExt is the extension of each format's file.
var copyFileExt = map[string]string{"csv": "csv", "text": "tsv", "binary": "pgcopy"}

// CopyFile is the path of lineitem's file in one COPY format beside its
// Parquet file, e.g. data/lineitem-sf1.csv.
func CopyFile(parquetPath, format string) string {
	return strings.TrimSuffix(parquetPath, ".parquet") + "." + copyFileExt[format]
}

// EnsureCopyFiles writes lineitem's Parquet file out in every COPY format
// (CopyFile names them) unless a complete one exists, streaming one read
// chunk at a time. A file is written under a temporary name and renamed once
// whole, so an interrupted run never leaves a short file that looks
// complete. It returns the files by format.
func EnsureCopyFiles(parquetPath string, log io.Writer) (map[string]string, error) {
	files := map[string]string{}
	for _, format := range CopyFormats {
		path := CopyFile(parquetPath, format)
		files[format] = path
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			fmt.Fprintf(log, "data: %s (existing)\n", path)
			continue
		}
		start := time.Now()
		rows, err := writeCopyFile(parquetPath, path, format)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "data: %s (%d rows, written in %.1f s)\n", path, rows, time.Since(start).Seconds())
	}
	return files, nil
}

func writeCopyFile(parquetPath, path, format string) (int64, error) {
	r, err := tpch.OpenParquet[tpch.LineItem](parquetPath)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp)
	w := bufio.NewWriterSize(f, 1<<20)
	n, err := WriteLineItems(w, format, r.Read)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("writing %s: %w", path, err)
	}
	return n, os.Rename(tmp, path)
}

// lineItemChunk is how many rows WriteLineItems reads at a time.
const lineItemChunk = 4096

// WriteLineItems writes the rows read returns (it fills its argument and
// returns how many it filled, then io.EOF) to w in a COPY format: csv, text
// (PostgreSQL's tab-separated form with backslash escapes) or binary
// (PGCOPY, with its header and trailer). Numbers and dates are written as
// PostgreSQL writes them, so every engine loads the same values.
func WriteLineItems(w io.Writer, format string, read func([]tpch.LineItem) (int, error)) (int64, error) {
	var appendRow func([]byte, *tpch.LineItem) []byte
	switch format {
	case "csv":
		appendRow = func(b []byte, r *tpch.LineItem) []byte { return appendDelimited(b, r, ',', appendCSVString) }
	case "text":
		appendRow = func(b []byte, r *tpch.LineItem) []byte { return appendDelimited(b, r, '\t', appendTextString) }
	case "binary":
		appendRow = appendBinaryRow
		if _, err := w.Write(pgcopyHeader); err != nil {
			return 0, err
		}
	default:
		return 0, fmt.Errorf("no COPY format %q (csv, text, binary)", format)
	}
	chunk := make([]tpch.LineItem, lineItemChunk)
	var buf []byte
	var rows int64
	for {
		n, err := read(chunk)
		buf = buf[:0]
		for i := range chunk[:n] {
			buf = appendRow(buf, &chunk[i])
		}
		if _, werr := w.Write(buf); werr != nil {
			return rows, werr
		}
		rows += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rows, err
		}
	}
	if format == "binary" {
		if _, err := w.Write([]byte{0xff, 0xff}); err != nil { // the trailer: a field count of -1
			return rows, err
		}
	}
	return rows, nil
}

// appendDelimited writes one row of the csv or text format.
func appendDelimited(b []byte, r *tpch.LineItem, sep byte, appendString func([]byte, string, byte) []byte) []byte {
	b = strconv.AppendInt(b, r.OrderKey, 10)
	b = append(b, sep)
	b = strconv.AppendInt(b, r.PartKey, 10)
	b = append(b, sep)
	b = strconv.AppendInt(b, r.SuppKey, 10)
	b = append(b, sep)
	b = strconv.AppendInt(b, int64(r.LineNumber), 10)
	for _, cents := range [...]int64{r.Quantity, r.ExtendedPrice, r.Discount, r.Tax} {
		b = append(b, sep)
		b = appendCents(b, cents)
	}
	b = append(b, sep)
	b = appendString(b, r.ReturnFlag, sep)
	b = append(b, sep)
	b = appendString(b, r.LineStatus, sep)
	for _, days := range [...]int32{r.ShipDate, r.CommitDate, r.ReceiptDate} {
		b = append(b, sep)
		b = appendDate(b, days)
	}
	b = append(b, sep)
	b = appendString(b, r.ShipInstruct, sep)
	b = append(b, sep)
	b = appendString(b, r.ShipMode, sep)
	b = append(b, sep)
	b = appendString(b, r.Comment, sep)
	return append(b, '\n')
}

// appendCents writes hundredths as a decimal with two fraction digits.
func appendCents(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	frac := cents % 100
	return append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// appendDate writes days since 1970-01-01 as YYYY-MM-DD.
func appendDate(b []byte, days int32) []byte {
	return time.Unix(int64(days)*86400, 0).UTC().AppendFormat(b, "2006-01-02")
}

// appendCSVString quotes a value that holds the separator, a quote or a line
// break, and the empty string (unquoted, CSV's empty field is NULL).
func appendCSVString(b []byte, s string, sep byte) []byte {
	if s != "" && !strings.ContainsAny(s, string(sep)+"\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendTextString escapes what the text format gives a meaning to.
func appendTextString(b []byte, s string, _ byte) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

// pgcopyHeader is the binary format's signature, flags and header extension
// length.
var pgcopyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// postgresEpochDays is 2000-01-01, the binary date's zero, in days since
// 1970-01-01.
const postgresEpochDays = 10957

// appendBinaryRow writes one row of the binary format: the field count, then
// each field's length and its binary value.
func appendBinaryRow(b []byte, r *tpch.LineItem) []byte {
	b = binary.BigEndian.AppendUint16(b, 16)
	for _, v := range [...]int64{r.OrderKey, r.PartKey, r.SuppKey} {
		b = binary.BigEndian.AppendUint32(b, 8)
		b = binary.BigEndian.AppendUint64(b, uint64(v))
	}
	b = binary.BigEndian.AppendUint32(b, 4)
	b = binary.BigEndian.AppendUint32(b, uint32(r.LineNumber))
	for _, cents := range [...]int64{r.Quantity, r.ExtendedPrice, r.Discount, r.Tax} {
		b = appendBinaryCents(b, cents)
	}
	b = appendBinaryString(b, r.ReturnFlag)
	b = appendBinaryString(b, r.LineStatus)
	for _, days := range [...]int32{r.ShipDate, r.CommitDate, r.ReceiptDate} {
		b = binary.BigEndian.AppendUint32(b, 4)
		b = binary.BigEndian.AppendUint32(b, uint32(days-postgresEpochDays))
	}
	b = appendBinaryString(b, r.ShipInstruct)
	b = appendBinaryString(b, r.ShipMode)
	return appendBinaryString(b, r.Comment)
}

func appendBinaryString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendBinaryCents writes hundredths as a binary numeric with display scale
// 2: base-10000 digits, most significant first, without leading or trailing
// zero digits, and the weight (the power of 10000) of the first one.
func appendBinaryCents(b []byte, cents int64) []byte {
	var sign uint16
	if cents < 0 {
		sign, cents = 0x4000, -cents
	}
	var digits [6]uint16 // 19 decimal digits of int64 need five, plus the fraction
	n := 0
	// The integer part's digits, least significant first.
	var whole [5]uint16
	w := 0
	for x := cents / 100; x > 0; x /= 10000 {
		whole[w] = uint16(x % 10000)
		w++
	}
	for i := w - 1; i >= 0; i-- {
		digits[n] = whole[i]
		n++
	}
	weight := w - 1
	if frac := uint16(cents%100) * 100; frac != 0 {
		digits[n] = frac
		n++
	}
	for n > 0 && digits[n-1] == 0 {
		n--
	}
	if n == 0 {
		weight = 0
	}
	b = binary.BigEndian.AppendUint32(b, uint32(8+2*n))
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, 2)
	for _, d := range digits[:n] {
		b = binary.BigEndian.AppendUint16(b, d)
	}
	return b
}
