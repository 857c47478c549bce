package main

import (
	"errors"
	"fmt"
)

// Exit codes (documented in --help and jscp(1)).
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitConnect     = 3
	exitAuth        = 4
	exitNoSource    = 5
	exitPartial     = 6
	exitIntegrity   = 7
	exitInterrupted = 8
	exitSigint      = 130
)

// codeError is an error with an exit code and a stable name for --json.
type codeError struct {
	code int
	name string
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

func fail(code int, name string, format string, args ...any) error {
	return &codeError{code: code, name: name, err: fmt.Errorf(format, args...)}
}

func wrap(code int, name string, err error) error {
	if err == nil {
		return nil
	}
	var ce *codeError
	if errors.As(err, &ce) {
		return err
	}
	return &codeError{code: code, name: name, err: err}
}

func exitCodeOf(err error) (int, string) {
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code, ce.name
	}
	return exitError, "error"
}
