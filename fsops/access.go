package fsops

import "os"

// The product's access bits.
const (
	AccessRead  = 1 << 2 // the identity may read the file or list the directory
	AccessWrite = 1 << 1 // the identity may write the file or create entries in the directory
	AccessExec  = 1 << 0 // the identity may execute the file or enter the directory
)

// Access returns the product's access bits (read 1<<2, write 1<<1, exec 1<<0)
// of fi for id (root: rwx, x per mode).
//
// It reads the owner, group and permission bits (owner class, else group
// class when fi's group is id's primary or a supplementary group, else
// others), as the kernel does; ACLs, read-only mounts and immutable flags are
// not considered. For root, x is set on directories and on files with any x
// bit. Without ownership information in fi.Sys() the "others" bits are used.
func Access(fi os.FileInfo, id Identity) int {
	if fi == nil {
		return 0
	}
	mode := fi.Mode()
	perm := uint32(mode.Perm())
	if id.UID == 0 {
		a := AccessRead | AccessWrite
		if mode.IsDir() || perm&0o111 != 0 {
			a |= AccessExec
		}
		return a
	}
	uid, gid, ok := ownerOf(fi)
	switch {
	case !ok:
		return int(perm & 7)
	case uid == id.UID:
		return int(perm >> 6 & 7)
	case id.hasGroup(gid):
		return int(perm >> 3 & 7)
	}
	return int(perm & 7)
}
