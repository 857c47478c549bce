//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// matchDirOwner gives a users.db that root just created to the owner of the
// state directory, so that `sudo jetstream user add` does not lock a server
// running as an unprivileged user out of its own account database.
func matchDirOwner(dir, path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == 0 {
		return nil
	}
	if err := os.Chown(path, int(st.Uid), int(st.Gid)); err != nil {
		return fmt.Errorf("store: give %s to the state dir's owner: %w", path, err)
	}
	return nil
}
