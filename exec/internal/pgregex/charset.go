package pgregex

import (
	"sort"
	"unicode"
)

// Character classes, as PostgreSQL's regex code sees them in a UTF8
// database with a C.UTF-8 ctype (glibc's classification): ASCII as in C,
// other characters approximated with Go's Unicode tables the way glibc
// classifies them (non-ASCII decimal digits are alphabetic, not digits;
// titlecase letters are both upper and lower case; no-break spaces are
// not spaces).

type charClass uint16

const (
	ccAlnum charClass = 1 << iota
	ccAlpha
	ccBlank
	ccCntrl
	ccDigit
	ccGraph
	ccLower
	ccPrint
	ccPunct
	ccSpace
	ccUpper
	ccXdigit
	ccWord
)

var classByName = map[string]charClass{
	"alnum": ccAlnum, "alpha": ccAlpha, "blank": ccBlank, "cntrl": ccCntrl, "digit": ccDigit,
	"graph": ccGraph, "lower": ccLower, "print": ccPrint, "punct": ccPunct, "space": ccSpace,
	"upper": ccUpper, "xdigit": ccXdigit, "word": ccWord,
}

func isSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	switch r {
	case 0x85, 0xA0, 0x2007, 0x202F:
		return false
	}
	return unicode.IsSpace(r)
}

func isAlphaRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.In(r, unicode.Nd, unicode.Nl)
}

func isCntrl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x2028 || r == 0x2029 }

func isPrint(r rune) bool {
	if r < 0x80 {
		return r >= 0x20 && r < 0x7f
	}
	return !isCntrl(r) && (unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) || isSpace(r))
}

// inClass reports whether r belongs to one class.
func inClass(r rune, c charClass) bool {
	switch c {
	case ccAlnum:
		return isAlphaRune(r) || r >= '0' && r <= '9'
	case ccAlpha:
		return isAlphaRune(r)
	case ccBlank:
		return r == ' ' || r == '\t' || r >= 0x80 && r != 0xA0 && r != 0x2007 && r != 0x202F && unicode.Is(unicode.Zs, r)
	case ccCntrl:
		return isCntrl(r)
	case ccDigit:
		return r >= '0' && r <= '9'
	case ccGraph:
		return isPrint(r) && !isSpace(r)
	case ccLower:
		if r < 0x80 {
			return r >= 'a' && r <= 'z'
		}
		return unicode.IsLower(r) || unicode.IsTitle(r)
	case ccPrint:
		return isPrint(r)
	case ccPunct:
		if r < 0x80 {
			return r > 0x20 && r < 0x7f && !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}
		return isPrint(r) && !isSpace(r) && !isAlphaRune(r)
	case ccSpace:
		return isSpace(r)
	case ccUpper:
		if r < 0x80 {
			return r >= 'A' && r <= 'Z'
		}
		return unicode.IsUpper(r) || unicode.IsTitle(r)
	case ccXdigit:
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
	case ccWord:
		return r == '_' || inClass(r, ccAlnum)
	}
	return false
}

func inClasses(r rune, cs charClass) bool {
	for c := charClass(1); c != 0 && c <= cs; c <<= 1 {
		if cs&c != 0 && inClass(r, c) {
			return true
		}
	}
	return false
}

func isWordChar(r rune) bool { return inClass(r, ccWord) }

type runeRange struct{ lo, hi rune }

// charSet is the set of characters one position of the pattern matches.
// Case-insensitive patterns add each character's lower- and upper-case
// forms to the set when it is built, as regc_locale.c does; the string's
// characters are compared as they are.
type charSet struct {
	ranges     []runeRange
	classes    charClass // characters of these classes
	negClasses charClass // characters outside any of these classes (\D in [ ])
	neg        bool      // complement of all the above
	noNewline  bool      // the complement leaves out newline (NLSTOP)
	icase      bool
	single     rune // for a one-character set built by runeSet
	ascii      [2]uint64
}

func (s *charSet) addRange(lo, hi rune) {
	s.ranges = append(s.ranges, runeRange{lo, hi})
	if !s.icase {
		return
	}
	n := 0
	for c := lo; c <= hi && n < 1<<20; c++ {
		n++
		if l := unicode.ToLower(c); l != c && (l < lo || l > hi) {
			s.ranges = append(s.ranges, runeRange{l, l})
		}
		if u := unicode.ToUpper(c); u != c && (u < lo || u > hi) {
			s.ranges = append(s.ranges, runeRange{u, u})
		}
	}
}

func (s *charSet) addClass(c charClass) {
	if s.icase && (c == ccUpper || c == ccLower) {
		c = ccAlpha
	}
	s.classes |= c
}

// runeSet is the set of one character (and its other cases).
func runeSet(c rune, icase bool) *charSet {
	s := &charSet{icase: icase, single: c}
	s.addRange(c, c)
	s.finish()
	return s
}

// anySet is '.': every character (but newline in newline-sensitive mode).
func anySet(nlstop bool) *charSet {
	s := &charSet{neg: true, noNewline: nlstop}
	s.finish()
	return s
}

func (s *charSet) finish() {
	if s.negClasses != 0 && s.icase && s.negClasses&(ccUpper|ccLower) != 0 {
		s.negClasses = s.negClasses&^(ccUpper|ccLower) | ccAlpha
	}
	sort.Slice(s.ranges, func(i, j int) bool { return s.ranges[i].lo < s.ranges[j].lo })
	out := s.ranges[:0]
	for _, r := range s.ranges {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			if r.hi > out[n-1].hi {
				out[n-1].hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	s.ranges = out
	s.ascii = [2]uint64{}
	for c := rune(0); c < 128; c++ {
		if s.slowContains(c) {
			s.ascii[c>>6] |= 1 << (c & 63)
		}
	}
}

func (s *charSet) raw(r rune) bool {
	i := sort.Search(len(s.ranges), func(i int) bool { return s.ranges[i].hi >= r })
	if i < len(s.ranges) && s.ranges[i].lo <= r {
		return true
	}
	if s.classes != 0 && inClasses(r, s.classes) {
		return true
	}
	if s.negClasses != 0 {
		for c := charClass(1); c != 0 && c <= s.negClasses; c <<= 1 {
			if s.negClasses&c != 0 && !inClass(r, c) {
				return true
			}
		}
	}
	return false
}

func (s *charSet) slowContains(r rune) bool {
	in := s.raw(r)
	if s.neg {
		in = !in
		if s.noNewline && r == '\n' {
			in = false
		}
	}
	return in
}

func (s *charSet) contains(r rune) bool {
	if r < 128 && r >= 0 {
		return s.ascii[r>>6]&(1<<(r&63)) != 0
	}
	return s.slowContains(r)
}

// collatingNames are the names [.name.] may use (regc_locale.c's cnames).
var collatingNames = map[string]rune{
	"NUL": 0, "SOH": 1, "STX": 2, "ETX": 3, "EOT": 4, "ENQ": 5, "ACK": 6, "BEL": 7, "alert": 7,
	"BS": 8, "backspace": 8, "HT": 9, "tab": 9, "LF": 10, "newline": 10, "VT": 11, "vertical-tab": 11,
	"FF": 12, "form-feed": 12, "CR": 13, "carriage-return": 13, "SO": 14, "SI": 15, "DLE": 16,
	"DC1": 17, "DC2": 18, "DC3": 19, "DC4": 20, "NAK": 21, "SYN": 22, "ETB": 23, "CAN": 24, "EM": 25,
	"SUB": 26, "ESC": 27, "IS4": 28, "FS": 28, "IS3": 29, "GS": 29, "IS2": 30, "RS": 30, "IS1": 31,
	"US": 31, "space": ' ', "exclamation-mark": '!', "quotation-mark": '"', "number-sign": '#',
	"dollar-sign": '$', "percent-sign": '%', "ampersand": '&', "apostrophe": '\'',
	"left-parenthesis": '(', "right-parenthesis": ')', "asterisk": '*', "plus-sign": '+',
	"comma": ',', "hyphen": '-', "hyphen-minus": '-', "period": '.', "full-stop": '.',
	"slash": '/', "solidus": '/', "zero": '0', "one": '1', "two": '2', "three": '3', "four": '4',
	"five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9', "colon": ':',
	"semicolon": ';', "less-than-sign": '<', "equals-sign": '=', "greater-than-sign": '>',
	"question-mark": '?', "commercial-at": '@', "left-square-bracket": '[', "backslash": '\\',
	"reverse-solidus": '\\', "right-square-bracket": ']', "circumflex": '^',
	"circumflex-accent": '^', "underscore": '_', "low-line": '_', "grave-accent": '`',
	"left-brace": '{', "left-curly-bracket": '{', "vertical-line": '|', "right-brace": '}',
	"right-curly-bracket": '}', "tilde": '~', "DEL": 0x7f,
}
