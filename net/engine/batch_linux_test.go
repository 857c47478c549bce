package engine

import (
	"bytes"
	"encoding/binary"
	"net"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// cmsg encodes one control message.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, syscall.CmsgSpace(len(data)))
	h := (*syscall.Cmsghdr)(unsafePointer(b))
	h.Level, h.Type = level, typ
	h.SetLen(syscall.CmsgLen(len(data)))
	copy(b[syscall.CmsgLen(0):], data)
	return b
}

func TestGROSegment(t *testing.T) {
	size := binary.NativeEndian.AppendUint32(nil, 1472)
	tests := []struct {
		name string
		oob  []byte
		want int
	}{
		{"none", nil, 0},
		{"gro", cmsg(syscall.IPPROTO_UDP, udpGRO, size), 1472},
		{"after another", append(cmsg(syscall.IPPROTO_IP, syscall.IP_TOS, []byte{1}), cmsg(syscall.IPPROTO_UDP, udpGRO, size)...), 1472},
		{"other only", cmsg(syscall.IPPROTO_IP, syscall.IP_TOS, []byte{1}), 0},
		{"short data", cmsg(syscall.IPPROTO_UDP, udpGRO, []byte{1, 2}), 0},
		{"truncated", cmsg(syscall.IPPROTO_UDP, udpGRO, size)[:10], 0},
		{"length beyond buffer", func() []byte {
			b := cmsg(syscall.IPPROTO_UDP, udpGRO, size)
			(*syscall.Cmsghdr)(unsafePointer(b)).SetLen(1000)
			return b
		}(), 0},
	}
	for _, tt := range tests {
		if got := groSegment(tt.oob); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestGROAggregateSplit sends one GSO message of three datagrams over
// loopback: the endpoint must count three datagrams of their own sizes
// (each then refused as garbage), not one aggregate.
func TestGROAggregateSplit(t *testing.T) {
	e, err := Listen("127.0.0.1:0", Config{MaxPacket: 1472})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if !e.Stats().GRO {
		t.Skip("UDP_GRO not available")
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := newBatchIO(c, t.Logf)
	if !b.gso.Load() {
		t.Skip("UDP_SEGMENT not available")
	}
	pkts := [][]byte{bytes.Repeat([]byte{1}, 1000), bytes.Repeat([]byte{2}, 1000), bytes.Repeat([]byte{3}, 600)}
	var scratch []batchMsg
	if err := b.write(pkts, e.LocalAddr(), &scratch); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.Stats().DroppedBadHeader < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	st := e.Stats()
	if st.PacketsIn != 3 || st.BytesIn != 2600 || st.DroppedBadHeader != 3 {
		t.Fatalf("in %d datagrams / %d bytes, %d refused; want 3 / 2600 / 3", st.PacketsIn, st.BytesIn, st.DroppedBadHeader)
	}
}

func unsafePointer(b []byte) unsafe.Pointer { return unsafe.Pointer(&b[0]) }

// rxTime carries the kernel's arrival stamp onto the monotonic clock of the
// read, and keeps the read time when the stamp is missing, malformed or
// implausible (a stepped wall clock).
func TestRxTime(t *testing.T) {
	now := time.Now()
	stamp := func(d time.Duration) []byte {
		ts := now.Add(-d)
		b := binary.NativeEndian.AppendUint64(nil, uint64(ts.Unix()))
		return cmsg(syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, binary.NativeEndian.AppendUint64(b, uint64(ts.Nanosecond())))
	}
	gro := cmsg(syscall.IPPROTO_UDP, udpGRO, binary.NativeEndian.AppendUint32(nil, 1472))
	for _, tt := range []struct {
		name string
		oob  []byte
		age  time.Duration // want now - age
	}{
		{"none", nil, 0},
		{"5 ms before the read", stamp(5 * time.Millisecond), 5 * time.Millisecond},
		{"after a GRO segment", append(gro, stamp(40*time.Millisecond)...), 40 * time.Millisecond},
		{"in the future", stamp(-time.Second), 0},
		{"older than maxRxAge", stamp(2 * maxRxAge), 0},
		{"short", cmsg(syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, make([]byte, 8)), 0},
		{"other type", cmsg(syscall.SOL_SOCKET, syscall.SO_TIMESTAMP, make([]byte, 16)), 0},
	} {
		at := rxTime(tt.oob, now)
		if got := now.Sub(at); got != tt.age {
			t.Errorf("%s: arrival %v before the read, want %v", tt.name, got, tt.age)
		}
		if at.Round(0) == at {
			t.Errorf("%s: arrival lost the monotonic clock reading", tt.name)
		}
	}
}

// A socket of the endpoint stamps arrivals: datagrams that wait in the
// socket while nobody reads are dated by when they came, not when read.
func TestReadLoopDatesArrivals(t *testing.T) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := newBatchIO(c, t.Logf)
	if !b.rxts {
		t.Skip("SO_TIMESTAMPNS not available")
	}
	s, err := net.DialUDP("udp4", nil, c.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sent := time.Now()
	if _, err := s.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	const wait = 200 * time.Millisecond
	time.Sleep(wait) // the datagram waits in the socket buffer
	msgs := []batchMsg{{Buffers: [][]byte{make([]byte, 16)}, OOB: make([]byte, syscall.CmsgSpace(4)+syscall.CmsgSpace(16))}}
	if _, err := b.pc.ReadBatch(msgs, 0); err != nil {
		t.Fatal(err)
	}
	read := time.Now()
	at := rxTime(msgs[0].OOB[:msgs[0].NN], read)
	if at.Before(sent) || read.Sub(at) < wait/2 {
		t.Errorf("arrival %v after the send and %v before the read; want it near the send, %v before the read", at.Sub(sent), read.Sub(at), wait)
	}
}

func FuzzRxTime(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, syscall.CmsgSpace(16)))
	now := time.Now()
	f.Fuzz(func(t *testing.T, oob []byte) {
		if at := rxTime(oob, now); at.After(now) || now.Sub(at) > maxRxAge {
			t.Fatalf("arrival %v before the read, outside [0, %v]", now.Sub(at), maxRxAge)
		}
	})
}

func FuzzGROSegment(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, syscall.CmsgSpace(4)))
	f.Fuzz(func(t *testing.T, oob []byte) {
		groSegment(oob) // must not panic or read past oob on any control data
	})
}
