package linkemu

import (
	"bytes"
	"encoding/binary"
)

// maxSuperPacket is the largest IP packet a GSO write may carry.
const maxSuperPacket = 65535

// tcp4Seg is a parsed candidate segment for merging.
type tcp4Seg struct {
	ip      []byte
	t       tcp4
	payload int
	seq     uint32
	flags   uint8
}

func parseSeg(frame []byte) (tcp4Seg, bool) {
	if len(frame) < vnetHdrLen || frame[1] != vnetGSONone {
		return tcp4Seg{}, false
	}
	ip := frame[vnetHdrLen:]
	t, err := parseTCP4(ip)
	if err != nil || t.total != len(ip) {
		return tcp4Seg{}, false
	}
	return tcp4Seg{ip: ip, t: t, payload: t.total - t.ihl - t.thl,
		seq: binary.BigEndian.Uint32(ip[t.ihl+4:]), flags: ip[t.ihl+13]}, true
}

// sameFlow reports whether b's headers equal a's except for the fields
// that legitimately differ between segments of one TSO burst: IP total
// length, ID and checksum; TCP sequence number, checksum and PSH.
func sameFlow(a, b tcp4Seg) bool {
	if a.t.ihl != b.t.ihl || a.t.thl != b.t.thl {
		return false
	}
	ia, ib := a.ip, b.ip
	if !bytes.Equal(ia[:2], ib[:2]) || !bytes.Equal(ia[6:10], ib[6:10]) || !bytes.Equal(ia[12:a.t.ihl], ib[12:a.t.ihl]) {
		return false
	}
	ta, tb := ia[a.t.ihl:a.t.ihl+a.t.thl], ib[b.t.ihl:b.t.ihl+b.t.thl]
	return bytes.Equal(ta[:4], tb[:4]) && bytes.Equal(ta[8:13], tb[8:13]) &&
		(ta[13]|tcpFlagPSH) == (tb[13]|tcpFlagPSH) && bytes.Equal(ta[14:16], tb[14:16]) && bytes.Equal(ta[18:], tb[18:])
}

// coalesceTCP4 merges the longest run at the start of frames (each a
// virtio header plus an IP packet) that forms one in-order TCP burst into
// a single GSO super-packet written to out, and returns the run length k
// and the bytes written. k <= 1 means nothing was merged: the caller writes
// frames[0] as it is.
func coalesceTCP4(frames [][]byte, out []byte) (k, n int) {
	if len(frames) < 2 {
		return len(frames), 0
	}
	first, ok := parseSeg(frames[0])
	const noMerge = tcpFlagSYN | tcpFlagRST | tcpFlagFIN | tcpFlagURG | tcpFlagPSH | tcpFlagCWR
	if !ok || first.payload == 0 || first.flags&noMerge != 0 {
		return 1, 0
	}
	gso := first.payload
	hl := first.t.ihl + first.t.thl
	total, prev := first.t.total, first
	k = 1
	for k < len(frames) {
		s, ok := parseSeg(frames[k])
		if !ok || prev.payload != gso || s.payload == 0 || s.payload > gso ||
			s.seq != prev.seq+uint32(prev.payload) || total+s.payload > maxSuperPacket ||
			s.flags&(noMerge&^tcpFlagPSH) != 0 || !sameFlow(first, s) {
			break
		}
		total += s.payload
		prev = s
		k++
		if s.flags&tcpFlagPSH != 0 {
			break
		}
	}
	if k == 1 || len(out) < vnetHdrLen+total {
		return 1, 0
	}
	vnetHdr{flags: vnetFlagNeedsCsum, gsoType: vnetGSOTCPv4, hdrLen: uint16(hl), gsoSize: uint16(gso),
		csumStart: uint16(first.t.ihl), csumOffset: 16}.encode(out)
	p := out[vnetHdrLen:]
	copy(p, first.ip[:hl])
	off := hl
	for _, f := range frames[:k] {
		s, _ := parseSeg(f)
		off += copy(p[off:], s.ip[hl:])
	}
	binary.BigEndian.PutUint16(p[2:], uint16(total))
	setIPv4Checksum(p[:first.t.ihl])
	p[first.t.ihl+13] = prev.flags
	setTCPPseudoChecksum(p, first.t, total-first.t.ihl)
	return k, vnetHdrLen + total
}
