package engine

import (
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestErrorsHideReceiverDirs: messages that travel to the peer name files,
// never the receiver's directories.
func TestErrorsHideReceiverDirs(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code Code
		want string
	}{
		{&fs.PathError{Op: "write", Path: "/srv/fs/bob/in/.big.bin.0123.jetpart", Err: syscall.ENOSPC}, CodeDiskFull,
			"write .big.bin.0123.jetpart: no space left on device"},
		{fmt.Errorf("commit: %w", &os.LinkError{Op: "link", Old: "/srv/a/.x.jetpart", New: "/srv/a/x", Err: syscall.EEXIST}), CodeOf(&os.LinkError{Err: syscall.EEXIST}),
			"link .x.jetpart x: file exists"},
		{fmt.Errorf("plain"), CodeOf(fmt.Errorf("plain")), "plain"},
	} {
		e := asError(tc.err)
		if e.Msg != tc.want || e.Code != tc.code {
			t.Errorf("asError(%v) = %q (%s), want %q (%s)", tc.err, e.Msg, e.Code, tc.want, tc.code)
		}
	}
}

func TestCheckProtocol(t *testing.T) {
	for _, tc := range []struct {
		v    int
		want bool // refused
	}{{0, false}, {ProtocolVersion, false}, {ProtocolVersion - 1, true}, {ProtocolVersion + 1, true}} {
		err := CheckProtocol(tc.v)
		if (err != nil) != tc.want {
			t.Errorf("CheckProtocol(%d) = %v, want refused %v", tc.v, err, tc.want)
		}
		if err != nil && (CodeOf(err) != CodeProtocol || !strings.Contains(err.Error(), fmt.Sprintf("protocol %d and this program %d", tc.v, ProtocolVersion))) {
			t.Errorf("CheckProtocol(%d) = %v (code %q)", tc.v, err, CodeOf(err))
		}
	}
}
