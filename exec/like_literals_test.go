package exec

import (
	"math/rand/v2"
	"testing"
)

// TestMatchLiteralsAgreesWithTokens compares matchLiterals with the
// general backtracking matcher on random patterns of literals and %s over
// a small alphabet (so literals overlap, repeat and meet at the ends) and
// random strings, multi-byte characters included.
func TestMatchLiteralsAgreesWithTokens(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	alphabet := []string{"a", "b", "ab", "é"}
	word := func(max int) string {
		var s string
		for range rng.IntN(max + 1) {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	checked := 0
	for range 20000 {
		var pat string
		for range 1 + rng.IntN(4) {
			if rng.IntN(2) == 0 {
				pat += "%"
			}
			pat += word(3)
		}
		if rng.IntN(2) == 0 {
			pat += "%"
		}
		p, err := compileLike(pat, false)
		if err != nil {
			t.Fatal(err)
		}
		if p.shape != likeLiterals {
			continue
		}
		checked++
		s := []byte(word(8))
		want, _ := matchTokens(s, p.tokens)
		if got := matchLiterals(s, p.tokens); got != want {
			t.Fatalf("%q LIKE %q: matchLiterals %v, matchTokens %v", s, pat, got, want)
		}
	}
	if checked < 5000 {
		t.Fatalf("only %d patterns of literals and %%s", checked)
	}
}
