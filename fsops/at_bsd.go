//go:build unix && !linux

package fsops

import "golang.org/x/sys/unix"

// dirPathFlags opens directories used only as *at() anchors. Without O_PATH
// this needs read permission on every directory on the way.
const dirPathFlags = unix.O_RDONLY

// renameNoReplaceAt renames without replacing an existing destination (the
// check and the rename are two steps here).
func renameNoReplaceAt(olddir int, oldname string, newdir int, newname string) error {
	return renameCheckedAt(olddir, oldname, newdir, newname)
}
