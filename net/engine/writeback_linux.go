package engine

import (
	"os"

	"golang.org/x/sys/unix"
)

// newWriteBehind returns write-behind for f when it is a kernel file:
// sync_file_range(SYNC_FILE_RANGE_WRITE) over the whole file starts
// write-back of its dirty pages not already under way, without waiting for
// it (the durable fsync still comes at commit).
func newWriteBehind(f File) *writeBehind {
	of, ok := f.(*os.File)
	if !ok || os.Getenv("JETSTREAM_NO_WRITE_BEHIND") == "1" {
		return &writeBehind{}
	}
	fd := int(of.Fd())
	return &writeBehind{start: func() {
		_ = unix.SyncFileRange(fd, 0, 0, unix.SYNC_FILE_RANGE_WRITE) // advisory: errors show at fsync
	}}
}
