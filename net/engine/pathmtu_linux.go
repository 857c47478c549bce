package engine

import (
	"net"

	"golang.org/x/sys/unix"
)

// routeMTU returns the MTU the kernel would use towards addr: the MTU of the
// route's interface, or a smaller path MTU the kernel has learnt. It
// connects a throw-away UDP socket (which sends nothing) with path MTU
// discovery on and reads IP_MTU / IPV6_MTU.
func routeMTU(addr *net.UDPAddr) (int, error) {
	if ip4 := addr.IP.To4(); ip4 != nil {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return 0, err
		}
		defer unix.Close(fd)
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, unix.IP_PMTUDISC_DO); err != nil {
			return 0, err
		}
		sa := &unix.SockaddrInet4{Port: max(addr.Port, 1)}
		copy(sa.Addr[:], ip4)
		if err := unix.Connect(fd, sa); err != nil {
			return 0, err
		}
		return unix.GetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MTU)
	}
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, unix.IPV6_PMTUDISC_DO); err != nil {
		return 0, err
	}
	sa := &unix.SockaddrInet6{Port: max(addr.Port, 1)}
	copy(sa.Addr[:], addr.IP.To16())
	if err := unix.Connect(fd, sa); err != nil {
		return 0, err
	}
	return unix.GetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MTU)
}
