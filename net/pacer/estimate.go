package pacer

import (
	"math"
	"time"
)

// estimator turns ACK reports into path estimates: smoothed and minimum
// RTT, base one-way delay, filtered queueing delay and bottleneck bandwidth.
type estimator struct {
	started bool
	now     Time // time of the latest sample (never goes backwards)

	srtt   time.Duration
	minRTT winFilter     // windowed minimum RTT
	minOWD winFilter     // windowed minimum one-way delay (clock offset included)
	btlBw  winFilter     // windowed maximum delivery rate
	recBw  winFilter     // maximum delivery rate over the last round
	recAvg float64       // delivery rate averaged over about the last round
	rtt    time.Duration // latest RTT sample

	qRing      [queueFilterLen]time.Duration
	qN, qI     int
	queue      time.Duration // min of the last few queueing-delay samples
	lastQ      time.Duration // the latest queueing-delay sample, unfiltered
	q2         time.Duration // min of the latest startupFilterLen samples (startup's faster signal)
	floor      time.Duration // lowest queueing delay over the last floorRounds rounds
	qFloor     winFilter     // windowed min behind floor
	longFloor  time.Duration // lowest queueing delay over the last longFloorRounds rounds
	qLongFloor winFilter     // windowed min behind longFloor
	qMax       winFilter     // windowed max of raw queueing-delay samples (a full buffer)
	qFresh     bool          // the latest sample carried a delay measurement
	hasQ       bool          // some sample ever carried one

	accBytes int64 // acked bytes not yet turned into a rate sample
	accStart Time

	lossRatio float64
	longBase  bool // hold the base delay for competeBaseWindow, not baseWindow
}

// observe folds s into the estimates and returns the time elapsed since the
// previous sample and whether s shows forward progress (bytes delivered).
func (e *estimator) observe(s Sample) (dt time.Duration, progress bool) {
	now := s.Now
	if !e.started {
		e.started = true
		e.now = now
		e.accStart = now
	}
	if now < e.now {
		now = e.now
	}
	dt, e.now = now-e.now, now

	if s.RTT > 0 {
		e.rtt = s.RTT
		if e.srtt == 0 {
			e.srtt = s.RTT
		} else {
			e.srtt += (s.RTT - e.srtt) / 8
		}
		e.minRTT.update(now, float64(s.RTT), e.baseWindow())
	}
	e.observeQueue(s, now)

	acked := max(s.AckedBytes, 0)
	lost := max(s.LostBytes, 0)
	if a, l := float64(acked), float64(lost); a+l > 0 {
		e.lossRatio += (l/(a+l) - e.lossRatio) / lossSmoothing
	}
	rate := s.DeliveryRate
	if !(rate > 0) || math.IsInf(rate, 0) {
		rate = e.ackRate(acked, now)
	} else {
		e.accBytes, e.accStart = 0, now
	}
	if rate > 0 {
		e.btlBw.update(now, rate, max(bwWindowRounds*e.round(), minBwWindow))
		e.recBw.update(now, rate, e.round())
		if e.recAvg == 0 {
			e.recAvg = rate
		} else {
			e.recAvg += (rate - e.recAvg) * roundShare(dt, e.round())
		}
	}
	return dt, acked > 0 || rate > 0
}

// observeQueue derives a queueing-delay sample from the one-way delay when
// there is one, else from the RTT.
func (e *estimator) observeQueue(s Sample, now Time) {
	var q time.Duration
	switch {
	case s.OneWayDelay != 0:
		base := e.minOWD.update(now, float64(s.OneWayDelay), e.baseWindow())
		q = s.OneWayDelay - time.Duration(base)
	case s.RTT > 0:
		q = s.RTT - time.Duration(e.minRTT.get())
	default:
		e.qFresh = false
		return
	}
	q = max(q, 0)
	e.lastQ = q
	e.qRing[e.qI] = q
	e.qI = (e.qI + 1) % queueFilterLen
	e.qN = min(e.qN+1, queueFilterLen)
	e.q2 = q
	for k := 1; k < min(e.qN, startupFilterLen); k++ {
		e.q2 = min(e.q2, e.qRing[(e.qI-1-k+2*queueFilterLen)%queueFilterLen])
	}
	e.queue = q
	for _, v := range e.qRing[:e.qN] {
		e.queue = min(e.queue, v)
	}
	e.qMax.update(now, float64(q), e.baseWindow())
	e.floor = time.Duration(e.qFloor.update(now, float64(q), max(floorRounds*e.round(), minFloorWindow)))
	e.longFloor = time.Duration(e.qLongFloor.update(now, float64(q), max(longFloorRounds*e.round(), minLongFloor)))
	e.qFresh, e.hasQ = true, true
}

// baseWindow is how long a base-delay sample counts. While a loss-based
// competitor keeps a standing queue it is longer: the competitor's queue
// may not drain for many seconds, and a base that forgot the empty path
// would take that queue for the path's delay (and the flow would yield to
// the competitor again).
func (e *estimator) baseWindow() time.Duration {
	if e.longBase {
		return competeBaseWindow
	}
	return baseWindow
}

// ackRate is the delivery rate computed from acked bytes when the receiver
// does not report one: bytes over at least a quarter round.
func (e *estimator) ackRate(acked int64, now Time) float64 {
	e.accBytes += acked
	span := now - e.accStart
	if span < max(e.round()/4, minAckSpan) {
		return 0
	}
	rate := float64(e.accBytes) / span.Seconds()
	e.accBytes, e.accStart = 0, now
	return rate
}

// pathRate is the rate at which the path recently carried this flow's
// packets: the last round's best delivery rate, corrected for the loss
// ratio, as randomly lost packets crossed the bottleneck too. 0 = unknown.
//
// While the queue sits at the top of a buffer deeper than a few targets it
// is the plain average over the round: the losses are the buffer's drops,
// which never crossed, and the best of the receiver's short intervals runs
// up to a third high on a busy host. With the corrected best, two fair
// flows that overshot a 100 ms buffer together cut 20 % from rates whose
// sum stayed above the link; the buffer stayed full until each took the
// other for a loss-based competitor (the WAN bench's fair-two-flows: 10-90
// thousand drops in a run).
func (e *estimator) pathRate(target time.Duration) float64 {
	if top := e.qMax.get(); top >= float64(fullBufferTargets*target) && float64(e.lastQ) >= fullQueueFrac*top {
		return e.recAvg
	}
	return e.recBw.get() / (1 - min(e.lossRatio, maxLossCorrection))
}

// round is the control interval: the smoothed RTT (a default before the
// first sample), never below minRound.
func (e *estimator) round() time.Duration {
	if e.srtt == 0 {
		return defaultRTT
	}
	return max(e.srtt, minRound)
}

// baseRTT is the minimum RTT, or the default before any sample.
func (e *estimator) baseRTT() time.Duration {
	if m := time.Duration(e.minRTT.get()); m > 0 {
		return m
	}
	return defaultRTT
}
