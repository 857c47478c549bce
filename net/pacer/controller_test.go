package pacer

import (
	"testing"
	"time"
)

const (
	mbit   = 125e3 // bytes/s in one Mbit/s
	wanRTT = 100 * time.Millisecond
	deepQ  = 200 * time.Millisecond
)

func mustCtrl(t testing.TB, cfg Config) *Controller {
	t.Helper()
	c, err := NewController(cfg)
	if err != nil {
		t.Fatalf("NewController(%+v): %v", cfg, err)
	}
	return c
}

// TestFairConverges: one fair flow on a 100 Mbit/s, 100 ms path with a
// 200 ms drop-tail queue reaches 90 % of the bottleneck within 20 RTTs,
// stays there, and keeps the queue within 30 ms — with random loss too,
// with either sign of clock offset, and from RTT samples alone.
func TestFairConverges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		loss   float64
		offset time.Duration
		noOWD  bool
	}{
		{name: "clean", offset: 3 * time.Second},
		{name: "3% loss", loss: 0.03, offset: -5 * time.Second},
		{name: "3% loss RTT only", loss: 0.03, noOWD: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newSimLink(100*mbit, wanRTT, deepQ, tc.loss, 1)
			c := mustCtrl(t, Config{})
			f := l.add(&simFlow{sender: ctrlSender{c}, owdOffset: tc.offset, noOWD: tc.noOWD})
			l.run(40 * time.Second)
			t.Logf("90%% at %v, goodput %.3f, max queue %v", l.firstAbove(f, 0.9, time.Second),
				l.share(f, 5*time.Second, 40*time.Second), l.maxQueue(5*time.Second, 40*time.Second))
			if at := l.firstAbove(f, 0.9, time.Second); at < 0 || at > 20*wanRTT {
				t.Errorf("goodput first reached 90%% of the bottleneck at %v, want within 20 RTTs", at)
			}
			if s := l.share(f, 5*time.Second, 40*time.Second); s < 0.9 {
				t.Errorf("goodput after convergence = %.3f of the bottleneck, want >= 0.9", s)
			}
			if q := l.maxQueue(5*time.Second, 40*time.Second); q > 30*time.Millisecond {
				t.Errorf("queueing delay reached %v after convergence, want <= 30ms", q)
			}
			if st := c.State(); st.Phase != "steady" || st.BtlBw < 90*mbit || st.MinRTT < wanRTT {
				t.Errorf("state = %+v, want steady with a bottleneck estimate near 100 Mbit/s", st)
			}
		})
	}
}

// TestFairPaths checks utilisation and delay over a spread of paths.
func TestFairPaths(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rate  float64
		rtt   time.Duration
		queue time.Duration
		loss  float64
		maxQ  time.Duration
	}{
		{"10 Mbit/s", 10 * mbit, wanRTT, deepQ, 0, 40 * time.Millisecond},
		{"1 Gbit/s", 1000 * mbit, wanRTT, deepQ, 0, 30 * time.Millisecond},
		{"LAN 10 ms", 100 * mbit, 10 * time.Millisecond, deepQ, 0, 20 * time.Millisecond},
		{"300 ms 5% loss", 100 * mbit, 300 * time.Millisecond, deepQ, 0.05, 60 * time.Millisecond},
		{"shallow 20 ms queue", 100 * mbit, wanRTT, 20 * time.Millisecond, 0, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newSimLink(tc.rate, tc.rtt, tc.queue, tc.loss, 7)
			f := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{})}})
			l.run(30 * time.Second)
			t.Logf("goodput %.3f, max queue %v", l.share(f, 10*time.Second, 30*time.Second), l.maxQueue(10*time.Second, 30*time.Second))
			if s := l.share(f, 10*time.Second, 30*time.Second); s < 0.9 {
				t.Errorf("goodput = %.3f of the bottleneck, want >= 0.9", s)
			}
			if q := l.maxQueue(10*time.Second, 30*time.Second); q > tc.maxQ {
				t.Errorf("queueing delay reached %v, want <= %v", q, tc.maxQ)
			}
		})
	}
}

// TestTwoFairFlowsShare: two fair flows converge to roughly equal shares,
// whether they start together or one joins late (with a different clock
// offset, so its base-delay estimate starts inflated by the standing queue).
func TestTwoFairFlowsShare(t *testing.T) {
	for _, join := range []time.Duration{0, 5 * time.Second} {
		t.Run("join at "+join.String(), func(t *testing.T) {
			l := newSimLink(100*mbit, wanRTT, deepQ, 0.01, 2)
			a := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{})}, owdOffset: time.Second})
			b := l.add(&simFlow{start: join, sender: ctrlSender{mustCtrl(t, Config{})}, owdOffset: -7 * time.Second})
			l.run(60 * time.Second)
			sa, sb := l.share(a, 20*time.Second, 60*time.Second), l.share(b, 20*time.Second, 60*time.Second)
			t.Logf("shares %.3f / %.3f, max queue %v", sa, sb, l.maxQueue(20*time.Second, 60*time.Second))
			if sa < 0.4 || sa > 0.6 || sb < 0.4 || sb > 0.6 {
				t.Errorf("shares = %.3f / %.3f, want each within [0.4, 0.6]", sa, sb)
			}
			if sa+sb < 0.9 {
				t.Errorf("together %.3f of the bottleneck, want >= 0.9", sa+sb)
			}
		})
	}
}

// TestFairReclaimsBandwidth: when a competitor leaves, the remaining flow
// takes the whole bottleneck again within a few seconds.
func TestFairReclaimsBandwidth(t *testing.T) {
	l := newSimLink(100*mbit, wanRTT, deepQ, 0, 6)
	a := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{})}})
	l.add(&simFlow{stop: 20 * time.Second, sender: ctrlSender{mustCtrl(t, Config{})}})
	l.run(40 * time.Second)
	if s := l.share(a, 25*time.Second, 40*time.Second); s < 0.9 {
		t.Errorf("share after the competitor left = %.3f, want >= 0.9", s)
	}
}

// TestLowYieldsToFair: a low flow alone uses the path, and gives it up
// when a fair flow arrives.
func TestLowYieldsToFair(t *testing.T) {
	l := newSimLink(100*mbit, wanRTT, deepQ, 0, 3)
	low := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{Policy: Low})}})
	fair := l.add(&simFlow{start: 10 * time.Second, sender: ctrlSender{mustCtrl(t, Config{})}})
	l.run(60 * time.Second)
	t.Logf("low alone %.3f; then fair %.3f, low %.3f", l.share(low, 3*time.Second, 10*time.Second),
		l.share(fair, 15*time.Second, 60*time.Second), l.share(low, 15*time.Second, 60*time.Second))
	if s := l.share(low, 3*time.Second, 10*time.Second); s < 0.7 {
		t.Errorf("low alone got %.3f of an idle path, want >= 0.7", s)
	}
	if s := l.share(fair, 15*time.Second, 60*time.Second); s < 0.8 {
		t.Errorf("fair got %.3f next to low, want >= 0.8", s)
	}
}

// TestLowYieldsToTCP: a loss-based TCP-like flow keeps >= 80 % next to a
// low flow; the same TCP next to a fixed-rate flow does not (so the model
// can tell the difference).
func TestLowYieldsToTCP(t *testing.T) {
	const rtt = 50 * time.Millisecond
	run := func(cfg Config) float64 {
		l := newSimLink(20*mbit, rtt, deepQ, 0, 4)
		l.add(&simFlow{sender: ctrlSender{mustCtrl(t, cfg)}})
		tcp := l.add(&simFlow{start: 5 * time.Second, sender: newReno(rtt)})
		l.run(90 * time.Second)
		t.Logf("%v: TCP share %.3f", cfg.Policy, l.share(tcp, 15*time.Second, 90*time.Second))
		return l.share(tcp, 15*time.Second, 90*time.Second)
	}
	if s := run(Config{Policy: Low}); s < 0.8 {
		t.Errorf("TCP got %.3f next to low, want >= 0.8", s)
	}
	if s := run(Config{Policy: Fixed, MaxRate: 20 * mbit}); s > 0.5 {
		t.Errorf("TCP got %.3f next to a fixed full-rate flow; the model should starve it", s)
	}
}

// TestRateStaysWithinLimits: with MaxRate below the bottleneck the rate
// never exceeds it (and the flow gets it); with MinRate the rate never drops
// below it even when the queue says so.
func TestRateStaysWithinLimits(t *testing.T) {
	l := newSimLink(100*mbit, wanRTT, deepQ, 0.03, 5)
	capped := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{MaxRate: 40 * mbit})}})
	floored := l.add(&simFlow{start: 5 * time.Second, sender: ctrlSender{mustCtrl(t, Config{Policy: Low, MinRate: 10 * mbit})}})
	l.run(40 * time.Second)
	for i, r := range capped.rates {
		if r > 40*mbit {
			t.Fatalf("step %d: rate %.0f above MaxRate", i, r)
		}
	}
	for i, r := range floored.rates[5000:] {
		if r < 10*mbit {
			t.Fatalf("step %d: rate %.0f below MinRate", 5000+i, r)
		}
	}
	if s := l.share(capped, 10*time.Second, 40*time.Second); s < 0.38 {
		t.Errorf("capped flow got %.3f, want about 0.4 × 0.97", s)
	}
}

// steadyController returns a fair controller driven into its steady phase.
// TestRaisedCeilingProbesFast: a flow held at MaxRate re-enters startup
// when the ceiling is raised, and reaches the bottleneck quickly.
// TestOnSampleSanitizes: hostile samples never produce a rate outside the
// limits or a non-finite one.

// TestFairHoldsItsShareAgainstTCP: a loss-based flow keeps a drop-tail
// queue full whatever fair does, so fair reads delay from the floor the queue
// kept over the last rounds, not from empty. Before that fair held 0.5 %,
// 7 % and 16 % of the link next to Reno at 50, 100 and 200 ms queues.
//
// Next to CUBIC (Linux's default; the bench's fair-vs-cubic cell is 100
// Mbit/s, 50 ms, 100 ms queue) both flows must also keep >= 25 % over the
// first 20 s after CUBIC joins, the bench's window. That was the hard part:
// CUBIC's slow start fills the queue before fair's floor has risen, and
// fair's cuts then went down to β = 0.5 and climbed back to its own pre-cut
// rate, which kept it at 19 % of the link (now β >= 0.8 and no climb-back
// after steady cuts: 27 %). CUBIC at a 200 ms queue is logged, not held
// (15 % over the first 20 s, 30 % after).
func TestFairHoldsItsShareAgainstTCP(t *testing.T) {
	const rtt = 50 * time.Millisecond
	for _, tc := range []struct {
		name     string
		tcp      func(time.Duration) simSender
		share    float64       // each flow's least share over the 45 s after TCP joined...
		first20  float64       // ...and over its first 20 s (0: not held)
		heldUpTo time.Duration // queues above this are logged only
	}{
		{"Reno", func(d time.Duration) simSender { return newReno(d) }, 0.3, 0, 200 * time.Millisecond},
		{"CUBIC", func(d time.Duration) simSender { return newCubic(d) }, 0.25, 0.25, 100 * time.Millisecond},
	} {
		for _, q := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
			l := newSimLink(100*mbit, rtt, q, 0, 4)
			fair := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{MaxRate: 100 * mbit})}})
			tcp := l.add(&simFlow{start: 5 * time.Second, sender: tc.tcp(rtt)})
			l.run(60 * time.Second)
			f, r := l.share(fair, 15*time.Second, 60*time.Second), l.share(tcp, 15*time.Second, 60*time.Second)
			f20, r20 := l.share(fair, 6*time.Second, 26*time.Second), l.share(tcp, 6*time.Second, 26*time.Second)
			t.Logf("%s, queue %v: fair %.3f, TCP %.3f (first 20 s: %.3f / %.3f)", tc.name, q, f, r, f20, r20)
			if q <= tc.heldUpTo && (min(f, r) < tc.share || min(f20, r20) < tc.first20) {
				t.Errorf("%s, queue %v: fair %.3f, TCP %.3f (first 20 s: %.3f / %.3f); want >= %.2f (first 20 s >= %.2f)",
					tc.name, q, f, r, f20, r20, tc.share, tc.first20)
			}
		}
	}
}
