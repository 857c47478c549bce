package linkemu

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// udpPacket builds an IPv4/UDP packet from port sport with payload bytes
// of data (byte i = i + salt).
func udpPacket(payload int, sport uint16, salt byte) []byte {
	const ihl = 20
	p := make([]byte, ihl+udpHdrLen+payload)
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[4:], 7)
	p[6] = 0x40 // DF
	p[8], p[9] = 64, 17
	copy(p[12:], []byte{10, 201, 0, 1, 10, 201, 0, 2})
	binary.BigEndian.PutUint16(p[ihl:], sport)
	binary.BigEndian.PutUint16(p[ihl+2:], 40000)
	for i := range payload {
		p[ihl+udpHdrLen+i] = byte(i) + salt
	}
	finishUDP4(p, ihl, len(p))
	return p
}

func segmentUDPAll(t *testing.T, ip []byte, seg int) [][]byte {
	t.Helper()
	var frames [][]byte
	if _, err := segmentUDP4(ip, seg, func() []byte { return make([]byte, 2048) },
		func(f []byte) { frames = append(frames, f) }); err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestSegmentUDP4(t *testing.T) {
	ip := udpPacket(1472*3+100, 5000, 0)
	frames := segmentUDPAll(t, ip, 1472)
	if len(frames) != 4 {
		t.Fatalf("%d datagrams, want 4", len(frames))
	}
	var joined []byte
	for i, f := range frames {
		h, err := decodeVnetHdr(f)
		if err != nil || h != udpCsumHdr(20) {
			t.Fatalf("datagram %d: header %+v %v", i, h, err)
		}
		p := f[vnetHdrLen:]
		ihl, total, err := parseUDP4(p)
		if err != nil || total != len(p) {
			t.Fatalf("datagram %d: %v total %d len %d", i, err, total, len(p))
		}
		if want := min(1472, 1472*3+100-i*1472); total-ihl-udpHdrLen != want {
			t.Fatalf("datagram %d: payload %d, want %d", i, total-ihl-udpHdrLen, want)
		}
		if got := int(binary.BigEndian.Uint16(p[ihl+4:])); got != total-ihl {
			t.Fatalf("datagram %d: UDP length %d, want %d", i, got, total-ihl)
		}
		if csumFold(csumAdd(0, p[:ihl])) != 0xffff {
			t.Fatalf("datagram %d: bad IP header checksum", i)
		}
		if got := binary.BigEndian.Uint16(p[4:]); got != 7+uint16(i) {
			t.Fatalf("datagram %d: IP id %d", i, got)
		}
		joined = append(joined, p[ihl+udpHdrLen:]...)
	}
	if !bytes.Equal(joined, ip[28:]) {
		t.Fatal("payloads do not add up to the original")
	}
}

func TestSegmentUDP4Rejects(t *testing.T) {
	buf := func() []byte { return make([]byte, 2048) }
	tcp := superPacket(100, 1, tcpFlagACK)
	frag := udpPacket(100, 1, 0)
	frag[6] = 0x20 // more fragments
	for name, tt := range map[string]struct {
		ip  []byte
		seg int
	}{
		"tcp":        {tcp, 1472},
		"fragment":   {frag, 1472},
		"short":      {[]byte{0x45, 0, 0, 20}, 1472},
		"zero seg":   {udpPacket(100, 1, 0), 0},
		"len > data": {udpPacket(100, 1, 0)[:100], 1472},
	} {
		if _, err := segmentUDP4(tt.ip, tt.seg, buf, func([]byte) {}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := segmentUDP4(udpPacket(3000, 1, 0), 2500, buf, func([]byte) {}); err == nil {
		t.Error("segment larger than the buffer accepted")
	}
}

func TestCoalesceUDP4RebuildsSuperDatagram(t *testing.T) {
	ip := udpPacket(1472*5+9, 5000, 3)
	frames := segmentUDPAll(t, ip, 1472)
	out := make([]byte, vnetHdrLen+maxSuperPacket)
	k, n := coalesceUDP4(frames, out)
	if k != len(frames) {
		t.Fatalf("merged %d of %d", k, len(frames))
	}
	h, _ := decodeVnetHdr(out)
	want := vnetHdr{flags: vnetFlagNeedsCsum, gsoType: vnetGSOUDPL4, hdrLen: 28, gsoSize: 1472, csumStart: 20, csumOffset: 6}
	if h != want {
		t.Fatalf("header %+v, want %+v", h, want)
	}
	got := out[vnetHdrLen:n]
	// The original, except the UDP checksum (a pseudo-header sum now).
	orig := bytes.Clone(ip)
	copy(orig[26:28], got[26:28])
	if !bytes.Equal(got, orig) {
		t.Fatal("merged datagram differs from the original")
	}
	// And it cuts into the same datagrams again.
	again := segmentUDPAll(t, got, int(h.gsoSize))
	if len(again) != len(frames) {
		t.Fatalf("re-cut into %d, want %d", len(again), len(frames))
	}
	for i := range again {
		if !bytes.Equal(again[i], frames[i]) {
			t.Fatalf("datagram %d differs after a round trip", i)
		}
	}
}

func TestCoalesceUDP4Stops(t *testing.T) {
	out := make([]byte, vnetHdrLen+maxSuperPacket)
	segs := segmentUDPAll(t, udpPacket(1000*6, 5000, 0), 1000)
	short := segmentUDPAll(t, udpPacket(1000+500, 5000, 0), 1000) // 1000, 500
	other := segmentUDPAll(t, udpPacket(1000, 5001, 0), 1000)
	bigger := segmentUDPAll(t, udpPacket(1200, 5000, 0), 1200)
	many := segmentUDPAll(t, udpPacket(100*(udpMaxSegs+5), 5000, 0), 100)
	withGSO := append([]byte(nil), segs[1]...)
	withGSO[1] = vnetGSOUDPL4
	tests := []struct {
		name   string
		frames [][]byte
		want   int
	}{
		{"all", segs, 6},
		{"single", segs[:1], 1},
		{"shorter ends run", append(append([][]byte{}, short...), segs...), 2},
		{"other port", [][]byte{segs[0], other[0], segs[1]}, 1},
		{"larger after smaller", [][]byte{segs[0], bigger[0]}, 1},
		{"at most udpMaxSegs", many, udpMaxSegs},
		{"gso frame", [][]byte{segs[0], withGSO}, 1},
		{"tcp", [][]byte{append(make([]byte, vnetHdrLen), superPacket(100, 1, tcpFlagACK)...), segs[0]}, 1},
		{"garbage", [][]byte{make([]byte, 40), segs[0]}, 1},
	}
	for _, tt := range tests {
		if k, _ := coalesceUDP4(tt.frames, out); k != tt.want {
			t.Errorf("%s: merged %d, want %d", tt.name, k, tt.want)
		}
	}
	if k, _ := coalesceUDP4(segs, make([]byte, 100)); k != 1 {
		t.Errorf("small out buffer: merged %d", k)
	}
}

func FuzzSegmentUDP4(f *testing.F) {
	f.Add(udpPacket(3000, 1, 0), uint16(1472))
	f.Add(udpPacket(0, 1, 0), uint16(1))
	f.Add([]byte{0x45, 0, 0, 28}, uint16(8))
	f.Fuzz(func(t *testing.T, ip []byte, seg uint16) {
		var frames [][]byte
		n, err := segmentUDP4(ip, int(seg), func() []byte { return make([]byte, 2048) }, func(s []byte) { frames = append(frames, s) })
		if err != nil {
			return
		}
		if n != len(frames) || n == 0 {
			t.Fatalf("n=%d datagrams=%d", n, len(frames))
		}
		out := make([]byte, vnetHdrLen+maxSuperPacket)
		k, m := coalesceUDP4(frames, out)
		if k < 1 || k > len(frames) || m < 0 || m > len(out) {
			t.Fatalf("coalesce merged %d of %d (%d bytes)", k, len(frames), m)
		}
	})
}
