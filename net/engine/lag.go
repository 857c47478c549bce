package engine

import "time"

// lagFilter tracks the receiver's standing processing lag: the least time a
// datagram that arrived within the last lagWindow waited between the
// kernel's arrival stamp and the session handling it.
//
// The delay the receiver reports is arrival plus this lag. A receiver that
// cannot keep up (a CPU-bound session on a fast link) holds a backlog that
// every datagram waits through: the least lag grows and the sender's rate
// control sees it as the queue it is. A host that leaves the session
// unscheduled for a while delays only the datagrams of that spell, while
// the ones that arrived just before it went through at once: the least lag
// stays near zero and the spell is not mistaken for a queue on the path
// (the WAN bench saw 50 ms ones several times a run).
type lagFilter struct {
	buckets [lagBuckets]lagBucket
}

// lagBucket is the least lag of the datagrams that arrived in one
// lagBucketLen of the session clock.
type lagBucket struct {
	slot int64 // arrival time / lagBucketLen, plus one (0 = empty)
	lag  time.Duration
}

const (
	lagWindow    = 50 * time.Millisecond
	lagBucketLen = time.Millisecond
	lagBuckets   = int(lagWindow/lagBucketLen) + 2
)

// add records a datagram that arrived at at and was handled lag later.
func (f *lagFilter) add(at, lag time.Duration) {
	slot := int64(at/lagBucketLen) + 1
	b := &f.buckets[slot%int64(lagBuckets)]
	if b.slot != slot {
		*b = lagBucket{slot: slot, lag: lag}
		return
	}
	b.lag = min(b.lag, lag)
}

// standing returns the least lag of the datagrams that arrived in the
// lagWindow up to at (0 when there were none).
func (f *lagFilter) standing(at time.Duration) time.Duration {
	hi := int64(at/lagBucketLen) + 1
	lo := hi - int64(lagWindow/lagBucketLen)
	least := time.Duration(-1)
	for _, b := range f.buckets {
		if b.slot > lo && b.slot <= hi && (least < 0 || b.lag < least) {
			least = b.lag
		}
	}
	return max(least, 0)
}
