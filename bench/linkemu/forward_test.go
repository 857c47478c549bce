package linkemu

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// seqpacketPair returns two connected packet-oriented sockets, standing in
// for a TUN device (app side) and its file descriptor (emulator side).
func seqpacketPair(t *testing.T) (app, emu *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	app, emu = os.NewFile(uintptr(fds[0]), "app"), os.NewFile(uintptr(fds[1]), "emu")
	t.Cleanup(func() { app.Close(); emu.Close() })
	return app, emu
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func startEmulator(t *testing.T, cfg Config) (appA, appB *os.File, e *Emulator, stop func() error) {
	t.Helper()
	appA, emuA := seqpacketPair(t)
	appB, emuB := seqpacketPair(t)
	e, err := New(emuA, emuB, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(5 * time.Second):
				runErr = fmt.Errorf("Run did not return within 5 s of cancel")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return appA, appB, e, stop
}

func TestEmulatorForwardsInOrderAfterDelay(t *testing.T) {
	const delay = 20 * time.Millisecond
	appA, appB, e, stop := startEmulator(t, Config{AtoB: DirConfig{Delay: delay}, BtoA: DirConfig{Delay: delay}})
	const n = 50
	sent := make([]time.Time, n)
	for i := range n {
		sent[i] = time.Now()
		if _, err := appA.Write(bytes.Repeat([]byte{byte(i)}, 100+i)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 4096)
	appB.SetReadDeadline(time.Now().Add(5 * time.Second))
	for i := range n {
		m, err := appB.Read(buf)
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if got := time.Since(sent[i]); got < delay {
			t.Errorf("packet %d arrived after %v, before the %v delay", i, got, delay)
		}
		if !bytes.Equal(buf[:m], bytes.Repeat([]byte{byte(i)}, 100+i)) {
			t.Fatalf("packet %d: got %d bytes starting %d, out of order or corrupted", i, m, buf[0])
		}
	}
	// And back.
	if _, err := appB.Write([]byte("pong")); err != nil {
		t.Fatal(err)
	}
	appA.SetReadDeadline(time.Now().Add(5 * time.Second))
	if m, err := appA.Read(buf); err != nil || string(buf[:m]) != "pong" {
		t.Fatalf("reverse: %q, %v", buf[:m], err)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	s := e.Snapshot()
	if s.AtoB.Forwarded != n || s.AtoB.Received != n || s.BtoA.Forwarded != 1 || s.AtoB.InFlight != 0 {
		t.Fatalf("counters: %+v", s)
	}
	wantBytes := uint64(0)
	for i := range n {
		wantBytes += uint64(100 + i)
	}
	if s.AtoB.ForwardedBytes != wantBytes || s.AtoB.ReceivedBytes != wantBytes {
		t.Fatalf("bytes: %+v, want %d", s.AtoB, wantBytes)
	}
}

func TestEmulatorCountsLoss(t *testing.T) {
	appA, _, e, stop := startEmulator(t, Config{AtoB: DirConfig{Loss: 1}})
	for range 100 {
		if _, err := appA.Write(make([]byte, 200)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "100 packets read", func() bool { return e.Snapshot().AtoB.Received == 100 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if s := e.Snapshot().AtoB; s.DroppedLoss != 100 || s.Forwarded != 0 {
		t.Fatalf("counters: %+v", s)
	}
}

func TestEmulatorDelayLineOverflow(t *testing.T) {
	appA, _, e, stop := startEmulator(t, Config{AtoB: DirConfig{Delay: 10 * time.Second}, MaxInFlight: 4})
	for range 10 {
		if _, err := appA.Write(make([]byte, 200)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "10 packets read", func() bool { return e.Snapshot().AtoB.Received == 10 })
	s := e.Snapshot().AtoB
	if s.DroppedOverflow != 6 || s.InFlight != 4 || s.Forwarded != 0 {
		t.Fatalf("counters: %+v", s)
	}
	// Stopping with packets held must not wait for their departure.
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestEmulatorOversizedPacketIsAnError(t *testing.T) {
	appA, appB, e, stop := startEmulator(t, Config{BufSize: 256})
	if _, err := appA.Write(make([]byte, 256)); err != nil {
		t.Fatal(err)
	}
	if _, err := appA.Write(make([]byte, 255)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	appB.SetReadDeadline(time.Now().Add(5 * time.Second))
	if m, err := appB.Read(buf); err != nil || m != 255 {
		t.Fatalf("read %d, %v; want the 255-byte packet only", m, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if s := e.Snapshot().AtoB; s.ReadErrors != 1 || s.Forwarded != 1 {
		t.Fatalf("counters: %+v", s)
	}
}

func TestEmulatorStopsWhenEndpointCloses(t *testing.T) {
	appA, emuA := seqpacketPair(t)
	_, emuB := seqpacketPair(t)
	e, err := New(emuA, emuB, Config{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.Run(context.Background()) }()
	appA.Close() // peer gone: the emulator's reads of A see EOF
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a→b: linkemu: input ended") {
			t.Fatalf("Run = %v, want an input-ended error for a→b", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its endpoint's peer closed")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, a := seqpacketPair(t)
	_, b := seqpacketPair(t)
	if _, err := New(a, b, Config{BtoA: DirConfig{Loss: 2}}); err == nil {
		t.Fatal("loss 2 accepted")
	}
	if _, err := New(nil, b, Config{}); err == nil {
		t.Fatal("nil endpoint accepted")
	}
}
