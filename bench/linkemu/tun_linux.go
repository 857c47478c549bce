package linkemu

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// OpenTUN creates (or attaches to) the TUN device name in the network
// namespace of the calling thread, in IFF_TUN|IFF_NO_PI mode: every Read
// returns one IP packet and every Write injects one. An empty name lets the
// kernel choose ("tunN"). The device lives while the returned file (or a
// duplicate of its descriptor, in this or another process) is open, unless
// it was made persistent elsewhere. The file is non-blocking and uses the
// runtime poller, so SetReadDeadline and Close unblock a pending Read.
func OpenTUN(name string) (*os.File, string, error) {
	if len(name) >= unix.IFNAMSIZ {
		return nil, "", fmt.Errorf("tun name %q longer than %d bytes", name, unix.IFNAMSIZ-1)
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, "", fmt.Errorf("open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("tun name %q: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("TUNSETIFF %q: %w", name, err)
	}
	got := ifr.Name()
	return os.NewFile(uintptr(fd), "tun:"+got), got, nil
}

// TUNFromFD wraps an inherited TUN descriptor (opened by OpenTUN in a
// parent process) for use as an Endpoint. It makes the descriptor
// non-blocking so the runtime poller can interrupt reads, and checks that
// it really is a TUN device, returning the device name.
func TUNFromFD(fd int) (*os.File, string, error) {
	ifr, err := unix.NewIfreq("")
	if err != nil {
		return nil, "", err
	}
	if err := unix.IoctlIfreq(fd, unix.TUNGETIFF, ifr); err != nil {
		return nil, "", fmt.Errorf("fd %d is not an attached TUN device: %w", fd, err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, "", fmt.Errorf("fd %d: set non-blocking: %w", fd, err)
	}
	name := ifr.Name()
	return os.NewFile(uintptr(fd), "tun:"+name), name, nil
}
