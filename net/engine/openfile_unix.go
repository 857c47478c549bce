//go:build unix

package engine

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// openPlain is os.OpenFile for a regular file the sink only reads and writes
// at offsets: os.OpenFile also tries to register the file with the runtime's
// poller (an epoll_ctl that fails for regular files) and flips O_NONBLOCK
// back and forth, five system calls per partfile that count with 10,000
// small files; os.NewFile on a blocking descriptor does one.
func openPlain(name string, flag int, perm fs.FileMode) (File, error) {
	for {
		fd, err := unix.Open(name, flag|unix.O_CLOEXEC, uint32(perm.Perm()))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}
