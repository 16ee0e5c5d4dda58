package catalog

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/pqdb/pqdb/pgerr"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPlainText checks the word-at-a-time test against a byte-by-byte one
// for every length around the word size and every position of a zero
// byte, a high byte and a multibyte character.
func TestPlainText(t *testing.T) {
	want := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] == 0 || s[i] >= utf8.RuneSelf {
				return false
			}
		}
		return true
	}
	for n := 0; n <= 25; n++ {
		base := []byte(strings.Repeat("abcdefg\x7f\x01 ", 3)[:n])
		if got := plainText(string(base)); got != want(string(base)) || !got {
			t.Fatalf("plainText(%q) = %v", base, got)
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{0, 0x80, 0xc3, 0xff} {
				s := []byte(string(base))
				s[i] = c
				if got := plainText(string(s)); got != want(string(s)) {
					t.Fatalf("plainText(%q) = %v", s, got)
				}
			}
		}
	}
}

// TestStringDecoderChecks decodes char(n), varchar(n) and text values
// through the ASCII fast path and the general one: padding, the spaces a
// too-long value may drop, and the errors of overlong values, zero bytes
// and invalid UTF-8.
func TestStringDecoderChecks(t *testing.T) {
	cases := []struct {
		typ  Type
		in   string
		want string
		code string
	}{
		{BpcharType(5), "ab", "ab   ", ""},
		{BpcharType(5), "abcde", "abcde", ""},
		{BpcharType(5), "abcde   ", "abcde", ""},
		{BpcharType(5), "abcdef", "", "22001"},
		{BpcharType(3), "é", "é  ", ""},
		{BpcharType(3), "ééé  ", "ééé", ""},
		{BpcharType(3), "éééé", "", "22001"},
		{VarcharType(4), "abcd  ", "abcd", ""},
		{VarcharType(4), "abcde", "", "22001"},
		{VarcharType(2), "éé", "éé", ""},
		{TypeText, "a\x00b", "", "22021"},
		{TypeText, "a\xffb", "", "22021"},
		{TypeText, "plain ascii text", "plain ascii text", ""},
	}
	for _, c := range cases {
		got, err := decodeOneText(c.typ, c.in)
		if c.code != "" {
			if err == nil || !strings.Contains(errCode(err), c.code) {
				t.Errorf("%s %q: err %v, want %s", c.typ, c.in, err, c.code)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.typ, c.in, got, err, c.want)
		}
	}
}

// decodeOneText decodes the text value in through a ColumnDecoder of t.
func decodeOneText(t Type, in string) (string, error) {
	col, err := decodeColumn(t, FormatText, []byte(in), nil)
	if err != nil {
		return "", err
	}
	defer col.Release()
	return col.(*array.String).Value(0), nil
}

// errCode is err's SQLSTATE, or its text.
func errCode(err error) string {
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return err.Error()
}
