package exec

import (
	crand "crypto/rand"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// random(), setseed() and gen_random_uuid(). random() is PostgreSQL 15's:
// the xoroshiro128** generator of pg_prng.c, whose doubles take the top
// 52 bits, seeded by setseed(x) as pg_prng_fseed does, so a session that
// calls setseed(0.5) then gets the same numbers as on PostgreSQL. Each
// session has its own generator (Context.Random); an unseeded one starts
// from a strong random seed. All three are volatile: never folded, and
// evaluated once per row, in row order.

// PRNG is the state of random(). It is safe for concurrent use.
type PRNG struct {
	mu     sync.Mutex
	s0, s1 uint64
	seeded bool
}

var globalPRNG PRNG

func splitmix64(s *uint64) uint64 {
	*s += 0x9E3779B97f4A7C15
	v := *s
	v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9
	v = (v ^ (v >> 27)) * 0x94D049BB133111EB
	return v ^ (v >> 31)
}

// seed is pg_prng_seed.
func (p *PRNG) seed(seed uint64) {
	p.s0 = splitmix64(&seed)
	p.s1 = splitmix64(&seed)
	if p.s0 == 0 && p.s1 == 0 {
		p.s0, p.s1 = 0x5851F42D4C957F2D, 0x14057B7EF767814F
	}
	p.seeded = true
}

// SetSeed is setseed(x) (pg_prng_fseed): x must be in [-1, 1].
func (p *PRNG) SetSeed(x float64) error {
	if x < -1 || x > 1 || math.IsNaN(x) {
		return pgerr.New(pgerr.InvalidParameterValue, "setseed parameter %s is out of allowed range [-1,1]", printfG(x))
	}
	p.mu.Lock()
	p.seed(uint64(int64(float64(uint64(1)<<52-1) * x)))
	p.mu.Unlock()
	return nil
}

func (p *PRNG) next() uint64 {
	if !p.seeded {
		var b [8]byte
		_, _ = crand.Read(b[:])
		p.seed(binary.LittleEndian.Uint64(b[:]))
	}
	s0 := p.s0
	sx := p.s1 ^ s0
	v := bits.RotateLeft64(s0*5, 7) * 9
	p.s0 = bits.RotateLeft64(s0, 24) ^ sx ^ (sx << 16)
	p.s1 = bits.RotateLeft64(sx, 37)
	return v
}

// fill sets dst[i] to the next random double in [0, 1) for each row.
func (p *PRNG) fill(dst []float64, rows []int32) {
	p.mu.Lock()
	for _, i := range rows {
		dst[i] = math.Ldexp(float64(p.next()>>(64-52)), -52)
	}
	p.mu.Unlock()
}

func prngOf(ctx *Context) *PRNG {
	if ctx.Random != nil {
		return ctx.Random
	}
	return &globalPRNG
}

// printfG prints v as C's printf("%g") does in PostgreSQL (which spells
// the non-finite values NaN, Infinity and -Infinity).
func printfG(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	// Go's %g with a precision drops trailing zeros and writes two
	// exponent digits, as C's does.
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// randomExpr is random(): a new value for every active row.
type randomExpr struct{}

func (randomExpr) Type() catalog.Type { return catalog.TypeFloat8 }

func (randomExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	out := newFixedBuilder[float64](ctx.Mem, b.Len)
	prngOf(ctx).fill(out.vals, rowsOf(b))
	return out.finish(catalog.TypeFloat8), nil
}

// uuidExpr is gen_random_uuid(): a version 4 UUID for every active row.
type uuidExpr struct{}

func (uuidExpr) Type() catalog.Type { return catalog.TypeUUID }

func (uuidExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	out := newFixedBuilder[[16]byte](ctx.Mem, b.Len)
	if b.Len == 0 {
		return out.finish(catalog.TypeUUID), nil
	}
	// Like PostgreSQL, from the strong random source, not random()'s
	// generator: setseed does not make UUIDs predictable.
	if _, err := crand.Read(unsafe.Slice(&out.vals[0][0], 16*b.Len)); err != nil {
		out.finish(catalog.TypeUUID).Release()
		return nil, pgerr.New(pgerr.InternalError, "could not generate random values")
	}
	for _, i := range rowsOf(b) {
		out.vals[i][6] = out.vals[i][6]&0x0f | 0x40 // version 4
		out.vals[i][8] = out.vals[i][8]&0x3f | 0x80 // RFC 4122 variant
	}
	return out.finish(catalog.TypeUUID), nil
}

// setseedExpr is setseed(x): seeds the session's generator, once per row
// like any volatile call, and returns void.
type setseedExpr struct{ arg Expr }

func (*setseedExpr) Type() catalog.Type { return catalog.TypeVoid }

func (e *setseedExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := e.arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	vals, valid := fixedValues[float64](x), validityOf(x)
	out := newVarlenBuilder(ctx.Mem, b.Len, 0)
	rows := selectionCursor{sel: b.Sel}
	p := prngOf(ctx)
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !valid.valid(i) {
			out.appendNull()
			continue
		}
		if err := p.SetSeed(vals[i]); err != nil {
			out.finish(catalog.TypeVoid).Release()
			return nil, err
		}
		out.appendBytes(nil)
	}
	return out.finish(catalog.TypeVoid), nil
}

func init() {
	noArgs := func(name string, t catalog.Type) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
		return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 0 {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
			return t, nil, nil
		}
	}
	registerFunc(&funcDef{
		resolve:    noArgs("random", catalog.TypeFloat8),
		build:      func(_ []Expr, _ catalog.Type) (Expr, error) { return randomExpr{}, nil },
		volatility: Volatile,
	}, "random")
	registerFunc(&funcDef{
		resolve:    noArgs("gen_random_uuid", catalog.TypeUUID),
		build:      func(_ []Expr, _ catalog.Type) (Expr, error) { return uuidExpr{}, nil },
		volatility: Volatile,
	}, "gen_random_uuid")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if _, _, err := float8Resolver("setseed", 1)(types, args); err != nil {
				return catalog.Type{}, nil, err
			}
			return catalog.TypeVoid, []catalog.Type{catalog.TypeFloat8}, nil
		},
		build:      func(args []Expr, _ catalog.Type) (Expr, error) { return &setseedExpr{arg: args[0]}, nil },
		volatility: Volatile,
	}, "setseed")
}
