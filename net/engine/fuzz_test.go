package engine

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// nullConn is a PacketConn that discards writes and blocks reads until closed.
type nullConn struct{ closed chan struct{} }

func (c nullConn) ReadFrom([]byte) (int, net.Addr, error)    { <-c.closed; return 0, nil, net.ErrClosed }
func (c nullConn) WriteTo(p []byte, _ net.Addr) (int, error) { return len(p), nil }
func (c nullConn) Close() error                              { close(c.closed); return nil }
func (c nullConn) LocalAddr() net.Addr                       { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c nullConn) SetDeadline(time.Time) error               { return nil }
func (c nullConn) SetReadDeadline(time.Time) error           { return nil }
func (c nullConn) SetWriteDeadline(time.Time) error          { return nil }

// fuzzSession builds an established session without running its goroutine, so a
// fuzz target can drive its handlers directly.
func fuzzSession(t *testing.T, side Side) *Session {
	ep, err := NewEndpoint(nullConn{closed: make(chan struct{})}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.conn.Close() })
	s, err := ep.newSession(Ticket{Conv: 7, Cipher: CipherNone, TransferKey: "fuzz"}, side, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.peer.Store(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2})
	if err := s.establish(1472, [16]byte{1}, [16]byte{2}); err != nil {
		t.Fatal(err)
	}
	s.startRole()
	return s
}

func drainDisk(s *Session) {
	if s.rcv == nil {
		return
	}
	s.rcv.pushJobs()
	for {
		select {
		case res := <-s.rcv.worker.results:
			s.rcv.onDiskResult(res)
			s.rcv.pushJobs()
		case <-time.After(time.Millisecond):
			return
		}
	}
}

func seedStream(msgs ...wire.Msg) []byte {
	var b []byte
	for _, m := range msgs {
		b = wire.AppendMsg(b, m)
	}
	return b
}

func FuzzReceiverInput(f *testing.F) {
	f.Add(seedStream(wire.Offer{BlockSize: 100, ChunkBlocks: 2},
		wire.Files{Files: []wire.FileMeta{{Index: 0, Path: "a", Size: 250}, {Index: 1, Path: "d", Flags: wire.FileEmptyDir, FirstBlock: 3}}},
		wire.Digests{Digests: []wire.FileDigest{{File: 0, Digest: wire.Digest{Chunk: 1}}}},
		wire.FileDone{File: 0}, wire.FileDone{File: 1, Unverified: true}, wire.EndOfList{Files: 2, Blocks: 3}, wire.Finish{}),
		wire.AppendData(nil, 1, 5, make([]byte, 100)))
	f.Add(seedStream(wire.Offer{BlockSize: 10, ChunkBlocks: 1}, wire.FileFailed{File: 9}, wire.Finish{}), []byte{0, 0, 0})
	f.Fuzz(func(t *testing.T, stream, data []byte) {
		dir := t.TempDir()
		sink, err := NewDiskSink(DiskSinkConfig{Land: sandboxLand(dir), StateDir: filepath.Join(dir, "state"), CheckpointEvery: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		s := fuzzSession(t, Side{Sink: sink})
		defer s.rcv.stop()
		for i := 0; i < 64 && len(stream) > 0 && !s.finished; i++ {
			m, n, err := wire.SplitMsg(stream)
			if err != nil {
				break
			}
			stream = stream[n:]
			s.onMsg(m, s.now())
			drainDisk(s)
			if len(data) > 0 && !s.finished {
				bp := s.ep.getBuf()
				p := (*bp)[:copy(*bp, data)]
				if !s.rcv.onData(inPacket{bp: bp, payload: p}, s.now(), s.now()) {
					s.ep.putBuf(bp)
				}
				drainDisk(s)
			}
			s.rcv.tick(s.now())
			s.flushOut()
		}
	})
}

func FuzzSenderInput(f *testing.F) {
	f.Add(seedStream(wire.Resume{Files: []wire.ResumeFile{{Index: 0, Path: "a", Size: 3000, Ranges: []wire.Range{{Start: 0, End: 1}}}}},
		wire.OfferAck{}, wire.FileResult{File: 0}, wire.Complete{}),
		wire.AppendAck(nil, &wire.Ack{Cum: 1, Ranges: []wire.AckRange{{Start: 2, End: 3}}}))
	f.Add(seedStream(wire.OfferAck{}, wire.FileResult{File: 5, Code: "exists"}), []byte{1, 2, 3})
	dir := f.TempDir()
	src := filepath.Join(dir, "a")
	if err := os.WriteFile(src, make([]byte, 3000), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, stream, ack []byte) {
		s := fuzzSession(t, Side{Source: NewDiskSource([]SourceFile{{LocalPath: src, TargetPath: "a", Size: 3000}}),
			Send: SendOptions{Policy: pacer.Fixed, MaxRate: 1 << 20}})
		defer s.snd.stop()
		for i := 0; i < 64 && len(stream) > 0 && !s.finished; i++ {
			m, n, err := wire.SplitMsg(stream)
			if err != nil {
				break
			}
			stream = stream[n:]
			s.onMsg(m, s.now())
			if !s.finished {
				s.snd.tick(s.now())
				s.snd.onAck(ack, s.now(), s.now())
			}
			s.flushOut()
		}
	})
}
