package fsops

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestPathErrorMessage(t *testing.T) {
	tests := []struct {
		err  *PathError
		want string
	}{
		{&PathError{Op: "rm", Path: "data:/x", Code: CodePermissionDenied, Err: syscall.EACCES}, `rm "data:/x": permission denied`},
		{&PathError{Op: "ls", Path: "/a", Code: CodeNotFound}, `ls "/a": not found`},
		{&PathError{Path: "/a", Code: CodeExists}, `"/a": already exists`},
		{&PathError{Op: "mv", Path: "a\nb", Code: CodeIO, Err: errors.New("boom")}, `mv "a\nb": boom`},
		{&PathError{Op: "x", Path: "p", Code: "custom"}, `x "p": custom`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestCodeOf(t *testing.T) {
	pe := &PathError{Op: "ls", Path: "/x", Code: CodeOutsideSandbox}
	tests := []struct {
		err  error
		want ErrorCode
	}{
		{nil, ""},
		{pe, CodeOutsideSandbox},
		{fmt.Errorf("wrapped: %w", pe), CodeOutsideSandbox},
		{syscall.ENOENT, CodeNotFound},
		{&fs.PathError{Op: "open", Path: "/h", Err: syscall.EACCES}, CodePermissionDenied},
		{syscall.EEXIST, CodeExists},
		{syscall.ENOTEMPTY, CodeExists},
		{syscall.ENOTDIR, CodeNotADirectory},
		{syscall.ELOOP, CodeInvalidPath},
		{syscall.ENAMETOOLONG, CodeInvalidPath},
		{syscall.EROFS, CodePermissionDenied},
		{syscall.EIO, CodeIO},
		{fs.ErrNotExist, CodeNotFound},
		{fs.ErrPermission, CodePermissionDenied},
		{fs.ErrExist, CodeExists},
		{errors.New("other"), CodeIO},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.err); got != tt.want {
			t.Errorf("CodeOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestWrapErrHidesHostPath(t *testing.T) {
	host := &fs.PathError{Op: "lstat", Path: "/srv/secret/layout/x", Err: syscall.ENOENT}
	err := wrapErr("ls", "/x", host)
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("host path leaked: %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) || CodeOf(err) != CodeNotFound {
		t.Errorf("lost the cause: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = wrapErr("du", "/x", fmt.Errorf("at /srv/secret: %w", ctx.Err()))
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "secret") || CodeOf(err) != CodeIO {
		t.Errorf("context error: %v", err)
	}
	if wrapErr("x", "y", nil) != nil {
		t.Error("nil must stay nil")
	}
	if got := wrapErr("x", "y", pe()); got.(*PathError).Op != "inner" {
		t.Error("a *PathError must pass through")
	}
}

func pe() error { return &PathError{Op: "inner", Path: "p", Code: CodeIO} }
