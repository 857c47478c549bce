package pacer

import (
	"math"
	"time"
)

// Tuning constants; doc.go explains where each comes from.
const (
	defaultRTT            = 100 * time.Millisecond // round before any RTT sample
	minRound              = time.Millisecond       // shortest control round
	baseWindow            = 10 * time.Second       // min RTT / min one-way delay window
	minBwWindow           = time.Second            // shortest bottleneck-bandwidth window
	bwWindowRounds        = 10                     // bottleneck-bandwidth window in rounds
	minAckSpan            = 5 * time.Millisecond   // shortest span for an ack-derived rate
	sentRounds            = 2                      // delivery rates are capped by the highest rate sent over this many rounds
	queueFilterLen        = 4                      // queueing delay = min of the last 4 samples
	startupFilterLen      = 3                      // startup's delay signal: min of the last 3
	lossSmoothing         = 16                     // EWMA divisor of LossRatio
	defaultInitialPackets = 500                    // default InitialRate in MSS per second...
	initialMaxDiv         = 10                     // ...or for fair MaxRate / this when higher
	floorPackets          = 2                      // lowest rate in MSS per second (if MinRate allows)

	minTarget         = 5 * time.Millisecond  // fair queueing-delay target: min RTT / 10...
	maxTarget         = 25 * time.Millisecond // ...within [5 ms, 25 ms]
	targetDivisor     = 10                    //
	lowTargetDiv      = 5                     // low target = fair target / 5
	minLowTarget      = time.Millisecond      // (at least 1 ms)
	startupCapGain    = 2.0                   // startup rate never above this × delivered rate
	startupSlowDiv    = 4                     // once the queue passes target/this, startup...
	startupSlowGrowth = 1.25                  // ...grows only this much per round
	fullBwGrowth      = 1.25                  // startup ends when bandwidth grows less than this...
	fullBwMaxRounds   = 3                     // ...for this many rounds
	drainGain         = 0.5                   // drain rate as a fraction of the bottleneck
	othersDrainSlack  = 1.5                   // a drain this many times slower than alone: others yielded
	maxFalseExits     = 3                     // startup resumes after at most this many false exits
	floorRounds       = 8                     // fair's queue floor: min over this many rounds...
	minFloorWindow    = 1 * time.Second       // ...and at least this long
	longFloorRounds   = 24                    // competing starts on a floor over this many rounds...
	minLongFloor      = 3 * time.Second       // ...and at least this long
	drainRounds       = 8                     // longest drain
	steadyEntryGain   = 0.9                   // first steady rate after a clean drain
	ceilingGain       = 1.15                  // steady rate never above this × bottleneck estimate
	aiUnit            = 4096.0                // additive increase: sqrt(rate × aiUnit) per round
	accelAfter        = 8                     // after this many quiet rounds the increase...
	accelRounds       = 8                     // ...doubles every this many more...
	maxAccel          = 64.0                  // ...up to this factor
	recutRounds       = 4                     // cut again after this many congested rounds
	recoverFrac       = 0.95                  // below this × bottleneck estimate, until steady first cuts...
	postStartupRounds = 1                     // ...close the gap in this many rounds
	maxLossCorrection = 0.5                   // loss ratio cap when correcting delivery rates
	fairCutSlope      = 0.1                   // fair cut: β = 1 − 0.1 × q/target...
	minFairBeta       = 0.8                   // ...never below 0.8
	lowCutSlope       = 0.1                   // low cut: β = 1 − 0.1 × q/target...
	minLowBeta        = 0.5                   // ...within [0.5, 0.9]
	maxLowBeta        = 0.9                   //
	lowIncrease       = 0.5                   // low increases at half the fair pace
	cubicBeta         = 0.7                   // competing: CUBIC's β, on a loss at a full buffer...
	fullQueueFrac     = 0.8                   // ...a queue at least this × its recent maximum
	fullBufferTargets = 4                     // ...of a buffer at least this many targets deep (pathRate)
	cubicC            = 0.4                   // CUBIC's C, in MSS per s³
	competeAIDiv      = 8                     // competing grows at least steady's step / this
	competeSSGrowth   = 1.5                   // competing: growth per round until the first loss
	competeBaseWindow = 60 * time.Second      // base-delay window while competing
)

// OnSample feeds one ACK report to the controller and updates Rate.
func (c *Controller) OnSample(s Sample) {
	s.DeliveryRate = c.capDelivery(s)
	dt, progress := c.est.observe(s)
	now := c.est.now
	sentAt := now - c.est.round() // send time of the newest acked block
	if s.RTT > 0 {
		sentAt = now - s.RTT
	}
	switch c.phase {
	case phaseFixed:
		return
	case phaseStartup:
		c.startup(now, dt, progress)
	case phaseDrain:
		c.drain(now, sentAt)
	case phaseSteady:
		if c.competing() {
			c.compete(now, sentAt, dt, progress, s.LostBytes > 0)
		} else {
			c.competeOn = false
			c.steady(now, sentAt, dt, progress)
		}
	}
	c.est.longBase = c.competeOn
	c.rate = c.clampRate(c.rate)
}

// capDelivery bounds the receiver's delivery rate by the highest rate this
// flow sent at while the reported data left: no path delivers a flow faster
// than it sends. A receiver that measures over short intervals reads a
// burst (a stall on the path or either host, then its backlog at once) as
// a rate far above the link: on the WAN bench such reports put the
// bottleneck estimate of two flows sharing 500 Mbit/s at 550 and 680, so
// their drains (at half of it) kept the buffer full.
func (c *Controller) capDelivery(s Sample) float64 {
	if c.phase == phaseFixed {
		return s.DeliveryRate
	}
	sent := c.sentMax.update(s.Now, c.rate, sentRounds*c.est.round())
	if s.DeliveryRate > sent {
		return sent
	}
	return s.DeliveryRate
}

// target is the queueing delay the policy aims to stay under.
func (c *Controller) target() time.Duration {
	t := min(max(c.est.baseRTT()/targetDivisor, minTarget), maxTarget)
	if c.policy == Low {
		t = max(t/lowTargetDiv, minLowTarget)
	}
	return t
}

// congested reports whether the latest sample shows a queue above target.
func (c *Controller) congested() bool {
	return c.est.qFresh && c.queue() > c.target()
}

// competing reports a standing queue this flow's cuts do not drain: a
// loss-based flow shares the bottleneck. Fair starts competing once the queue
// stayed above target for the long floor window (a few seconds: two fair
// flows whose startups overlap can hold a queue for a second or two, and
// competing then would have them fill the buffer), and stops as soon as the
// short floor falls below target.
func (c *Controller) competing() bool {
	if c.policy != Fair || c.est.floor <= c.target() {
		return false
	}
	return c.competeOn || c.est.longFloor > c.target()
}

// queue is the queueing delay steady answers to. For fair it is measured
// from the floor the queue kept over the last floorRounds rounds: a flow
// alone (or with other delay-based flows) drains the queue with its cuts, so
// the floor is ~0; a queue that never drains is held by a loss-based
// competitor that fills every buffer, and yielding to it would starve this
// flow (0.5 % of the link next to a Reno flow at a 50 ms queue). Low yields
// to any queue.
func (c *Controller) queue() time.Duration {
	if c.policy == Fair {
		return max(c.est.queue-c.est.floor, 0)
	}
	return c.est.queue
}

func (c *Controller) enterStartup(now Time) {
	c.phase, c.phaseStart = phaseStartup, now
	c.roundStart, c.fullBw, c.fullBwRounds = now, 0, 0
	c.competeOn = false // a new startup must see the standing queue for the long floor again
}

func (c *Controller) enterDrain(now Time) {
	c.phase, c.phaseStart, c.preDrainRate = phaseDrain, now, c.rate
	c.drainQ = -1
	c.lastCut, c.lastCongest, c.postCutMin = now, now, -1
	if bw := c.est.btlBw.get(); bw > 0 {
		c.rate = math.Min(c.rate, drainGain*bw)
	} else {
		c.rate /= 2
	}
}

// enterSteady starts steady. Reports on packets sent before it (startup's
// last, fastest round) are treated like those sent before a cut: they show
// the queue startup built, which steady must not answer with a cut from a
// bandwidth estimate that is itself a round behind.
func (c *Controller) enterSteady(now Time) {
	c.phase, c.phaseStart = phaseSteady, now
	c.lastCongest, c.postCutMin, c.cutInSteady, c.cutAtOnce = now, -1, false, false
	c.lastCut = now
}

// startup doubles the rate every round until the queue passes the target
// or the delivery rate stops growing (BBR's full-pipe test). Its feedback
// is a round old, so unchecked doubling overshoots the bottleneck several
// times over and overflows a drop-tail queue before the exit fires. Two
// brakes keep the overshoot small: the rate never exceeds startupCapGain ×
// the best delivery rate seen (sent-but-undelivered data is what fills the
// queue), and once the queueing delay passes target/4 the growth slows
// from 2× to 1.25× per round (like HyStart++'s conservative slow start).
// Both, and the exit, use the smallest of the last three delay samples: a
// report sooner than the steady filter, yet one or two late reports
// (scheduling noise on a busy host) neither end nor slow startup.
func (c *Controller) startup(now Time, dt time.Duration, progress bool) {
	switch {
	case c.congested() || c.est.qFresh && c.est.q2 > c.target() || c.pipeFull(now):
		c.enterDrain(now)
		return
	case progress:
		round := c.est.round()
		growth := 2.0
		if c.est.qFresh && c.est.q2 > c.target()/startupSlowDiv {
			growth = startupSlowGrowth
		}
		c.rate *= math.Pow(growth, roundShare(dt, round))
		if bw := c.est.btlBw.get(); bw > 0 {
			c.rate = math.Min(c.rate, math.Max(startupCapGain*bw, c.initial))
		}
	}
	if c.maxRate > 0 && c.rate >= c.maxRate {
		c.enterSteady(now)
		c.cutAtOnce = true
	}
}

// pipeFull runs once a round: true after fullBwMaxRounds rounds in which the
// bandwidth estimate grew by less than fullBwGrowth.
func (c *Controller) pipeFull(now Time) bool {
	if now-c.roundStart < c.est.round() {
		return false
	}
	c.roundStart = now
	bw := c.est.btlBw.get()
	if bw == 0 || bw >= c.fullBw*fullBwGrowth {
		c.fullBw, c.fullBwRounds = bw, 0
		return false
	}
	c.fullBwRounds++
	return c.fullBwRounds >= fullBwMaxRounds
}

// drain holds the rate below the bottleneck until the queue built during
// startup is gone (or a few rounds passed), then goes steady.
func (c *Controller) drain(now, sentAt Time) {
	round := c.est.round()
	if c.drainQ < 0 && sentAt >= c.phaseStart && c.est.qFresh {
		c.drainQ, c.drainQAt = c.est.lastQ, now
	}
	// A queue that is gone within a round of the exit was not built by this
	// flow: reports on packets sent before the drain cannot show its effect
	// yet, and a queue startup built drains no faster than the link. It was
	// a stall of either host (a burst of late reports); go back to startup.
	if now-c.phaseStart < round && c.est.qFresh && c.est.q2 <= c.target()/startupSlowDiv && c.resumeStartup(c.preDrainRate) {
		return
	}
	// Samples in the first round describe packets sent before the drain
	// began (the queue may still be growing), so they cannot end it.
	drained := c.est.qFresh && c.queue() <= c.target()/2 && now-c.phaseStart >= round
	if !drained && c.est.hasQ && now-c.phaseStart < drainRounds*round {
		return
	}
	// From the drain rate: the others released only part of what it had.
	if drained && c.othersYielded(now) && c.resumeStartup(c.rate) {
		return
	}
	if drained {
		c.rate = math.Max(c.rate, steadyEntryGain*c.est.btlBw.get())
	}
	c.enterSteady(now)
}

// resumeStartup takes startup up again at rate after an exit that was not
// this flow's queue, at most maxFalseExits times; it reports whether it did.
func (c *Controller) resumeStartup(rate float64) bool {
	if c.falseExits >= maxFalseExits {
		return false
	}
	c.falseExits++
	c.phase, c.rate = phaseStartup, rate
	return true
}

// othersYielded reports, once drain has emptied the queue, that it took
// far longer than this flow's own drain explains: a flow alone, sending at
// drainGain × the bottleneck rate, empties a queue at 1 − drainGain of its
// delay per unit of time. Slower means the queue was mostly other flows'
// (this one joined a busy link and left startup at a fraction of a fair
// share), and that they cut: this flow can take what they released.
func (c *Controller) othersYielded(now Time) bool {
	if c.policy != Fair || c.drainQ < 0 {
		return false // low takes nothing another flow released
	}
	alone := float64(max(c.drainQ-c.target()/2, 0)) / (1 - drainGain)
	return float64(now-c.drainQAt) > othersDrainSlack*alone+float64(c.est.round())/2
}

// steady is AIMD on the queueing-delay signal. Above target, it cuts the
// rate to a fraction of what the path recently delivered, then waits until
// feedback on packets sent after the cut arrives; it cuts again only if
// the queue has not started to shrink. Below target, it raises the rate by
// a step that grows with the square root of the rate (sub-linear, so
// competing flows converge to equal shares) and speeds up once the path
// has stayed quiet for many rounds.
func (c *Controller) steady(now, sentAt Time, dt time.Duration, progress bool) {
	round := c.est.round()
	if c.congested() {
		c.lastCongest = now
		q := c.queue()
		if sentAt < c.lastCut {
			return // feedback still describes packets sent before the last cut
		}
		// The queue peaks when the cut takes effect and then drains, so cut
		// again only if it grows past the lowest post-cut level or stays
		// above target for several rounds.
		if c.postCutMin < 0 || q < c.postCutMin {
			c.postCutMin = q
		}
		if q > c.postCutMin+c.target()/2 || now-c.lastCut >= recutRounds*round || c.cutAtOnce {
			base := c.rate
			if p := c.est.pathRate(c.target()); p > 0 {
				base = math.Min(base, p)
			}
			c.preCutRate, c.cutUndoable = c.rate, true
			c.rate = base * c.beta()
			c.lastCut, c.postCutMin, c.cutInSteady, c.cutAtOnce = now, -1, true, false
		}
		return
	}
	// A report on a packet sent before the last cut, at the old rate, that
	// saw no queue says the queue the cut answered was gone before the cut
	// could act: a stall of either host (a burst of late reports), not this
	// flow's sending. Undo the cut.
	if c.cutUndoable && sentAt < c.lastCut && c.est.qFresh && c.est.lastQ <= c.target()/startupSlowDiv {
		c.rate, c.cutUndoable = math.Max(c.rate, c.preCutRate), false
		return
	}
	if sentAt >= c.lastCut {
		c.cutUndoable = false
	}
	if !progress {
		return
	}
	quiet := float64(now-c.lastCongest)/float64(round) - accelAfter
	accel := math.Min(math.Exp2(math.Max(quiet, 0)/accelRounds), maxAccel)
	step := math.Sqrt(c.rate*aiUnit) * accel
	if bw := c.est.btlBw.get(); bw > 0 && c.rate < recoverFrac*bw && !c.cutInSteady {
		// Right after startup, below what this flow recently delivered:
		// close the gap in one round (steady began from a bandwidth
		// estimate a round older than startup's last deliveries). Not after
		// a steady cut: climbing straight back to its own recent rate
		// keeps every competing flow's share as it was (see doc.go).
		step = math.Max(step, (recoverFrac*bw-c.rate)/postStartupRounds)
	}
	if c.policy == Low {
		step *= lowIncrease
	}
	c.rate += step * roundShare(dt, round)
	// The ceiling waits a round after steady begins: entered from startup at
	// MaxRate, the bandwidth estimate still describes what was sent a round
	// earlier, at half the rate.
	// (Not while a competitor holds a standing queue: its buffer, not a
	// policer, is what limits this flow's delivery rate then.)
	if bw := c.est.btlBw.get(); bw > 0 && now-c.phaseStart >= round && !c.competing() {
		c.rate = math.Min(c.rate, math.Max(ceilingGain*bw, c.floor()))
	}
}

// compete is steady next to a loss-based flow that holds a standing queue
// (see competing). That queue grows with the competitor's window whatever
// this flow does, so answering it, as steady does, leaves this flow a few
// per cent of the link. Instead compete runs TCP CUBIC's rules (RFC 9438)
// in rate terms, so the two flows are about equally aggressive: until the
// first loss the rate grows 1.5× per round (a slow start from the share
// steady kept); a loss that arrives with the buffer full — the queue within
// 80 % of its recent maximum, so random loss elsewhere on the path is still
// noise — cuts the rate by CUBIC's β, at most once a round, with fast
// convergence; between losses the window W(t) = C(t−K)³ + Wmax (or the
// Reno-friendly estimate) is sent as W × MSS per RTT at the last cut, and
// the rate grows by at least an eighth of steady's step, which a flow that
// started with a small share needs to catch up (CUBIC alone keeps the
// ratio of two flows with common losses). The RTT is fixed between cuts,
// so unlike a window the rate does not rise as the queue drains: a cut
// drains the buffer when this flow is alone. So when the competitor
// leaves, this flow fills the buffer until its next cut, the floor falls
// below target and steady resumes.
func (c *Controller) compete(now, sentAt Time, dt time.Duration, progress, lost bool) {
	round := c.est.round()
	if !c.competeOn {
		c.competeOn, c.cubicEpoch = true, -1
	}
	if lost && sentAt >= c.lastCut && float64(c.est.lastQ) >= fullQueueFrac*c.est.qMax.get() {
		w := c.rate * round.Seconds() / c.mss
		if w < c.cubicWmax {
			w *= (1 + cubicBeta) / 2 // fast convergence: a shrinking share releases more
		}
		c.cubicWmax, c.cubicRTT, c.cubicEpoch = w, round, now
		c.cubicK = math.Cbrt(w * (1 - cubicBeta) / cubicC)
		c.rate *= cubicBeta
		c.lastCut, c.lastCongest, c.cutInSteady, c.cutUndoable = now, now, true, false
		return
	}
	if !progress {
		return
	}
	if c.cubicEpoch < 0 {
		c.rate *= math.Pow(competeSSGrowth, roundShare(dt, round))
		return
	}
	t := (now - c.cubicEpoch).Seconds()
	w := cubicC*math.Pow(t-c.cubicK, 3) + c.cubicWmax
	reno := c.cubicWmax*cubicBeta + 3*(1-cubicBeta)/(1+cubicBeta)*t/c.cubicRTT.Seconds()
	ai := c.rate + math.Sqrt(c.rate*aiUnit)/competeAIDiv*roundShare(dt, round)
	c.rate = math.Max(math.Max(w, reno)*c.mss/c.cubicRTT.Seconds(), ai)
}

// roundShare is the part of a round that dt covers, at most 1: per-round
// growth applied per sample.
func roundShare(dt, round time.Duration) float64 {
	return float64(min(dt, round)) / float64(round)
}

// beta is the multiplicative decrease for the current queueing delay.
func (c *Controller) beta() float64 {
	x := float64(c.queue()) / float64(c.target())
	if c.policy == Low {
		return math.Min(math.Max(1-lowCutSlope*x, minLowBeta), maxLowBeta)
	}
	return math.Max(1-fairCutSlope*x, minFairBeta)
}
