package pacer

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Time is monotonic time since an arbitrary epoch; the engine passes
// time.Since(start). Every method that needs the time takes it as an
// argument, so the package never reads a clock.
type Time = time.Duration

// DefaultMSS is the datagram payload size assumed when Config.MSS is 0.
const DefaultMSS = 1400

// MaxMSS is the largest accepted Config.MSS (a UDP datagram's payload).
const MaxMSS = 65507

// Config configures a Controller. Rates are bytes per second.
type Config struct {
	// Policy is the rate policy (Fair when zero).
	Policy Policy
	// MaxRate is the target / ceiling. 0 means unlimited: the controller
	// then probes upward until the path pushes back.
	MaxRate float64
	// MinRate is the floor the controller never goes below, even when the
	// network says it should (Aspera's -m). 0 means none.
	MinRate float64
	// InitialRate is the rate before any feedback. 0 picks a default: 500
	// MSS per second, or for fair a tenth of MaxRate when that is more (the
	// target rate is the user's word on the link: FileCatalyst likewise
	// starts at up to a tenth of it), clamped to [MinRate, MaxRate]. A value
	// outside [MinRate, MaxRate] is clamped.
	InitialRate float64
	// MSS is the typical datagram payload in bytes (DefaultMSS when 0). It
	// scales the smallest rate steps.
	MSS int
}

// Validate reports the first problem with c, or nil.
func (c Config) Validate() error {
	if !c.Policy.valid() {
		return fmt.Errorf("pacer: invalid rate policy %d", int(c.Policy))
	}
	if err := checkRate("MaxRate", c.MaxRate); err != nil {
		return err
	}
	if err := checkRate("MinRate", c.MinRate); err != nil {
		return err
	}
	if err := checkRate("InitialRate", c.InitialRate); err != nil {
		return err
	}
	if err := checkLimits(c.MinRate, c.MaxRate); err != nil {
		return err
	}
	if c.MSS < 0 || c.MSS > MaxMSS {
		return fmt.Errorf("pacer: MSS %d out of range [0, %d]", c.MSS, MaxMSS)
	}
	if c.Policy == Fixed && c.MaxRate == 0 && c.InitialRate == 0 {
		return errors.New("pacer: policy fixed needs MaxRate or InitialRate")
	}
	return nil
}

func checkRate(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("pacer: %s %v is not a finite non-negative rate", name, v)
	}
	return nil
}

func checkLimits(minRate, maxRate float64) error {
	if maxRate > 0 && minRate > maxRate {
		return fmt.Errorf("pacer: MinRate %v is above MaxRate %v", minRate, maxRate)
	}
	return nil
}

// withDefaults returns c with MSS filled in. c must be valid.
func (c Config) withDefaults() Config {
	if c.MSS == 0 {
		c.MSS = DefaultMSS
	}
	return c
}
