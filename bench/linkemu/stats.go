package linkemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"
)

// Counters are the live, per-direction counters of a Forwarder. They are
// updated atomically by the I/O loop and read with Snapshot.
type Counters struct {
	Received        atomic.Uint64 // packets read from the input device
	ReceivedBytes   atomic.Uint64
	Forwarded       atomic.Uint64 // packets written to the output device
	ForwardedBytes  atomic.Uint64
	DroppedLoss     atomic.Uint64 // lost on the wire (random or Gilbert–Elliott)
	DroppedQueue    atomic.Uint64 // refused by the drop-tail queue
	DroppedOverflow atomic.Uint64 // refused because the delay line was full (emulator memory cap)
	ReadErrors      atomic.Uint64
	WriteErrors     atomic.Uint64
	QueueDelaySum   atomic.Int64 // ns, over packets that entered the queue
	QueueDelayMax   atomic.Int64 // ns
	QueueDelayCount atomic.Uint64
	LateSum         atomic.Int64 // ns a forwarded packet left after its departure time
	LateMax         atomic.Int64 // ns
	QueueDelayNow   atomic.Int64 // ns, queue delay of the latest packet offered
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

func (c *Counters) addQueueDelay(d time.Duration) {
	c.QueueDelayNow.Store(int64(d))
	c.QueueDelaySum.Add(int64(d))
	c.QueueDelayCount.Add(1)
	storeMax(&c.QueueDelayMax, int64(d))
}

func (c *Counters) addLate(d time.Duration) {
	if d < 0 {
		d = 0
	}
	c.LateSum.Add(int64(d))
	storeMax(&c.LateMax, int64(d))
}

// DirStats is a point-in-time copy of one direction's Counters, in the
// JSON form printed on SIGUSR1, at exit and in the stats file.
type DirStats struct {
	Received         uint64  `json:"received"`
	ReceivedBytes    uint64  `json:"received_bytes"`
	Forwarded        uint64  `json:"forwarded"`
	ForwardedBytes   uint64  `json:"bytes"`
	DroppedLoss      uint64  `json:"dropped_loss"`
	DroppedQueue     uint64  `json:"dropped_queue"`
	DroppedOverflow  uint64  `json:"dropped_overflow"`
	ReadErrors       uint64  `json:"read_errors"`
	WriteErrors      uint64  `json:"write_errors"`
	InFlight         uint64  `json:"in_flight"`
	QueueDelayMeanMS float64 `json:"queue_delay_mean_ms"`
	QueueDelayMaxMS  float64 `json:"queue_delay_max_ms"`
	QueueDelayNowMS  float64 `json:"queue_delay_now_ms"`
	LateMeanMS       float64 `json:"late_mean_ms"`
	LateMaxMS        float64 `json:"late_max_ms"`
}

// Snapshot copies the counters. InFlight is the number of packets received
// but neither forwarded nor dropped yet (held in the delay line).
func (c *Counters) Snapshot() DirStats {
	s := DirStats{
		Received:        c.Received.Load(),
		ReceivedBytes:   c.ReceivedBytes.Load(),
		Forwarded:       c.Forwarded.Load(),
		ForwardedBytes:  c.ForwardedBytes.Load(),
		DroppedLoss:     c.DroppedLoss.Load(),
		DroppedQueue:    c.DroppedQueue.Load(),
		DroppedOverflow: c.DroppedOverflow.Load(),
		ReadErrors:      c.ReadErrors.Load(),
		WriteErrors:     c.WriteErrors.Load(),
		QueueDelayMaxMS: ms(c.QueueDelayMax.Load()),
		QueueDelayNowMS: ms(c.QueueDelayNow.Load()),
		LateMaxMS:       ms(c.LateMax.Load()),
	}
	if n := c.QueueDelayCount.Load(); n > 0 {
		s.QueueDelayMeanMS = ms(c.QueueDelaySum.Load() / int64(n))
	}
	if s.Forwarded > 0 {
		s.LateMeanMS = ms(c.LateSum.Load() / int64(s.Forwarded))
	}
	done := s.Forwarded + s.DroppedLoss + s.DroppedQueue + s.DroppedOverflow + s.WriteErrors
	if s.Received > done {
		s.InFlight = s.Received - done
	}
	return s
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }

// Stats is the JSON document linkemu prints: both directions, the time the
// emulator has run and the configuration it applied.
type Stats struct {
	ElapsedS float64  `json:"elapsed_s"`
	AtoB     DirStats `json:"a_to_b"`
	BtoA     DirStats `json:"b_to_a"`
	ConfigAB string   `json:"config_a_to_b"`
	ConfigBA string   `json:"config_b_to_a"`
}

// MarshalIndent renders s as indented JSON ending in a newline.
func (s Stats) MarshalIndent() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("linkemu: marshal stats: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseStats decodes a stats document written by Stats.MarshalIndent,
// rejecting unknown fields and trailing data.
func ParseStats(b []byte) (Stats, error) {
	var s Stats
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Stats{}, fmt.Errorf("linkemu stats: %w", err)
	}
	if dec.More() {
		return Stats{}, fmt.Errorf("linkemu stats: trailing data after the JSON object")
	}
	return s, nil
}
