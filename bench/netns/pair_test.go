package netns

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/bench/linkemu"
)

func needRoot(t *testing.T) {
	t.Helper()
	if err := RequireRoot(); err != nil {
		t.Skip("skip:", err)
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skip("skip: no /dev/net/tun")
	}
}

func TestRequireRootMessage(t *testing.T) {
	err := RequireRoot()
	if os.Geteuid() == 0 {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), "needs root") {
		t.Fatalf("RequireRoot() = %v", err)
	}
}

func TestCreateRejectsBadNames(t *testing.T) {
	for _, name := range []string{"", "a/b", "../x", "-x", strings.Repeat("a", 64)} {
		if _, err := Create(context.Background(), name); err == nil || !strings.Contains(err.Error(), "bad namespace name") {
			t.Errorf("Create(%q) = %v", name, err)
		}
	}
}

// TestPairThroughEmulator builds a real pair, runs the emulator between the
// TUN devices and sends UDP from a socket in A to a socket in B and back.
func TestPairThroughEmulator(t *testing.T) {
	needRoot(t)
	ctx := context.Background()
	suffix := fmt.Sprintf("t%d", os.Getpid())
	p, err := NewPair(ctx, PairConfig{Suffix: suffix, AddrA: netip.MustParsePrefix("10.201.9.1/30"), AddrB: netip.MustParsePrefix("10.201.9.2/30")})
	if err != nil {
		t.Fatal(err)
	}
	nameA, nameB := NamesFor(suffix)
	defer func() {
		if err := p.Close(ctx); err != nil {
			t.Error(err)
		}
		if Exists(nameA) || Exists(nameB) {
			t.Error("namespaces left behind")
		}
	}()
	if !Exists(nameA) || !Exists(nameB) {
		t.Fatal("namespaces missing")
	}
	if _, err := NewPair(ctx, PairConfig{Suffix: suffix}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second pair with the same suffix: %v", err)
	}
	// The device exists in A, not in the root namespace.
	if out, err := p.A.IPOutput(ctx, "-br", "addr", "show", "dev", "jsb0"); err != nil || !strings.Contains(string(out), "10.201.9.1/30") {
		t.Fatalf("ip addr in A: %q, %v", out, err)
	}
	if _, err := net.InterfaceByName("jsb0"); err == nil {
		t.Fatal("jsb0 visible in the root namespace")
	}

	const delay = 15 * time.Millisecond
	e, err := linkemu.New(p.TunA, p.TunB, linkemu.Config{AtoB: linkemu.DirConfig{Delay: delay}, BtoA: linkemu.DirConfig{Delay: delay}})
	if err != nil {
		t.Fatal(err)
	}
	ectx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.Run(ectx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}
	defer stop()

	var srv, cli *net.UDPConn
	if err := p.B.Do(func() (err error) {
		srv, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("10.201.9.2:0")))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := p.A.Do(func() (err error) {
		cli, err = net.DialUDP("udp4", nil, srv.LocalAddr().(*net.UDPAddr))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	start := time.Now()
	if _, err := cli.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := srv.ReadFromUDP(buf)
	if err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("B got %q, %v", buf[:n], err)
	}
	if _, err := srv.WriteToUDP([]byte("pong"), from); err != nil {
		t.Fatal(err)
	}
	cli.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err = cli.Read(buf); err != nil || string(buf[:n]) != "pong" {
		t.Fatalf("A got %q, %v", buf[:n], err)
	}
	if rtt := time.Since(start); rtt < 2*delay {
		t.Fatalf("round trip %v shorter than the emulated %v", rtt, 2*delay)
	}
	stop() // counters are final once Run returns
	s := e.Snapshot()
	if s.AtoB.Forwarded < 1 || s.BtoA.Forwarded < 1 {
		t.Fatalf("counters: %+v", s)
	}
}
