package linkemu

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// superPacket builds an IPv4/TCP packet with a 12-byte timestamp option
// and payload bytes of data.
func superPacket(payload int, seq uint32, flags byte) []byte {
	const ihl, thl = 20, 32
	p := make([]byte, ihl+thl+payload)
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[2:], uint16(len(p)))
	binary.BigEndian.PutUint16(p[4:], 100) // id
	p[6] = 0x40                            // DF
	p[8], p[9] = 64, 6
	copy(p[12:], []byte{10, 201, 0, 1, 10, 201, 0, 2})
	setIPv4Checksum(p[:ihl])
	tcp := p[ihl:]
	binary.BigEndian.PutUint16(tcp[0:], 40000)
	binary.BigEndian.PutUint16(tcp[2:], 5201)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], 777)
	tcp[12] = thl / 4 << 4
	tcp[13] = flags
	binary.BigEndian.PutUint16(tcp[14:], 500)
	copy(tcp[20:], []byte{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2})
	for i := range payload {
		p[ihl+thl+i] = byte(i)
	}
	return p
}

func segmentAll(t *testing.T, ip []byte, mss int) [][]byte {
	t.Helper()
	var segs [][]byte
	var cur []byte
	_, err := segmentTCP4(ip, mss, false, func() []byte { cur = make([]byte, 2048); return cur },
		func(seg []byte) { segs = append(segs, seg) })
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

func TestVnetHdrRoundTrip(t *testing.T) {
	h := vnetHdr{flags: 1, gsoType: vnetGSOTCPv4, hdrLen: 52, gsoSize: 1448, csumStart: 20, csumOffset: 16}
	b := make([]byte, vnetHdrLen)
	h.encode(b)
	got, err := decodeVnetHdr(b)
	if err != nil || got != h {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", h, got, err)
	}
	if _, err := decodeVnetHdr(b[:9]); err == nil {
		t.Fatal("short header accepted")
	}
}

func TestSegmentTCP4(t *testing.T) {
	ip := superPacket(10000, 5000, tcpFlagACK|tcpFlagPSH)
	segs := segmentAll(t, ip, 1448)
	if len(segs) != 7 { // 6 × 1448 + 1312
		t.Fatalf("%d segments, want 7", len(segs))
	}
	seq := uint32(5000)
	for i, s := range segs {
		h, _ := decodeVnetHdr(s)
		if h.gsoType != vnetGSONone || h.flags != vnetFlagNeedsCsum || h.csumStart != 20 || h.csumOffset != 16 {
			t.Fatalf("segment %d header %+v", i, h)
		}
		p := s[vnetHdrLen:]
		tt, err := parseTCP4(p)
		if err != nil || tt.total != len(p) {
			t.Fatalf("segment %d: %v, total %d len %d", i, err, tt.total, len(p))
		}
		if csumFold(csumAdd(0, p[:20])) != 0xffff {
			t.Fatalf("segment %d: bad IP checksum", i)
		}
		if got := binary.BigEndian.Uint32(p[24:]); got != seq {
			t.Fatalf("segment %d: seq %d, want %d", i, got, seq)
		}
		if id := binary.BigEndian.Uint16(p[4:]); id != 100+uint16(i) {
			t.Fatalf("segment %d: id %d", i, id)
		}
		last := i == len(segs)-1
		if psh := p[33]&tcpFlagPSH != 0; psh != last {
			t.Fatalf("segment %d: PSH=%v", i, psh)
		}
		seq += uint32(len(p) - 52)
	}
}

func TestSegmentTCP4Errors(t *testing.T) {
	buf := func() []byte { return make([]byte, 2048) }
	for name, ip := range map[string][]byte{
		"empty":     nil,
		"ipv6":      {0x60, 0, 0, 0},
		"udp":       func() []byte { p := superPacket(10, 1, 0); p[9] = 17; return p }(),
		"truncated": superPacket(100, 1, 0)[:60],
	} {
		if _, err := segmentTCP4(ip, 1448, false, buf, func([]byte) {}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := segmentTCP4(superPacket(100, 1, 0), 0, false, buf, func([]byte) {}); err == nil {
		t.Error("mss 0 accepted")
	}
	if _, err := segmentTCP4(superPacket(3000, 1, 0), 2000, false, func() []byte { return make([]byte, 100) }, func([]byte) {}); err == nil {
		t.Error("small segment buffer accepted")
	}
}

func TestCoalesceRebuildsSuperPacket(t *testing.T) {
	ip := superPacket(10000, 5000, tcpFlagACK|tcpFlagPSH)
	segs := segmentAll(t, ip, 1448)
	out := make([]byte, vnetHdrLen+maxSuperPacket)
	k, n := coalesceTCP4(segs, out)
	if k != len(segs) {
		t.Fatalf("merged %d of %d", k, len(segs))
	}
	h, _ := decodeVnetHdr(out)
	if h.gsoType != vnetGSOTCPv4 || h.gsoSize != 1448 || h.hdrLen != 52 || h.flags != vnetFlagNeedsCsum {
		t.Fatalf("header %+v", h)
	}
	got := out[vnetHdrLen:n]
	// Same packet as the original except the TCP checksum field.
	want := bytes.Clone(ip)
	copy(want[36:38], got[36:38])
	if !bytes.Equal(got, want) {
		t.Fatal("merged packet differs from the original")
	}
}

func TestCoalesceStops(t *testing.T) {
	out := make([]byte, vnetHdrLen+maxSuperPacket)
	segs := segmentAll(t, superPacket(1448*6, 0, tcpFlagACK), 1448)
	tests := []struct {
		name   string
		frames [][]byte
		want   int
	}{
		{"gap after 2", append(append([][]byte{}, segs[:2]...), segs[3:]...), 2},
		{"single", segs[:1], 1},
		{"other flow", [][]byte{segs[0], segmentAll(t, superPacket(1448, 1448, tcpFlagACK|tcpFlagFIN), 1448)[0]}, 1},
		{"psh ends run", append(segmentAll(t, superPacket(1448*2, 0, tcpFlagACK|tcpFlagPSH), 1448), segs[2:]...), 2},
		{"pure ack", [][]byte{segmentAll(t, superPacket(0, 0, tcpFlagACK), 1448)[0], segs[0]}, 1},
		{"not tcp", [][]byte{make([]byte, 40), segs[0]}, 1},
	}
	for _, tt := range tests {
		if k, _ := coalesceTCP4(tt.frames, out); k != tt.want {
			t.Errorf("%s: merged %d, want %d", tt.name, k, tt.want)
		}
	}
}

func FuzzSegmentTCP4(f *testing.F) {
	f.Add(superPacket(3000, 1, tcpFlagACK), uint16(1448))
	f.Add(superPacket(0, 1, tcpFlagSYN), uint16(536))
	f.Add([]byte{0x45, 0, 0, 20}, uint16(1))
	f.Fuzz(func(t *testing.T, ip []byte, mss uint16) {
		var segs [][]byte
		n, err := segmentTCP4(ip, int(mss), true, func() []byte { return make([]byte, 2048) }, func(s []byte) { segs = append(segs, s) })
		if err != nil {
			return
		}
		if n != len(segs) || n == 0 {
			t.Fatalf("n=%d segments=%d", n, len(segs))
		}
		out := make([]byte, vnetHdrLen+maxSuperPacket)
		if k, _ := coalesceTCP4(segs, out); k < 1 || k > len(segs) {
			t.Fatalf("coalesce merged %d of %d", k, len(segs))
		}
	})
}

func FuzzCoalesceTCP4(f *testing.F) {
	seg := append(make([]byte, vnetHdrLen), superPacket(100, 1, tcpFlagACK)...)
	f.Add(seg, seg)
	f.Add([]byte{}, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		out := make([]byte, vnetHdrLen+maxSuperPacket)
		k, n := coalesceTCP4([][]byte{a, b, a}, out)
		if k < 1 || k > 3 || n < 0 || n > len(out) {
			t.Fatalf("k=%d n=%d", k, n)
		}
		if _, err := decodeVnetHdr(a); err == nil {
			_ = parseSegOK(a)
		}
	})
}

func parseSegOK(b []byte) bool { _, ok := parseSeg(b); return ok }
