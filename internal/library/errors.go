package library

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edges (HTTP statuses, CLI exit codes).
type Code string

// Error codes. Anything not coded is internal.
const (
	CodeInvalid     Code = "invalid"     // the input is wrong (422)
	CodeNotFound    Code = "not_found"   // an id names nothing (404)
	CodeConflict    Code = "conflict"    // the change clashes with the current state (409)
	CodeTooLarge    Code = "too_large"   // a body or file is over its limit (413)
	CodeUnsupported Code = "unsupported" // a file is not audio we can read (415)
	CodeInternal    Code = "internal"
)

// Error is an error meant for the user: Message is safe to show; Err (optional) is the cause,
// kept for the logs.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a coded error with a formatted, user-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first coded error in err's chain, or CodeInternal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of a coded error, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
