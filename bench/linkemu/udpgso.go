package linkemu

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// UDP segmentation offload (USO): with TUN_F_USO4 on, a sender that uses
// UDP_SEGMENT hands the emulator one super-datagram of up to 64 KiB that
// stands for gso_size-byte datagrams. It is cut here so the link model sees
// wire packets, and runs of surviving datagrams of one flow are merged into
// a super-datagram again on write, which the receiving stack splits (or
// hands to a UDP_GRO socket whole).

// vnetGSOUDPL4 is VIRTIO_NET_HDR_GSO_UDP_L4.
const vnetGSOUDPL4 = 5

// udpMaxSegs is the kernel's UDP_MAX_SEGMENTS: the most datagrams one
// super-datagram may stand for.
const udpMaxSegs = 64

const udpHdrLen = 8

var errNotUDP4 = errors.New("not an unfragmented IPv4/UDP packet")

// parseUDP4 returns the IPv4 header length of an unfragmented IPv4/UDP
// packet and its IP total length.
func parseUDP4(p []byte) (ihl, total int, err error) {
	if len(p) < 20 || p[0]>>4 != 4 {
		return 0, 0, errNotUDP4
	}
	ihl = int(p[0]&0x0f) * 4
	total = int(binary.BigEndian.Uint16(p[2:]))
	if ihl < 20 || p[9] != 17 || total < ihl+udpHdrLen || total > len(p) || binary.BigEndian.Uint16(p[6:])&0x3fff != 0 {
		return 0, 0, errNotUDP4
	}
	return ihl, total, nil
}

// finishUDP4 sets the lengths and checksums of an IPv4/UDP packet of total
// bytes whose payload is in place: a fresh IP header checksum and, in the
// UDP checksum field, the pseudo-header sum a checksum-offload
// (NEEDS_CSUM) packet carries.
func finishUDP4(p []byte, ihl, total int) {
	binary.BigEndian.PutUint16(p[2:], uint16(total))
	setIPv4Checksum(p[:ihl])
	udpLen := total - ihl
	binary.BigEndian.PutUint16(p[ihl+4:], uint16(udpLen))
	binary.BigEndian.PutUint16(p[ihl+6:], csumFold(csumAdd(0, p[12:20])+17+uint32(udpLen)))
}

// udpCsumHdr is the virtio header of a NEEDS_CSUM UDP packet.
func udpCsumHdr(ihl int) vnetHdr {
	return vnetHdr{flags: vnetFlagNeedsCsum, csumStart: uint16(ihl), csumOffset: 6}
}

// segmentUDP4 cuts a USO super-datagram ip (without virtio header) into
// datagrams of at most seg payload bytes, calling emit with each one's
// virtio header and IP packet written into dst (which must hold
// vnetHdrLen+ihl+8+seg bytes). It returns the number of datagrams.
func segmentUDP4(ip []byte, seg int, dst func() []byte, emit func(frame []byte)) (int, error) {
	ihl, total, err := parseUDP4(ip)
	if err != nil {
		return 0, err
	}
	if seg <= 0 {
		return 0, fmt.Errorf("gso_size %d", seg)
	}
	hl := ihl + udpHdrLen
	payload := ip[hl:total]
	id := binary.BigEndian.Uint16(ip[4:])
	n := 0
	for off := 0; off < len(payload) || n == 0; off += seg {
		end := min(off+seg, len(payload))
		frame := dst()
		if len(frame) < vnetHdrLen+hl+end-off {
			return n, fmt.Errorf("segment buffer of %d bytes too small for %d", len(frame), vnetHdrLen+hl+end-off)
		}
		udpCsumHdr(ihl).encode(frame)
		p := frame[vnetHdrLen:]
		copy(p, ip[:hl])
		copy(p[hl:], payload[off:end])
		binary.BigEndian.PutUint16(p[4:], id+uint16(n))
		finishUDP4(p, ihl, hl+end-off)
		emit(frame[:vnetHdrLen+hl+end-off])
		n++
		if end == len(payload) {
			break
		}
	}
	return n, nil
}

// udpSeg is a parsed candidate datagram for merging.
type udpSeg struct {
	ip      []byte
	ihl     int
	payload int
}

func parseUDPSeg(frame []byte) (udpSeg, bool) {
	if len(frame) < vnetHdrLen || frame[1] != vnetGSONone {
		return udpSeg{}, false
	}
	ip := frame[vnetHdrLen:]
	ihl, total, err := parseUDP4(ip)
	if err != nil || total != len(ip) {
		return udpSeg{}, false
	}
	return udpSeg{ip: ip, ihl: ihl, payload: total - ihl - udpHdrLen}, true
}

// sameUDPFlow reports whether b's headers equal a's except for the IP
// total length, ID and checksum and the UDP length and checksum.
func sameUDPFlow(a, b udpSeg) bool {
	ia, ib := a.ip, b.ip
	return a.ihl == b.ihl && bytes.Equal(ia[:2], ib[:2]) && bytes.Equal(ia[6:10], ib[6:10]) &&
		bytes.Equal(ia[12:a.ihl], ib[12:a.ihl]) && bytes.Equal(ia[a.ihl:a.ihl+4], ib[a.ihl:a.ihl+4])
}

// coalesceUDP4 merges the longest run at the start of frames (each a
// virtio header plus an IP packet) that can travel as one USO
// super-datagram: one flow, equal payload sizes (the last may be shorter),
// at most udpMaxSegs datagrams and 64 KiB. It writes the super-datagram to
// out and returns the run length k and the bytes written; k <= 1 means
// nothing was merged and the caller writes frames[0] as it is.
func coalesceUDP4(frames [][]byte, out []byte) (k, n int) {
	if len(frames) < 2 {
		return len(frames), 0
	}
	first, ok := parseUDPSeg(frames[0])
	if !ok || first.payload == 0 {
		return 1, 0
	}
	hl := first.ihl + udpHdrLen
	total, seg := hl+first.payload, first.payload
	k = 1
	for k < len(frames) && k < udpMaxSegs {
		s, ok := parseUDPSeg(frames[k])
		if !ok || s.payload == 0 || s.payload > seg || total+s.payload > maxSuperPacket || !sameUDPFlow(first, s) {
			break
		}
		total += s.payload
		k++
		if s.payload < seg { // a shorter datagram ends a run
			break
		}
	}
	if k == 1 || len(out) < vnetHdrLen+total {
		return 1, 0
	}
	h := udpCsumHdr(first.ihl)
	h.gsoType, h.hdrLen, h.gsoSize = vnetGSOUDPL4, uint16(hl), uint16(seg)
	h.encode(out)
	p := out[vnetHdrLen:]
	copy(p, first.ip[:hl])
	off := hl
	for _, f := range frames[:k] {
		off += copy(p[off:], f[vnetHdrLen+hl:])
	}
	finishUDP4(p, first.ihl, total)
	return k, vnetHdrLen + total
}
