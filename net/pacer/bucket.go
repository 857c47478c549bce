package pacer

import (
	"math"
	"time"
)

// Bucket is a token-bucket pacer on injected time: the engine asks how long
// to wait before sending n bytes. It holds up to burst bytes of credit and
// refills at rate bytes per second. Internally it is a GCRA (virtual
// scheduling) in integer nanoseconds, so delays are exact, monotone and
// never let the long-run rate exceed the configured one: after waiting the
// returned delay, the same call succeeds.
//
// A burst of a couple of milliseconds at the rate (and at least a few
// datagrams) keeps timer wake-ups affordable without hurting the queue.
// Times before 0 are treated as 0. A Bucket is not safe for concurrent use.
type Bucket struct {
	rate  float64 // bytes/s; see unlimited
	burst int64   // bytes
	// tat is the theoretical arrival time: the bucket is full at or after
	// tat, and holds burst − (tat − now)·rate bytes before it.
	tat Time
}

// NewBucket returns a full bucket. A rate that is not a positive finite
// number means unlimited (Delay always returns 0); a negative burst is
// treated as 0, which paces every send individually.
func NewBucket(rate float64, burst int) *Bucket {
	return &Bucket{rate: rate, burst: int64(max(burst, 0))}
}

// Rate returns the refill rate in bytes/s.
func (b *Bucket) Rate() float64 { return b.rate }

// Burst returns the bucket size in bytes.
func (b *Bucket) Burst() int { return int(b.burst) }

// unlimited reports whether the bucket lets everything through.
func (b *Bucket) unlimited() bool { return !(b.rate > 0) || math.IsInf(b.rate, 1) }

// SetRate changes the refill rate from now on, keeping the credit that has
// accumulated so far.
func (b *Bucket) SetRate(rate float64, now Time) {
	now = max(now, 0)
	old := b.rate
	b.rate = rate
	if b.tat <= now || b.unlimited() || !(old > 0) || math.IsInf(old, 1) {
		b.tat = min(b.tat, now)
		return
	}
	// The same deficit in bytes, expressed at the new rate.
	deficit := float64(b.tat-now) * old / rate
	b.tat = addSat(now, satDuration(math.Ceil(deficit)))
}

// Delay returns how long to wait before n bytes may be sent at now. When it
// returns 0 the bytes are taken and the caller sends at once; otherwise
// nothing is taken and the caller asks again after at least that long. A
// send larger than the burst needs a full bucket and leaves it in debt.
func (b *Bucket) Delay(n int, now Time) time.Duration {
	if n <= 0 {
		return 0
	}
	now = max(now, 0)
	if b.unlimited() {
		b.tat = now
		return 0
	}
	need := min(int64(n), b.burst)
	slack := satDuration(math.Floor(float64(b.burst-need) * 1e9 / b.rate))
	if wait := b.tat - now - slack; wait > 0 {
		return wait
	}
	b.tat = addSat(max(b.tat, now), satDuration(math.Ceil(float64(n)*1e9/b.rate)))
	return 0
}

// Tokens returns the credit in bytes at now (negative while in debt).
func (b *Bucket) Tokens(now Time) float64 {
	now = max(now, 0)
	if b.unlimited() || b.tat <= now {
		return float64(b.burst)
	}
	return float64(b.burst) - (b.tat-now).Seconds()*b.rate
}

// satDuration converts a non-negative whole number of nanoseconds to a
// Duration, saturating instead of overflowing.
func satDuration(ns float64) time.Duration {
	if ns >= math.MaxInt64 || math.IsNaN(ns) {
		return math.MaxInt64
	}
	return time.Duration(max(ns, 0))
}

// addSat adds two non-negative durations, saturating at the maximum.
func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
