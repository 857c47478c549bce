package linkemu

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Verdict is what a Link does with one packet.
type Verdict uint8

// Verdicts, in the order the model applies them.
const (
	// Forward: the packet leaves the far end at Decision.Depart.
	Forward Verdict = iota
	// DropQueue: the drop-tail queue in front of the bottleneck was full.
	DropQueue
	// DropLoss: the packet was serialised onto the wire and lost there
	// (random or Gilbert–Elliott loss).
	DropLoss
)

// String names the verdict as the counters do.
func (v Verdict) String() string {
	switch v {
	case Forward:
		return "forward"
	case DropQueue:
		return "dropped_queue"
	case DropLoss:
		return "dropped_loss"
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// Decision is the fate of one packet offered to a Link.
type Decision struct {
	Verdict Verdict
	// Depart is when the packet leaves the far end of the link (valid for
	// Forward), on the same clock as the arrival time given to Offer.
	Depart time.Duration
	// QueueDelay is how long the packet waited behind earlier packets
	// before its own serialisation began (0 for DropQueue).
	QueueDelay time.Duration
}

// Link is the pure model of one direction of an emulated path: a drop-tail
// FIFO queue drained at the bottleneck rate, then a lossy wire with a
// propagation delay and jitter. It does no I/O and reads no clock: callers
// pass the arrival time of each packet, which must not decrease between
// calls. A Link is not safe for concurrent use.
type Link struct {
	cfg        DirConfig
	queueLimit time.Duration
	loss       lossModel
	rng        *rand.Rand
	busyUntil  time.Duration // when the bottleneck finishes what is queued
	lastDepart time.Duration // departure of the previous forwarded packet
}

// NewLink returns a Link for cfg whose random choices are driven by seed,
// so a run with the same seed, config and arrivals is reproducible.
func NewLink(cfg DirConfig, seed uint64) (*Link, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("link config: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &Link{
		cfg:        cfg,
		queueLimit: cfg.EffectiveQueueLimit(),
		loss:       newLossModel(cfg.Loss, cfg.GE, rng),
		rng:        rng,
	}, nil
}

// Config returns the configuration the Link was built with.
func (l *Link) Config() DirConfig { return l.cfg }

// SerialisationTime is how long size bytes occupy a link of rate bit/s,
// rounded up to a whole nanosecond; 0 for an unlimited rate.
func SerialisationTime(size int, rate int64) time.Duration {
	if rate <= 0 || size <= 0 {
		return 0
	}
	bits := int64(size) * 8 * int64(time.Second) // < 2^63 for size < 1 GiB
	return time.Duration((bits + rate - 1) / rate)
}

// Offer decides the fate of a packet of size bytes arriving at now.
func (l *Link) Offer(now time.Duration, size int) Decision {
	start := now
	if l.cfg.Rate > 0 {
		if l.busyUntil > start {
			start = l.busyUntil
		}
		tx := SerialisationTime(size, l.cfg.Rate)
		backlog := start - now
		// Drop-tail: refuse a packet whose own last bit would leave the
		// queue later than the limit allows, unless the queue is empty
		// (a limit shorter than one packet must not block the link).
		if backlog > 0 && backlog+tx > l.queueLimit {
			return Decision{Verdict: DropQueue}
		}
		l.busyUntil = start + tx
	}
	wireEnd := start + SerialisationTime(size, l.cfg.Rate)
	queueDelay := start - now
	if l.loss.lost() {
		return Decision{Verdict: DropLoss, QueueDelay: queueDelay}
	}
	depart := wireEnd + l.cfg.Delay
	if l.cfg.Jitter > 0 {
		// Uniform in [-Jitter, +Jitter], never before the wire end.
		j := time.Duration(l.rng.Int64N(2*int64(l.cfg.Jitter)+1)) - l.cfg.Jitter
		depart += j
		if depart < wireEnd {
			depart = wireEnd
		}
	}
	if !l.cfg.Reorder && depart < l.lastDepart {
		depart = l.lastDepart
	}
	if depart > l.lastDepart {
		l.lastDepart = depart
	}
	return Decision{Verdict: Forward, Depart: depart, QueueDelay: queueDelay}
}
