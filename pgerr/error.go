package pgerr

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Error is an error a user can cause. It carries what an ErrorResponse
// (or NoticeResponse) needs; the wire layer sends it as is.
type Error struct {
	Severity string // ERROR, FATAL, WARNING, NOTICE; empty means ERROR
	Code     string // SQLSTATE, one of the constants in codes_gen.go
	Message  string
	Detail   string
	Hint     string
	Position int32  // 1-based character offset into the query text; 0 if none
	Where    string // context, e.g. "COPY t, line 3"
}

func (e *Error) Error() string { return e.Message }

// New returns an ERROR with the given SQLSTATE.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Notice returns a NOTICE (sent as a NoticeResponse, not an error).
func Notice(code, format string, args ...any) *Error {
	return &Error{Severity: "NOTICE", Code: code, Message: fmt.Sprintf(format, args...)}
}

// NewWarning returns a WARNING (sent as a NoticeResponse, not an error).
func NewWarning(code, format string, args ...any) *Error {
	return &Error{Severity: "WARNING", Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithPosition returns a copy of e that points at the given 1-based
// character position.
func (e *Error) WithPosition(pos int32) *Error {
	c := *e
	c.Position = pos
	return &c
}

// Unsupported reports a feature pqdb does not implement yet (SQLSTATE 0A000).
func Unsupported(format string, args ...any) *Error {
	return New(FeatureNotSupported, format, args...)
}

// From returns err as an *Error, wrapping errors that do not carry a
// SQLSTATE as internal errors (XX000).
func From(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Code: InternalError, Message: err.Error()}
}

// FromPanic turns a value recovered from a panic into an internal error
// (XX000): the statement fails, the server and the session go on. A
// panic is a bug, so its stack goes to the server log: call FromPanic in
// the deferred function that recovered, whose stack still holds the
// frames that panicked.
func FromPanic(r any) *Error {
	slog.Error("internal error: recovered from a panic", "panic", r, "stack", string(debug.Stack()))
	return New(InternalError, "internal error: %v", r)
}

// CodeOf returns err's SQLSTATE, or "" when err is nil.
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	return From(err).Code
}
