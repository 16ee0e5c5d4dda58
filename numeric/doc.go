// Package numeric implements PostgreSQL 15's numeric type: arbitrary
// precision decimal numbers, each with its own display scale, plus NaN,
// Infinity and -Infinity, with PostgreSQL's result-scale rules, rounding
// and error codes. It backs pqdb's unconstrained numeric columns and
// expressions, where a fixed-scale decimal128 cannot print the digits
// PostgreSQL prints (1::numeric/3, avg(x), a column declared plain numeric).
//
// # Representation
//
// A value is a []byte in exactly the layout of PostgreSQL's binary wire
// format (numeric_send), all fields big-endian:
//
//	int16  ndigits   number of base-10000 digits that follow
//	int16  weight    the first digit is multiplied by 10000^weight
//	uint16 sign      0x0000 positive, 0x4000 negative, 0xC000 NaN,
//	                 0xD000 +Infinity, 0xF000 -Infinity
//	uint16 dscale    display scale: digits shown after the decimal point
//	int16  digits[ndigits], each 0..9999
//
// So 1234.50 is ndigits 2, weight 0, dscale 2, digits {1234, 5000}, and the
// binary wire format of a value is a copy of it. Arrow binary arrays hold
// values as they are.
//
// Invariants of every value this package produces, and expects as input
// (use Recv or Validate on bytes from a client):
//   - no leading or trailing zero digits; zero has ndigits 0, weight 0 and
//     a positive sign (its dscale may be anything: 0.000 is a zero with
//     dscale 3);
//   - no digits beyond the display scale;
//   - NaN and the infinities are 8 bytes: ndigits, weight and dscale 0;
//   - weight fits int16 (up to 131072 digits before the point) and dscale
//     is at most 16383 (MaxDscale); a result beyond either is the 22003
//     error "value overflows numeric format".
//
// Equal values can differ in display scale (1.5 and 1.50), so encodings
// are not comparable with bytes.Equal; use Compare, Equal or AppendKey.
//
// # Operations
//
// Arithmetic lives on Calc, a reusable, non-goroutine-safe holder of
// scratch digit buffers. Each method takes encoded operands and appends the
// encoded result to dst, returning the extended slice; with a warm Calc
// and enough capacity in dst the hot operations (Add, Sub, Mul, Div,
// DivTrunc, Mod, Round, Trunc, Ceil, Floor, Abs, Neg, Sign, ApplyTypmod)
// allocate nothing. The transcendental functions (Sqrt, Exp, Ln, Log10,
// Log, Power) allocate working storage. Errors are *pgerr.Error values
// carrying PostgreSQL's SQLSTATE and message (and detail, for typmod
// overflow).
//
// Result scales follow numeric.c: add and subtract take the larger input
// scale; multiply is exact (the sum of the scales); divide uses
// select_div_scale (at least 16 significant digits, at least each input's
// scale, at most 1000) and rounds half away from zero; DivTrunc is div();
// Mod is mod() with the dividend's sign; sqrt, exp, ln, log and power
// choose their scales as PostgreSQL does and reproduce its algorithms step
// by step (including the approximate division it uses inside them), so
// their last digits match too. NaN and infinities follow PostgreSQL's
// (mostly POSIX) rules in every function.
//
// Text: Parse (and ParseBytes, for text in a byte slice) is numeric_in
// (spaces, signs, ".5", "5.", exponents, NaN and the infinities in any
// case; no underscores, as in PostgreSQL 15); ParseTypmod is numeric_in
// with a typmod, as COPY calls it (the typmod is applied before the
// format's limits are checked); AppendText is numeric_out.
//
// Binary input: Validate applies numeric_recv's checks (22P03 for a bad
// sign, scale or digit) and Recv also normalizes the value into the
// canonical encoding; IsCanonical tells whether bytes already are.
//
// Conversions: FromInt64/32/16, ToInt64/32/16 (rounding half away from
// zero; 22003 "bigint out of range" etc., 0A000 for NaN and infinity),
// FromFloat64/32 (float8_numeric's 15 and float4_numeric's 6 significant
// digits), ToFloat64/32 (the text form read back, as numeric_float8 does),
// FromDecimal128 and ToDecimal128 for Arrow decimal128 values (the
// two's-complement unscaled integer as hi int64, lo uint64, and a scale).
// ApplyTypmod coerces to numeric(p,s) (apply_typmod: round half away from
// zero, then 22003 "numeric field overflow" with PostgreSQL's detail; NaN
// passes, an infinity does not). CheckTypmod validates p and s as
// numerictypmodin does, and FieldOverflow is the overflow error itself,
// which pqdb's decimal128 numeric(p,s) reports too.
//
// Smaller functions: Scale, MinScale, TrimScale, GCD, LCM, Factorial, Inc.
//
// Comparison: Compare is cmp_numerics, a total order with NaN equal to
// itself and above +Infinity. AppendKey appends a key that is equal for
// values that compare equal (display scale ignored, as hash_numeric
// ignores it) and whose bytes sort like the values under bytes.Compare,
// so the same key serves hash joins, GROUP BY and sorting.
//
// Aggregates: Sum adds values straight from their encodings into a wide
// accumulator (PostgreSQL's NumericSumAccum, carries propagated every 9999
// additions), counts NaN and infinities apart, merges partial states with
// Merge, and gives sum (Append), avg (AppendAvg) and, after TrackSquares,
// var_pop, var_samp, stddev_pop and stddev_samp (Variance), with
// numeric_stddev_internal's rules.
//
// # Proof
//
// testdata/pg15.txt holds about twenty thousand expressions evaluated by a
// real PostgreSQL 15 with their text results or SQLSTATEs and messages;
// TestPG15Cases replays them all. TestRecord (go test -run TestRecord
// -record, with a server running) regenerates the file. Fuzz targets check
// Parse/AppendText round trips, Recv and the key order.
package numeric
