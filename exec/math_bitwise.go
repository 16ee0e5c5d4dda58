package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// The bitwise operators of the integer types, registered under their
// pg_proc names (the planner binds & | # << >> and prefix ~ to them, as
// pg_operator does):
//
//	int2and int4and int8and   &     int2shl int4shl int8shl   <<
//	int2or  int4or  int8or    |     int2shr int4shr int8shr   >>
//	int2xor int4xor int8xor   #     int2not int4not int8not   ~
//
// A shift's count is an int4 taken modulo the width the machine shifts
// in (32 bits for int2 and int4, which C promotes int2 to; 64 for int8),
// which is what PostgreSQL's C shifts do on the machines it runs on:
// 1 << 33 is 2 and 1 << -1 is -2147483648. An int2 result keeps the low
// 16 bits.
func init() {
	registerBitwise(catalog.TypeInt2,
		func(a, b int16) (int16, error) { return a & b, nil },
		func(a, b int16) (int16, error) { return a | b, nil },
		func(a, b int16) (int16, error) { return a ^ b, nil },
		func(a int16, n int32) (int16, error) { return int16(int32(a) << (uint32(n) & 31)), nil },
		func(a int16, n int32) (int16, error) { return int16(int32(a) >> (uint32(n) & 31)), nil },
		func(a int16) (int16, error) { return ^a, nil })
	registerBitwise(catalog.TypeInt4,
		func(a, b int32) (int32, error) { return a & b, nil },
		func(a, b int32) (int32, error) { return a | b, nil },
		func(a, b int32) (int32, error) { return a ^ b, nil },
		func(a int32, n int32) (int32, error) { return a << (uint32(n) & 31), nil },
		func(a int32, n int32) (int32, error) { return a >> (uint32(n) & 31), nil },
		func(a int32) (int32, error) { return ^a, nil })
	registerBitwise(catalog.TypeInt8,
		func(a, b int64) (int64, error) { return a & b, nil },
		func(a, b int64) (int64, error) { return a | b, nil },
		func(a, b int64) (int64, error) { return a ^ b, nil },
		func(a int64, n int32) (int64, error) { return a << (uint32(n) & 63), nil },
		func(a int64, n int32) (int64, error) { return a >> (uint32(n) & 63), nil },
		func(a int64) (int64, error) { return ^a, nil })
}

// registerBitwise registers the six bitwise functions of the integer
// type t, whose values are T.
func registerBitwise[T int16 | int32 | int64](t catalog.Type, and, or, xor func(a, b T) (T, error), shl, shr func(a T, n int32) (T, error), not func(a T) (T, error)) {
	prefix := map[catalog.Kind]string{catalog.Int2: "int2", catalog.Int4: "int4", catalog.Int8: "int8"}[t.Kind]
	binary := func(name string, second catalog.Type, kernel func(memory.Allocator, []arrow.Array, *Batch) (arrow.Array, error)) {
		registerFunc(&funcDef{
			resolve: fixedArgs(2, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
				if !intFitsIn(ts[0], t) || !intFitsIn(ts[1], second) {
					return catalog.Type{}, nil, errNoFunction(name, ts)
				}
				return t, []catalog.Type{t, second}, nil
			}, name),
			build: func(args []Expr, _ catalog.Type) (Expr, error) {
				return &funcExpr{args: args, t: t, kernel: kernel}, nil
			},
		}, name)
	}
	binary(prefix+"and", t, zipKernel(t, and))
	binary(prefix+"or", t, zipKernel(t, or))
	binary(prefix+"xor", t, zipKernel(t, xor))
	binary(prefix+"shl", catalog.TypeInt4, zipKernel(t, shl))
	binary(prefix+"shr", catalog.TypeInt4, zipKernel(t, shr))
	name := prefix + "not"
	negate := mapFixed(t, t, not)
	registerFunc(&funcDef{
		resolve: fixedArgs(1, func(ts []catalog.Type) (catalog.Type, []catalog.Type, error) {
			if !intFitsIn(ts[0], t) {
				return catalog.Type{}, nil, errNoFunction(name, ts)
			}
			return t, []catalog.Type{t}, nil
		}, name),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				return negate(mem, a[0], b)
			}}, nil
		},
	}, name)
}

// intFitsIn reports whether a value of type from converts implicitly to
// the integer type to: a narrower or equal integer, or an unknown literal.
func intFitsIn(from, to catalog.Type) bool {
	width := map[catalog.Kind]int{catalog.Int2: 2, catalog.Int4: 4, catalog.Int8: 8}
	if from.Kind == catalog.Unknown {
		return true
	}
	w, ok := width[from.Kind]
	return ok && w <= width[to.Kind]
}
