package linkemu

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultQueueLimit is the drop-tail queue size used when a direction has a
// bottleneck rate but no explicit queue limit.
const DefaultQueueLimit = 100 * time.Millisecond

// MaxDelay bounds the one-way delay (and jitter) a direction may have.
const MaxDelay = 10 * time.Second

// MaxRate bounds the bottleneck rate (bits per second) a direction may have.
const MaxRate = 400_000_000_000

// GilbertElliott is a two-state burst-loss model. In each state a packet is
// lost with that state's loss probability; after each packet the chain moves
// from Good to Bad with probability P and from Bad to Good with probability R.
// The mean loss rate is (R*LossGood + P*LossBad) / (P + R) and the mean
// length of a Bad period is 1/R packets.
type GilbertElliott struct {
	P        float64 `json:"p"`
	R        float64 `json:"r"`
	LossBad  float64 `json:"loss_bad"`
	LossGood float64 `json:"loss_good,omitempty"`
}

// Enabled reports whether the model can ever lose a packet.
func (g GilbertElliott) Enabled() bool {
	return g.LossGood > 0 || (g.P > 0 && g.LossBad > 0)
}

// MeanLoss is the stationary loss probability of the model.
func (g GilbertElliott) MeanLoss() float64 {
	if g.P+g.R == 0 {
		return g.LossGood
	}
	return (g.R*g.LossGood + g.P*g.LossBad) / (g.P + g.R)
}

// DirConfig is what one direction of the emulated link does to packets.
// The zero value forwards everything at once.
type DirConfig struct {
	// Delay is the one-way propagation delay added after the bottleneck.
	Delay time.Duration `json:"delay_ns"`
	// Jitter spreads the delay uniformly over [Delay-Jitter, Delay+Jitter]
	// (never below zero).
	Jitter time.Duration `json:"jitter_ns,omitempty"`
	// Reorder lets jitter reorder packets. When false a packet never leaves
	// before the one ahead of it, as on a real serial path.
	Reorder bool `json:"reorder,omitempty"`
	// Loss is the probability in [0,1] that a packet is lost on the wire.
	Loss float64 `json:"loss,omitempty"`
	// GE adds Gilbert–Elliott burst loss on top of Loss.
	GE GilbertElliott `json:"gilbert_elliott,omitzero"`
	// Rate is the bottleneck rate in bits per second; 0 means unlimited.
	Rate int64 `json:"rate_bps,omitempty"`
	// QueueLimit is the drop-tail queue in front of the bottleneck, in time
	// at Rate: a packet is dropped when the backlog it would join, itself
	// included, exceeds it. 0 means DefaultQueueLimit. Ignored without Rate.
	QueueLimit time.Duration `json:"queue_limit_ns,omitempty"`
}

// EffectiveQueueLimit is QueueLimit with its default applied.
func (c DirConfig) EffectiveQueueLimit() time.Duration {
	if c.QueueLimit == 0 {
		return DefaultQueueLimit
	}
	return c.QueueLimit
}

// Validate reports the first thing wrong with c, naming the field.
func (c DirConfig) Validate() error {
	var errs []error
	if c.Delay < 0 || c.Delay > MaxDelay {
		errs = append(errs, fmt.Errorf("delay %v out of range [0, %v]", c.Delay, MaxDelay))
	}
	if c.Jitter < 0 || c.Jitter > MaxDelay {
		errs = append(errs, fmt.Errorf("jitter %v out of range [0, %v]", c.Jitter, MaxDelay))
	}
	if c.Rate < 0 || c.Rate > MaxRate {
		errs = append(errs, fmt.Errorf("rate %d bit/s out of range [0, %d]", c.Rate, int64(MaxRate)))
	}
	if c.QueueLimit < 0 || c.QueueLimit > MaxDelay {
		errs = append(errs, fmt.Errorf("queue %v out of range [0, %v]", c.QueueLimit, MaxDelay))
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", c.Loss}, {"ge p", c.GE.P}, {"ge r", c.GE.R}, {"ge loss_bad", c.GE.LossBad}, {"ge loss_good", c.GE.LossGood}} {
		if !(p.v >= 0 && p.v <= 1) { // also rejects NaN
			errs = append(errs, fmt.Errorf("%s %v is not a probability in [0, 1]", p.name, p.v))
		}
	}
	if c.GE.P > 0 && c.GE.R == 0 {
		errs = append(errs, errors.New("ge r is 0 with p > 0: the chain would stay in the bad state forever"))
	}
	return errors.Join(errs...)
}

// String renders c in the spec syntax accepted by ParseDirConfig, so that
// ParseDirConfig(c.String()) == c for every valid c.
func (c DirConfig) String() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+v) }
	add("delay", c.Delay.String())
	if c.Jitter != 0 {
		add("jitter", c.Jitter.String())
	}
	if c.Reorder {
		add("reorder", "true")
	}
	if c.Loss != 0 {
		add("loss", formatFloat(c.Loss))
	}
	if c.GE != (GilbertElliott{}) {
		v := formatFloat(c.GE.P) + "/" + formatFloat(c.GE.R) + "/" + formatFloat(c.GE.LossBad)
		if c.GE.LossGood != 0 {
			v += "/" + formatFloat(c.GE.LossGood)
		}
		add("ge", v)
	}
	if c.Rate != 0 {
		add("rate", strconv.FormatInt(c.Rate, 10)+"bit")
	}
	if c.QueueLimit != 0 {
		add("queue", c.QueueLimit.String())
	}
	return strings.Join(parts, ",")
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
