package catalog

import "testing"

// pgjdbc sends dates as "2024-01-11 +00"; Postgres reads a UTC offset
// after a date alone.
func TestDateWithOffsetAndNoTime(t *testing.T) {
	cases := []struct {
		t    Type
		in   string
		want Datum
	}{
		{TypeDate, "2024-01-11 +00", int32(19733)},
		{TypeDate, "2024-01-11 -05", int32(19733)},
		{TypeTimestampTZ, "2024-01-11 +00", int64(1704931200000000)},
		{TypeTimestampTZ, "2024-01-11 -05", int64(1704949200000000)},
	}
	for _, c := range cases {
		got, err := ParseText(c.t, c.in)
		if err != nil || got != c.want {
			t.Errorf("%s %q: got %v, %v; want %v", c.t, c.in, got, err, c.want)
		}
	}
	if _, err := ParseText(TypeDate, "+00"); err == nil {
		t.Error("an offset alone must not be a date")
	}
}
