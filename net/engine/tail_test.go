package engine

import (
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// tailDropConn drops the first transmission of data blocks >= from and
// records when each of them was first sent and first sent again.
type tailDropConn struct {
	net.PacketConn
	from uint64

	mu      sync.Mutex
	first   map[uint64]time.Time
	resent  map[uint64]time.Time
	dropped int
}

func (c *tailDropConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if h, err := wire.ParseHeader(p); err == nil && h.Type == wire.TypeData {
		if block, _, _, err := wire.ParseData(p[wire.HeaderLen:]); err == nil && block >= c.from {
			c.mu.Lock()
			_, seen := c.first[block]
			if !seen {
				c.first[block] = time.Now()
				c.dropped++
				c.mu.Unlock()
				return len(p), nil // lost on the way
			}
			if _, ok := c.resent[block]; !ok {
				c.resent[block] = time.Now()
			}
			c.mu.Unlock()
		}
	}
	return c.PacketConn.WriteTo(p, addr)
}

// TestTailLossResentWithinARoundTrip: when the last blocks of a transfer
// are lost there is no later block to reveal it; the sender, with nothing
// new left to send, must resend them about a round trip after they left
// (probeTail), not after an RTO of two round trips or more.
func TestTailLossResentWithinARoundTrip(t *testing.T) {
	const (
		rtt       = 200 * time.Millisecond
		blockSize = 1000
		blocks    = 1000
		lost      = 3
	)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, blockSize*blocks), 0o644); err != nil {
		t.Fatal(err)
	}
	drop := &tailDropConn{from: blocks - lost, first: map[uint64]time.Time{}, resent: map[uint64]time.Time{}}
	tr := &transfer{files: []SourceFile{{LocalPath: path, TargetPath: "/f", Size: blockSize * blocks}},
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), NoWrite: true}),
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 4 << 20, BlockSize: blockSize, NoRead: true}}
	simTransfer(t, rtt, func(c net.PacketConn) net.PacketConn { drop.PacketConn = c; return drop }, tr)
	drop.mu.Lock()
	defer drop.mu.Unlock()
	if drop.dropped != lost || len(drop.resent) != lost {
		t.Fatalf("dropped %d, resent %d; want %d each", drop.dropped, len(drop.resent), lost)
	}
	for b, at := range drop.first {
		wait := drop.resent[b].Sub(at)
		t.Logf("block %d resent %v after it was lost", b, wait)
		if wait > rtt*3/2 {
			t.Errorf("block %d resent %v after it was lost, want within 1.5 RTT (%v)", b, wait, rtt*3/2)
		}
	}
}
