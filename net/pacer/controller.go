package pacer

import (
	"math"
	"time"
)

// Controller decides the sending rate of one transfer from ACK reports. It
// is a pure state machine: it does no I/O, starts no goroutine and reads no
// clock (time comes in Sample.Now). It is not safe for concurrent use: the
// engine's session goroutine owns it.
type Controller struct {
	policy  Policy
	minRate float64
	maxRate float64 // 0 = unlimited
	initial float64
	mss     float64

	rate    float64
	phase   phase
	sentMax winFilter // highest rate in force over the last sentRounds rounds

	est estimator

	phaseStart   Time          // when the current phase began
	lastCut      Time          // last multiplicative decrease
	cutInSteady  bool          // steady has cut since startup ended
	cutAtOnce    bool          // steady began at MaxRate without a drain: its first queue is its own
	postCutMin   time.Duration // lowest queueing delay fed back since (-1 = none)
	lastCongest  Time          // last time the queue was above target
	roundStart   Time          // start of the current full-pipe round (startup)
	fullBw       float64
	fullBwRounds int
	preDrainRate float64       // rate when startup last ended
	preCutRate   float64       // rate before the last steady cut
	cutUndoable  bool          // reports on pre-cut packets may still undo it
	falseExits   int           // startup exits undone (host stalls, not queues)
	drainQ       time.Duration // queue on the first report on a packet sent in drain (-1 = none yet)
	drainQAt     Time          // when it was reported

	// compete (CUBIC in rate terms next to a loss-based flow)
	competeOn  bool          // compete ran on the latest sample (only ever in steady)
	cubicEpoch Time          // last cut (-1: none yet, slow start)
	cubicWmax  float64       // window before the last cut, in MSS
	cubicK     float64       // seconds from the cut back to cubicWmax
	cubicRTT   time.Duration // smoothed RTT at the last cut: window <-> rate
}

// NewController validates cfg and returns a Controller sending at the
// initial rate.
func NewController(cfg Config) (*Controller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	c := &Controller{
		policy:  cfg.Policy,
		minRate: cfg.MinRate,
		maxRate: cfg.MaxRate,
		mss:     float64(cfg.MSS),
	}
	c.est.btlBw.max = true
	c.est.recBw.max = true
	c.est.qMax.max = true
	c.sentMax.max = true
	c.postCutMin = -1
	c.initial = cfg.InitialRate
	if c.initial == 0 {
		c.initial = defaultInitialPackets * c.mss
		if c.policy == Fair {
			c.initial = max(c.initial, c.maxRate/initialMaxDiv)
		}
	}
	c.initial = c.clampRate(c.initial)
	c.rate = c.initial
	if c.policy == Fixed {
		c.phase = phaseFixed
		c.rate = c.fixedRate()
	}
	return c, nil
}

// Rate returns the current target rate in bytes/s. It is always within
// [MinRate, MaxRate] (no upper bound when MaxRate is 0) and above 0.
func (c *Controller) Rate() float64 { return c.rate }

// SetLimits changes MinRate and MaxRate at once (the API's live
// setSendRate); the rate is clamped immediately. Raising the ceiling of a
// flow that was held at it starts a fresh fast probe upward.
func (c *Controller) SetLimits(minRate, maxRate float64) error {
	if err := checkRate("MinRate", minRate); err != nil {
		return err
	}
	if err := checkRate("MaxRate", maxRate); err != nil {
		return err
	}
	if err := checkLimits(minRate, maxRate); err != nil {
		return err
	}
	wasCapped := c.maxRate > 0 && c.rate >= c.maxRate
	raised := c.maxRate > 0 && (maxRate == 0 || maxRate > c.maxRate)
	c.minRate, c.maxRate = minRate, maxRate
	switch {
	case c.phase == phaseFixed:
		c.rate = c.fixedRate()
		return nil
	case wasCapped && raised && c.phase == phaseSteady:
		c.enterStartup(c.est.now)
	}
	c.rate = c.clampRate(c.rate)
	return nil
}

// SetPolicy switches the policy live. Switching to Fixed jumps to the fixed
// rate; switching from Fixed to Fair or Low probes from the current rate.
// An invalid policy is ignored (use ParsePolicy to check user input).
func (c *Controller) SetPolicy(p Policy) {
	if !p.valid() || p == c.policy {
		return
	}
	old := c.policy
	c.policy = p
	switch {
	case p == Fixed:
		c.phase = phaseFixed
		c.rate = c.fixedRate()
	case old == Fixed:
		c.enterStartup(c.est.now)
	}
}

// State returns a snapshot for statistics.
func (c *Controller) State() State {
	return State{
		Policy:     c.policy,
		Phase:      c.phase.String(),
		Rate:       c.rate,
		MinRate:    c.minRate,
		MaxRate:    c.maxRate,
		BtlBw:      c.est.btlBw.get(),
		SRTT:       c.est.srtt,
		MinRTT:     time.Duration(c.est.minRTT.get()),
		QueueDelay: c.est.queue,
		Target:     c.target(),
		LossRatio:  c.est.lossRatio,
	}
}

// fixedRate is the rate of policy Fixed: MaxRate, else InitialRate.
func (c *Controller) fixedRate() float64 {
	if c.maxRate > 0 {
		return c.maxRate
	}
	return c.clampRate(c.initial)
}

// floor is the smallest rate the controller uses: MinRate, but never less
// than a few datagrams per second so feedback keeps flowing, unless MaxRate
// is lower still.
func (c *Controller) floor() float64 {
	f := math.Max(c.minRate, floorPackets*c.mss)
	if c.maxRate > 0 && f > c.maxRate {
		f = c.maxRate
	}
	return f
}

// clampRate bounds r to [floor, MaxRate].
func (c *Controller) clampRate(r float64) float64 {
	if math.IsNaN(r) {
		r = c.floor()
	}
	if c.maxRate > 0 && r > c.maxRate {
		r = c.maxRate
	}
	return math.Max(r, c.floor())
}
