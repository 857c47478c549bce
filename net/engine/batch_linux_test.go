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

func TestGROSegment(t *testing.T) {
	cmsg := func(level, typ int32, data []byte) []byte {
		b := make([]byte, syscall.CmsgSpace(len(data)))
		h := (*syscall.Cmsghdr)(unsafePointer(b))
		h.Level, h.Type = level, typ
		h.SetLen(syscall.CmsgLen(len(data)))
		copy(b[syscall.CmsgLen(0):], data)
		return b
	}
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

func FuzzGROSegment(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, syscall.CmsgSpace(4)))
	f.Fuzz(func(t *testing.T, oob []byte) {
		groSegment(oob) // must not panic or read past oob on any control data
	})
}
