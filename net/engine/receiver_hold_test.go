package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/netsim"
	"github.com/jetstream-go/jetstream/net/pacer"
	"github.com/jetstream-go/jetstream/net/wire"
)

func TestAckSetIncludesHeldBlocks(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, held []wire.Range
		want      []wire.Range
	}{
		{"nothing held", []wire.Range{{Start: 0, End: 5}}, nil, []wire.Range{{Start: 0, End: 5}}},
		{"hole filled", []wire.Range{{Start: 0, End: 5}, {Start: 8, End: 9}}, []wire.Range{{Start: 5, End: 8}},
			[]wire.Range{{Start: 0, End: 9}}},
		{"ahead of the list", []wire.Range{{Start: 0, End: 5}}, []wire.Range{{Start: 7, End: 8}},
			[]wire.Range{{Start: 0, End: 5}, {Start: 7, End: 8}}},
		{"held only", nil, []wire.Range{{Start: 0, End: 2}}, []wire.Range{{Start: 0, End: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &receiver{got: rangeSet{r: append([]wire.Range(nil), tc.got...)}, held: rangeSet{r: tc.held}}
			got := r.ackSet().r
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("ack set %v, want %v", got, tc.want)
			}
			if fmt.Sprint(r.got.r) != fmt.Sprint(tc.got) && len(tc.got) > 0 {
				t.Fatalf("ackSet changed got to %v", r.got.r)
			}
		})
	}
}

func TestHoldCompactsAndBounds(t *testing.T) {
	ep := &Endpoint{bufs: newBufPools(65508)}
	r := &receiver{s: &Session{ep: ep}}
	big := ep.getBuf()
	data := (*big)[100:1500]
	data[0] = 42
	p, kept, ok := r.hold(big, 7, data)
	if !ok || kept {
		t.Fatalf("hold of a small block in a large buffer: ok %v, kept %v; want a copy", ok, kept)
	}
	if cap(*p.bp) >= cap(*big) || len(p.data) != len(data) || p.data[0] != 42 || p.block != 7 {
		t.Fatalf("held copy: cap %d (datagram %d), %d bytes, first %d", cap(*p.bp), cap(*big), len(p.data), p.data[0])
	}
	if !r.held.contains(7) || r.pendingBufs != 1 || r.pendingBytes != cap(*p.bp) {
		t.Fatalf("accounting: held %v, bufs %d, bytes %d", r.held.r, r.pendingBufs, r.pendingBytes)
	}
	full := ep.getBuf()
	if _, kept, _ := r.hold(full, 8, (*full)[:60000]); !kept {
		t.Fatal("a block filling its buffer was copied")
	}
	r.pendingBytes = maxPendingBytes
	if _, kept, ok := r.hold(ep.getBuf(), 9, data); ok || kept {
		t.Fatalf("hold past the byte bound: ok %v, kept %v", ok, kept)
	}
	r.pendingBytes, r.pendingBufs = 0, maxPendingBufs
	if _, _, ok := r.hold(ep.getBuf(), 9, data); ok {
		t.Fatal("hold past the buffer bound succeeded")
	}
}

// slowOpenSink models a disk whose file creation lags: every Open takes delay.
type slowOpenSink struct {
	Sink
	delay time.Duration
}

func (s slowOpenSink) Open(key string, f FileMeta, resume bool) (SinkFile, error) {
	time.Sleep(s.delay)
	return s.Sink.Open(key, f, resume)
}

// Blocks that arrive while their file opens are held and acknowledged, so a
// slow disk causes no retransmissions on a loss-free link.
func TestSlowOpenNoRetransmissions(t *testing.T) {
	p, _ := netsimPair(t, netsim.LinkConfig{Delay: 10 * time.Millisecond, Seed: 3}, Config{})
	src, dst := t.TempDir(), t.TempDir()
	files := makeTree(t, src, treeSpec{small: 300, smallSize: 3000}, 9)
	sink := slowOpenSink{Sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: t.TempDir()}), delay: 40 * time.Millisecond}
	tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "slow-open"), files: files, sink: sink,
		sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 16 << 20, BlockSize: 1000}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snd, rcv := tr.start(t, ctx, p)
	waitDone(t, 60*time.Second, snd, rcv)
	if snd.Err() != nil || rcv.Err() != nil {
		t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
	}
	checkTree(t, files, dst)
	st := snd.Stats()
	t.Logf("sent %d blocks of %d, retransmitted %d", st.BlocksSent, st.TotalBlocks, st.BlocksRetransmitted)
	// A scheduling stall can still fire a timeout under -race; held blocks
	// reported as holes would make most of them retransmissions.
	if st.BlocksRetransmitted > st.TotalBlocks/20 {
		t.Errorf("%d of %d blocks retransmitted on a loss-free link", st.BlocksRetransmitted, st.TotalBlocks)
	}
}
