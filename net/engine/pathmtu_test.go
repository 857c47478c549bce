package engine

import (
	"context"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

func TestDatagramForMTU(t *testing.T) {
	tests := []struct {
		mtu  int
		ipv6 bool
		want int
	}{
		{1500, false, 1472},
		{1500, true, 1452},
		{9000, false, 8972},
		{65536, false, wire.MaxDatagram}, // loopback
		{1280, true, 1232},
		{100, false, wire.MinPacket}, // absurd MTU: never below the protocol minimum
		{0, false, wire.MinPacket},
	}
	for _, tt := range tests {
		if got := datagramForMTU(tt.mtu, tt.ipv6); got != tt.want {
			t.Errorf("datagramForMTU(%d, v6=%v) = %d, want %d", tt.mtu, tt.ipv6, got, tt.want)
		}
	}
}

func TestParseMaxPacket(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"", 0, false},
		{"1472", 1472, false},
		{"65507", 65507, false},
		{"576", 576, false},
		{"575", 0, true},
		{"65508", 0, true},
		{"-1", 0, true},
		{"9k", 0, true},
	}
	for _, tt := range tests {
		got, err := parseMaxPacket(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseMaxPacket(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), MaxPacketEnv) {
			t.Errorf("error %q does not name %s", err, MaxPacketEnv)
		}
	}
}

func TestConfigMaxPacket(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		env      string
		wantMax  int
		wantAuto bool
		wantLog  bool
	}{
		{"auto", Config{}, "", wire.MaxDatagram, true, false},
		{"fixed", Config{MaxPacket: 1472}, "", 1472, false, false},
		{"fixed beats env", Config{MaxPacket: 9000}, "1472", 9000, false, false},
		{"env override", Config{}, "8972", 8972, false, false},
		{"bad env ignored", Config{}, "huge", wire.MaxDatagram, true, true},
		{"clamped low", Config{MaxPacket: 10}, "", wire.MinPacket, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(MaxPacketEnv, tt.env)
			logged := false
			tt.cfg.Logf = func(string, ...any) { logged = true }
			c := tt.cfg.withDefaults()
			if c.MaxPacket != tt.wantMax || c.autoPacket != tt.wantAuto || logged != tt.wantLog {
				t.Fatalf("MaxPacket %d auto %v logged %v; want %d %v %v", c.MaxPacket, c.autoPacket, logged, tt.wantMax, tt.wantAuto, tt.wantLog)
			}
			if again := c.withDefaults(); again.MaxPacket != c.MaxPacket || again.autoPacket != c.autoPacket {
				t.Fatalf("withDefaults not idempotent: %+v", again)
			}
			if c.autoPacket && c.QueueLen != 8192 {
				t.Fatalf("auto QueueLen %d: must be sized for 1472-byte datagrams", c.QueueLen)
			}
		})
	}
}

func TestRouteMTULoopback(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("route MTU probing is Linux-only")
	}
	mtu, err := routeMTU(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9})
	if err != nil {
		t.Fatal(err)
	}
	if mtu < 1500 {
		t.Fatalf("loopback MTU %d", mtu)
	}
	lo, err := net.InterfaceByName("lo")
	if err == nil && min(lo.MTU, 65535) != mtu { // the kernel caps IP_MTU at the IP maximum
		t.Fatalf("route MTU %d, interface lo has %d", mtu, lo.MTU)
	}
}

func TestPathMaxFallbacks(t *testing.T) {
	t.Setenv(MaxPacketEnv, "")
	lo := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}
	var logs []string
	logf := func(f string, a ...any) { logs = append(logs, f) }

	fixed := &Endpoint{cfg: Config{MaxPacket: 1400, Logf: logf}.withDefaults(), probeRoutes: true}
	if got := fixed.pathMax(lo); got != 1400 {
		t.Errorf("fixed: %d", got)
	}
	notKernel := &Endpoint{cfg: Config{Logf: logf}.withDefaults()}
	if got := notKernel.pathMax(lo); got != DefaultMaxPacket {
		t.Errorf("non-UDP conn: %d", got)
	}
	auto := &Endpoint{cfg: Config{Logf: logf}.withDefaults(), probeRoutes: true}
	if got := auto.pathMax(nil); got != DefaultMaxPacket {
		t.Errorf("nil addr: %d", got)
	}
	if runtime.GOOS == "linux" {
		if got := auto.pathMax(lo); got != wire.MaxDatagram {
			t.Errorf("loopback: %d, want %d", got, wire.MaxDatagram)
		}
	}
	if len(logs) != 0 {
		t.Errorf("unexpected warnings %q", logs)
	}
}

// TestDatagramSizeNegotiated runs real transfers and checks the size both
// sides settle on: the path's on loopback, the smaller side's otherwise,
// and the 1472 default over a conn that is not a kernel socket.
func TestDatagramSizeNegotiated(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("route MTU probing is Linux-only")
	}
	t.Setenv(MaxPacketEnv, "")
	tests := []struct {
		name       string
		send, recv Config
		netsim     bool
		want       int
	}{
		{"loopback auto", Config{}, Config{}, false, wire.MaxDatagram},
		{"receiver fixed small", Config{}, Config{MaxPacket: 1472}, false, 1472},
		{"sender fixed", Config{MaxPacket: 9000}, Config{}, false, 9000},
		{"netsim auto", Config{}, Config{}, true, DefaultMaxPacket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p pair
			if tt.netsim {
				p, _ = netsimPair(t, netsimLink(time.Millisecond), tt.send)
			} else {
				a, err := Listen("127.0.0.1:0", tt.send)
				if err != nil {
					t.Fatal(err)
				}
				b, err := Listen("127.0.0.1:0", tt.recv)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close(); b.Close() })
				p = pair{send: a, recv: b}
			}
			src, dst := t.TempDir(), t.TempDir()
			files := makeTree(t, src, treeSpec{large: []int{300000}, small: 3, smallSize: 5000}, 7)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "mtu"), files: files,
				sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)})}
			snd, rcv := tr.start(t, ctx, p)
			waitDone(t, 20*time.Second, snd, rcv)
			if snd.Err() != nil || rcv.Err() != nil {
				t.Fatalf("errors: %v %v", snd.Err(), rcv.Err())
			}
			checkTree(t, files, dst)
			if s, r := snd.Stats().MaxPacket, rcv.Stats().MaxPacket; s != tt.want || r != tt.want {
				t.Fatalf("datagram size: sender %d receiver %d, want %d", s, r, tt.want)
			}
		})
	}
}

func TestBufPools(t *testing.T) {
	ps := newBufPools(wire.MaxDatagram + 1)
	if len(ps) != 3 {
		t.Fatalf("%d classes", len(ps))
	}
	for _, tt := range []struct{ n, want int }{{0, wire.MaxDatagram + 1}, {1473, 2048}, {2049, 9216}, {9217, wire.MaxDatagram + 1}, {1 << 20, wire.MaxDatagram + 1}} {
		if b := ps.get(tt.n); cap(*b) != tt.want || len(*b) != tt.want {
			t.Errorf("get(%d): %d bytes, want %d", tt.n, cap(*b), tt.want)
		}
	}
	big := ps.get(0)
	copy(*big, "datagram")
	small := ps.shrink(big, 8)
	if cap(*small) != 2048 || string((*small)[:8]) != "datagram" {
		t.Fatalf("shrink: %d bytes %q", cap(*small), (*small)[:8])
	}
	if again := ps.get(0); again != big {
		t.Error("shrink did not return the large buffer to its pool")
	}
	if kept := ps.shrink(big, 5000); cap(*kept) != 9216 {
		t.Errorf("5000 bytes shrank to %d", cap(*kept))
	}
	if kept := ps.shrink(ps.get(0), 20000); cap(*kept) != wire.MaxDatagram+1 {
		t.Errorf("20000 bytes moved to %d", cap(*kept))
	}
	one := newBufPools(1473)
	if len(one) != 1 {
		t.Fatalf("fixed 1472: %d classes", len(one))
	}
	b := one.get(0)
	if one.shrink(b, 10) != b {
		t.Error("single class must not copy")
	}
	foreign := make([]byte, 77)
	one.put(&foreign) // dropped, not pooled
	if got := one.get(0); cap(*got) != 1473 {
		t.Errorf("foreign buffer pooled: %d", cap(*got))
	}
}
