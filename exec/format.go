package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// format(fmt, args...), quote_ident, quote_literal and quote_nullable, as
// PostgreSQL's varlena.c and quote.c define them.
//
// format prints each argument with its type's output function (booleans
// as t/f, char(n) padded), which for every other type is what a cast to
// text prints: build casts those arguments to text, so the kernel reads
// only strings and booleans. Conversions are %s, %I (quote_ident) and
// %L (quote_nullable), with an optional position n$, a - flag and a
// width (a number, * for the next argument, or *n$); %% is a percent
// sign. A NULL format gives NULL; NULL arguments print as nothing (%s),
// NULL (%L) or fail (%I).

// appendQuotedIdent is quote_identifier: the name as it is when it is a
// lower-case identifier that is not a keyword PostgreSQL reserves in any
// way, else in double quotes with embedded quotes doubled.
// QuoteIdent is quote_ident(s), for callers outside exec that print
// names as PostgreSQL does.
func QuoteIdent(s string) string { return string(appendQuotedIdent(nil, []byte(s))) }

func appendQuotedIdent(dst, s []byte) []byte {
	safe := len(s) > 0 && (s[0] >= 'a' && s[0] <= 'z' || s[0] == '_')
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			safe = false
			break
		}
	}
	if safe && quotedKeywords[bytesAsString(s)] {
		safe = false
	}
	if safe {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for _, c := range s {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// appendQuotedLiteral is quote_literal_cstr: single quotes, quotes and
// backslashes doubled, and an E prefix when there is a backslash.
func appendQuotedLiteral(dst, s []byte) []byte {
	for _, c := range s {
		if c == '\\' {
			dst = append(dst, 'E')
			break
		}
	}
	dst = append(dst, '\'')
	for _, c := range s {
		if c == '\'' || c == '\\' {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, '\'')
}

// fmtArg is one argument of format as the kernel reads it.
type fmtArg struct {
	isBool bool
	pad    int // char(n): the declared length to pad to
	str    varlenView
	b      boolView
}

func (a *fmtArg) valid(i int) bool {
	if a.isBool {
		return a.b.valid(i)
	}
	return a.str.valid(i)
}

// appendText appends the output function's text of row i.
func (a *fmtArg) appendText(dst []byte, i int) []byte {
	if a.isBool {
		if a.b.value(i) {
			return append(dst, 't')
		}
		return append(dst, 'f')
	}
	s := a.str.bytes(i)
	dst = append(dst, s...)
	if a.pad > 0 {
		for k := charCount(s); k < a.pad; k++ {
			dst = append(dst, ' ')
		}
	}
	return dst
}

func errFormat(msg string, hint bool) error {
	e := pgerr.New(pgerr.InvalidParameterValue, "%s", msg)
	if hint {
		e.Hint = `For a single "%" use "%%".`
	}
	return e
}

func errUnterminatedFormat() error { return errFormat("unterminated format() type specifier", true) }

// parseFormatDigits reads a decimal number at f[*p:]; found is false when
// there is none. Running off the end is an unterminated specifier.
func parseFormatDigits(f []byte, p *int) (n int32, found bool, err error) {
	for *p < len(f) && f[*p] >= '0' && f[*p] <= '9' {
		d := int32(f[*p] - '0')
		if n > (math.MaxInt32-d)/10 {
			return 0, false, pgerr.New(pgerr.NumericValueOutOfRange, "number is out of range")
		}
		n = n*10 + d
		found = true
		*p++
		if *p >= len(f) {
			return 0, false, errUnterminatedFormat()
		}
	}
	return n, found, nil
}

// formatSpec is a parsed %[argpos$][-][width|*[n$]]type.
type formatSpec struct {
	argpos, widthpos int32 // -1: not given; widthpos 0: the next argument
	minus            bool
	width            int32
}

func parseFormatSpec(f []byte, p *int) (formatSpec, error) {
	s := formatSpec{argpos: -1, widthpos: -1}
	advance := func() error {
		*p++
		if *p >= len(f) {
			return errUnterminatedFormat()
		}
		return nil
	}
	n, found, err := parseFormatDigits(f, p)
	if err != nil {
		return s, err
	}
	if found {
		if f[*p] != '$' {
			s.width = n
			return s, nil
		}
		if n == 0 {
			return s, errFormat("format specifies argument 0, but arguments are numbered from 1", false)
		}
		s.argpos = n
		if err := advance(); err != nil {
			return s, err
		}
	}
	for f[*p] == '-' {
		s.minus = true
		if err := advance(); err != nil {
			return s, err
		}
	}
	if f[*p] == '*' {
		if err := advance(); err != nil {
			return s, err
		}
		n, found, err := parseFormatDigits(f, p)
		if err != nil {
			return s, err
		}
		if found {
			if f[*p] != '$' {
				return s, errFormat(`width argument position must be ended by "$"`, false)
			}
			if n == 0 {
				return s, errFormat("format specifies argument 0, but arguments are numbered from 1", false)
			}
			s.widthpos = n
			if err := advance(); err != nil {
				return s, err
			}
		} else {
			s.widthpos = 0
		}
		return s, nil
	}
	n, found, err = parseFormatDigits(f, p)
	if err != nil {
		return s, err
	}
	if found {
		s.width = n
	}
	return s, nil
}

// appendPadded appends s justified in width characters.
func appendPadded(dst, s []byte, left bool, width int32) ([]byte, error) {
	if width == 0 {
		return append(dst, s...), nil
	}
	if width < 0 {
		if width == math.MinInt32 {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "number is out of range")
		}
		left, width = true, -width
	}
	pad := int(width) - charCount(s)
	if left {
		dst = append(dst, s...)
	}
	for ; pad > 0; pad-- {
		dst = append(dst, ' ')
	}
	if !left {
		dst = append(dst, s...)
	}
	return dst, nil
}

// formatter formats one row; scratch buffers are reused.
type formatter struct {
	args     []fmtArg // args[0] is the format string
	val, tmp []byte
}

func (fm *formatter) appendFormatted(dst []byte, row int) ([]byte, error) {
	f := fm.args[0].str.bytes(row)
	nargs := len(fm.args)
	arg := 1
	for p := 0; p < len(f); p++ {
		if f[p] != '%' {
			dst = append(dst, f[p])
			continue
		}
		p++
		if p >= len(f) {
			return nil, errUnterminatedFormat()
		}
		if f[p] == '%' {
			dst = append(dst, '%')
			continue
		}
		spec, err := parseFormatSpec(f, &p)
		if err != nil {
			return nil, err
		}
		conv := f[p]
		if conv != 's' && conv != 'I' && conv != 'L' {
			return nil, errFormat(`unrecognized format() type specifier "`+firstChar(f[p:])+`"`, true)
		}
		width := spec.width
		if spec.widthpos >= 0 {
			if spec.widthpos > 0 {
				arg = int(spec.widthpos)
			}
			if arg >= nargs {
				return nil, errFormat("too few arguments for format()", false)
			}
			a := &fm.args[arg]
			arg++
			width = 0
			if a.valid(row) {
				fm.tmp = a.appendText(fm.tmp[:0], row)
				w, err := parseInt4(fm.tmp)
				if err != nil {
					return nil, err
				}
				width = w
			}
			if width < 0 {
				if width == math.MinInt32 {
					return nil, pgerr.New(pgerr.NumericValueOutOfRange, "number is out of range")
				}
				spec.minus, width = true, -width
			}
		}
		if spec.argpos > 0 {
			arg = int(spec.argpos)
		}
		if arg >= nargs {
			return nil, errFormat("too few arguments for format()", false)
		}
		a := &fm.args[arg]
		arg++
		if !a.valid(row) {
			switch conv {
			case 's':
				dst, err = appendPadded(dst, nil, spec.minus, width)
			case 'L':
				dst, err = appendPadded(dst, []byte("NULL"), spec.minus, width)
			default:
				err = pgerr.New(pgerr.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		fm.val = a.appendText(fm.val[:0], row)
		s := fm.val
		switch conv {
		case 'I':
			fm.tmp = appendQuotedIdent(fm.tmp[:0], s)
			s = fm.tmp
		case 'L':
			fm.tmp = appendQuotedLiteral(fm.tmp[:0], s)
			s = fm.tmp
		}
		if dst, err = appendPadded(dst, s, spec.minus, width); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// parseInt4 is pg_strtoint32 on the text of a width argument.
func parseInt4(s []byte) (int32, error) {
	d, err := catalog.ParseText(catalog.TypeInt4, string(s))
	if err != nil {
		return 0, err
	}
	return d.(int32), nil
}

func newFormatExpr(args []Expr) (Expr, error) {
	pads := make([]int, len(args))
	for i, a := range args {
		t := a.Type()
		switch {
		case t.Kind == catalog.Bool:
		case t.Kind == catalog.Bpchar:
			pads[i] = int(max(t.Length(), 0))
		case t.IsString():
		default:
			var err error
			if args[i], err = Cast(a, catalog.TypeText); err != nil {
				return nil, err
			}
		}
	}
	fm := &formatter{args: make([]fmtArg, len(args))}
	return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		for i, a := range arrs {
			fa := &fm.args[i]
			fa.pad = pads[i]
			fa.isBool = a.DataType().ID() == arrow.BOOL
			if fa.isBool {
				fa.b = boolViewOf(a)
			} else {
				fa.str = varlenViewOf(a)
			}
		}
		out := newVarlenBuilder(mem, b.Len, 0)
		rows := selectionCursor{sel: b.Sel}
		var scratch []byte
		for i := 0; i < b.Len; i++ {
			if !rows.selected(i) || !fm.args[0].valid(i) {
				out.appendNull()
				continue
			}
			var err error
			scratch, err = fm.appendFormatted(scratch[:0], i)
			if err != nil {
				out.finish(catalog.TypeText).Release()
				return nil, err
			}
			out.appendBytes(scratch)
		}
		return out.finish(catalog.TypeText), nil
	}}, nil
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 0 || !types[0].IsString() && types[0].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("format", types)
			}
			want := make([]catalog.Type, len(types))
			want[0] = catalog.TypeText
			for i, t := range types[1:] {
				want[i+1] = t
				if t.Kind == catalog.Unknown {
					want[i+1] = catalog.TypeText
				}
			}
			return catalog.TypeText, want, nil
		},
		build:     func(args []Expr, _ catalog.Type) (Expr, error) { return newFormatExpr(args) },
		nonStrict: true,
	}, "format")
	registerFunc(&funcDef{
		resolve: signatures("quote_ident", catalog.TypeText, "T"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendQuotedIdent(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "quote_ident")
	// quote_literal(anyelement) and quote_nullable(anyelement) quote the
	// value cast to text.
	anyToText := func(name string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
		return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 1 {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
			return catalog.TypeText, []catalog.Type{catalog.TypeText}, nil
		}
	}
	registerFunc(&funcDef{
		resolve: anyToText("quote_literal"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendQuotedLiteral(dst, v.str[0].bytes(i)), nil
			}), nil
		},
	}, "quote_literal")
	registerFunc(&funcDef{
		resolve: anyToText("quote_nullable"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: catalog.TypeText, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				v := varlenViewOf(a[0])
				out := newVarlenBuilder(mem, b.Len, 0)
				rows := selectionCursor{sel: b.Sel}
				var scratch []byte
				for i := 0; i < b.Len; i++ {
					switch {
					case !rows.selected(i):
						out.appendNull()
					case !v.valid(i):
						out.appendString("NULL")
					default:
						scratch = appendQuotedLiteral(scratch[:0], v.bytes(i))
						out.appendBytes(scratch)
					}
				}
				return out.finish(catalog.TypeText), nil
			}}, nil
		},
		nonStrict: true,
	}, "quote_nullable")
}
