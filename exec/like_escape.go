package exec

import (
	"unicode/utf8"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// x LIKE p ESCAPE e arrives from the parser as x ~~ like_escape(p, e):
// like_escape rewrites p so that e escapes as backslash does, which is
// the only escape LIKE's matcher knows. An empty e turns escaping off
// (every backslash becomes a literal one). As PostgreSQL's like_escape.
func init() {
	registerFunc(&funcDef{
		resolve: signatures("like_escape", catalog.TypeText, "TT"),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				return appendLikeEscape(dst, v.str[0].bytes(i), v.str[1].bytes(i))
			}), nil
		},
	}, "like_escape")
}

func appendLikeEscape(dst, pattern, esc []byte) ([]byte, error) {
	if len(esc) == 0 {
		for _, c := range pattern {
			if c == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
		return dst, nil
	}
	e, n := utf8.DecodeRune(esc)
	if n != len(esc) {
		err := pgerr.New(pgerr.InvalidEscapeSequence, "invalid escape string")
		err.Hint = "Escape string must be empty or one character."
		return nil, err
	}
	if e == '\\' {
		return append(dst, pattern...), nil
	}
	afterEscape := false
	for len(pattern) > 0 {
		r, size := utf8.DecodeRune(pattern)
		switch {
		case r == e && !afterEscape:
			dst = append(dst, '\\')
			afterEscape = true
		case r == '\\':
			dst = append(dst, '\\')
			if !afterEscape {
				dst = append(dst, '\\')
			}
			afterEscape = false
		default:
			dst = append(dst, pattern[:size]...)
			afterEscape = false
		}
		pattern = pattern[size:]
	}
	return dst, nil
}
