package engine

import (
	"math"
	"testing"
	"time"
)

// The delivery rate leaves out pauses of the sender, but not the ordinary
// gaps between a slow flow's datagrams nor a short hiccup of a fast one.
func TestDeliveryMeterSkipsSenderPauses(t *testing.T) {
	const size = 1500
	for _, tc := range []struct {
		name  string
		rate  float64       // bytes/s while sending
		pause time.Duration // silence after 1 s of data
		after time.Duration // data after the silence before the report
		want  float64       // reported rate, as a fraction of rate
		tol   float64
	}{
		{"fast flow, 300 ms pause: left out", 62.5e6, 300 * time.Millisecond, 25 * time.Millisecond, 1, 0.25},
		{"fast flow, no pause", 62.5e6, 0, 25 * time.Millisecond, 1, 0.1},
		{"fast flow, 30 ms hiccup: counted", 62.5e6, 30 * time.Millisecond, 25 * time.Millisecond, 0.5, 0.15},
		{"slow flow (30 ms between datagrams), 300 ms pause: left out", 50e3, 300 * time.Millisecond, 61 * time.Millisecond, 1, 0.25},
		{"slow flow, no pause: its gaps count", 50e3, 0, 61 * time.Millisecond, 1, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m deliveryMeter
			gap := time.Duration(size / tc.rate * float64(time.Second))
			now, last := time.Millisecond, time.Duration(0)
			feed := func(until time.Duration, report bool) {
				for ; now < until; now += gap {
					m.arrived(now, size)
					m.add(size)
					last = now
					if report {
						m.report(now) // an ACK per datagram: intervals as short as allowed
					}
				}
			}
			feed(time.Second, true)
			resume := now + tc.pause
			now = resume
			feed(resume+tc.after, false)
			got := float64(m.report(last)) / tc.rate
			if math.Abs(got-tc.want) > tc.tol {
				t.Errorf("rate after the silence = %.2f of the sending rate, want %.2f ± %.2f", got, tc.want, tc.tol)
			}
		})
	}
}
