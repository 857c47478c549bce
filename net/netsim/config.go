package netsim

import (
	"fmt"
	"math"
	"time"
)

// DefaultMTU is the largest datagram a link carries when LinkConfig.MTU is 0.
const DefaultMTU = 65535

// RecvBuffer is how many datagrams wait in an endpoint before new arrivals
// are dropped (counted in Counters.DroppedBuffer), like a socket buffer.
const RecvBuffer = 4096

// LinkConfig describes one direction of a path. The zero value is a perfect
// link: no delay, no loss, infinite rate.
type LinkConfig struct {
	// Delay is the one-way propagation delay; Jitter adds a uniform random
	// offset in [-Jitter, +Jitter] per packet (the total never goes below
	// zero; like netem, jitter can reorder packets).
	Delay, Jitter time.Duration
	// Loss is the probability in [0, 1] that a packet is dropped.
	Loss float64
	// Reorder is the probability that a packet is held back by an extra
	// ReorderDelay, so later packets overtake it.
	Reorder float64
	// ReorderDelay is the extra delay of a held-back packet (0 = Delay,
	// at least 1 ms).
	ReorderDelay time.Duration
	// Duplicate is the probability that a packet is delivered twice.
	Duplicate float64
	// Rate is the bottleneck rate in bytes/s (0 = infinite). Packets are
	// serialised one after another at this rate before the Delay.
	Rate float64
	// QueueLimit bounds the bottleneck queue, expressed as waiting time at
	// Rate: a packet that would wait longer is dropped (drop-tail). 0 =
	// unlimited. Ignored when Rate is 0.
	QueueLimit time.Duration
	// MTU drops bigger datagrams (0 = DefaultMTU).
	MTU int
	// Seed seeds the link's random source; the same seed, addresses and
	// send order give the same losses and delays.
	Seed int64
}

// Validate reports the first out-of-range field, or nil. New and SetLink
// accept any value and clamp it the same way sanitized does.
func (c LinkConfig) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"Loss", c.Loss}, {"Reorder", c.Reorder}, {"Duplicate", c.Duplicate}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("netsim: %s %v is not a probability in [0, 1]", p.name, p.v)
		}
	}
	if c.Delay < 0 || c.Jitter < 0 || c.ReorderDelay < 0 || c.QueueLimit < 0 {
		return fmt.Errorf("netsim: negative duration in %+v", c)
	}
	if !(c.Rate >= 0) || math.IsInf(c.Rate, 0) {
		return fmt.Errorf("netsim: Rate %v is not a finite non-negative rate", c.Rate)
	}
	if c.MTU < 0 {
		return fmt.Errorf("netsim: MTU %d is negative", c.MTU)
	}
	return nil
}

// sanitized clamps every field into range.
func (c LinkConfig) sanitized() LinkConfig {
	prob := func(p float64) float64 {
		if !(p > 0) {
			return 0
		}
		return math.Min(p, 1)
	}
	c.Loss, c.Reorder, c.Duplicate = prob(c.Loss), prob(c.Reorder), prob(c.Duplicate)
	c.Delay, c.Jitter = max(c.Delay, 0), max(c.Jitter, 0)
	c.ReorderDelay, c.QueueLimit = max(c.ReorderDelay, 0), max(c.QueueLimit, 0)
	if !(c.Rate > 0) || math.IsInf(c.Rate, 0) {
		c.Rate = 0
	}
	if c.MTU <= 0 {
		c.MTU = DefaultMTU
	}
	if c.ReorderDelay == 0 {
		c.ReorderDelay = max(c.Delay, time.Millisecond)
	}
	return c
}

// Counters count the packets of one direction of one path.
type Counters struct {
	Sent           uint64 // datagrams written
	Delivered      uint64 // datagrams handed to the receiver (duplicates included)
	DroppedLoss    uint64 // random loss
	DroppedQueue   uint64 // bottleneck queue full
	DroppedMTU     uint64 // larger than the MTU
	DroppedNoRoute uint64 // no endpoint (or a closed one) at the destination
	DroppedBuffer  uint64 // receiver's buffer full
	Duplicated     uint64 // extra copies made
	Reordered      uint64 // packets held back
}
