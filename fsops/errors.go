package fsops

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"syscall"
)

// ErrorCode classifies a [PathError] for the API layer.
type ErrorCode string

// The error codes. Every *PathError carries exactly one of them.
const (
	CodeOutsideSandbox   ErrorCode = "outside_sandbox"
	CodeNotFound         ErrorCode = "not_found"
	CodePermissionDenied ErrorCode = "permission_denied"
	CodeExists           ErrorCode = "exists"
	CodeNotADirectory    ErrorCode = "not_a_directory"
	CodeInvalidPath      ErrorCode = "invalid_path"
	CodeIO               ErrorCode = "io"
)

// codeText is the human wording of a code, used when a PathError has no Err.
var codeText = map[ErrorCode]string{
	CodeOutsideSandbox:   "outside the sandbox",
	CodeNotFound:         "not found",
	CodePermissionDenied: "permission denied",
	CodeExists:           "already exists",
	CodeNotADirectory:    "not a directory",
	CodeInvalidPath:      "invalid path",
	CodeIO:               "I/O error",
}

// PathError is the error returned by every path-taking function of the
// package. Path is the path as the user gave it (never a host path, so error
// messages do not reveal where a sandbox lives on the host).
type PathError struct {
	Op   string    // operation: "resolve", "landing", "ls", "du", "mkdir", "mv", "rm", "walk", ...
	Path string    // the user's path
	Code ErrorCode // classification
	Err  error     // underlying cause (often a syscall.Errno); may be nil
}

// Error returns one line: op "path": reason. The path is quoted, so control
// characters in it cannot break the line.
func (e *PathError) Error() string {
	msg := codeText[e.Code]
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if msg == "" {
		msg = string(e.Code)
	}
	s := strconv.Quote(e.Path) + ": " + msg
	if e.Op != "" {
		s = e.Op + " " + s
	}
	return s
}

// Unwrap returns the underlying cause, so errors.Is(err, fs.ErrNotExist) and
// errors.Is(err, context.Canceled) work.
func (e *PathError) Unwrap() error { return e.Err }

// CodeOf returns the code of err: the Code of a *PathError in its chain, a
// code derived from well-known errors otherwise, and "" for nil.
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return codeFor(err)
}

// codeFor classifies an error that is not (yet) a *PathError.
func codeFor(err error) ErrorCode {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if errno == syscall.ENOTEMPTY { // a separate test: it equals EEXIST on some systems
			return CodeExists
		}
		switch errno {
		case syscall.ENOENT:
			return CodeNotFound
		case syscall.EACCES, syscall.EPERM, syscall.EROFS:
			return CodePermissionDenied
		case syscall.EEXIST:
			return CodeExists
		case syscall.ENOTDIR:
			return CodeNotADirectory
		case syscall.ENAMETOOLONG, syscall.ELOOP, syscall.EINVAL:
			return CodeInvalidPath
		}
		return CodeIO
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return CodeNotFound
	case errors.Is(err, fs.ErrPermission):
		return CodePermissionDenied
	case errors.Is(err, fs.ErrExist):
		return CodeExists
	}
	return CodeIO
}

// pathErr builds a *PathError with an explicit code and cause.
func pathErr(op, path string, code ErrorCode, err error) *PathError {
	return &PathError{Op: op, Path: path, Code: code, Err: err}
}

// wrapErr turns an error from the OS into a *PathError for the user's path.
// It keeps only the errno (or context error) of *fs.PathError, *os.LinkError
// and *os.SyscallError chains, because their messages contain host paths.
// A *PathError passes through unchanged.
func wrapErr(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	cause := err
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno):
		cause = errno
	case errors.Is(err, context.Canceled):
		cause = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		cause = context.DeadlineExceeded
	default:
		var fpe *fs.PathError
		if errors.As(err, &fpe) {
			cause = fpe.Err
		}
	}
	return &PathError{Op: op, Path: path, Code: codeFor(cause), Err: cause}
}

// ctxErr returns a *PathError for a cancelled or expired context, nil otherwise.
func ctxErr(ctx context.Context, op, path string) error {
	if err := ctx.Err(); err != nil {
		return &PathError{Op: op, Path: path, Code: CodeIO, Err: err}
	}
	return nil
}
