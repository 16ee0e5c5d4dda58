package pgregex

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func unescapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) && isOct(s[i+3]) {
			n, _ := strconv.ParseUint(s[i+1:i+4], 8, 8)
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOct(c byte) bool { return c >= '0' && c <= '7' }

func unescapeResult(s string) string {
	if !strings.HasPrefix(s, "V") {
		return s
	}
	var b strings.Builder
	b.WriteByte('V')
	s = s[1:]
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// arrayElem quotes an element of a text[] as array_out does.
func arrayElem(s string) string {
	if s == "" {
		return `""`
	}
	if strings.EqualFold(s, "NULL") || strings.ContainsAny(s, "{},\"\\ \t\n\r\v\f") {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}

// TestPG15 compares matches with PostgreSQL 15's (testdata/pg15.txt).
func TestPG15(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "pg15.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		c, r, _ := strings.Cut(line, "\t=>\t")
		parts := strings.SplitN(c, "\t", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		pat, flagStr, text := parts[0], parts[1], unescapeText(parts[2])
		want := strings.Split(r, "\t")
		for i := range want {
			want[i] = unescapeResult(want[i])
		}
		t.Run(strconv.Itoa(n)+":"+pat, func(t *testing.T) {
			flags, _, bad := ParseFlags(flagStr, 0)
			if bad != "" {
				t.Fatalf("bad flag %q", bad)
			}
			re, err := Compile(pat, flags)
			if err != nil {
				if errors.Is(err, ErrUnsupported) {
					t.Skipf("unsupported: %v (PostgreSQL: %v)", err, want)
				}
				if want[0] != "ERROR 2201B" {
					t.Fatalf("compile error %v, want %v", err, want)
				}
				return
			}
			if strings.HasPrefix(want[0], "ERROR") {
				t.Fatalf("compiled, want %v", want)
			}
			m := re.NewMatcher()
			caps := m.Find([]byte(text), 0)
			got := []string{"V0", "NULL", "NULL"}
			if caps != nil {
				got[0] = "V" + strconv.Itoa(utf8.RuneCountInString(text[:caps[0]])+1)
				got[1] = "V" + text[caps[0]:caps[1]]
				var elems []string
				if re.NumSubexp() == 0 {
					elems = append(elems, arrayElem(text[caps[0]:caps[1]]))
				}
				for k := 1; k <= re.NumSubexp(); k++ {
					if caps[2*k] < 0 {
						elems = append(elems, "NULL")
					} else {
						elems = append(elems, arrayElem(text[caps[2*k]:caps[2*k+1]]))
					}
				}
				got[2] = "V{" + strings.Join(elems, ",") + "}"
			}
			if m.Match([]byte(text), 0) != (caps != nil) {
				t.Errorf("Match disagrees with Find")
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %q, want %q", got, want)
					break
				}
			}
		})
	}
}
