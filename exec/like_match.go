package exec

import (
	"bytes"
)

// A LIKE with a constant pattern is matched a batch at a time, one loop
// per pattern shape. A pattern that starts with % and a literal ('%abc%',
// TPC-H Q13's '%special%requests%') is searched for in the batch's whole
// byte buffer, where the rows lie end to end: one bytes.Index call skips
// every row without the first literal (most rows, for a selective
// pattern), and only a row holding it is matched further, from just
// after that first occurrence. The first occurrence is the one to take:
// a later one leaves less text for the rest of the pattern. The literal
// is found by its rarest byte (literalSearch), so that the vectorized
// bytes.IndexByte runs long between candidates.

// likeMatcher matches the values of a column against one pattern.
type likeMatcher struct {
	pat     *likePattern
	first   literalSearch // the first literal, when pat.searchesBuffer
	bpchar  bool          // char(n): trailing spaces do not count
	fold    bool          // ILIKE: values are folded to lower case (the pattern was, compiling)
	scratch []byte
}

// matchOne matches one value.
func (m *likeMatcher) matchOne(s []byte) (bool, error) {
	if m.bpchar {
		s = trimTrailingSpaces(s)
	}
	if m.fold {
		m.scratch = appendLower(m.scratch[:0], s)
		s = m.scratch
	}
	return m.pat.match(s)
}

// matchRows sets hit[i], for each row i of rows, to whether row i of v
// matches; NULL rows get any value (and raise no error). hit covers the
// column's rows.
func (m *likeMatcher) matchRows(v varlenView, rows []int32, hit []bool) error {
	if len(rows) == 0 {
		return nil
	}
	p := m.pat
	if !m.bpchar && !m.fold {
		switch {
		case p.searchesBuffer():
			m.scanBuffer(v, rows, hit)
			return nil
		case p.shape == likePrefix:
			for _, i := range rows {
				hit[i] = bytes.HasPrefix(v.bytes(int(i)), p.lit)
			}
			return nil
		case p.shape == likeSuffix:
			for _, i := range rows {
				hit[i] = bytes.HasSuffix(v.bytes(int(i)), p.lit)
			}
			return nil
		case p.shape == likeExact:
			for _, i := range rows {
				hit[i] = string(v.bytes(int(i))) == string(p.lit)
			}
			return nil
		}
	}
	for _, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		ok, err := m.matchOne(v.bytes(int(i)))
		if err != nil {
			return err
		}
		hit[i] = ok
	}
	return nil
}

// searchesBuffer reports whether p is % and a literal followed by
// nothing but literals and %s, which scanBuffer matches.
func (p *likePattern) searchesBuffer() bool {
	return (p.shape == likeContains || p.shape == likeLiterals) &&
		len(p.tokens) >= 3 && p.tokens[0].kind == '%' && p.tokens[1].kind == 'l'
}

// scanBuffer is matchRows for a pattern that searchesBuffer: it searches
// the bytes of the rows from the first of rows to the last for the first
// literal, and matches the rest of the pattern in the rows that hold it.
func (m *likeMatcher) scanBuffer(v varlenView, rows []int32, hit []bool) {
	lo, hi := rows[0], rows[0]
	for _, i := range rows {
		lo, hi = min(lo, i), max(hi, i)
	}
	clear(hit[lo : hi+1])
	lit, rest := m.pat.tokens[1].lit, m.pat.tokens[2:]
	if len(m.first.lit) == 0 {
		m.first = newLiteralSearch(lit)
	}
	anyRest := len(rest) == 1 // just a %
	off, data := v.offsets, v.data
	r, pos, end := int(lo), int(off[lo]), int(off[hi+1])
	for pos < end {
		j := m.first.index(data[pos:end])
		if j < 0 {
			break
		}
		j += pos
		for int(off[r+1]) <= j {
			r++
		}
		rowEnd := int(off[r+1])
		// An occurrence running into the next row is none; a later one
		// starting in this row would run further still.
		if j+len(lit) <= rowEnd {
			hit[r] = anyRest || matchLiterals(data[j+len(lit):rowEnd], rest)
		}
		pos = rowEnd
		r++
	}
}

// literalSearch finds a literal by its rarest byte in English text: it
// skips to each place of that byte with bytes.IndexByte and compares the
// literal around it. bytes.Index would skip by the first byte, in text
// often a common one ('s' of "special"), stopping every few bytes.
type literalSearch struct {
	lit  []byte
	rare int // position in lit of its rarest byte
}

func newLiteralSearch(lit []byte) literalSearch {
	f := literalSearch{lit: lit}
	for i, c := range lit {
		if byteRank[c] < byteRank[lit[f.rare]] {
			f.rare = i
		}
	}
	return f
}

// index returns the position of the first occurrence of the literal in
// s, or -1.
func (f literalSearch) index(s []byte) int {
	n, k := len(f.lit), f.rare
	c := f.lit[k]
	// The rare byte at j puts the literal at j-k..j-k+n, within s.
	last := len(s) - n + k
	for i := k; i <= last; {
		o := bytes.IndexByte(s[i:last+1], c)
		if o < 0 {
			return -1
		}
		j := i + o - k
		if string(s[j:j+n]) == string(f.lit) {
			return j
		}
		i += o + 1
	}
	return -1
}

// byteRank orders bytes by how often they occur in English text, higher
// more often: letters by their frequency, then digits and punctuation;
// other bytes are the rarest.
var byteRank = func() (r [256]uint8) {
	const common = "zqxjkvbpygfwmucldrhsnioate " // rarest to most frequent
	for i := range common {
		c := common[i]
		r[c] = uint8(128 + i)
		if 'a' <= c && c <= 'z' {
			r[c-'a'+'A'] = uint8(64 + i)
		}
	}
	for c := '0'; c <= '9'; c++ {
		r[c] = 100
	}
	for _, c := range ".,-'" {
		r[c] = 110
	}
	return r
}()
