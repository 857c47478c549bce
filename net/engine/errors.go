package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/jetstream-go/jetstream/net/wire"
)

// Code is a stable machine-readable error code.
type Code string

// Error codes. They are stable strings, suitable for APIs and logs.
const (
	CodeDiskFull         Code = "disk_full"
	CodeSourceChanged    Code = "source_changed"
	CodeSourceUnreadable Code = "source_unreadable"
	CodePathRefused      Code = "path_refused"
	CodeExists           Code = "exists"
	CodeHashMismatch     Code = "hash_mismatch"
	CodePeerTimeout      Code = "peer_timeout"
	CodeCancelled        Code = "cancelled"
	CodeProtocol         Code = "protocol"
	CodeAuth             Code = "auth"
	CodeIO               Code = "io"
)

// Error is a typed engine error.
type Error struct {
	Code Code
	Msg  string
}

// Error returns "code: message".
func (e *Error) Error() string {
	if e.Msg == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Msg
}

// Is matches another *Error with the same code, so errors.Is(err, &Error{Code: c}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Msg == "" || t.Msg == e.Msg)
}

func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err: its *Error code, disk_full for ENOSPC/EDQUOT,
// "" for nil, and io otherwise.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return CodeDiskFull
	}
	if errors.Is(err, fs.ErrExist) {
		return CodeExists
	}
	return CodeIO
}

// asError converts err into an *Error, keeping codes of typed errors.
func asError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeOf(err), Msg: hideDirs(err)}
}

// hideDirs is err's message with the directories of file-system paths
// left out: the message travels to the peer, which must not learn the
// receiver's layout (".../fs/bob/in/.big.bin.<key>.jetpart").
func hideDirs(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + " " + filepath.Base(pe.Path) + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + " " + filepath.Base(le.Old) + " " + filepath.Base(le.New) + ": " + le.Err.Error()
	}
	return err.Error()
}

// ErrClosed is returned by operations on a closed Endpoint.
var ErrClosed = errors.New("engine: endpoint closed")

// ProtocolVersion is the engine protocol this package speaks (wire.Version).
// Tickets carry it, so a peer of another version is refused with a clear
// error before any datagram (which it would drop unanswered) is sent.
const ProtocolVersion = int(wire.Version)

// CheckProtocol refuses a ticket issued for another protocol version; 0
// means the issuer did not say (daemons before version 2).
func CheckProtocol(v int) error {
	if v == 0 || v == ProtocolVersion {
		return nil
	}
	return errorf(CodeProtocol, "the remote daemon speaks transfer protocol %d and this program %d: upgrade the older of the two", v, ProtocolVersion)
}
