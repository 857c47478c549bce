//go:build !linux

package fsops

import (
	"fmt"
	"os"
	"runtime"
)

// AsUser runs fn with id's filesystem credentials (no-op when the process is
// not root or id is the process owner).
//
// Only Linux can switch one thread's filesystem identity. On other systems a
// root process refuses to act for another user rather than act as root.
func AsUser(id Identity, fn func() error) error {
	euid := os.Geteuid()
	if euid != 0 || id.UID == uint32(euid) {
		return fn()
	}
	return fmt.Errorf("as user %q: acting with another user's permissions is not supported on %s; run the server as that user", id.Name, runtime.GOOS)
}

// RunningAs reports whether the caller runs inside AsUser with switched
// credentials (never, where they cannot be switched).
func RunningAs(Identity) bool { return false }
