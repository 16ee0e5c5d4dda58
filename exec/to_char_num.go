package exec

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// to_char of numbers and to_number, PostgreSQL 15's NUM_processor: digit
// positions 9 and 0, decimal point . or D, group separator , or G,
// signs S, MI, PL, SG and PR, FM, L (currency), TH, V (shift) , RN
// (roman numerals) and EEEE (scientific notation). The locale is
// C.UTF-8: D is '.', G is ',', L is a space.

const (
	numCOMMA = iota
	numDEC
	num0
	num9
	numB
	numC
	numD
	numE
	numFM
	numG
	numL
	numMI
	numPL
	numPR
	numRN
	numSG
	numSP
	numS
	numTH
	numV
	numrn
	numth
)

var numKeywords = []fmtKeyword{
	{name: ",", id: numCOMMA}, {name: ".", id: numDEC}, {name: "0", id: num0}, {name: "9", id: num9},
	{name: "B", id: numB}, {name: "C", id: numC}, {name: "D", id: numD}, {name: "EEEE", id: numE},
	{name: "FM", id: numFM}, {name: "G", id: numG}, {name: "L", id: numL}, {name: "MI", id: numMI},
	{name: "PL", id: numPL}, {name: "PR", id: numPR}, {name: "RN", id: numRN}, {name: "SG", id: numSG},
	{name: "SP", id: numSP}, {name: "S", id: numS}, {name: "TH", id: numTH}, {name: "V", id: numV},
	{name: "b", id: numB}, {name: "c", id: numC}, {name: "d", id: numD}, {name: "eeee", id: numE},
	{name: "fm", id: numFM}, {name: "g", id: numG}, {name: "l", id: numL}, {name: "mi", id: numMI},
	{name: "pl", id: numPL}, {name: "pr", id: numPR}, {name: "rn", id: numrn}, {name: "sg", id: numSG},
	{name: "sp", id: numSP}, {name: "s", id: numS}, {name: "th", id: numth}, {name: "v", id: numV},
}

var numIndex = keywordIndex(numKeywords)

// numDesc flags
const (
	nfDecimal   = 1 << 1
	nfLDecimal  = 1 << 2
	nfZero      = 1 << 3
	nfBlank     = 1 << 4
	nfFillMode  = 1 << 5
	nfLSign     = 1 << 6
	nfBracket   = 1 << 7
	nfMinus     = 1 << 8
	nfPlus      = 1 << 9
	nfRoman     = 1 << 10
	nfMulti     = 1 << 11
	nfPlusPost  = 1 << 12
	nfMinusPost = 1 << 13
	nfEEEE      = 1 << 14
)

const (
	lsignPre  = -1
	lsignPost = 1
)

// numDesc is NUMDesc: what a number picture asks for.
type numDesc struct {
	pre, post, lsign, flag, preLsignNum, multi, zeroStart, zeroEnd int
}

func (n *numDesc) is(f int) bool { return n.flag&f != 0 }

func errNumFormat(msg string) error { return pgerr.New(pgerr.SyntaxError, "%s", msg) }

// prepare is NUMDesc_prepare for one keyword of the picture.
func (n *numDesc) prepare(id int) error {
	if n.is(nfEEEE) && id != numE {
		return errNumFormat(`"EEEE" must be the last pattern used`)
	}
	switch id {
	case num9:
		if n.is(nfBracket) {
			return errNumFormat(`"9" must be ahead of "PR"`)
		}
		if n.is(nfMulti) {
			n.multi++
			break
		}
		if n.is(nfDecimal) {
			n.post++
		} else {
			n.pre++
		}
	case num0:
		if n.is(nfBracket) {
			return errNumFormat(`"0" must be ahead of "PR"`)
		}
		if !n.is(nfZero) && !n.is(nfDecimal) {
			n.flag |= nfZero
			n.zeroStart = n.pre + 1
		}
		if !n.is(nfDecimal) {
			n.pre++
		} else {
			n.post++
		}
		n.zeroEnd = n.pre + n.post
	case numB:
		if n.pre == 0 && n.post == 0 && !n.is(nfZero) {
			n.flag |= nfBlank
		}
	case numD, numDEC:
		if id == numD {
			n.flag |= nfLDecimal
		}
		if n.is(nfDecimal) {
			return errNumFormat("multiple decimal points")
		}
		if n.is(nfMulti) {
			return errNumFormat(`cannot use "V" and decimal point together`)
		}
		n.flag |= nfDecimal
	case numFM:
		n.flag |= nfFillMode
	case numS:
		if n.is(nfLSign) {
			return errNumFormat(`cannot use "S" twice`)
		}
		if n.is(nfPlus) || n.is(nfMinus) || n.is(nfBracket) {
			return errNumFormat(`cannot use "S" and "PL"/"MI"/"SG"/"PR" together`)
		}
		if !n.is(nfDecimal) {
			n.lsign = lsignPre
			n.preLsignNum = n.pre
			n.flag |= nfLSign
		} else if n.lsign == 0 {
			n.lsign = lsignPost
			n.flag |= nfLSign
		}
	case numMI:
		if n.is(nfLSign) {
			return errNumFormat(`cannot use "S" and "MI" together`)
		}
		n.flag |= nfMinus
		if n.is(nfDecimal) {
			n.flag |= nfMinusPost
		}
	case numPL:
		if n.is(nfLSign) {
			return errNumFormat(`cannot use "S" and "PL" together`)
		}
		n.flag |= nfPlus
		if n.is(nfDecimal) {
			n.flag |= nfPlusPost
		}
	case numSG:
		if n.is(nfLSign) {
			return errNumFormat(`cannot use "S" and "SG" together`)
		}
		n.flag |= nfMinus | nfPlus
	case numPR:
		if n.is(nfLSign) || n.is(nfPlus) || n.is(nfMinus) {
			return errNumFormat(`cannot use "PR" and "S"/"PL"/"MI"/"SG" together`)
		}
		n.flag |= nfBracket
	case numRN, numrn:
		n.flag |= nfRoman
	case numV:
		if n.is(nfDecimal) {
			return errNumFormat(`cannot use "V" and decimal point together`)
		}
		n.flag |= nfMulti
	case numE:
		if n.is(nfEEEE) {
			return errNumFormat(`cannot use "EEEE" twice`)
		}
		if n.is(nfBlank) || n.is(nfFillMode) || n.is(nfLSign) || n.is(nfBracket) || n.is(nfMinus) || n.is(nfPlus) || n.is(nfRoman) || n.is(nfMulti) {
			e := errNumFormat(`"EEEE" is incompatible with other formats`)
			pgerr.From(e).Detail = `"EEEE" may only be used together with digit and decimal point patterns.`
			return e
		}
		n.flag |= nfEEEE
	}
	return nil
}

// numProc is NUMProc, with indexes for pointers.
type numProc struct {
	num                             *numDesc
	toChar                          bool
	sign                            byte
	signWrote, numIn                bool
	numCount, numCurr, outPreSpaces int
	readDec                         bool
	readPost, readPre               int
	number                          []byte
	numberP                         int
	lastRelevant                    int // -1: none
	out                             []byte
	in                              []byte
	inP                             int
}

func (np *numProc) numAt(i int) byte {
	if i < len(np.number) {
		return np.number[i]
	}
	return 0
}

func (np *numProc) predecSpace() bool {
	return !np.num.is(nfZero) && np.numberP == 0 && np.numAt(0) == '0' && np.num.post != 0
}

func (np *numProc) lastRelIsDot() bool {
	return np.lastRelevant >= 0 && np.numAt(np.lastRelevant) == '.'
}

func (np *numProc) numpartToChar(id int) {
	n := np.num
	if n.is(nfRoman) {
		return
	}
	np.numIn = false
	if !np.signWrote && (np.numCurr >= np.outPreSpaces || n.is(nfZero) && n.zeroStart == np.numCurr) && (!np.predecSpace() || np.lastRelIsDot()) {
		switch {
		case n.is(nfLSign):
			if n.lsign == lsignPre {
				np.out = append(np.out, np.sign)
				np.signWrote = true
			}
		case n.is(nfBracket):
			if np.sign == '+' {
				np.out = append(np.out, ' ')
			} else {
				np.out = append(np.out, '<')
			}
			np.signWrote = true
		case np.sign == '+':
			if !n.is(nfFillMode) {
				np.out = append(np.out, ' ')
			}
			np.signWrote = true
		case np.sign == '-':
			np.out = append(np.out, '-')
			np.signWrote = true
		}
	}
	if id == num9 || id == num0 || id == numD || id == numDEC {
		switch {
		case np.numCurr < np.outPreSpaces && (n.zeroStart > np.numCurr || !n.is(nfZero)):
			if !n.is(nfFillMode) {
				np.out = append(np.out, ' ')
			}
		case n.is(nfZero) && np.numCurr < np.outPreSpaces && n.zeroStart <= np.numCurr:
			np.out = append(np.out, '0')
			np.numIn = true
		default:
			if np.numAt(np.numberP) == '.' {
				if !np.lastRelIsDot() || n.is(nfFillMode) {
					np.out = append(np.out, '.')
				}
			} else {
				switch {
				case np.lastRelevant >= 0 && np.numberP > np.lastRelevant && id != num0:
				case np.predecSpace():
					if !n.is(nfFillMode) {
						np.out = append(np.out, ' ')
					} else if np.lastRelIsDot() {
						np.out = append(np.out, '0')
					}
				default:
					if c := np.numAt(np.numberP); c != 0 {
						np.out = append(np.out, c)
					}
					np.numIn = true
				}
			}
			if np.numAt(np.numberP) != 0 {
				np.numberP++
			}
		}
		end := np.numCount
		if np.outPreSpaces != 0 {
			end++
		}
		if n.is(nfDecimal) {
			end++
		}
		if np.lastRelevant >= 0 && np.lastRelevant == np.numberP {
			end = np.numCurr
		}
		if np.numCurr+1 == end {
			if np.signWrote && n.is(nfBracket) {
				if np.sign == '+' {
					np.out = append(np.out, ' ')
				} else {
					np.out = append(np.out, '>')
				}
			} else if n.is(nfLSign) && n.lsign == lsignPost {
				np.out = append(np.out, np.sign)
			}
		}
	}
	np.numCurr++
}

// thSuffix is get_th of a number string.
func thSuffix(num []byte, upper bool) (string, error) {
	if len(num) == 0 || num[len(num)-1] < '0' || num[len(num)-1] > '9' {
		return "", pgerr.New(pgerr.InvalidTextRepresentation, "\"%s\" is not a number", string(num))
	}
	last := num[len(num)-1]
	if len(num) > 1 && num[len(num)-2] == '1' {
		last = 0
	}
	s := "th"
	switch last {
	case '1':
		s = "st"
	case '2':
		s = "nd"
	case '3':
		s = "rd"
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s, nil
}

// numToChar is NUM_processor for to_char: number is the digits (no sign),
// sign '+' or '-'.
// desc is modified; callers pass a per-row copy.
func numToChar(dst []byte, nodes []fmtNode, n *numDesc, number []byte, outPreSpaces int, sign byte) ([]byte, error) {
	np := &numProc{num: n, toChar: true, number: number, lastRelevant: -1, out: dst}
	if n.zeroStart > 0 {
		n.zeroStart--
	}
	if n.is(nfEEEE) {
		return append(dst, number...), nil
	}
	if n.is(nfRoman) {
		n.lsign, n.preLsignNum, n.post, n.pre = 0, 0, 0, 0
		outPreSpaces, sign = 0, 0
		fill := n.is(nfFillMode)
		n.flag = nfRoman
		if fill {
			n.flag |= nfFillMode
		}
	}
	np.sign = sign
	if n.is(nfPlus) || n.is(nfMinus) {
		np.signWrote = !(n.is(nfPlus) && !n.is(nfMinus))
	} else {
		if sign != '-' && n.is(nfFillMode) {
			n.flag &^= nfBracket
		}
		np.signWrote = sign == '+' && n.is(nfFillMode) && !n.is(nfLSign)
		if n.lsign == lsignPre && n.pre == n.preLsignNum {
			n.lsign = lsignPost
		}
	}
	np.numCount = n.post + n.pre - 1
	np.outPreSpaces = outPreSpaces
	if n.is(nfFillMode) && n.is(nfDecimal) {
		if dot := strings.IndexByte(string(number), '.'); dot >= 0 {
			np.lastRelevant = dot
			for k := dot + 1; k < len(number); k++ {
				if number[k] != '0' {
					np.lastRelevant = k
				}
			}
			if n.zeroEnd > np.outPreSpaces {
				lastZero := min(len(number)-1, n.zeroEnd-np.outPreSpaces)
				if np.lastRelevant < lastZero {
					np.lastRelevant = lastZero
				}
			}
		}
	}
	if !np.signWrote && np.outPreSpaces == 0 {
		np.numCount++
	}
	for i := range nodes {
		nd := &nodes[i]
		if nd.typ != fnAction {
			np.out = append(np.out, nd.chars...)
			continue
		}
		switch nd.key.id {
		case num9, num0, numDEC, numD:
			np.numpartToChar(nd.key.id)
		case numCOMMA, numG:
			switch {
			case np.numIn:
				np.out = append(np.out, ',')
			case !n.is(nfFillMode):
				np.out = append(np.out, ' ')
			}
		case numL:
			np.out = append(np.out, ' ')
		case numRN, numrn:
			s := string(number[min(np.numberP, len(number)):])
			if nd.key.id == numrn {
				s = strings.ToLower(s)
			}
			if !n.is(nfFillMode) {
				for k := len(s); k < 15; k++ {
					np.out = append(np.out, ' ')
				}
			}
			np.out = append(np.out, s...)
		case numTH, numth:
			if n.is(nfRoman) || np.numAt(0) == '#' || np.sign == '-' || n.is(nfDecimal) {
				continue
			}
			s, err := thSuffix(number, nd.key.id == numTH)
			if err != nil {
				return nil, err
			}
			np.out = append(np.out, s...)
		case numMI:
			switch {
			case np.sign == '-':
				np.out = append(np.out, '-')
			case !n.is(nfFillMode):
				np.out = append(np.out, ' ')
			}
		case numPL:
			switch {
			case np.sign == '+':
				np.out = append(np.out, '+')
			case !n.is(nfFillMode):
				np.out = append(np.out, ' ')
			}
		case numSG:
			np.out = append(np.out, np.sign)
		}
	}
	return np.out, nil
}

// intToRoman is int_to_roman: 1 to 3999, else fifteen '#'.
func intToRoman(n int64) []byte {
	if n > 3999 || n < 1 {
		return []byte(strings.Repeat("#", 15))
	}
	rm1 := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	rm10 := []string{"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"}
	rm100 := []string{"C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"}
	var out []byte
	s := strconv.FormatInt(n, 10)
	for k, c := range []byte(s) {
		d := int(c) - '1'
		if d < 0 {
			continue
		}
		switch len(s) - k {
		case 4:
			out = append(out, strings.Repeat("M", d+1)...)
		case 3:
			out = append(out, rm100[d]...)
		case 2:
			out = append(out, rm10[d]...)
		default:
			out = append(out, rm1[d]...)
		}
	}
	return out
}

// fillHashes is the overflowed picture: '#' for every digit, '.' at the
// decimal position.
func fillHashes(pre, post int) []byte {
	b := []byte(strings.Repeat("#", pre+post+1))
	if pre < len(b) {
		b[pre] = '.'
	}
	return b
}

// padDigits applies the common tail of the to_char entry points: the
// spaces before the digits, or '#' when the picture is too narrow.
func padDigits(numstr []byte, desc *numDesc) ([]byte, int) {
	pre := len(numstr)
	if dot := bytes.IndexByte(numstr, '.'); dot >= 0 {
		pre = dot
	}
	switch {
	case pre < desc.pre:
		return numstr, desc.pre - pre
	case pre > desc.pre:
		return fillHashes(desc.pre, desc.post), 0
	}
	return numstr, 0
}

// sciFromDigits formats a decimal number (digits, with the decimal
// exponent of its first digit) as numeric_out_sci does: d.ddd...e+XX with
// post digits after the point, rounding half away from zero.
func sciFromDigits(neg bool, digits []byte, exp10 int, post int) []byte {
	// digits has no leading zeros; value = 0.d1d2... * 10^(exp10+1)
	if len(digits) == 0 {
		out := []byte{'0'}
		if post > 0 {
			out = append(out, '.')
			out = append(out, strings.Repeat("0", post)...)
		}
		return append(out, "e+00"...)
	}
	keep := post + 1
	sig := make([]byte, keep)
	for k := 0; k < keep; k++ {
		if k < len(digits) {
			sig[k] = digits[k]
		} else {
			sig[k] = '0'
		}
	}
	if keep < len(digits) && digits[keep] >= '5' {
		k := keep - 1
		for ; k >= 0; k-- {
			if sig[k] == '9' {
				sig[k] = '0'
				continue
			}
			sig[k]++
			break
		}
		if k < 0 {
			sig = append([]byte{'1'}, sig...)
		}
	}
	var out []byte
	if neg {
		out = append(out, '-')
	}
	// a carry makes the significand 10.00...: PostgreSQL keeps it so
	intLen := len(sig) - post
	out = append(out, sig[:intLen]...)
	if post > 0 {
		out = append(out, '.')
		out = append(out, sig[intLen:]...)
	}
	out = append(out, 'e')
	if exp10 < 0 {
		out = append(out, '-')
		exp10 = -exp10
	} else {
		out = append(out, '+')
	}
	if exp10 < 10 {
		out = append(out, '0')
	}
	return strconv.AppendInt(out, int64(exp10), 10)
}

// numericSci is numeric_out_sci of a numeric's text form.
func numericSci(text string, post int) []byte {
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(text, "-")
	intPart, frac, _ := strings.Cut(text, ".")
	all := intPart + frac
	first := strings.IndexFunc(all, func(r rune) bool { return r != '0' })
	if first < 0 {
		return sciFromDigits(false, nil, 0, post)
	}
	exp10 := len(intPart) - 1 - first
	return sciFromDigits(neg, []byte(all[first:]), exp10, post)
}

// cSci is printf("%+.*e") with the leading plus swapped for a space.
func cSci(v float64, post int) []byte {
	s := strconv.FormatFloat(v, 'e', post, 64)
	if !strings.HasPrefix(s, "-") {
		s = " " + s
	}
	return []byte(s)
}

func newNumberToChar(args []Expr) Expr {
	t := args[0].Type()
	var c formatCache
	calc := new(numeric.Calc)
	var rd numReader
	var tmp []byte
	return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		fv := varlenViewOf(a[1])
		valid := validityOf(a[0])
		var i32 []int32
		var i64 []int64
		var f32 []float32
		var f64 []float64
		switch t.Kind {
		case catalog.Int4:
			i32 = fixedValues[int32](a[0])
		case catalog.Int8:
			i64 = fixedValues[int64](a[0])
		case catalog.Float4:
			f32 = fixedValues[float32](a[0])
		case catalog.Float8:
			f64 = fixedValues[float64](a[0])
		default:
			rd.bind(t, a[0])
		}
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		var scratch, nbuf []byte
		var desc numDesc
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || !valid.valid(i) || !fv.valid(i) {
				out.appendNull()
				continue
			}
			f := fv.bytes(i)
			if len(f) == 0 {
				out.appendBytes(nil)
				continue
			}
			nodes, d, err := c.get(f, false)
			if err == nil {
				desc = d
				var numstr []byte
				pre := 0
				sign := byte('+')
				switch t.Kind {
				case catalog.Int4:
					numstr, pre, sign = intNumstr(nbuf[:0], int64(i32[i]), &desc, true)
				case catalog.Int8:
					if desc.is(nfRoman) && (i64[i] > math.MaxInt32 || i64[i] < math.MinInt32) {
						err = errIntegerOutOfRange(catalog.Int4)
						break
					}
					numstr, pre, sign = intNumstr(nbuf[:0], i64[i], &desc, false)
				case catalog.Float4:
					numstr, pre, sign = floatNumstr(nbuf[:0], float64(f32[i]), &desc, true)
				case catalog.Float8:
					numstr, pre, sign = floatNumstr(nbuf[:0], f64[i], &desc, false)
				default:
					numstr, pre, sign, tmp, err = numericNumstr(nbuf[:0], calc, rd.at(i), &desc, tmp)
				}
				if err == nil {
					nbuf = numstr
					scratch, err = numToChar(scratch[:0], nodes, &desc, numstr, pre, sign)
				}
			}
			if err != nil {
				out.finish(catalog.TypeText).Release()
				return nil, err
			}
			out.appendBytes(scratch)
		}
		return out.finish(catalog.TypeText), nil
	}}
}

// intNumstr prepares an integer for NUM_processor (int4_to_char,
// int8_to_char); desc.pre grows by V's digits.
// The digits are appended to buf.
func intNumstr(buf []byte, v int64, desc *numDesc, int4 bool) ([]byte, int, byte) {
	switch {
	case desc.is(nfRoman):
		return intToRoman(v), 0, '+'
	case desc.is(nfEEEE):
		if int4 {
			return cSci(float64(v), desc.post), 0, '+'
		}
		s := numericSci(strconv.FormatInt(v, 10), desc.post)
		if s[0] != '-' {
			s = append([]byte{' '}, s...)
		}
		return s, 0, '+'
	}
	if desc.is(nfMulti) {
		mult := int64(math.Pow(10, float64(desc.multi)))
		if int4 {
			v = int64(int32(v) * int32(mult))
		} else {
			v *= mult
		}
		desc.pre += desc.multi
	}
	sign := byte('+')
	u := uint64(v)
	if v < 0 {
		sign, u = '-', -u
	}
	numstr := strconv.AppendUint(buf, u, 10)
	digits := len(numstr)
	if desc.post > 0 {
		numstr = append(numstr, '.')
		for k := 0; k < desc.post; k++ {
			numstr = append(numstr, '0')
		}
	}
	if digits < desc.pre {
		return numstr, desc.pre - digits, sign
	}
	if digits > desc.pre {
		return fillHashes(desc.pre, desc.post), 0, sign
	}
	return numstr, 0, sign
}

// floatNumstr prepares a float (float4_to_char, float8_to_char).
// The digits are appended to buf.
func floatNumstr(buf []byte, v float64, desc *numDesc, float4 bool) ([]byte, int, byte) {
	switch {
	case desc.is(nfRoman):
		// (int) rint(value): x86 gives INT_MIN for what does not fit
		r := math.RoundToEven(v)
		iv := int64(math.MinInt32)
		if !math.IsNaN(r) && r >= math.MinInt32 && r < -float64(math.MinInt32) {
			iv = int64(r)
		}
		return intToRoman(iv), 0, '+'
	case desc.is(nfEEEE):
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b := []byte(strings.Repeat("#", desc.pre+desc.post+6))
			b[0] = ' '
			b[desc.pre+1] = '.'
			return b, 0, '+'
		}
		if float4 {
			// C formats the float4 widened to double
			return cSci(float64(float32(v)), desc.post), 0, '+'
		}
		return cSci(v, desc.post), 0, '+'
	}
	val := v
	if desc.is(nfMulti) {
		if float4 {
			val = float64(float32(v) * float32(math.Pow(10, float64(desc.multi))))
		} else {
			val = v * math.Pow(10, float64(desc.multi))
		}
		desc.pre += desc.multi
	}
	digits := 15
	if float4 {
		digits = 6
	}
	orgnum := len(appendCFixed(buf, math.Abs(val), 0))
	if orgnum >= digits {
		desc.post = 0
	} else if orgnum+desc.post > digits {
		desc.post = digits - orgnum
	}
	sign := byte('+')
	if !math.IsNaN(val) && math.Signbit(val) {
		sign = '-'
	}
	numstr, pre := padDigits(appendCFixed(buf, math.Abs(val), desc.post), desc)
	return numstr, pre, sign
}

// appendCFixed is PostgreSQL's psprintf("%.*f") of a non-negative value,
// whose snprintf spells the non-finite values NaN and Infinity.
func appendCFixed(dst []byte, v float64, prec int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 0):
		return append(dst, "Infinity"...)
	}
	return strconv.AppendFloat(dst, v, 'f', prec, 64)
}

// numericNumstr prepares a numeric (numeric_to_char).
// The digits are appended to buf.
func numericNumstr(buf []byte, c *numeric.Calc, v []byte, desc *numDesc, tmp []byte) ([]byte, int, byte, []byte, error) {
	switch {
	case desc.is(nfRoman):
		r, err := c.Round(tmp[:0], v, 0)
		if err != nil {
			return nil, 0, 0, tmp, err
		}
		iv, err := numeric.ToInt32(r)
		if err != nil {
			return nil, 0, 0, r, err
		}
		return intToRoman(int64(iv)), 0, '+', r, nil
	case desc.is(nfEEEE):
		text := string(numeric.AppendText(nil, v))
		if text == "NaN" || text == "Infinity" || text == "-Infinity" {
			b := []byte(strings.Repeat("#", desc.pre+desc.post+6))
			b[0] = ' '
			b[desc.pre+1] = '.'
			return b, 0, '+', tmp, nil
		}
		s := numericSci(text, desc.post)
		if s[0] != '-' {
			s = append([]byte{' '}, s...)
		}
		return s, 0, '+', tmp, nil
	}
	val := v
	var err error
	if desc.is(nfMulti) {
		p, perr := c.Power(nil, numeric.FromInt64(nil, 10), numeric.FromInt64(nil, int64(desc.multi)))
		if perr != nil {
			return nil, 0, 0, tmp, perr
		}
		if val, err = c.Mul(nil, v, p); err != nil {
			return nil, 0, 0, tmp, err
		}
		desc.pre += desc.multi
	}
	r, err := c.Round(tmp[:0], val, int32(desc.post))
	if err != nil {
		return nil, 0, 0, tmp, err
	}
	s := numeric.AppendText(buf, r)
	sign := byte('+')
	if len(s) > 0 && s[0] == '-' {
		sign = '-'
		s = s[:copy(s, s[1:])]
	}
	numstr, pre := padDigits(s, desc)
	return numstr, pre, sign, r, nil
}

// ---- to_number ----

func (np *numProc) overload() bool { return np.inP >= len(np.in) }

// amount reports whether at least s bytes remain.
func (np *numProc) amount(s int) bool { return np.inP <= len(np.in)-s }

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func (np *numProc) numpartFromChar(id int) {
	n := np.num
	isread := false
	if np.overload() {
		return
	}
	if np.in[np.inP] == ' ' {
		np.inP++
	}
	if np.overload() {
		return
	}
	if np.number[0] == ' ' && (id == num0 || id == num9) && np.readPre+np.readPost == 0 {
		c := np.in[np.inP]
		if n.is(nfLSign) && n.lsign == lsignPre {
			switch {
			case np.amount(1) && c == '-':
				np.inP++
				np.number[0] = '-'
			case np.amount(1) && c == '+':
				np.inP++
				np.number[0] = '+'
			}
		} else {
			switch {
			case c == '-' || n.is(nfBracket) && c == '<':
				np.number[0] = '-'
				np.inP++
			case c == '+':
				np.number[0] = '+'
				np.inP++
			}
		}
	}
	if np.overload() {
		return
	}
	c := np.in[np.inP]
	if isDigitByte(c) {
		if np.readDec && np.readPost == n.post {
			return
		}
		np.number = append(np.number, c)
		if np.readDec {
			np.readPost++
		} else {
			np.readPre++
		}
		isread = true
	} else if n.is(nfDecimal) && !np.readDec {
		if np.amount(1) && c == '.' {
			np.number = append(np.number, '.')
			np.readDec = true
			isread = true
		}
	}
	if np.overload() {
		return
	}
	if np.number[0] == ' ' && np.readPre+np.readPost > 0 {
		if n.is(nfLSign) && isread && np.inP+1 < len(np.in) && !isDigitByte(np.in[np.inP+1]) {
			tmp := np.inP
			np.inP++
			switch {
			case np.amount(1) && np.in[np.inP] == '-':
				np.number[0] = '-'
			case np.amount(1) && np.in[np.inP] == '+':
				np.number[0] = '+'
			}
			if np.number[0] == ' ' {
				np.inP = tmp
			}
		} else if !isread && !n.is(nfLSign) && (n.is(nfPlus) || n.is(nfMinus)) {
			if c := np.in[np.inP]; c == '-' || c == '+' {
				np.number[0] = c
			}
		}
	}
}

func (np *numProc) eatNonData(k int) {
	for ; k > 0; k-- {
		if np.overload() {
			return
		}
		if strings.IndexByte("0123456789.,+-", np.in[np.inP]) >= 0 {
			return
		}
		_, w := utf8.DecodeRune(np.in[np.inP:])
		np.inP += w
	}
}

// numFromChar is NUM_processor for to_number: the number string read
// (sign first, ' ' for none) and the digits after the point.
func numFromChar(nodes []fmtNode, desc *numDesc, in []byte) ([]byte, error) {
	n := desc
	if n.zeroStart > 0 {
		n.zeroStart--
	}
	if n.is(nfEEEE) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, `"EEEE" not supported for input`)
	}
	if n.is(nfRoman) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, `"RN" not supported for input`)
	}
	np := &numProc{num: n, number: []byte{' '}, in: in, lastRelevant: -1}
	for i := range nodes {
		if np.overload() {
			break
		}
		nd := &nodes[i]
		if nd.typ != fnAction {
			_, w := utf8.DecodeRune(np.in[np.inP:])
			np.inP += w
			continue
		}
		switch nd.key.id {
		case num9, num0, numDEC, numD:
			np.numpartFromChar(nd.key.id)
		case numCOMMA, numG:
			if n.is(nfFillMode) || np.in[np.inP] != ',' {
				continue
			}
		case numL:
			np.eatNonData(1)
			continue
		case numTH, numth:
			if n.is(nfDecimal) {
				continue
			}
			np.eatNonData(2)
			continue
		case numMI:
			if np.in[np.inP] == '-' {
				np.number[0] = '-'
			} else {
				np.eatNonData(1)
				continue
			}
		case numPL:
			if np.in[np.inP] == '+' {
				np.number[0] = '+'
			} else {
				np.eatNonData(1)
				continue
			}
		case numSG:
			switch np.in[np.inP] {
			case '-':
				np.number[0] = '-'
			case '+':
				np.number[0] = '+'
			default:
				np.eatNonData(1)
				continue
			}
		default:
			continue
		}
		np.inP++
	}
	if last := len(np.number) - 1; last > 0 && np.number[last] == '.' {
		np.number = np.number[:last]
	}
	n.post = np.readPost
	return np.number, nil
}

func init() {
	registerFunc(&funcDef{
		resolve: signatures("to_number", catalog.TypeNumeric, "TT"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			var c formatCache
			calc := new(numeric.Calc)
			var parsed []byte
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				v := viewsOf(a)
				nulls := combineNulls(mem, b.Len, a...)
				defer nulls.release()
				out := newVarlenBuilder(mem, b.Len, 0)
				rows := selectionCursor{sel: b.Sel}
				for i := 0; i < b.Len; i++ {
					if !rows.selected(i) || nulls.isNull(i) || len(v.str[1].bytes(i)) == 0 {
						out.appendNull()
						continue
					}
					r, err := toNumber(calc, &c, v.str[0].bytes(i), v.str[1].bytes(i), &parsed)
					if err != nil {
						out.finish(t).Release()
						return nil, err
					}
					out.appendBytes(r)
				}
				return out.finish(t), nil
			}}, nil
		},
	}, "to_number")
}

// toNumber is numeric_to_number.
func toNumber(c *numeric.Calc, fc *formatCache, in, f []byte, parsed *[]byte) ([]byte, error) {
	nodes, desc, err := fc.get(f, false)
	if err != nil {
		return nil, err
	}
	numstr, err := numFromChar(nodes, &desc, in)
	if err != nil {
		return nil, err
	}
	scale := desc.post
	precision := desc.pre + desc.multi + scale
	p, err := numeric.Parse((*parsed)[:0], string(numstr))
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type numeric: \"%s\"", string(numstr))
	}
	*parsed = p
	r, err := c.ApplyTypmod(nil, p, int32(precision), int32(scale))
	if err != nil {
		return nil, err
	}
	if desc.is(nfMulti) {
		pw, err := c.Power(nil, numeric.FromInt64(nil, 10), numeric.FromInt64(nil, int64(-desc.multi)))
		if err != nil {
			return nil, err
		}
		if r, err = c.Mul(nil, r, pw); err != nil {
			return nil, err
		}
	}
	return r, nil
}
