package fsops

import "math"

// FreeSpace returns the bytes available to unprivileged users on the
// filesystem holding path (statfs f_bavail blocks; on Windows the caller's
// quota-aware free bytes).
func FreeSpace(path string) (int64, error) {
	n, err := freeSpace(path)
	if err != nil {
		return 0, wrapErr("freespace", path, err)
	}
	return n, nil
}

// blocksToBytes multiplies without overflowing int64.
func blocksToBytes(blocks, size uint64) int64 {
	if size != 0 && blocks > math.MaxInt64/size {
		return math.MaxInt64
	}
	return int64(blocks * size)
}
