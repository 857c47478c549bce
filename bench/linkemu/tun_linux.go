package linkemu

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// TUN is an open TUN device: the file (an Endpoint), its name, and whether
// packets carry a virtio-net header (offload mode).
type TUN struct {
	*os.File
	Name    string
	VnetHdr bool
}

// tunOffloads are the offloads OpenTUN enables: checksum offload, TCPv4
// segmentation and UDP segmentation (USO, Linux >= 6.2; the kernel only
// takes USO4 and USO6 together), so the kernel hands over up to 64 KiB TCP
// super-packets and UDP_SEGMENT super-datagrams (one read instead of ~44),
// which the Forwarder cuts into wire packets. IPv6 TSO stays off: the
// benchmark link is IPv4. Where USO is refused, OpenTUN falls back to
// tunOffloadsNoUSO and UDP senders reach the emulator datagram by datagram.
const (
	tunOffloads      = tunOffloadsNoUSO | unix.TUN_F_USO4 | unix.TUN_F_USO6
	tunOffloadsNoUSO = unix.TUN_F_CSUM | unix.TUN_F_TSO4
)

// OpenTUN creates (or attaches to) the TUN device name in the network
// namespace of the calling thread, in IFF_TUN|IFF_NO_PI mode: every Read
// returns one IP packet and every Write injects one. With offload, the
// device also uses IFF_VNET_HDR with checksum, TCPv4 and UDP segmentation
// offload (set Config.VnetHdr for the Emulator). An empty name lets the
// kernel choose ("tunN"). The device lives while the file (or a duplicate
// of its descriptor, in this or another process) is open. The file is
// non-blocking and uses the runtime poller, so SetReadDeadline and Close
// unblock a pending Read.
func OpenTUN(name string, offload bool) (*TUN, error) {
	if len(name) >= unix.IFNAMSIZ {
		return nil, fmt.Errorf("tun name %q longer than %d bytes", name, unix.IFNAMSIZ-1)
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("tun name %q: %w", name, err)
	}
	flags := uint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if offload {
		flags |= unix.IFF_VNET_HDR
	}
	ifr.SetUint16(flags)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("TUNSETIFF %q: %w", name, err)
	}
	if offload {
		if err := unix.IoctlSetPointerInt(fd, unix.TUNSETVNETHDRSZ, vnetHdrLen); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("TUNSETVNETHDRSZ: %w", err)
		}
		err := unix.IoctlSetInt(fd, unix.TUNSETOFFLOAD, tunOffloads)
		if err != nil {
			err = unix.IoctlSetInt(fd, unix.TUNSETOFFLOAD, tunOffloadsNoUSO)
		}
		if err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("TUNSETOFFLOAD: %w", err)
		}
	}
	got := ifr.Name()
	return &TUN{File: os.NewFile(uintptr(fd), "tun:"+got), Name: got, VnetHdr: offload}, nil
}

// TUNFromFD wraps an inherited TUN descriptor (opened by OpenTUN in a
// parent process). It checks that fd is an attached TUN device, reports
// whether it uses virtio-net headers, and makes it non-blocking so the
// runtime poller can interrupt reads.
func TUNFromFD(fd int) (*TUN, error) {
	ifr, err := unix.NewIfreq("")
	if err != nil {
		return nil, err
	}
	if err := unix.IoctlIfreq(fd, unix.TUNGETIFF, ifr); err != nil {
		return nil, fmt.Errorf("fd %d is not an attached TUN device: %w", fd, err)
	}
	flags := ifr.Uint16()
	if flags&unix.IFF_TUN == 0 || flags&unix.IFF_NO_PI == 0 {
		return nil, fmt.Errorf("fd %d: device %q is not in IFF_TUN|IFF_NO_PI mode (flags %#x)", fd, ifr.Name(), flags)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, fmt.Errorf("fd %d: set non-blocking: %w", fd, err)
	}
	name := ifr.Name()
	return &TUN{File: os.NewFile(uintptr(fd), "tun:"+name), Name: name, VnetHdr: flags&unix.IFF_VNET_HDR != 0}, nil
}
