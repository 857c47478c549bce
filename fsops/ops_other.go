//go:build !unix

package fsops

import (
	"context"
	"errors"
	"runtime"
)

// errUnsupported is returned by the file operations on systems without the
// descriptor-based implementation.
var errUnsupported = errors.New("file operations are not supported on " + runtime.GOOS)

// Ls is not supported on this system.
func (o Ops) Ls(ctx context.Context, p string, directory bool) (string, []Entry, error) {
	return "", nil, pathErr("ls", p, CodeIO, errUnsupported)
}

// Du is not supported on this system.
func (o Ops) Du(ctx context.Context, p string) (int64, error) {
	return 0, pathErr("du", p, CodeIO, errUnsupported)
}

// Mkdir is not supported on this system.
func (o Ops) Mkdir(p string) error { return pathErr("mkdir", p, CodeIO, errUnsupported) }

// Mv is not supported on this system.
func (o Ops) Mv(p, newPath string) error { return pathErr("mv", p, CodeIO, errUnsupported) }

// Rm is not supported on this system.
func (o Ops) Rm(ctx context.Context, p string) error { return pathErr("rm", p, CodeIO, errUnsupported) }
