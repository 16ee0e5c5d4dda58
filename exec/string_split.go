package exec

import (
	"bytes"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// string_to_array(s, delimiter [, null_string]) and string_to_table(...)
// split s as PostgreSQL's split_text does: at each occurrence of the
// delimiter, into characters when the delimiter is NULL, not at all when
// it is empty; an empty string has no pieces, and a piece equal to a
// non-NULL null_string is NULL. Neither is strict: a NULL string is a
// NULL array or an empty set. string_to_array is registered with the
// array functions (array_funcs.go).

// stringParts walks the pieces of one string.
type stringParts struct {
	s, delim []byte
	byChar   bool
	done     bool
}

func newStringParts(s, delim []byte, delimNull bool) stringParts {
	return stringParts{s: s, delim: delim, byChar: delimNull, done: len(s) == 0}
}

// next returns the next piece; false after the last.
func (p *stringParts) next() ([]byte, bool) {
	if p.done {
		return nil, false
	}
	var piece []byte
	switch {
	case p.byChar:
		_, w := utf8.DecodeRune(p.s)
		piece, p.s = p.s[:w], p.s[w:]
		p.done = len(p.s) == 0
	case len(p.delim) == 0:
		piece, p.done = p.s, true
	default:
		k := bytes.Index(p.s, p.delim)
		if k < 0 {
			piece, p.done = p.s, true
		} else {
			piece, p.s = p.s[:k], p.s[k+len(p.delim):]
		}
	}
	return piece, true
}

// stringSplitArgs reads the arguments of a batch.
type stringSplitArgs struct {
	s, delim, nullStr varlenView
	hasNullStr        bool
}

func stringSplitArgsOf(a []arrow.Array) stringSplitArgs {
	sa := stringSplitArgs{s: varlenViewOf(a[0]), delim: varlenViewOf(a[1]), hasNullStr: len(a) > 2}
	if sa.hasNullStr {
		sa.nullStr = varlenViewOf(a[2])
	}
	return sa
}

// parts walks row i's pieces (s must not be NULL there).
func (sa *stringSplitArgs) parts(i int) stringParts {
	return newStringParts(sa.s.bytes(i), sa.delim.bytes(i), !sa.delim.valid(i))
}

// isNull reports whether piece stands for NULL in row i.
func (sa *stringSplitArgs) isNull(i int, piece []byte) bool {
	return sa.hasNullStr && sa.nullStr.valid(i) && bytes.Equal(piece, sa.nullStr.bytes(i))
}

// stringToArray is string_to_array's kernel.
func stringToArray(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
	sa := stringSplitArgsOf(a)
	out := newTextArrayBuilder(mem, b.Len)
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !sa.s.valid(i) {
			out.appendNull()
			continue
		}
		for p := sa.parts(i); ; {
			piece, ok := p.next()
			if !ok {
				break
			}
			out.appendElem(piece, !sa.isNull(i, piece))
		}
		out.endRow()
	}
	return out.finish(), nil
}

func init() {
	resolve := signatures("string_to_table", catalog.TypeText, "TT", "TTT")
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			_, want, err := resolve(ts, nil)
			return want, []catalog.Type{catalog.TypeText}, err
		},
		build: func(_ []Expr, result []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			return func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
				sa := stringSplitArgsOf(args)
				sb := newSetBuilder(ctx.Mem, result, b.Len)
				for _, i := range rowsOf(b) {
					if !sa.s.valid(int(i)) {
						continue
					}
					n := int32(0)
					for p := sa.parts(int(i)); ; n++ {
						piece, ok := p.next()
						if !ok {
							break
						}
						appendMaybe(sb.cols[0], piece, !sa.isNull(int(i), piece))
					}
					sb.row(i, n)
				}
				return sb.finish(), nil
			}
		},
	}, "string_to_table")
}
