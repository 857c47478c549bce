package direct

import (
	"math"
	"time"
)

// Progress is a point-in-time reading of a direct transfer's counters, as
// the Runner reports it.
type Progress struct {
	TotalBytes int64 // size of the transfer (as known so far)
	TotalFiles int64
	// BytesDone is the payload known to have arrived: acknowledged bytes
	// for an upload, received bytes for a download.
	BytesDone           int64
	BytesSent           int64 // data put on the wire, re-sends included
	TotalBlocks         int64
	BlocksAcked         int64 // acknowledged (upload) or received (download)
	BlocksSent          int64
	BlocksRetransmitted int64
	PacketsSent         int64
	PacketsRecv         int64
	FilesDone           int64
	FilesFailed         int64
	RTT                 time.Duration
	CurrentFile         string
}

// rateMeter turns successive byte counts into a rate in kbit/s: the
// latest interval of at least minInterval, smoothed with the previous
// value (an exponential moving average), so one late report does not make
// the rate jump to zero and back.
type rateMeter struct {
	at    time.Time // time of the last sample used
	bytes int64
	kbps  float64
	init  bool
}

// minInterval is the shortest interval a rate is computed over.
const minInterval = 200 * time.Millisecond

// smoothing is the weight of a new interval's rate.
const smoothing = 0.5

// add records that done bytes had arrived at now and returns the rate.
func (r *rateMeter) add(now time.Time, done int64) float64 {
	if !r.init {
		r.at, r.bytes, r.init = now, done, true
		return r.kbps
	}
	dt := now.Sub(r.at)
	if dt < minInterval {
		return r.kbps
	}
	delta := max(done-r.bytes, 0) // counters never go back; a reset must not give a negative rate
	kbps := float64(delta) * 8 / 1000 / dt.Seconds()
	if math.IsNaN(kbps) || math.IsInf(kbps, 0) {
		kbps = 0
	}
	if r.kbps == 0 {
		r.kbps = kbps
	} else {
		r.kbps = smoothing*kbps + (1-smoothing)*r.kbps
	}
	r.at, r.bytes = now, done
	return r.kbps
}
