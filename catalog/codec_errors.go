package catalog

import "github.com/pqdb/pqdb/pgerr"

// inputName is the type name input functions use in their error messages
// ("invalid input syntax for type integer"), which is format_type's name
// without modifiers.
func inputName(t Type) string {
	switch t.Kind {
	case Time:
		return "time"
	case Timestamp:
		return "timestamp"
	case Bpchar:
		return "character"
	case JSONB:
		return "json"
	}
	return kindInfo[t.Kind].name
}

// invalidSyntax is the error of an input function that cannot read s.
// Date and time types report 22007 invalid_datetime_format, the others
// 22P02 invalid_text_representation.
func invalidSyntax(t Type, s string) *pgerr.Error {
	code := pgerr.InvalidTextRepresentation
	switch t.Kind {
	case Date, Time, Timestamp, TimestampTZ, Interval:
		code = pgerr.InvalidDatetimeFormat
	}
	return pgerr.New(code, "invalid input syntax for type %s: %q", inputName(t), s)
}

// outOfRange is the error of an integer input function for a value that
// does not fit the type.
func outOfRange(t Type, s string) *pgerr.Error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value %q is out of range for type %s", s, inputName(t))
}

// fieldOutOfRange is the error of a date/time input with a field that does
// not exist (month 13, February 30th, hour 25).
func fieldOutOfRange(s string) *pgerr.Error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: %q", s)
}

// insufficientData is the error of a receive function given fewer bytes
// than its format needs.
func insufficientData() *pgerr.Error {
	return pgerr.New(pgerr.InvalidBinaryRepresentation, "insufficient data left in message")
}

// trailingData is the error of a receive function given more bytes than
// its format needs.
func trailingData() *pgerr.Error {
	return pgerr.New(pgerr.InvalidBinaryRepresentation, "incorrect binary data format")
}
