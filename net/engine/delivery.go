package engine

import "time"

// deliveryMeter is the receiver's delivery rate for ACK reports: datagram
// bytes per second over intervals of at least deliveryInterval.
//
// A pause in the data much longer than the gaps between datagrams at the
// measured rate is the sender's (its source ran dry: no listed file left to
// read, a slow disk), not the path's, and is left out of the interval. Left
// in, the first reports after it show a near-zero rate, and the sender's
// rate control, which cuts to a fraction of the recent delivery rate when a
// queue shows, cut a 500 Mbit/s transfer to 25 Mbit/s on the WAN bench and
// took seconds to climb back.
type deliveryMeter struct {
	bytes  int64
	since  time.Duration // start of the interval
	lastAt time.Duration // last datagram (0 = none yet)
	size   int           // largest datagram seen
	rate   uint64        // bytes/s of the last whole interval
}

const (
	deliveryInterval = 20 * time.Millisecond
	// minDataPause is the shortest gap in the data that counts as a pause,
	// whatever the rate; pauseGaps is how many datagram gaps at the measured
	// rate it takes.
	minDataPause = 50 * time.Millisecond
	pauseGaps    = 8
)

// arrived notes a data datagram of size bytes at now.
func (m *deliveryMeter) arrived(now time.Duration, size int) {
	m.size = max(m.size, size)
	if m.lastAt != 0 && m.rate > 0 {
		// Leave out the pause beyond one ordinary gap between datagrams.
		usual := time.Duration(float64(m.size) / float64(m.rate) * float64(time.Second))
		if gap := now - m.lastAt; gap > max(minDataPause, pauseGaps*usual) {
			m.since = min(m.since+gap-usual, now)
		}
	}
	m.lastAt = now
}

// add counts n bytes delivered.
func (m *deliveryMeter) add(n int64) { m.bytes += n }

// report returns the delivery rate for an ACK sent at now, closing the
// interval when it is long enough.
func (m *deliveryMeter) report(now time.Duration) uint64 {
	if el := now - m.since; el >= deliveryInterval {
		m.rate = uint64(float64(m.bytes) / el.Seconds())
		m.bytes, m.since = 0, now
	}
	return m.rate
}
