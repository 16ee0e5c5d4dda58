package catalog

import (
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/numeric"
)

// Numeric with per-value display scale (Type.Scale == VariableScale)
// keeps each value in the numeric package's encoding, which is
// numeric_send's layout: its binary form is a copy, its text form is
// numeric_out's, and input goes through numeric_in (text) or
// numeric_recv's checks and normalization (binary).

// parseVarNumericText is numeric_in for plain numeric.
func parseVarNumericText(s string) ([]byte, error) { return numeric.Parse(nil, s) }

// parseVarNumericBinary is numeric_recv for plain numeric.
func parseVarNumericBinary(b []byte) ([]byte, error) {
	var c numeric.Calc
	return c.Recv(nil, b)
}

// bindVarNumeric directs text or binary input of plain numeric to the
// binary builder b.
func (d *ColumnDecoder) bindVarNumeric(b *array.BinaryBuilder, binaryFormat bool) {
	var buf []byte
	var c numeric.Calc
	d.append = func(v []byte) error {
		var err error
		if binaryFormat {
			buf, err = c.Recv(buf[:0], v)
		} else {
			buf, err = numeric.ParseBytes(buf[:0], v)
		}
		if err == nil {
			b.Append(buf)
		}
		return err
	}
}

// varNumericEncoder prints plain numeric values (text) or copies them
// (binary).
func varNumericEncoder(text bool) columnEncoder {
	if text {
		return &bytesEncoder{put: numeric.AppendText}
	}
	return &bytesEncoder{put: appendBytes}
}
