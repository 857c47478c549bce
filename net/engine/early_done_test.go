package engine

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jetstream-go/jetstream/net/netsim"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// simTransfer runs tr over a netsim path of rtt inside a synctest bubble,
// with the sender's datagrams passing through wrap, and returns how long the
// sending session took in (fake) time.
func simTransfer(t *testing.T, rtt time.Duration, wrap func(net.PacketConn) net.PacketConn, tr *transfer) time.Duration {
	t.Helper()
	var took time.Duration
	synctest.Test(t, func(t *testing.T) {
		p, _ := netsimPairVia(t, netsim.LinkConfig{Delay: rtt / 2, MTU: 1500}, Config{MaxPacket: 1472}, wrap)
		tr.ticket = newTicket(t, CipherNone, p.recv.NewConv(), "sim")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		start := time.Now()
		snd, rcv := tr.start(t, ctx, p)
		<-snd.Done()
		took = time.Since(start)
		tr.sndStats = snd.Stats()
		<-rcv.Done()
		if snd.Err() != nil || rcv.Err() != nil {
			t.Fatalf("send %v, recv %v", snd.Err(), rcv.Err())
		}
	})
	return took
}

// TestSmallFileRoundTrips: one 1 KiB file over a 100 ms path takes two
// round trips and the disk: hello, then data + FileDone → result +
// Complete. It took 5.5 RTT when FileDone waited for the acks, 4.5 while
// the sender waited for an answer to its Finish, and 2.4 while control
// messages waited for KCP's 10 ms flush clock and the sender lingered to
// send Finish after Complete.
func TestSmallFileRoundTrips(t *testing.T) {
	const rtt = 100 * time.Millisecond
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 1024), 0o644); err != nil {
		t.Fatal(err)
	}
	tr := &transfer{files: []SourceFile{{LocalPath: path, TargetPath: "/f", Size: 1024}},
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir())}),
		sendOpts: SendOptions{Policy: pacer.Fair}}
	took := simTransfer(t, rtt, func(c net.PacketConn) net.PacketConn { return c }, tr)
	t.Logf("%v = %.2f RTT", took, float64(took)/float64(rtt))
	if took > 23*rtt/10 {
		t.Errorf("took %v (%.2f RTT), want at most 2.3 RTT", took, float64(took)/float64(rtt))
	}
}

// rereadChangingSource rewrites a block of the file in place just before a
// retransmission reads it again.
type rereadChangingSource struct {
	Source
	path string
}

func (s *rereadChangingSource) Open(f FileMeta) (SourceReader, error) {
	r, err := s.Source.Open(f)
	if err != nil {
		return nil, err
	}
	return &rereadChangingReader{SourceReader: r, path: s.path, seen: make([]bool, f.Size)}, nil
}

type rereadChangingReader struct {
	SourceReader
	path string
	mu   sync.Mutex
	seen []bool // bytes read so far
}

func (r *rereadChangingReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	again := false
	for i := off; i < off+int64(len(p)) && i < int64(len(r.seen)); i++ {
		again = again || r.seen[i]
		r.seen[i] = true
	}
	r.mu.Unlock()
	if again {
		f, err := os.OpenFile(r.path, os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		_, err = f.WriteAt([]byte{0xA5, 0x5A}, off)
		f.Close()
		if err != nil {
			return 0, err
		}
	}
	return r.SourceReader.ReadAt(p, off)
}

// TestRereadOfChangedSourceFails: FileDone (with the file's hash) leaves
// before the acks, so a file that changes between its read and a
// retransmission's re-read is refused by the receiver's digest check and
// reported as source_changed; nothing lands.
func TestRereadOfChangedSourceFails(t *testing.T) {
	const blockSize, blocks = 1000, 10
	src, dst := t.TempDir(), t.TempDir()
	path := filepath.Join(src, "f")
	data := make([]byte, blockSize*blocks)
	for i := range data {
		data[i] = byte(i)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	files := []SourceFile{{LocalPath: path, TargetPath: "/f", Size: int64(len(data))}}
	tr := &transfer{files: files, source: &rereadChangingSource{Source: NewDiskSource(files), path: path},
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst)}),
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 1 << 20, BlockSize: blockSize}}
	simTransfer(t, 100*time.Millisecond, func(c net.PacketConn) net.PacketConn {
		d := newTailDropConn(blocks-1, 1)
		d.PacketConn = c
		return d
	}, tr)
	res, ok := tr.srcObs.res[0]
	if !ok {
		t.Fatal("no result for the file")
	}
	var e *Error
	if !errors.As(res.Err, &e) || e.Code != CodeSourceChanged {
		t.Fatalf("result %v, want source_changed", res.Err)
	}
	if _, err := os.Stat(filepath.Join(dst, "f")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the changed file landed: %v", err)
	}
}
