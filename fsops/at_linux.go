package fsops

import (
	"errors"

	"golang.org/x/sys/unix"
)

// dirPathFlags opens directories used only as *at() anchors. O_PATH needs no
// read permission, only search permission on the way, like a path lookup.
const dirPathFlags = unix.O_PATH

// renameNoReplaceAt renames without replacing an existing destination,
// atomically where the filesystem supports RENAME_NOREPLACE.
func renameNoReplaceAt(olddir int, oldname string, newdir int, newname string) error {
	err := ignoringEINTR(func() error {
		return unix.Renameat2(olddir, oldname, newdir, newname, unix.RENAME_NOREPLACE)
	})
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return err
	}
	return renameCheckedAt(olddir, oldname, newdir, newname)
}
