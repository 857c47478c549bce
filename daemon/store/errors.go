package store

import "errors"

// Errors callers may test for with errors.Is.
var (
	// ErrInUse: another process (normally a running jetstream server) holds
	// the state store.
	ErrInUse = errors.New("state dir is in use by another jetstream server")
	// ErrClosed: the Store was used after Close.
	ErrClosed = errors.New("state store is closed")
	// ErrBusy: the account database stayed locked by another process for
	// longer than the lock timeout.
	ErrBusy = errors.New("account database is busy")
	// ErrAccountExists: AddAccount was given a name that already exists.
	ErrAccountExists = errors.New("built-in account already exists")
	// ErrAccountNotFound: no built-in account has that name.
	ErrAccountNotFound = errors.New("no such built-in account")
	// ErrWrongPassword: VerifyAccount found the account but not the password.
	ErrWrongPassword = errors.New("wrong password")
	// ErrInvalidName: an account name breaks the Unix user-name rules.
	ErrInvalidName = errors.New("invalid account name")
	// ErrInvalidPassword: an empty, over-long or NUL-containing password.
	ErrInvalidPassword = errors.New("invalid password")
)
