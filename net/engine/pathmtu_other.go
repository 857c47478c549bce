//go:build !linux

package engine

import (
	"errors"
	"net"
)

// routeMTU is not implemented here; callers fall back to DefaultMaxPacket.
func routeMTU(*net.UDPAddr) (int, error) {
	return 0, errors.New("route MTU probing is only implemented on Linux")
}
