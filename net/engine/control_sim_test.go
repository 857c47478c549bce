package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jetstream-go/jetstream/net/netsim"
	"github.com/jetstream-go/jetstream/net/pacer"
)

// simFlowResult is what one engine transfer over a simulated bottleneck did.
type simFlowResult struct {
	stats    Stats
	start    time.Time
	end      time.Time
	maxRate  float64 // highest target rate the sender ever reported, bytes/s
	rateSeen []float64
}

func (r simFlowResult) goodput() float64 {
	return float64(r.stats.BytesAcked) / r.end.Sub(r.start).Seconds()
}

func (r simFlowResult) retxPct() float64 {
	return float64(r.stats.BlocksRetransmitted) * 100 / float64(max(r.stats.BlocksSent, 1))
}

// simFlow describes one transfer in runSim.
type simFlow struct {
	bytes int64
	opts  SendOptions
	delay time.Duration // start offset
}

// runSim runs the flows as real engine sessions (real AEAD, KCP control,
// acks, pacer) over one netsim bottleneck, inside a synctest bubble, so a
// minute of a 100 ms path costs seconds and the outcome is deterministic
// in time. Data is neither read nor written (NoRead / NoWrite).
func runSim(t *testing.T, link netsim.LinkConfig, flows []simFlow) []simFlowResult {
	t.Helper()
	srcDir := t.TempDir()
	out := make([]simFlowResult, len(flows))
	synctest.Test(t, func(t *testing.T) {
		back := link
		back.Loss, back.Rate, back.QueueLimit = 0, 0, 0 // acks travel a clean path
		n := netsim.New(link)
		defer n.Close()
		recvConn, err := n.Listen()
		if err != nil {
			t.Fatal(err)
		}
		recvEP, err := NewEndpoint(recvConn, Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer recvEP.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		// One sending endpoint for every flow: netsim gives each ordered
		// pair of endpoints its own link, so this puts them all on one
		// bottleneck.
		conn, err := n.Listen()
		if err != nil {
			t.Fatal(err)
		}
		n.SetLink(recvConn.LocalAddr(), conn.LocalAddr(), back)
		ep, err := NewEndpoint(conn, Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer ep.Close()
		done := make(chan struct{}, len(flows))
		for i, f := range flows {
			path := filepath.Join(srcDir, "f"+string(rune('a'+i)))
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, f.bytes); err != nil {
				t.Fatal(err)
			}
			files := []SourceFile{{LocalPath: path, TargetPath: "/f" + string(rune('a'+i)), Size: f.bytes}}
			tr := &transfer{ticket: newTicket(t, CipherAES128, recvEP.NewConv(), "sim"+string(rune('a'+i))),
				files: files, sink: newDiskSinkT(t, DiskSinkConfig{Land: sandboxLand(t.TempDir()), NoWrite: true})}
			opts := f.opts
			opts.NoRead = true
			tr.sendOpts = opts
			go func() {
				defer func() { done <- struct{}{} }()
				time.Sleep(f.delay)
				res := &out[i]
				res.start = time.Now()
				snd, rcv := tr.start(t, ctx, pair{send: ep, recv: recvEP})
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-snd.Done():
						<-rcv.Done()
						res.end = time.Now()
						res.stats = snd.Stats()
						if snd.Err() != nil || rcv.Err() != nil {
							t.Errorf("flow %d: send %v, recv %v", i, snd.Err(), rcv.Err())
						}
						return
					case <-tick.C:
						r := snd.Stats().Rate
						res.maxRate = max(res.maxRate, r)
						res.rateSeen = append(res.rateSeen, r)
					}
				}
			}()
		}
		for range flows {
			<-done
		}
	})
	return out
}

// simBottleneck is a 40 Mbit/s bottleneck with a 100 ms RTT and a drop-tail
// queue of queue; the reverse (ack) direction is clean.
func simBottleneck(loss float64, queue time.Duration) netsim.LinkConfig {
	return netsim.LinkConfig{Delay: 50 * time.Millisecond, Rate: 40e6 / 8, QueueLimit: queue, Loss: loss, MTU: 1500, Seed: 3}
}

// TestEngineConvergesToBottleneck: a fair transfer with no rate cap finds
// a 40 Mbit/s bottleneck behind a 100 ms RTT (goodput >= 85 % of the link
// over the whole transfer, handshake and startup included), with few
// retransmissions on a clean link (no startup overshoot flooding the
// queue) and random loss not mistaken for congestion.
func TestEngineConvergesToBottleneck(t *testing.T) {
	for _, tc := range []struct {
		name    string
		loss    float64
		minGood float64
		maxRetx float64
	}{
		{"clean", 0, 0.85, 2},
		{"2% loss", 0.02, 0.8, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSim(t, simBottleneck(tc.loss, 100*time.Millisecond),
				[]simFlow{{bytes: 50 << 20, opts: SendOptions{Policy: pacer.Fair}}})[0]
			link := 40e6 / 8
			if testing.Verbose() {
				for i, r := range res.rateSeen {
					if i < 40 || i%10 == 0 {
						t.Logf("t=%.1fs rate %.1f Mbit/s", float64(i+1)/10, r*8/1e6)
					}
				}
			}
			t.Logf("goodput %.1f Mbit/s (%.3f of link), retx %.2f%%, in %v", res.goodput()*8/1e6, res.goodput()/link, res.retxPct(), res.end.Sub(res.start))
			if g := res.goodput() / link; g < tc.minGood {
				t.Errorf("goodput %.3f of the bottleneck, want >= %.2f", g, tc.minGood)
			}
			if r := res.retxPct(); r > tc.maxRetx {
				t.Errorf("retransmitted %.2f%% of blocks, want <= %.1f%%", r, tc.maxRetx)
			}
		})
	}
}

// TestEngineTwoFlowsShare: two fair transfers started together share the
// bottleneck: the first to finish got 40–60 % while both ran.
func TestEngineTwoFlowsShare(t *testing.T) {
	res := runSim(t, simBottleneck(0, 100*time.Millisecond), []simFlow{
		{bytes: 40 << 20, opts: SendOptions{Policy: pacer.Fair}},
		{bytes: 40 << 20, opts: SendOptions{Policy: pacer.Fair}},
	})
	link := 40e6 / 8
	a, b := res[0], res[1]
	first := a
	if b.end.Before(a.end) {
		first = b
	}
	both := first.end.Sub(a.start).Seconds()
	// Each flow's bytes delivered while both ran: the first finisher's whole
	// transfer, and (link-limited) the rest for the other.
	shareFirst := float64(first.stats.BytesAcked) / both / link
	t.Logf("a %.1f Mbit/s in %v, b %.1f Mbit/s in %v; first finisher's share while both ran %.3f",
		a.goodput()*8/1e6, a.end.Sub(a.start), b.goodput()*8/1e6, b.end.Sub(b.start), shareFirst)
	if shareFirst < 0.4 || shareFirst > 0.6 {
		t.Errorf("first finisher had %.3f of the link while both ran, want 0.4–0.6", shareFirst)
	}
	if ratio := a.end.Sub(a.start).Seconds() / b.end.Sub(b.start).Seconds(); ratio < 0.7 || ratio > 1.43 {
		t.Errorf("equal transfers took %v and %v", a.end.Sub(a.start), b.end.Sub(b.start))
	}
}

// TestEngineNeverExceedsMaxRate: with MaxRate below the bottleneck the
// sender's rate never goes above it, and the transfer gets close to it.
func TestEngineNeverExceedsMaxRate(t *testing.T) {
	const capRate = 10e6 / 8
	for _, p := range []pacer.Policy{pacer.Fair, pacer.Low, pacer.Fixed} {
		t.Run(p.String(), func(t *testing.T) {
			res := runSim(t, simBottleneck(0.01, 100*time.Millisecond),
				[]simFlow{{bytes: 10 << 20, opts: SendOptions{Policy: p, MaxRate: capRate}}})[0]
			t.Logf("max rate %.2f Mbit/s, goodput %.2f Mbit/s", res.maxRate*8/1e6, res.goodput()*8/1e6)
			if res.maxRate > capRate {
				t.Errorf("rate reached %.0f B/s, above MaxRate %.0f", res.maxRate, capRate)
			}
			if g := res.goodput(); g > capRate || g < 0.8*capRate {
				t.Errorf("goodput %.0f B/s with MaxRate %.0f", g, capRate)
			}
		})
	}
}

// TestEngineLowYields: a low transfer next to a fair one takes the smaller
// share; alone, low still uses most of the link.
func TestEngineLowYields(t *testing.T) {
	res := runSim(t, simBottleneck(0, 100*time.Millisecond), []simFlow{
		{bytes: 30 << 20, opts: SendOptions{Policy: pacer.Fair}},
		{bytes: 60 << 20, opts: SendOptions{Policy: pacer.Low}},
	})
	fair, low := res[0], res[1]
	link := 40e6 / 8
	t.Logf("fair %.1f Mbit/s (%v), low %.1f Mbit/s (%v)", fair.goodput()*8/1e6, fair.end.Sub(fair.start),
		low.goodput()*8/1e6, low.end.Sub(low.start))
	if g := fair.goodput() / link; g < 0.7 {
		t.Errorf("fair got %.3f of the link next to low, want >= 0.7", g)
	}
	alone := runSim(t, simBottleneck(0, 100*time.Millisecond),
		[]simFlow{{bytes: 30 << 20, opts: SendOptions{Policy: pacer.Low}}})[0]
	if g := alone.goodput() / link; g < 0.7 {
		t.Errorf("low alone got %.3f of an idle link, want >= 0.7", g)
	}
}
