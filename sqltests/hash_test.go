package sqltests

import (
	"slices"
	"testing"
)

func TestHashValues(t *testing.T) {
	// md5 of "" and of "1\n2\n3\n", as `printf '1\n2\n3\n' | md5sum` prints.
	if got := HashValues(nil); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("hash of no values = %s", got)
	}
	if got := HashValues([]string{"1", "2", "3"}); got != "c0710d6b4f15dfa88f600b0e6b624077" {
		t.Errorf("hash of 1,2,3 = %s", got)
	}
	if got := HashLine([]string{"1", "2", "3"}); got != "3 values hashing to c0710d6b4f15dfa88f600b0e6b624077" {
		t.Errorf("hash line = %s", got)
	}
}

func TestParseHashLine(t *testing.T) {
	n, digest, ok := parseHashLine("30 values hashing to 3C7C7F1A3B3E0F2B0B9F0B8F0A1C2D3E")
	if !ok || n != 30 || digest != "3c7c7f1a3b3e0f2b0b9f0b8f0a1c2d3e" {
		t.Errorf("got %d %s %v", n, digest, ok)
	}
	for _, line := range []string{"30 values hashing to 3c7c", "values hashing to 3c7c7f1a3b3e0f2b0b9f0b8f0a1c2d3e", "30"} {
		if _, _, ok := parseHashLine(line); ok {
			t.Errorf("%q read as a hash line", line)
		}
	}
}

func TestSortRows(t *testing.T) {
	values := []string{"b", "2", "a", "9", "b", "10", "NULL", "1"}
	SortRows(values, 2)
	want := []string{"NULL", "1", "a", "9", "b", "10", "b", "2"}
	if !slices.Equal(values, want) {
		t.Errorf("rowsort = %v, want %v", values, want)
	}
	values = []string{"b", "2", "a", "9"}
	SortValues(values)
	if want := []string{"2", "9", "a", "b"}; !slices.Equal(values, want) {
		t.Errorf("valuesort = %v, want %v", values, want)
	}
}

func TestMatchRows(t *testing.T) {
	values := []string{"1", "two words", "NULL", "42.0"}
	if !matchRows([]string{"1   two  words", "NULL\t42"}, values, 2) {
		t.Error("rows must match across whitespace and equal decimals")
	}
	if matchRows([]string{"1 two words", "NULL 42.1"}, values, 2) {
		t.Error("42.0 matched 42.1")
	}
	if matchRows([]string{"1 two words"}, values, 2) {
		t.Error("a missing row matched")
	}
	if matchRows([]string{"1.20"}, []string{"1.2x"}, 1) {
		t.Error("non-numeric words compared by value")
	}
}
