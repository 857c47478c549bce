//go:build darwin || freebsd

package fsops

import "golang.org/x/sys/unix"

// freeSpace is statfs: f_bavail blocks of f_bsize bytes.
func freeSpace(path string) (int64, error) {
	var st unix.Statfs_t
	if err := ignoringEINTR(func() error { return unix.Statfs(path, &st) }); err != nil {
		return 0, err
	}
	avail := uint64(0)
	if st.Bavail > 0 {
		avail = uint64(st.Bavail)
	}
	return blocksToBytes(avail, uint64(st.Bsize)), nil
}
