package exec

import "github.com/pqdb/pqdb/catalog"

// Infinite dates and timestamps. catalog stores 'infinity' and
// '-infinity' as the extreme values of the column's integer
// (catalog.DateInfinity, catalog.TimestampInfinity and their negatives). The date/time functions meet them as PostgreSQL 15 does
// instead of reading them as far-away calendar dates:
//
//   - extract and date_part (NonFiniteTimestampPart): the fields that grow
//     without bound with time (year, decade, century, millennium, julian,
//     isoyear, epoch) are ±Infinity, the others NULL. A unit that is not
//     a unit of the type is still an error for a date (date_part of a
//     date checks it first) but NULL for an infinite timestamp; the
//     timezone fields of a timestamp without time zone are therefore an
//     error only for the finite rows (extractKernel). Because ±Infinity
//     is no decimal128, extract of the unbounded fields returns var-scale
//     numeric (extractReturnsVar).
//   - date_trunc returns an infinite value as it is.
//   - to_char of one is NULL.
//   - casts among date, timestamp and timestamptz keep it; to time it is
//     NULL (cast_datetime.go); text and to_timestamp(±Infinity) read it.
//   - adding or subtracting days or an interval keeps it, as do AT TIME
//     ZONE and date_bin; subtracting dates or timestamps when one is
//     infinite is an error (datetime_arith.go); isfinite tells it.
//   - generate_series refuses an infinite bound, where PostgreSQL 15 adds
//     steps until memory runs out.
//
// age of an infinite value is not handled: PostgreSQL 15 prints the
// fields of its sentinel as if it were a date, and pqdb prints others.
// PostgreSQL 15 has no infinite interval.

// tsInfiniteSign is +1 for 'infinity', -1 for '-infinity' and 0 for a
// finite timestamp or timestamptz.
func tsInfiniteSign(us int64) int {
	switch us {
	case catalog.TimestampInfinity:
		return 1
	case catalog.TimestampNegInfinity:
		return -1
	}
	return 0
}

// dateInfiniteSign is tsInfiniteSign for a date.
func dateInfiniteSign(d int32) int {
	switch d {
	case catalog.DateInfinity:
		return 1
	case catalog.DateNegInfinity:
		return -1
	}
	return 0
}

// infiniteTimestamp is the timestamp infinity of sign (+1 or -1).
func infiniteTimestamp(sign int) int64 {
	if sign > 0 {
		return catalog.TimestampInfinity
	}
	return catalog.TimestampNegInfinity
}

// infiniteDate is the date infinity of sign (+1 or -1).
func infiniteDate(sign int) int32 {
	if sign > 0 {
		return catalog.DateInfinity
	}
	return catalog.DateNegInfinity
}

// fieldIsUnbounded reports whether extract's field of an infinite value
// is ±Infinity (NonFiniteTimestampPart's list); the other fields of one
// are NULL.
func fieldIsUnbounded(field string) bool {
	switch field {
	case "year", "decade", "century", "millennium", "julian", "isoyear", "epoch":
		return true
	}
	return false
}

// extractReturnsVar reports whether extract(field from a value of kind
// k) returns var-scale numeric, which can hold the ±Infinity of an
// infinite date or timestamp.
func extractReturnsVar(field string, k catalog.Kind) bool {
	switch k {
	case catalog.Date, catalog.Timestamp, catalog.TimestampTZ:
		return fieldIsUnbounded(field)
	}
	return false
}

// zoneFieldOfTimestamp reports whether field is a timezone field asked
// of a timestamp without time zone: an error for a finite value, NULL for
// an infinite one (PostgreSQL checks the unit after the infinities).
func zoneFieldOfTimestamp(field string, k catalog.Kind) bool {
	return k == catalog.Timestamp && (field == "timezone" || field == "timezone_h" || field == "timezone_m")
}
