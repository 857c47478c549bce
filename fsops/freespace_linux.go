package fsops

import "golang.org/x/sys/unix"

// freeSpace is statfs: f_bavail blocks of f_frsize (f_bsize on old kernels) bytes.
func freeSpace(path string) (int64, error) {
	var st unix.Statfs_t
	if err := ignoringEINTR(func() error { return unix.Statfs(path, &st) }); err != nil {
		return 0, err
	}
	size := uint64(st.Frsize)
	if size == 0 {
		size = uint64(st.Bsize)
	}
	return blocksToBytes(uint64(st.Bavail), size), nil
}
