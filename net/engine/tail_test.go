package engine

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

// tailDropConn drops the first `drops` transmissions (at least one) of data
// blocks in [from, to) (to 0: no end) and records when each of them was
// first sent, first got through, and how often it was sent.
type tailDropConn struct {
	net.PacketConn
	from  uint64
	to    uint64
	drops int

	mu      sync.Mutex
	first   map[uint64]time.Time
	resent  map[uint64]time.Time
	sends   map[uint64]int
	dropped int
}

func newTailDropConn(from uint64, drops int) *tailDropConn {
	return &tailDropConn{from: from, drops: max(drops, 1),
		first: map[uint64]time.Time{}, resent: map[uint64]time.Time{}, sends: map[uint64]int{}}
}

func (c *tailDropConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if h, err := wire.ParseHeader(p); err == nil && h.Type == wire.TypeData {
		if block, _, _, err := wire.ParseData(p[wire.HeaderLen:]); err == nil && block >= c.from && (c.to == 0 || block < c.to) {
			c.mu.Lock()
			if _, seen := c.first[block]; !seen {
				c.first[block] = time.Now()
			}
			c.sends[block]++
			if c.sends[block] <= c.drops {
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
// (probeTail), not after an RTO of two round trips or more. Each resend at
// the tail goes out twice, so losing the first resend too (drops 2) costs
// no further round trip; a block lost three times costs one.
func TestTailLossResentWithinARoundTrip(t *testing.T) {
	const (
		rtt       = 200 * time.Millisecond
		blockSize = 1000
		blocks    = 1000
		lost      = 3
	)
	for _, tc := range []struct {
		drops     int
		within    time.Duration
		sendsEach int
	}{
		{drops: 1, within: rtt * 3 / 2, sendsEach: 3},
		{drops: 2, within: rtt * 3 / 2, sendsEach: 3},
		{drops: 3, within: rtt * 3, sendsEach: 5},
	} {
		t.Run(fmt.Sprintf("drops %d", tc.drops), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, make([]byte, blockSize*blocks), 0o644); err != nil {
				t.Fatal(err)
			}
			drop := newTailDropConn(blocks-lost, tc.drops)
			tr := &transfer{files: []SourceFile{{LocalPath: path, TargetPath: "/f", Size: blockSize * blocks}},
				sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), NoWrite: true}),
				sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 4 << 20, BlockSize: blockSize, NoRead: true}}
			simTransfer(t, rtt, func(c net.PacketConn) net.PacketConn { drop.PacketConn = c; return drop }, tr)
			drop.mu.Lock()
			defer drop.mu.Unlock()
			if drop.dropped != lost*tc.drops || len(drop.resent) != lost {
				t.Fatalf("dropped %d, got through %d; want %d and %d", drop.dropped, len(drop.resent), lost*tc.drops, lost)
			}
			for b, at := range drop.first {
				wait := drop.resent[b].Sub(at)
				t.Logf("block %d got through %v after its first send, sent %d times", b, wait, drop.sends[b])
				if wait > tc.within {
					t.Errorf("block %d got through %v after its first send, want within %v", b, wait, tc.within)
				}
				if drop.sends[b] != tc.sendsEach {
					t.Errorf("block %d sent %d times, want %d (first send, then each resend twice)", b, drop.sends[b], tc.sendsEach)
				}
			}
		})
	}
}

// TestResendsBeforeTheTailGoOnce: a block lost while new data is still
// going out is resent once; its loss is revealed by later blocks' acks.
func TestResendsBeforeTheTailGoOnce(t *testing.T) {
	const blockSize, blocks = 1000, 1000
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, blockSize*blocks), 0o644); err != nil {
		t.Fatal(err)
	}
	drop := newTailDropConn(100, 1)
	drop.to = 110
	tr := &transfer{files: []SourceFile{{LocalPath: path, TargetPath: "/f", Size: blockSize * blocks}},
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), NoWrite: true}),
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 4 << 20, BlockSize: blockSize, NoRead: true}}
	simTransfer(t, 100*time.Millisecond, func(c net.PacketConn) net.PacketConn { drop.PacketConn = c; return drop }, tr)
	drop.mu.Lock()
	defer drop.mu.Unlock()
	for b := uint64(100); b < 110; b++ {
		if drop.sends[b] != 2 {
			t.Errorf("block %d sent %d times, want 2", b, drop.sends[b])
		}
	}
}

// stallConn delays every datagram read during [from, to) until to: the
// host stalled (descheduled, or its disk blocked the loop) while acks
// piled up in the socket buffer.
type stallConn struct {
	net.PacketConn
	from, to time.Time
}

func (c *stallConn) ReadFrom(p []byte) (int, net.Addr, error) {
	n, addr, err := c.PacketConn.ReadFrom(p)
	if now := time.Now(); !now.Before(c.from) && now.Before(c.to) {
		time.Sleep(c.to.Sub(now))
	}
	return n, addr, err
}

// TestStallIsNotLoss: acks held up 400 ms (four round trips) in the middle
// of a transfer on a lossless path are not taken for a lost window: the
// sender probes with one block per RTO and the late acks then show nothing
// is missing. Declaring every block older than an RTO lost resent 399
// blocks here.
func TestStallIsNotLoss(t *testing.T) {
	const blockSize, blocks = 1000, 4000
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, blockSize*blocks), 0o644); err != nil {
		t.Fatal(err)
	}
	tr := &transfer{files: []SourceFile{{LocalPath: path, TargetPath: "/f", Size: blockSize * blocks}},
		sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), NoWrite: true}),
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 4 << 20, BlockSize: blockSize, NoRead: true}}
	simTransfer(t, 100*time.Millisecond, func(c net.PacketConn) net.PacketConn {
		now := time.Now()
		return &stallConn{PacketConn: c, from: now.Add(300 * time.Millisecond), to: now.Add(700 * time.Millisecond)}
	}, tr)
	st := tr.sndStats
	t.Logf("sent %d blocks, %d resent", st.BlocksSent, st.BlocksRetransmitted)
	if st.BlocksRetransmitted > 5 {
		t.Errorf("%d blocks resent after a stall on a lossless path, want a few probes at most", st.BlocksRetransmitted)
	}
}
