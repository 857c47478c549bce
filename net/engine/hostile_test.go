package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// recConn records the first data datagrams written through it.
type recConn struct {
	net.PacketConn
	mu   sync.Mutex
	pkts [][]byte
}

func (c *recConn) WriteTo(p []byte, a net.Addr) (int, error) {
	if h, err := wire.ParseHeader(p); err == nil && h.Type == wire.TypeData {
		c.mu.Lock()
		if len(c.pkts) < 50 {
			c.pkts = append(c.pkts, bytes.Clone(p))
		}
		c.mu.Unlock()
	}
	return c.PacketConn.WriteTo(p, a)
}

func (c *recConn) recorded() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.pkts...)
}

func TestHostilePackets(t *testing.T) {
	uc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	rc := &recConn{PacketConn: uc}
	sendEP, err := NewEndpoint(rc, Config{})
	if err != nil {
		t.Fatal(err)
	}
	recvEP, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sendEP.Close()
	defer recvEP.Close()
	if sendEP.Stats().Batching {
		t.Fatal("a wrapped PacketConn must not get batch I/O (it would bypass the wrapper)")
	}
	p := pair{send: sendEP, recv: recvEP}

	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{large: []int{3 << 20}, small: 5, smallSize: 100}, 3)
	tr := &transfer{ticket: newTicket(t, CipherAES128, recvEP.NewConv(), "hostile"), files: files,
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)}),
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 3 << 20}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(t, ctx, p)

	// Wait until some data packets were recorded.
	var rec [][]byte
	for i := 0; i < 500 && len(rec) < 20; i++ {
		time.Sleep(5 * time.Millisecond) // polling for a condition, bounded
		rec = rc.recorded()
	}
	if len(rec) < 20 {
		t.Fatal("no data packets recorded")
	}
	attacker, err := net.DialUDP("udp4", nil, recvEP.LocalAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer attacker.Close()
	conv := tr.ticket.Conv
	wrongKey, _ := newSealer(CipherAES128, bytes.Repeat([]byte{1}, 32))
	var (
		garbage   = 20
		shortHdr  = 10
		cutTag    = 10
		oversized = 5
		replayed  = len(rec)
		forged    = 10
		unknown   = 10
	)
	for i := 0; i < garbage; i++ {
		b := make([]byte, 50+i)
		rand.Read(b)
		b[0] = 0 // never valid magic
		attacker.Write(b)
	}
	for i := 0; i < shortHdr; i++ {
		attacker.Write(rec[i][:wire.HeaderLen-1-i%5])
	}
	for i := 0; i < cutTag; i++ {
		attacker.Write(rec[i][:len(rec[i])-1-i])
	}
	for i := 0; i < oversized; i++ {
		b := wire.AppendHeader(nil, wire.Header{Type: wire.TypeData, Conv: conv, PN: 1})
		attacker.Write(append(b, make([]byte, 1500)...))
	}
	for _, r := range rec {
		attacker.Write(r)
	}
	for i := 0; i < forged; i++ {
		b := make([]byte, 0, 200)
		b = wire.AppendHeader(b, wire.Header{Type: wire.TypeData, Conv: conv, PN: 1 << 40})
		b = wire.AppendData(b, 0, 0, []byte("evil"))
		attacker.Write(wrongKey.seal(b, dirConnector, 1<<40))
	}
	for i := 0; i < unknown; i++ {
		b := bytes.Clone(rec[i])
		b[4] ^= 0xff
		attacker.Write(b)
	}
	waitDone(t, 30*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	st := recvEP.Stats()
	t.Logf("receiver endpoint stats %+v", st)
	if st.DroppedBadHeader < uint64(garbage+shortHdr+oversized) {
		t.Errorf("bad header drops %d < %d", st.DroppedBadHeader, garbage+shortHdr+oversized)
	}
	if st.DroppedAuth < uint64(cutTag+forged) {
		t.Errorf("auth drops %d < %d", st.DroppedAuth, cutTag+forged)
	}
	if st.DroppedReplay < uint64(replayed) {
		t.Errorf("replay drops %d < %d", st.DroppedReplay, replayed)
	}
	if st.DroppedUnknownConv < uint64(unknown) {
		t.Errorf("unknown conv drops %d < %d", st.DroppedUnknownConv, unknown)
	}
}

func TestWrongTicketKeyNeverConnects(t *testing.T) {
	p := loopbackPair(t, Config{HelloInterval: 20 * time.Millisecond})
	tk := newTicket(t, CipherAES256, p.recv.NewConv(), "k")
	rcv, err := p.recv.Accept(tk, Side{Sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir())})})
	if err != nil {
		t.Fatal(err)
	}
	defer rcv.Close(nil)
	bad := tk
	bad.Key = bytes.Repeat([]byte{9}, 32)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = p.send.Connect(ctx, p.recv.LocalAddr(), bad, Side{Source: NewDiskSource(nil)})
	if err == nil {
		t.Fatal("connected with the wrong key")
	}
	if p.recv.Stats().DroppedAuth == 0 {
		t.Fatal("forged hellos not counted")
	}
}
