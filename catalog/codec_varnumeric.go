package catalog

import (
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/numeric"
)

// Numeric with per-value display scale (Type.Scale == VariableScale)
// keeps each value in the numeric package's encoding, which is
// numeric_send's layout: its binary form is a copy, its text form is
// numeric_out's, and input goes through numeric_in (text) or
// numeric_recv's checks and normalization (binary). A declared
// numeric(p,s) outside decimal128's range is var-scale too: as in
// PostgreSQL, both inputs apply its typmod (round to s digits, then check
// the precision).

// parseVarNumericText is numeric_in for var-scale numeric t.
func parseVarNumericText(t Type, s string) ([]byte, error) {
	if p := t.Precision(); p > 0 {
		var c numeric.Calc
		return c.ParseTypmod(nil, s, p, t.NumericScale())
	}
	return numeric.Parse(nil, s)
}

// parseVarNumericBinary is numeric_recv for var-scale numeric t.
func parseVarNumericBinary(t Type, b []byte) ([]byte, error) {
	var c numeric.Calc
	v, err := c.Recv(nil, b)
	if err != nil {
		return nil, err
	}
	if p := t.Precision(); p > 0 {
		return c.ApplyTypmod(nil, v, p, t.NumericScale())
	}
	return v, nil
}

// bindVarNumeric directs text or binary input of var-scale numeric to the
// binary builder b.
func (d *ColumnDecoder) bindVarNumeric(b *array.BinaryBuilder, binaryFormat bool) {
	var buf, received []byte
	var c numeric.Calc
	p, s := d.typ.Precision(), d.typ.NumericScale()
	d.append = func(v []byte) error {
		var err error
		switch {
		case binaryFormat && p > 0:
			if received, err = c.Recv(received[:0], v); err == nil {
				buf, err = c.ApplyTypmod(buf[:0], received, p, s)
			}
		case binaryFormat:
			buf, err = c.Recv(buf[:0], v)
		case p > 0:
			buf, err = c.ParseTypmod(buf[:0], bytesString(v), p, s)
		default:
			buf, err = numeric.ParseBytes(buf[:0], v)
		}
		if err == nil {
			b.Append(buf)
		}
		return err
	}
}

// varNumericEncoder prints var-scale numeric values (text) or copies them
// (binary).
func varNumericEncoder(text bool) columnEncoder {
	if text {
		return &bytesEncoder{put: numeric.AppendText}
	}
	return &bytesEncoder{put: appendBytes}
}
