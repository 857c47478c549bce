package engine

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/net/netsim"
	"github.com/jetstream-go/jetstream/net/pacer"
)

func netsimPair(t testing.TB, link netsim.LinkConfig, cfg Config) (pair, *netsim.Network) {
	t.Helper()
	return netsimPairVia(t, link, cfg, nil)
}

// netsimPairVia is netsimPair with the sender's datagrams passing through
// wrap (nil: directly).
func netsimPairVia(t testing.TB, link netsim.LinkConfig, cfg Config, wrap func(net.PacketConn) net.PacketConn) (pair, *netsim.Network) {
	t.Helper()
	n := netsim.New(link)
	a, err := n.Listen()
	if err != nil {
		t.Fatal(err)
	}
	b, err := n.Listen()
	if err != nil {
		t.Fatal(err)
	}
	var sendConn net.PacketConn = a
	if wrap != nil {
		sendConn = wrap(a)
	}
	ea, err := NewEndpoint(sendConn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := NewEndpoint(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ea.Close(); eb.Close(); n.Close() })
	return pair{send: ea, recv: eb}, n
}

func TestNetsimLossReorderDuplicate(t *testing.T) {
	for i, loss := range []float64{0, 0.01, 0.05, 0.10} {
		t.Run(fmt.Sprintf("loss%.0f%%", loss*100), func(t *testing.T) {
			t.Parallel()
			link := netsim.LinkConfig{Delay: 5 * time.Millisecond, Jitter: time.Millisecond, Loss: loss,
				Reorder: 0.02, Duplicate: 0.01, Seed: int64(i + 1)}
			p, _ := netsimPair(t, link, Config{})
			src, dst := t.TempDir(), t.TempDir()
			files := makeTree(t, src, treeSpec{small: 150, smallSize: 2000, large: []int{1 << 20, 600000}, empty: 3, emptyDirs: 2}, uint64(i))
			tr := &transfer{ticket: newTicket(t, CipherAES128, p.recv.NewConv(), "netsim"), files: files,
				sink:     newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(dst), StateDir: t.TempDir()}),
				sendOpts: SendOptions{Policy: pacer.Fixed, MaxRate: 8 << 20}}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			snd, rcv := tr.start(t, ctx, p)
			waitDone(t, 60*time.Second, snd, rcv)
			if snd.Err() != nil || rcv.Err() != nil {
				t.Fatalf("errors: send %v, recv %v", snd.Err(), rcv.Err())
			}
			checkTree(t, files, dst)
			st := snd.Stats()
			t.Logf("loss %.0f%%: sent %d blocks, retransmitted %d, rtt %v", loss*100, st.BlocksSent, st.BlocksRetransmitted, st.RTT)
			if loss == 0 && st.BlocksRetransmitted > st.TotalBlocks/5 {
				t.Errorf("%d retransmissions without loss", st.BlocksRetransmitted)
			}
			if loss >= 0.05 && st.BlocksRetransmitted == 0 {
				t.Error("no retransmissions at all under loss")
			}
		})
	}
}

func netsimLink(d time.Duration) netsim.LinkConfig {
	return netsim.LinkConfig{Delay: d}
}
