package engine

import (
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/jetstream-go/jetstream/net/wire"
)

// Datagram sizes.
const (
	// DefaultMaxPacket is the datagram size used when the path's MTU cannot
	// be learnt: a 1500-byte IPv4 path (1500 − 20 IP − 8 UDP).
	DefaultMaxPacket = 1472
	// udp4Overhead and udp6Overhead are the IP + UDP header bytes.
	udp4Overhead = 28
	udp6Overhead = 48
	// MaxPacketEnv overrides Config.MaxPacket when that is 0 (auto).
	MaxPacketEnv = "JETSTREAM_MAX_PACKET"
)

// datagramForMTU is the largest UDP payload a path of the given MTU
// carries without fragmentation, within [wire.MinPacket, wire.MaxDatagram].
func datagramForMTU(mtu int, ipv6 bool) int {
	over := udp4Overhead
	if ipv6 {
		over = udp6Overhead
	}
	return min(max(mtu-over, wire.MinPacket), wire.MaxDatagram)
}

// parseMaxPacket reads a MaxPacketEnv value: a datagram size in
// [wire.MinPacket, wire.MaxDatagram], or empty for none.
func parseMaxPacket(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < wire.MinPacket || n > wire.MaxDatagram {
		return 0, fmt.Errorf("engine: %s=%q: want a datagram size in bytes between %d and %d", MaxPacketEnv, v, wire.MinPacket, wire.MaxDatagram)
	}
	return n, nil
}

// maxPacketFromEnv applies MaxPacketEnv to an auto (0) MaxPacket; a bad
// value is reported through logf and ignored.
func maxPacketFromEnv(logf func(string, ...any)) int {
	n, err := parseMaxPacket(os.Getenv(MaxPacketEnv))
	if err != nil {
		if logf != nil {
			logf("%v", err)
		}
		return 0
	}
	return n
}

// pathMax is the datagram size this endpoint uses towards addr: the fixed
// Config.MaxPacket when one was set; otherwise the MTU of the route to
// addr (loopback gives the 64 KiB maximum, a 1500-byte link 1472), or
// DefaultMaxPacket when the route cannot be probed (no route, a conn that
// is not a kernel UDP socket).
func (e *Endpoint) pathMax(addr *net.UDPAddr) int {
	if !e.cfg.autoPacket {
		return e.cfg.MaxPacket
	}
	if addr == nil || !e.probeRoutes {
		return min(DefaultMaxPacket, e.cfg.MaxPacket)
	}
	mtu, err := routeMTU(addr)
	if err != nil {
		e.cfg.Logf("engine: path MTU to %v unknown (%v); using %d-byte datagrams", addr, err, DefaultMaxPacket)
		return min(DefaultMaxPacket, e.cfg.MaxPacket)
	}
	return min(datagramForMTU(mtu, addr.IP.To4() == nil), e.cfg.MaxPacket)
}
