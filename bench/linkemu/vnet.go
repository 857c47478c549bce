package linkemu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The virtio-net header TUN prepends to every packet in IFF_VNET_HDR mode
// (struct virtio_net_hdr, little-endian on the little-endian hosts this
// runs on). With TSO offload on, a read may return one TCP "super-packet"
// of up to 64 KiB that the kernel expects the device to cut into MSS-sized
// segments; the emulator does that cut itself so that the link model sees
// real wire packets, and merges surviving runs back into super-packets on
// write so the receiving stack gets them as one GRO-like packet.
const vnetHdrLen = 10

// Header flag and GSO type values (include/uapi/linux/virtio_net.h).
const (
	vnetFlagNeedsCsum = 1
	vnetGSONone       = 0
	vnetGSOTCPv4      = 1
	vnetGSOECN        = 0x80
)

type vnetHdr struct {
	flags      uint8
	gsoType    uint8
	hdrLen     uint16
	gsoSize    uint16
	csumStart  uint16
	csumOffset uint16
}

func decodeVnetHdr(b []byte) (vnetHdr, error) {
	if len(b) < vnetHdrLen {
		return vnetHdr{}, fmt.Errorf("virtio-net header: %d bytes, need %d", len(b), vnetHdrLen)
	}
	le := binary.LittleEndian
	return vnetHdr{flags: b[0], gsoType: b[1], hdrLen: le.Uint16(b[2:]), gsoSize: le.Uint16(b[4:]),
		csumStart: le.Uint16(b[6:]), csumOffset: le.Uint16(b[8:])}, nil
}

func (h vnetHdr) encode(b []byte) {
	le := binary.LittleEndian
	b[0], b[1] = h.flags, h.gsoType
	le.PutUint16(b[2:], h.hdrLen)
	le.PutUint16(b[4:], h.gsoSize)
	le.PutUint16(b[6:], h.csumStart)
	le.PutUint16(b[8:], h.csumOffset)
}

// tcp4 locates the headers of an IPv4/TCP packet.
type tcp4 struct {
	ihl, thl int // header lengths in bytes
	total    int // IP total length
}

var errNotTCP4 = errors.New("not an unfragmented IPv4/TCP packet")

func parseTCP4(p []byte) (tcp4, error) {
	if len(p) < 20 || p[0]>>4 != 4 {
		return tcp4{}, errNotTCP4
	}
	ihl := int(p[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(p[2:]))
	if ihl < 20 || p[9] != 6 || total < ihl+20 || total > len(p) || binary.BigEndian.Uint16(p[6:])&0x3fff != 0 {
		return tcp4{}, errNotTCP4
	}
	thl := int(p[ihl+12]>>4) * 4
	if thl < 20 || ihl+thl > total {
		return tcp4{}, errNotTCP4
	}
	return tcp4{ihl: ihl, thl: thl, total: total}, nil
}

// csumAdd adds b to a ones'-complement running sum.
func csumAdd(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func csumFold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// setIPv4Checksum recomputes the header checksum of an IPv4 header.
func setIPv4Checksum(h []byte) {
	h[10], h[11] = 0, 0
	binary.BigEndian.PutUint16(h[10:], ^csumFold(csumAdd(0, h)))
}

// setTCPPseudoChecksum stores the folded pseudo-header sum in the TCP
// checksum field, as a checksum-offload (NEEDS_CSUM) packet carries it.
func setTCPPseudoChecksum(ip []byte, t tcp4, tcpLen int) {
	sum := csumAdd(0, ip[12:20]) + 6 + uint32(tcpLen)
	binary.BigEndian.PutUint16(ip[t.ihl+16:], csumFold(sum))
}

const (
	tcpFlagFIN = 0x01
	tcpFlagSYN = 0x02
	tcpFlagRST = 0x04
	tcpFlagPSH = 0x08
	tcpFlagACK = 0x10
	tcpFlagURG = 0x20
	tcpFlagCWR = 0x80
)

// segmentTCP4 cuts a TSO super-packet ip (without virtio header) into
// segments of at most mss payload bytes, calling emit with each segment's
// virtio header and IP packet written into dst (which must hold
// vnetHdrLen+ihl+thl+mss bytes). It returns the number of segments.
func segmentTCP4(ip []byte, mss int, ecn bool, dst func() []byte, emit func(seg []byte)) (int, error) {
	t, err := parseTCP4(ip)
	if err != nil {
		return 0, err
	}
	hl := t.ihl + t.thl
	payload := ip[hl:t.total]
	if mss <= 0 {
		return 0, fmt.Errorf("gso_size %d", mss)
	}
	seq := binary.BigEndian.Uint32(ip[t.ihl+4:])
	id := binary.BigEndian.Uint16(ip[4:])
	flags := ip[t.ihl+13]
	n := 0
	for off := 0; off < len(payload) || n == 0; off += mss {
		end := min(off+mss, len(payload))
		seg := dst()
		if len(seg) < vnetHdrLen+hl+end-off {
			return n, fmt.Errorf("segment buffer of %d bytes too small for %d", len(seg), vnetHdrLen+hl+end-off)
		}
		vnetHdr{flags: vnetFlagNeedsCsum, csumStart: uint16(t.ihl), csumOffset: 16}.encode(seg)
		p := seg[vnetHdrLen:]
		copy(p, ip[:hl])
		copy(p[hl:], payload[off:end])
		segLen := hl + end - off
		binary.BigEndian.PutUint16(p[2:], uint16(segLen))
		binary.BigEndian.PutUint16(p[4:], id+uint16(n))
		setIPv4Checksum(p[:t.ihl])
		binary.BigEndian.PutUint32(p[t.ihl+4:], seq+uint32(off))
		f := flags
		if end < len(payload) {
			f &^= tcpFlagFIN | tcpFlagPSH // only the last segment ends or pushes
		}
		if n > 0 && ecn {
			f &^= tcpFlagCWR // only the first segment signals CWR
		}
		p[t.ihl+13] = f
		setTCPPseudoChecksum(p, t, segLen-t.ihl)
		emit(seg[:vnetHdrLen+segLen])
		n++
		if end == len(payload) {
			break
		}
	}
	return n, nil
}
