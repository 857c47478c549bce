package engine

import (
	"math"
	"time"

	"github.com/jetstream-go/jetstream/net/pacer"
)

// RateController chooses the sending rate from ACK samples. *pacer.Controller
// implements it; tests and server-wide limiters may wrap or replace it.
type RateController interface {
	OnSample(pacer.Sample)
	Rate() float64 // bytes/s
	SetLimits(minRate, maxRate float64) error
	SetPolicy(pacer.Policy)
}

// bucket is a token bucket: delay(n, now) says how long to wait before n bytes may go.
// Sends go in runs of about a quantum of tokens, so a paced sender wakes about once
// per quantum and hands the kernel a run of datagrams (one GSO message) instead of
// one datagram per wake-up.
type bucket struct {
	rate    float64 // bytes/s; <= 0 or Inf = unpaced
	burst   float64
	quantum float64 // tokens a run of sends waits for (<= burst)
	open    bool    // a run is under way
	tokens  float64
	last    time.Duration
}

func (b *bucket) setRate(rate float64, burst, quantum int, now time.Duration) {
	b.refill(now)
	b.rate, b.burst = rate, float64(burst)
	b.quantum = min(float64(quantum), b.burst)
	b.tokens = min(b.tokens, b.burst)
}

func (b *bucket) refill(now time.Duration) {
	if now > b.last {
		if b.rate > 0 && !math.IsInf(b.rate, 0) {
			b.tokens = min(b.burst, b.tokens+b.rate*(now-b.last).Seconds())
		}
		b.last = now
	}
}

// delay returns 0 and takes n tokens when n bytes may be sent now, else the time to
// wait. A run of sends starts only once a quantum of tokens has built up and goes on
// while tokens last, so however often the caller asks, datagrams leave in runs.
func (b *bucket) delay(n int, now time.Duration) time.Duration {
	if b.rate <= 0 || math.IsInf(b.rate, 0) {
		return 0
	}
	b.refill(now)
	if !b.open && b.tokens >= b.quantum {
		b.open = true
	}
	if b.open && (b.tokens >= float64(n) || b.tokens >= b.burst) {
		b.tokens -= float64(n)
		return 0
	}
	b.open = false
	need := max(float64(n), b.quantum) - b.tokens
	return time.Duration(math.Ceil(need / b.rate * 1e9))
}

// ipUDPOverhead is the IPv4 and UDP header of every datagram. Rates (the
// pacer's, sendRateMax, the receiver's delivery rate) count it, so a target
// rate means what the link's own counters (and the user's contract) say:
// -l 500M fills a 500 Mbit/s link without building a queue in front of it.
const ipUDPOverhead = 20 + 8

// maxSendQuantum caps the pacing quantum at about one GSO message.
const maxSendQuantum = 64000
