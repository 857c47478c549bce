//go:build !linux

package engine

import "net"

func setSocketBuffers(c *net.UDPConn, size int, logf func(string, ...any)) {
	if c.SetReadBuffer(size) != nil || c.SetWriteBuffer(size) != nil {
		logf("engine: could not set UDP socket buffers to %d bytes", size)
	}
}
