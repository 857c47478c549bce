package pacer

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestFairToleratesHostNoise: reports delayed at random by host scheduling
// (a busy CPU on either end, not a queue at the bottleneck) must not make
// fair give up much of a 500 Mbit/s, 50 ms path, startup included. With
// startup reading the smaller of only the last two delay samples, 30 %
// late reports cost 23 % of the link (startup ended within 0.2 s).
func TestFairToleratesHostNoise(t *testing.T) {
	for _, tc := range []struct {
		name     string
		prob     float64
		maxExtra time.Duration
		minShare float64
	}{
		{"quiet host", 0, 0, 0.93},
		{"30% of reports up to 50 ms late", 0.3, 50 * time.Millisecond, 0.88},
		{"10% of reports up to 30 ms late", 0.1, 30 * time.Millisecond, 0.9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 9))
			l := newSimLink(500*mbit, 50*time.Millisecond, 50*time.Millisecond, 0, 12)
			f := l.add(&simFlow{sender: ctrlSender{mustCtrl(t, Config{})}, noise: func() time.Duration {
				if rng.Float64() < tc.prob {
					return time.Duration(rng.Int64N(int64(tc.maxExtra)))
				}
				return 0
			}})
			l.run(20 * time.Second)
			s := l.share(f, 0, 20*time.Second)
			t.Logf("share over 20 s (startup included) %.3f; 0-2 s %.3f, 2-20 s %.3f", s, l.share(f, 0, 2*time.Second), l.share(f, 2*time.Second, 20*time.Second))
			if s < tc.minShare {
				t.Errorf("share %.3f, want >= %.2f", s, tc.minShare)
			}
		})
	}
}

// TestSteadyUndoesCutOnHostStall: a 60 ms stall of a host in steady state
// delays a burst of reports by up to 50 ms, which reads as a queue and
// draws a cut. Reports on packets sent before the cut that then show no
// queue prove it was not this flow's: the cut is undone. Without the undo
// the 2 s after the stall carried 0.954 of the link (0.997 with it).
func TestSteadyUndoesCutOnHostStall(t *testing.T) {
	const rtt = 50 * time.Millisecond
	l := newSimLink(500*mbit, rtt, rtt, 0, 12)
	c := mustCtrl(t, Config{MaxRate: 500 * mbit})
	f := l.add(&simFlow{sender: ctrlSender{c}})
	stall := 5 * time.Second
	f.noise = func() time.Duration {
		if l.now >= stall && l.now < stall+60*time.Millisecond {
			return stall + 60*time.Millisecond - l.now - 10*time.Millisecond
		}
		return 0
	}
	l.run(8 * time.Second)
	share := l.share(f, stall, stall+2*time.Second)
	t.Logf("share over the 2 s after the stall %.3f (before it %.3f)", share, l.share(f, 3*time.Second, stall))
	if share < 0.98 {
		t.Errorf("share after the stall %.3f, want >= 0.98", share)
	}
}
