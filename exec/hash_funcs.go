package exec

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"

	"github.com/pqdb/pqdb/catalog"
)

// Hash functions: md5 of text or bytea (a hex text), and sha224, sha256,
// sha384 and sha512 of bytea (bytea), as PostgreSQL's. An untyped literal
// reads as text for md5 (text is the preferred string type) and as bytea
// for the sha functions (they have no other overload).

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 1 {
				switch {
				case types[0].Kind == catalog.Bytea:
					return catalog.TypeText, []catalog.Type{catalog.TypeBytea}, nil
				case types[0].IsString() || types[0].Kind == catalog.Unknown:
					return catalog.TypeText, []catalog.Type{catalog.TypeText}, nil
				}
			}
			return catalog.Type{}, nil, errNoFunction("md5", types)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return textFunc(args, func(dst []byte, v argViews, i int) ([]byte, error) {
				sum := md5.Sum(v.str[0].bytes(i))
				return hex.AppendEncode(dst, sum[:]), nil
			}), nil
		},
	}, "md5")
	sha := func(name string, h func() hash.Hash) {
		registerFunc(&funcDef{
			resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
				if len(types) != 1 || types[0].Kind != catalog.Bytea && types[0].Kind != catalog.Unknown {
					return catalog.Type{}, nil, errNoFunction(name, types)
				}
				return catalog.TypeBytea, []catalog.Type{catalog.TypeBytea}, nil
			},
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				d := h()
				return varlenFunc(args, catalog.TypeBytea, func(dst []byte, v argViews, i int) ([]byte, error) {
					d.Reset()
					d.Write(v.str[0].bytes(i))
					return d.Sum(dst), nil
				}), nil
			},
		}, name)
	}
	sha("sha224", sha256.New224)
	sha("sha256", sha256.New)
	sha("sha384", sha512.New384)
	sha("sha512", sha512.New)
}
