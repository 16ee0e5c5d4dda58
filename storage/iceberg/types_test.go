package iceberg

import (
	"errors"
	"testing"
)

func TestForPostgres(t *testing.T) {
	for _, c := range []struct {
		name        string
		prec, sc    int
		want        Type
		unsupported bool
	}{
		{name: "bool", want: Boolean},
		{name: "int2", want: Int},
		{name: "int4", want: Int},
		{name: "int8", want: Long},
		{name: "float4", want: Float},
		{name: "float8", want: Double},
		{name: "numeric", prec: 9, sc: 2, want: Decimal(9, 2)},
		{name: "numeric", prec: 18, sc: 0, want: Decimal(18, 0)},
		// Segments hold numeric(p,s) beyond 18 digits as DECIMAL(38,s).
		{name: "numeric", prec: 25, sc: 4, want: Decimal(38, 4)},
		// Plain numeric and numeric beyond decimal128 are text in segments.
		{name: "numeric", want: String},
		{name: "numeric", prec: 50, sc: 2, want: String},
		{name: "text", want: String},
		{name: "varchar", want: String},
		{name: "bpchar", want: String},
		{name: "jsonb", want: String},
		{name: "json", want: String},
		{name: "bytea", want: Binary},
		{name: "date", want: Date},
		{name: "time", want: Time},
		{name: "timestamp", want: Timestamp},
		{name: "timestamptz", want: TimestampTZ},
		{name: "uuid", want: UUID},
		{name: "interval", unsupported: true},
		{name: "_int4", want: mustList(Int)},
		{name: "int4[]", want: mustList(Int)},
		{name: "_numeric", prec: 25, sc: 4, want: mustList(Decimal(38, 4))},
		{name: "_text", want: mustList(String)},
		{name: "_interval", unsupported: true},
		{name: "oid", unsupported: true},
		{name: "_oid", unsupported: true},
	} {
		got, err := ForPostgres(c.name, c.prec, c.sc)
		if c.unsupported {
			if !errors.Is(err, ErrUnsupportedType) {
				t.Errorf("%s: %v, %v; want ErrUnsupportedType", c.name, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s(%d,%d): %v, %v; want %v", c.name, c.prec, c.sc, got, err, c.want)
		}
	}
}

func mustList(elem Type) Type {
	t, err := List(elem)
	if err != nil {
		panic(err)
	}
	return t
}
