package engine

import (
	"net"
	"syscall"
)

// setSocketBuffers asks for size-byte receive and send buffers, forcing them past
// rmem_max/wmem_max when privileged, and warns when the kernel grants less.
func setSocketBuffers(c *net.UDPConn, size int, logf func(string, ...any)) {
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	for _, o := range []struct {
		name       string
		opt, force int
		sysctl     string
	}{
		{"receive", syscall.SO_RCVBUF, syscall.SO_RCVBUFFORCE, "net.core.rmem_max"},
		{"send", syscall.SO_SNDBUF, syscall.SO_SNDBUFFORCE, "net.core.wmem_max"},
	} {
		var got int
		raw.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, o.opt, size)
			got, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, o.opt)
			if got/2 < size { // Linux reports twice the usable size
				syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, o.force, size)
				got, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, o.opt)
			}
		})
		if got/2 < size {
			logf("engine: UDP %s buffer is %d bytes, wanted %d; raise it with sysctl -w %s=%d", o.name, got/2, size, o.sysctl, size)
		}
	}
}
