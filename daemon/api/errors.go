package api

import (
	"errors"
	"fmt"
)

// ErrorCode is a stable, machine-readable error class.
type ErrorCode string

// Error codes. They never change meaning; new ones may be added.
const (
	CodeBadRequest       ErrorCode = "bad_request"       // malformed JSON line, missing id or request
	CodeUnknownMethod    ErrorCode = "unknown_method"    // no such method
	CodeInvalidParameter ErrorCode = "invalid_parameter" // missing, unknown or wrongly typed parameter
	CodeAuthRequired     ErrorCode = "auth_required"     // call before a successful auth
	CodeAuthFailed       ErrorCode = "auth_failed"       // wrong user name or password
	CodePermissionDenied ErrorCode = "permission_denied" // not superuser, not the owner, or OS permission
	CodeNotFound         ErrorCode = "not_found"         // object or path does not exist
	CodeExists           ErrorCode = "exists"            // object or path exists
	CodeOutsideSandbox   ErrorCode = "outside_sandbox"   // path resolves outside the user's sandbox
	CodeExpired          ErrorCode = "expired"           // request result expired
	CodeNotEnabled       ErrorCode = "not_enabled"       // feature switched off on this server
	CodeLocked           ErrorCode = "locked"            // setting locked on the command line
	CodeConflict         ErrorCode = "conflict"          // object in a state that forbids the call
	CodeUnavailable      ErrorCode = "unavailable"       // peer or resource not reachable
	CodeTooLarge         ErrorCode = "too_large"         // request line over the limit
	CodeShuttingDown     ErrorCode = "shutting_down"     // server is stopping
	CodeInternal         ErrorCode = "internal"          // bug or I/O failure on the server
	CodeTransfer         ErrorCode = "transfer_failed"   // transfer ended in error
	CodeCancelled        ErrorCode = "cancelled"         // request cancelled
	CodeBusy             ErrorCode = "busy"              // too much work queued; try again later
)

// Error is an API error as carried by an error Response.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err if it is (or wraps) an *Error, else
// CodeInternal; nil gives "".
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
