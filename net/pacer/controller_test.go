package pacer

import (
	"fmt"
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
// offset, so its base-delay estimate starts inflated by the standing queue),
// and neither takes the other's queue for a loss-based competitor's: the
// queue stays near the delay target (the bench's fair-two-flows cell once
// had both competing, filling its 100 ms buffer).
func TestTwoFairFlowsShare(t *testing.T) {
	for _, tc := range []struct {
		rate       float64
		queue      time.Duration
		loss       float64
		join       time.Duration
		maxRate    float64
		worstQueue time.Duration // after 20 s
	}{
		{100 * mbit, deepQ, 0.01, 0, 0, 30 * time.Millisecond},
		{100 * mbit, deepQ, 0.01, 5 * time.Second, 0, 30 * time.Millisecond},
		{500 * mbit, 100 * time.Millisecond, 0, 0, 500 * mbit, 30 * time.Millisecond}, // the bench's cell
	} {
		name := fmt.Sprintf("%.0f Mbit/s, queue %v, loss %v, join at %v", tc.rate/mbit, tc.queue, tc.loss, tc.join)
		t.Run(name, func(t *testing.T) {
			l := newSimLink(tc.rate, wanRTT, tc.queue, tc.loss, 2)
			a := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{MaxRate: tc.maxRate})}, owdOffset: time.Second})
			b := l.add(&simFlow{start: tc.join, sender: ctrlSender{mustCtrl(t, Config{MaxRate: tc.maxRate})}, owdOffset: -7 * time.Second})
			l.run(60 * time.Second)
			sa, sb := l.share(a, 20*time.Second, 60*time.Second), l.share(b, 20*time.Second, 60*time.Second)
			mq := l.maxQueue(20*time.Second, 60*time.Second)
			t.Logf("shares %.3f / %.3f, max queue %v", sa, sb, mq)
			if sa < 0.4 || sa > 0.6 || sb < 0.4 || sb > 0.6 {
				t.Errorf("shares = %.3f / %.3f, want each within [0.4, 0.6]", sa, sb)
			}
			if sa+sb < 0.9 {
				t.Errorf("together %.3f of the bottleneck, want >= 0.9", sa+sb)
			}
			if mq > tc.worstQueue {
				t.Errorf("max queueing delay %v after 20 s, want <= %v", mq, tc.worstQueue)
			}
		})
	}
}

// TestFairJoinsABusyLink: a fair flow that starts while another fills the
// link (both with the link rate as MaxRate, as the bench runs them) leaves
// startup on the other's queue at a fraction of a fair share. Once that
// flow's cut has drained the queue far slower than this one's drain alone
// could, it resumes startup and takes what was released; before, it kept
// 26–34 % of the link over its first 20 s (0.3, 1 and 5 s late). Started
// 10 ms apart, both reach MaxRate in startup and fill the buffer; the one
// that enters steady on the full buffer saw no growth to cut on and kept
// its rate for four rounds: 37 / 60 %.
func TestFairJoinsABusyLink(t *testing.T) {
	for _, join := range []time.Duration{10 * time.Millisecond, 300 * time.Millisecond, time.Second, 5 * time.Second} {
		l := newSimLink(500*mbit, wanRTT, 100*time.Millisecond, 0, 2)
		a := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{MaxRate: 500 * mbit})}, owdOffset: time.Second})
		b := l.add(&simFlow{start: join, sender: ctrlSender{mustCtrl(t, Config{MaxRate: 500 * mbit})}, owdOffset: -7 * time.Second})
		l.run(join + 20*time.Second)
		sa, sb := l.share(a, join, join+20*time.Second), l.share(b, join, join+20*time.Second)
		t.Logf("joined at %v: first 20 s %.3f / %.3f", join, sa, sb)
		if sa < 0.4 || sb < 0.4 || sa+sb < 0.9 {
			t.Errorf("joined at %v: shares %.3f / %.3f over its first 20 s, want each >= 0.4 and together >= 0.9", join, sa, sb)
		}
	}
}

// TestTwoFairFlowsDrainTheirOvershoot: two fair flows that start together
// with the link rate as MaxRate each reach it before either sees a queue,
// and fill a 100 ms buffer. Their cuts must drain it before the queue floor
// takes it for a loss-based competitor's: with cuts from the loss-corrected
// best delivery rate, the sum stayed above the link, and both competed by
// CUBIC's rules with the buffer full (the bench's fair-two-flows cell, and
// here with the second flow 10-15 ms behind the first).
func TestTwoFairFlowsDrainTheirOvershoot(t *testing.T) {
	for _, lag := range []time.Duration{0, 5 * time.Millisecond, 10 * time.Millisecond, 15 * time.Millisecond} {
		l := newSimLink(500*mbit, wanRTT, 100*time.Millisecond, 0, 2)
		a := mustCtrl(t, Config{MaxRate: 500 * mbit})
		b := mustCtrl(t, Config{MaxRate: 500 * mbit})
		l.add(&simFlow{sender: ctrlSender{a}, owdOffset: time.Second})
		l.add(&simFlow{start: lag, sender: ctrlSender{b}, owdOffset: -7 * time.Second})
		competed := false
		for at := 250 * time.Millisecond; at <= 10*time.Second; at += 250 * time.Millisecond {
			l.run(at)
			competed = competed || a.competing() || b.competing()
		}
		mq := l.maxQueue(3*time.Second, 10*time.Second)
		t.Logf("second flow %v behind: max queue 3-10 s %v, competed %v", lag, mq, competed)
		if competed || mq > 30*time.Millisecond {
			t.Errorf("second flow %v behind: max queue 3-10 s %v, competed %v; want <= 30ms, false", lag, mq, competed)
		}
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

// TestFairHoldsItsShareAgainstTCP: a loss-based TCP keeps a drop-tail queue
// full whatever fair does. Fair used to answer that queue as steady does and
// kept a few per cent of the link (0.5 % next to Reno; 11-14 % next to CUBIC
// on the WAN bench's fair-vs-cubic cell, which starts both together); it now
// detects the standing queue (its floor above target) and competes by
// CUBIC's rules. Each flow must keep >= 25 % (the bench's target) over the
// 20 s after both run and over the 40 s after that, whichever starts first.
// CUBIC is Linux's (HyStart on). Reno is held to 20 %: fair competes by
// CUBIC's rules, and CUBIC itself leaves Reno 20 %, 18 % and 5 % at 50, 100
// and 200 ms queues in this model; fair leaves it more (22-36 %), as it sends
// its window at the RTT of its last cut and so, unlike a window, does not
// speed up as the queue drains.
func TestFairHoldsItsShareAgainstTCP(t *testing.T) {
	const rtt = 50 * time.Millisecond
	for _, tc := range []struct {
		name  string
		tcp   func(time.Duration) simSender
		least float64 // each flow's least share in either window
	}{
		{"Reno", func(d time.Duration) simSender { return newReno(d) }, 0.2},
		{"CUBIC", func(d time.Duration) simSender { c := newCubic(d); c.hystart = true; return c }, 0.25},
	} {
		for _, tcpFirst := range []bool{false, true} {
			for _, q := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
				l := newSimLink(100*mbit, rtt, q, 0, 4)
				fairStart, tcpStart := time.Duration(0), 5*time.Second
				if tcpFirst {
					fairStart, tcpStart = 200*time.Millisecond, 0 // the bench: fair logs in first
				}
				fair := l.add(&simFlow{start: fairStart, sender: ctrlSender{mustCtrl(t, Config{MaxRate: 100 * mbit})}})
				tcp := l.add(&simFlow{start: tcpStart, sender: tc.tcp(rtt)})
				both := max(fairStart, tcpStart) + time.Second
				l.run(both + 60*time.Second)
				f20, r20 := l.share(fair, both, both+20*time.Second), l.share(tcp, both, both+20*time.Second)
				f, r := l.share(fair, both+20*time.Second, both+60*time.Second), l.share(tcp, both+20*time.Second, both+60*time.Second)
				name := fmt.Sprintf("%s, queue %v, TCP first %v", tc.name, q, tcpFirst)
				t.Logf("%s: first 20 s fair %.3f TCP %.3f; next 40 s %.3f / %.3f", name, f20, r20, f, r)
				if min(f20, r20, f, r) < tc.least {
					t.Errorf("%s: first 20 s fair %.3f TCP %.3f; next 40 s %.3f / %.3f; want each >= %.2f", name, f20, r20, f, r, tc.least)
				}
			}
		}
	}
}

// TestFairStopsCompetingWhenTCPLeaves: once the loss-based flow is gone,
// fair's next cut drains the buffer it filled while competing and steady
// takes over again: the queue returns to a few ms and fair keeps the link.
func TestFairStopsCompetingWhenTCPLeaves(t *testing.T) {
	const rtt = 50 * time.Millisecond
	for _, q := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
		l := newSimLink(100*mbit, rtt, q, 0, 4)
		c := mustCtrl(t, Config{MaxRate: 200 * mbit}) // above the link: fair could fill the buffer
		fair := l.add(&simFlow{sender: ctrlSender{c}})
		cubic := newCubic(rtt)
		cubic.hystart = true
		l.add(&simFlow{start: 5 * time.Second, stop: 25 * time.Second, sender: cubic})
		l.run(60 * time.Second)
		share, mq := l.share(fair, 40*time.Second, 60*time.Second), l.maxQueue(40*time.Second, 60*time.Second)
		t.Logf("queue %v: after TCP left, fair %.3f of the link, max queueing delay %v, competing %v", q, share, mq, c.competing())
		if share < 0.9 || mq > 30*time.Millisecond || c.competing() {
			t.Errorf("queue %v: after TCP left, fair %.3f of the link, max queueing delay %v, competing %v; want >= 0.9, <= 30ms, false",
				q, share, mq, c.competing())
		}
	}
}
