//go:build !linux && !darwin && !freebsd && !windows

package fsops

import (
	"errors"
	"runtime"
)

// freeSpace is not implemented on this system.
func freeSpace(string) (int64, error) {
	return 0, errors.New("free space is not supported on " + runtime.GOOS)
}
