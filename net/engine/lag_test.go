package engine

import (
	"testing"
	"time"
)

// The standing lag shows a backlog the receiver holds, not a spell in
// which the host left it unscheduled.
func TestLagFilter(t *testing.T) {
	const gap = 100 * time.Microsecond // between arrivals
	for _, tc := range []struct {
		name string
		// handled returns when the datagram that arrived at at is handled.
		handled  func(at time.Duration) time.Duration
		from, to time.Duration // arrivals whose standing lag is checked
		lo, hi   time.Duration // wanted range of the standing lag there
	}{
		{"keeps up", func(at time.Duration) time.Duration { return at + 20*time.Microsecond },
			0, time.Second, 0, 20 * time.Microsecond},
		{"40 ms spell unscheduled", func(at time.Duration) time.Duration {
			if at >= 500*time.Millisecond && at < 540*time.Millisecond {
				return 540 * time.Millisecond
			}
			return at + 20*time.Microsecond
		}, 500 * time.Millisecond, 540 * time.Millisecond, 0, 20 * time.Microsecond},
		{"100 ms spell: the part beyond the window shows", func(at time.Duration) time.Duration {
			if at >= 500*time.Millisecond && at < 600*time.Millisecond {
				return 600 * time.Millisecond
			}
			return at + 20*time.Microsecond
		}, 550 * time.Millisecond, 560 * time.Millisecond, 40 * time.Millisecond, 50 * time.Millisecond},
		{"growing backlog (handles 2 of 3 arrivals' worth)", func(at time.Duration) time.Duration {
			return at + at/2
		}, 500 * time.Millisecond, time.Second, 200 * time.Millisecond, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f lagFilter
			for at := time.Duration(0); at < time.Second; at += gap {
				f.add(at, tc.handled(at)-at)
				if at < tc.from || at >= tc.to {
					continue
				}
				if got := f.standing(at); got < tc.lo || got > tc.hi {
					t.Fatalf("arrival at %v: standing lag %v, want within [%v, %v]", at, got, tc.lo, tc.hi)
				}
			}
		})
	}
}
