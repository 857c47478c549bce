//go:build unix

package fsops

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// ownerOf returns the owner and group recorded in fi.Sys().
func ownerOf(fi os.FileInfo) (uid, gid uint32, ok bool) {
	switch st := fi.Sys().(type) {
	case *syscall.Stat_t:
		return st.Uid, st.Gid, true
	case *unix.Stat_t:
		return st.Uid, st.Gid, true
	}
	return 0, 0, false
}
