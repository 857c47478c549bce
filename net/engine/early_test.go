package engine

import (
	"net"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/wire"
)

// A source that dials before the sink's session exists (the client
// proposed the ticket and said hello with its createTicket request) is
// answered as soon as the session registers, not at its next hello retry.
func TestHeldHelloStartsSessionOnAccept(t *testing.T) {
	p := loopbackPair(t, Config{HelloInterval: time.Hour}) // only the first hello ever goes out
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{small: 3, smallSize: 5000}, 71)
	tk := newTicket(t, CipherAES128, 4242, "early")
	snd, err := p.send.Dial(p.recv.LocalAddr(), tk, Side{Source: NewDiskSource(files), Send: SendOptions{MaxRate: 100 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.recv.Stats().HeldHellos == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the hello was not held")
		}
		time.Sleep(time.Millisecond)
	}
	rcv, err := p.recv.Accept(tk, Side{Sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)})})
	if err != nil {
		t.Fatal(err)
	}
	waitDone(t, 10*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("source %v, sink %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	if st := p.recv.Stats(); st.HeldHellos != 1 {
		t.Errorf("%d hellos held, want the one", st.HeldHellos)
	}
}

// The pool of held hellos is bounded, keeps one hello per conversation,
// forgets hellos after heldHelloTTL and counts what it drops.
func TestHeldHellosBounded(t *testing.T) {
	e, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}
	t0 := time.Now()
	hold := func(conv uint32, at time.Time) {
		bp := e.getBuf()
		pkt := wire.AppendHeader((*bp)[:0], wire.Header{Type: wire.TypeHello, Conv: conv, PN: 1})
		e.holdHello(bp, len(pkt), wire.Header{Type: wire.TypeHello, Conv: conv, PN: 1}, from, at)
	}
	for c := range uint32(maxHeldHellos + 10) {
		hold(c+1, t0.Add(time.Duration(c)*time.Millisecond))
	}
	hold(maxHeldHellos+10, t0.Add(time.Second)) // a retry replaces its conversation's hello
	if n := len(e.held); n != maxHeldHellos {
		t.Fatalf("%d held, want %d", n, maxHeldHellos)
	}
	if _, ok := e.takeHello(1, t0.Add(time.Second)); ok {
		t.Error("the oldest hello was not evicted")
	}
	if got := e.Stats().DroppedUnknownConv; got != 10 {
		t.Errorf("%d counted as dropped, want the 10 evicted", got)
	}
	if _, ok := e.takeHello(maxHeldHellos+10, t0.Add(time.Second)); !ok {
		t.Error("the newest hello is gone")
	}
	if _, ok := e.takeHello(maxHeldHellos+10, t0.Add(time.Second)); ok {
		t.Error("a hello was taken twice")
	}
	if _, ok := e.takeHello(maxHeldHellos+9, t0.Add(heldHelloTTL+time.Second)); ok {
		t.Error("a hello outlived heldHelloTTL")
	}
	if n := len(e.held); n != 0 {
		t.Errorf("%d stale hellos kept", n)
	}
}
