package exec

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Scalar functions are registered by name, one family per file (math.go,
// strings.go, datetime.go, ...), like rows of pg_proc: a resolver that
// picks the overload for the argument types (returning the types the
// planner must cast the arguments to, and the result type), and a
// builder that makes the expression for arguments of exactly those
// types.

type funcDef struct {
	// resolve picks the overload. args are the Exprs when known (Func),
	// nil when only types are known (FuncResultType): some result types
	// depend on constant arguments, e.g. the scale of round(x, 2).
	resolve func(types []catalog.Type, args []Expr) (result catalog.Type, want []catalog.Type, err error)
	build   func(args []Expr, result catalog.Type) (Expr, error)
	// volatility is pg_proc's provolatile for the planner (FuncVolatility).
	volatility Volatility
	// nonStrict marks a function that may return a value for a NULL
	// argument (pg_proc.proisstrict = false): concat, format, ...
	nonStrict bool
	// params names the parameters for named notation (f(a => 1)), and
	// defaults gives the trailing parameters' default values (nil: none).
	params   []string
	defaults []FuncDefault
}

// FuncDefault is the default value of a trailing parameter.
type FuncDefault struct {
	Value catalog.Datum
	Type  catalog.Type
}

// Volatility says whether a function's value may change between calls
// with the same arguments, as pg_proc.provolatile does.
type Volatility uint8

const (
	// Immutable functions depend only on their arguments: a call with
	// constant arguments is folded when the statement is planned.
	Immutable Volatility = iota
	// Stable functions return one value for every call within a statement
	// (now(), current_date): never folded at plan time (a plan may run
	// later, a prepared one many times), but two calls in one statement
	// may share a value, so they can be moved, duplicated and memoized.
	Stable
	// Volatile functions may return a new value on every call (random(),
	// clock_timestamp(), pg_sleep()): never folded, run once per row
	// where they are written, never duplicated, memoized or reordered
	// past other rows.
	Volatile
)

// FuncVolatility reports the volatility of the scalar function name
// (Immutable for names that are not registered).
func FuncVolatility(name string) Volatility {
	if def, ok := lookupFunc(name); ok {
		return def.volatility
	}
	return Immutable
}

// FuncExists reports whether name is a registered scalar function.
func FuncExists(name string) bool {
	_, ok := lookupFunc(name)
	return ok
}

// FuncVolatile reports whether the scalar function name is Volatile.
func FuncVolatile(name string) bool { return FuncVolatility(name) == Volatile }

// FuncStrict reports whether the scalar function name returns NULL
// whenever any argument is NULL (true for names that are not registered).
func FuncStrict(name string) bool {
	if def, ok := lookupFunc(name); ok {
		return !def.nonStrict
	}
	return true
}

// FuncParams returns the parameter names of the scalar function name, for
// calls in named notation, and the default values of its trailing
// parameters (a call may leave those out).
func FuncParams(name string) (names []string, defaults []FuncDefault) {
	if def, ok := lookupFunc(name); ok {
		return def.params, def.defaults
	}
	return nil, nil
}

var funcRegistry = map[string]*funcDef{}

func registerFunc(def *funcDef, names ...string) {
	for _, n := range names {
		if _, dup := funcRegistry[n]; dup {
			panic("exec: function " + n + " registered twice")
		}
	}
	for _, n := range names {
		funcRegistry[n] = def
	}
}

// callSignature is name(type, ...) as PostgreSQL's errors print a call.
func callSignature(name string, types []catalog.Type) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = t.String()
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func errNoFunction(name string, types []catalog.Type) error {
	e := pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", callSignature(name, types))
	e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
	return e
}

func lookupFunc(name string) (*funcDef, bool) {
	def, ok := funcRegistry[strings.ToLower(name)]
	return def, ok
}

// FuncResultType resolves a call of the scalar function name: it returns
// the result type and the argument types the planner must cast to, or
// 42883 when no overload matches. Where the result type depends on a
// constant argument (extract's field, round's digits), the type of the
// expression Func builds is authoritative.
func FuncResultType(name string, argTypes []catalog.Type) (catalog.Type, []catalog.Type, error) {
	def, ok := lookupFunc(name)
	if !ok {
		return catalog.Type{}, nil, errNoFunction(name, argTypes)
	}
	return def.resolve(argTypes, nil)
}

// Func builds a call of the scalar function name. Arguments whose type
// differs from the resolved overload's are cast first.
func Func(name string, args []Expr) (Expr, error) {
	def, ok := lookupFunc(name)
	types := typesOf(args)
	if !ok {
		return nil, errNoFunction(name, types)
	}
	result, want, err := def.resolve(types, args)
	if err != nil {
		return nil, err
	}
	cast := make([]Expr, len(args))
	for i, a := range args {
		cast[i] = a
		if i < len(want) && want[i] != a.Type() {
			if cast[i], err = Cast(a, want[i]); err != nil {
				return nil, err
			}
		}
	}
	return def.build(cast, result)
}

// funcExpr evaluates its arguments and hands them to a kernel.
type funcExpr struct {
	args   []Expr
	t      catalog.Type
	kernel func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error)
}

func (f *funcExpr) Type() catalog.Type { return f.t }

func (f *funcExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	args, err := evalAll(ctx, f.args, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	return f.kernel(ctx.Mem, args, b)
}

// ---- overload resolution ----

// numericRank orders the number types for PostgreSQL's implicit widening.
func numericRank(k catalog.Kind) int {
	switch k {
	case catalog.Int2:
		return 1
	case catalog.Int4:
		return 2
	case catalog.Int8:
		return 3
	case catalog.Numeric:
		return 4
	case catalog.Float4:
		return 5
	case catalog.Float8:
		return 6
	}
	return 0
}

// commonType is the type a set of values unify to (CASE, greatest,
// least): numbers widen, strings become text, otherwise all must agree.
func commonType(types []catalog.Type) (catalog.Type, bool) {
	var out catalog.Type
	first := true
	for _, t := range types {
		if t.Kind == catalog.Unknown {
			continue
		}
		if first {
			out, first = t, false
			continue
		}
		switch {
		case out == t:
		case out.IsNumeric() && t.IsNumeric():
			if numericRank(t.Kind) > numericRank(out.Kind) {
				out = t
			}
			if out.IsVarNumeric() || t.IsVarNumeric() {
				if out.Kind == catalog.Numeric {
					out = catalog.TypeNumeric
				}
			} else if out.Kind == catalog.Numeric {
				s := max(out.Scale, t.Scale)
				if t.Kind != catalog.Numeric {
					s = out.Scale
				}
				out = catalog.UnconstrainedNumeric(s)
			}
		case out.IsString() && t.IsString():
			out = catalog.TypeText
		case out.Kind == t.Kind:
			// same kind, different modifier
		case isTimestampKind(out.Kind) && t.Kind == catalog.Date, out.Kind == catalog.Date && isTimestampKind(t.Kind):
			if out.Kind == catalog.Date {
				out = t
			}
		default:
			return catalog.Type{}, false
		}
	}
	if first {
		return catalog.TypeText, true
	}
	if out.Kind == catalog.Numeric && out.Typmod >= 0 {
		out = catalog.UnconstrainedNumeric(out.Scale)
	}
	return out, true
}

func repeatType(t catalog.Type, n int) []catalog.Type {
	out := make([]catalog.Type, n)
	for i := range out {
		out[i] = t
	}
	return out
}

// literalInt returns the value of a constant integer argument.
func literalInt(e Expr) (int64, bool) {
	if e == nil {
		return 0, false
	}
	v, ok := literalValue(e)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

// literalString returns the value of a constant text argument.
func literalString(e Expr) (string, bool) {
	if e == nil {
		return "", false
	}
	v, ok := literalValue(e)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 0 {
				return catalog.Type{}, nil, errNoFunction("greatest", types)
			}
			t, ok := commonType(types)
			if !ok {
				return catalog.Type{}, nil, errNoFunction("greatest", types)
			}
			return t, repeatType(t, len(types)), nil
		},
		build:     func(args []Expr, t catalog.Type) (Expr, error) { return newExtremum(args, t, true) },
		nonStrict: true,
	}, "greatest")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 0 {
				return catalog.Type{}, nil, errNoFunction("least", types)
			}
			t, ok := commonType(types)
			if !ok {
				return catalog.Type{}, nil, errNoFunction("least", types)
			}
			return t, repeatType(t, len(types)), nil
		},
		build:     func(args []Expr, t catalog.Type) (Expr, error) { return newExtremum(args, t, false) },
		nonStrict: true,
	}, "least")
}

// newExtremum is GREATEST/LEAST: NULL arguments are ignored; the result
// is NULL only when all are. It folds pairwise with a comparison and a
// choice, each vectorized.
func newExtremum(args []Expr, t catalog.Type, greatest bool) (Expr, error) {
	op := OpGt
	if !greatest {
		op = OpLt
	}
	cmp, err := compareKernel(op, t, t)
	if err != nil {
		return nil, err
	}
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, arrs []arrow.Array, b *Batch) (arrow.Array, error) {
		cur := arrs[0]
		cur.Retain()
		for _, next := range arrs[1:] {
			c, err := cmp(mem, next, cur, b)
			if err != nil {
				cur.Release()
				return nil, err
			}
			cv, nv, uv := boolViewOf(c), validityOf(next), validityOf(cur)
			pick := repeated[int16](b.Len, -1)
			for _, i := range rowsOf(b) {
				switch {
				case !nv.valid(int(i)):
					if uv.valid(int(i)) {
						pick[i] = 0
					}
				case !uv.valid(int(i)) || cv.value(int(i)):
					pick[i] = 1
				default:
					pick[i] = 0
				}
			}
			merged := choose(mem, t, []arrow.Array{cur, next}, pick)
			c.Release()
			cur.Release()
			cur = merged
		}
		return cur, nil
	}}, nil
}

// signatures resolves a function with fixed signatures, one letter per
// argument: 'I' int4 (int2 or int4 given), 'F' float8 (any number), 'T'
// text (any string), 'S' timestamp (or date), 'Z' timestamptz, 'D' date,
// 'V' interval, 'B' boolean, 'J' jsonb, 'j' json, 'A' text[] (an array of
// any string type); an unknown literal takes the letter's type. The first
// signature that fits wins.
func signatures(name string, result catalog.Type, sigs ...string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		for _, sig := range sigs {
			if len(sig) != len(types) {
				continue
			}
			want := make([]catalog.Type, len(sig))
			ok := true
			for i, c := range sig {
				t := types[i]
				unknown := t.Kind == catalog.Unknown
				switch c {
				case 'I':
					want[i] = catalog.TypeInt4
					ok = ok && (t.Kind == catalog.Int2 || t.Kind == catalog.Int4 || unknown)
				case 'F':
					want[i] = catalog.TypeFloat8
					ok = ok && (t.IsNumeric() || unknown)
				case 'T':
					want[i] = catalog.TypeText
					ok = ok && (t.IsString() || unknown)
				case 'S':
					want[i] = catalog.TypeTimestamp
					ok = ok && (t.Kind == catalog.Timestamp || t.Kind == catalog.Date || unknown)
				case 'Z':
					want[i] = catalog.TypeTimestampTZ
					ok = ok && (t.Kind == catalog.TimestampTZ || unknown)
				case 'D':
					want[i] = catalog.TypeDate
					ok = ok && (t.Kind == catalog.Date || unknown)
				case 'V':
					want[i] = catalog.TypeInterval
					ok = ok && (t.Kind == catalog.Interval || unknown)
				case 'B':
					want[i] = catalog.TypeBool
					ok = ok && (t.Kind == catalog.Bool || unknown)
				case 'J':
					want[i] = catalog.TypeJSONB
					ok = ok && (t.Kind == catalog.JSONB || unknown)
				case 'j':
					want[i] = catalog.TypeJSON
					ok = ok && (t.Kind == catalog.JSON || unknown)
				case 'A':
					want[i] = textArray
					ok = ok && (t.Kind == catalog.Array && t.ElemType().IsString() || unknown)
				}
			}
			if ok {
				return result, want, nil
			}
		}
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
}
