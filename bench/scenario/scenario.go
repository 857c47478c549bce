// Package scenario defines the benchmark matrix: cells (link conditions,
// duration, tools, optional competing flows, targets), read from TOML with
// strict decoding and validated with specific errors.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/jetstream-go/jetstream/bench/linkemu"
)

// Tools a cell may name.
const (
	ToolJetstream    = "jetstream"     // jscp to a daemon, default policy (fair)
	ToolJetstreamLow = "jetstream-low" // jscp with the low (scavenger) policy
	// ToolJetstreamFixed sends at the target rate (the link) without rate
	// control: what the engine and host can do, for comparison.
	ToolJetstreamFixed = "jetstream-fixed"
	// ToolJetstreamManyFiles copies 10,000 files of 4 KiB (-r).
	ToolJetstreamManyFiles = "jetstream-10k"
	// ToolJetstreamSmallFile copies one 1 KiB file: cold start to file on disk.
	ToolJetstreamSmallFile = "jetstream-1k"
	ToolCubic              = "iperf3-cubic"
	ToolBBR                = "iperf3-bbr"
	ToolSCP                = "scp"
)

// KnownTools lists every tool name in report order.
var KnownTools = []string{ToolJetstream, ToolJetstreamLow, ToolJetstreamFixed, ToolJetstreamManyFiles, ToolJetstreamSmallFile, ToolCubic, ToolBBR, ToolSCP}

// Duration is a time.Duration written as a Go duration string in TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses "30s", "50ms", "0".
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	if s == "0" {
		d.Duration = 0
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("bad duration %q (want e.g. 50ms, 30s)", s)
	}
	d.Duration = v
	return nil
}

// MarshalText renders the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// GE is Gilbert–Elliott burst loss for a cell (probabilities in percent).
type GE struct {
	PPct       float64 `toml:"p_pct"`
	RPct       float64 `toml:"r_pct"`
	LossBadPct float64 `toml:"loss_bad_pct"`
}

// Cell is one link condition and what runs over it.
type Cell struct {
	Name  string `toml:"name"`
	Group string `toml:"group"` // free text: "smoke", "target", "rtt", "loss", "fairness"
	// RateMbit is the bottleneck rate in both directions.
	RateMbit float64 `toml:"rate_mbit"`
	// RTT is the base round-trip time; each direction gets RTT/2 of delay.
	RTT    Duration `toml:"rtt"`
	Jitter Duration `toml:"jitter"`
	// LossPct is random loss on the data direction (A→B), in percent;
	// ReverseLossPct the same on the ACK direction (default 0).
	LossPct        float64 `toml:"loss_pct"`
	ReverseLossPct float64 `toml:"reverse_loss_pct"`
	GE             *GE     `toml:"gilbert_elliott"`
	// Queue is the drop-tail queue at the bottleneck (default: max(RTT, 20ms)).
	Queue    Duration `toml:"queue"`
	Duration Duration `toml:"duration"`
	// Tools run one after another, each alone on the link.
	Tools []string `toml:"tools"`
	// Flows, if set, run together on the link (fairness cells); each is a
	// tool name. Tools and Flows are exclusive.
	Flows []string `toml:"flows"`
	// Target is the documented goal, shown in the report, e.g. ">= 95 %".
	Target string `toml:"target"`
	// TargetFraction is the goodput fraction of the link a jetstream flow
	// must reach in this cell (0: no automatic check).
	TargetFraction float64 `toml:"target_fraction"`
	// Seed drives the emulator's loss and jitter (default 1).
	Seed uint64 `toml:"seed"`
	// Repeat runs the cell this many times (default 1, at most MaxRepeat):
	// for cells whose result varies from run to run on a shared host
	// (fairness, many small files); the target is judged on the majority.
	Repeat int `toml:"repeat"`
}

// MaxRepeat bounds Cell.Repeat.
const MaxRepeat = 5

// Defaults fill fields a cell leaves unset.
type Defaults struct {
	Duration Duration `toml:"duration"`
	Tools    []string `toml:"tools"`
}

// Matrix is a benchmark scenario file.
type Matrix struct {
	Defaults Defaults `toml:"defaults"`
	Cells    []Cell   `toml:"cell"`
}

var cellName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,40}$`)

// Limits on cells, so that every run is bounded.
const (
	MinDuration = 2 * time.Second
	MaxDuration = 10 * time.Minute
)

// Parse decodes and validates a TOML matrix, applying defaults. Unknown
// keys are errors.
func Parse(data []byte) (*Matrix, error) {
	var m Matrix
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		var sme *toml.StrictMissingError
		if errors.As(err, &sme) {
			return nil, fmt.Errorf("scenario: %s", strings.TrimSpace(sme.String()))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("scenario: line %d column %d: %v", row, col, de)
		}
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if err := m.normalise(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Matrix) normalise() error {
	if len(m.Cells) == 0 {
		return errors.New("scenario: no [[cell]] defined")
	}
	seen := map[string]bool{}
	var errs []error
	for i := range m.Cells {
		c := &m.Cells[i]
		if c.Duration.Duration == 0 {
			c.Duration = m.Defaults.Duration
		}
		if len(c.Tools) == 0 && len(c.Flows) == 0 {
			c.Tools = slices.Clone(m.Defaults.Tools)
		}
		if c.Queue.Duration == 0 {
			c.Queue.Duration = max(c.RTT.Duration, 20*time.Millisecond)
		}
		if c.Seed == 0 {
			c.Seed = 1
		}
		if c.Repeat == 0 {
			c.Repeat = 1
		}
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("scenario: cell %d (%q): %w", i+1, c.Name, err))
			continue
		}
		if seen[c.Name] {
			errs = append(errs, fmt.Errorf("scenario: cell name %q used twice", c.Name))
		}
		seen[c.Name] = true
	}
	return errors.Join(errs...)
}

func pct(name string, v float64) error {
	if !(v >= 0 && v <= 100) {
		return fmt.Errorf("%s %v is not a percentage in [0, 100]", name, v)
	}
	return nil
}

// Validate checks one (defaulted) cell.
func (c *Cell) Validate() error {
	var errs []error
	if !cellName.MatchString(c.Name) {
		errs = append(errs, fmt.Errorf("name %q must be 1-41 of [a-z0-9_-]", c.Name))
	}
	if !(c.RateMbit > 0 && c.RateMbit <= 100_000) || math.IsInf(c.RateMbit, 0) {
		errs = append(errs, fmt.Errorf("rate_mbit %v must be in (0, 100000]", c.RateMbit))
	}
	if c.RTT.Duration < 0 || c.RTT.Duration > 2*time.Second {
		errs = append(errs, fmt.Errorf("rtt %v must be in [0, 2s]", c.RTT))
	}
	if c.Jitter.Duration < 0 || c.Jitter.Duration > time.Second {
		errs = append(errs, fmt.Errorf("jitter %v must be in [0, 1s]", c.Jitter))
	}
	if c.Queue.Duration < 0 || c.Queue.Duration > 5*time.Second {
		errs = append(errs, fmt.Errorf("queue %v must be in [0, 5s]", c.Queue))
	}
	if c.Duration.Duration < MinDuration || c.Duration.Duration > MaxDuration {
		errs = append(errs, fmt.Errorf("duration %v must be in [%v, %v] (set it in the cell or [defaults])", c.Duration, MinDuration, MaxDuration))
	}
	if c.Repeat < 1 || c.Repeat > MaxRepeat {
		errs = append(errs, fmt.Errorf("repeat %d must be in [1, %d]", c.Repeat, MaxRepeat))
	}
	errs = append(errs, pct("loss_pct", c.LossPct), pct("reverse_loss_pct", c.ReverseLossPct))
	if c.GE != nil {
		errs = append(errs, pct("gilbert_elliott.p_pct", c.GE.PPct), pct("gilbert_elliott.r_pct", c.GE.RPct), pct("gilbert_elliott.loss_bad_pct", c.GE.LossBadPct))
		if c.GE.PPct > 0 && c.GE.RPct == 0 {
			errs = append(errs, errors.New("gilbert_elliott.r_pct is 0 with p_pct > 0"))
		}
	}
	if len(c.Tools) > 0 && len(c.Flows) > 0 {
		errs = append(errs, errors.New("give tools or flows, not both"))
	}
	if len(c.Tools) == 0 && len(c.Flows) == 0 {
		errs = append(errs, errors.New("no tools (set tools, flows, or [defaults] tools)"))
	}
	if len(c.Flows) == 1 || len(c.Flows) > 4 {
		errs = append(errs, fmt.Errorf("flows needs 2 to 4 entries, got %d", len(c.Flows)))
	}
	for _, t := range append(slices.Clone(c.Tools), c.Flows...) {
		if !slices.Contains(KnownTools, t) {
			errs = append(errs, fmt.Errorf("unknown tool %q (known: %s)", t, strings.Join(KnownTools, ", ")))
		}
	}
	if seen := map[string]bool{}; len(c.Tools) > 0 {
		for _, t := range c.Tools {
			if seen[t] {
				errs = append(errs, fmt.Errorf("tool %q listed twice", t))
			}
			seen[t] = true
		}
	}
	if !(c.TargetFraction >= 0 && c.TargetFraction <= 1) {
		errs = append(errs, fmt.Errorf("target_fraction %v must be in [0, 1]", c.TargetFraction))
	}
	return errors.Join(errs...)
}

// RateBps is the bottleneck rate in bits per second.
func (c *Cell) RateBps() int64 { return int64(math.Round(c.RateMbit * 1e6)) }

// LinkConfigs returns the emulator configuration for the data (A→B) and
// ACK (B→A) directions: symmetric rate, queue and half the RTT each way;
// loss as configured per direction; Gilbert–Elliott on the data direction.
func (c *Cell) LinkConfigs() (ab, ba linkemu.DirConfig, err error) {
	half := c.RTT.Duration / 2
	base := linkemu.DirConfig{Delay: half, Jitter: c.Jitter.Duration, Rate: c.RateBps(), QueueLimit: c.Queue.Duration}
	ab, ba = base, base
	ab.Loss, ba.Loss = c.LossPct/100, c.ReverseLossPct/100
	if c.GE != nil {
		ab.GE = linkemu.GilbertElliott{P: c.GE.PPct / 100, R: c.GE.RPct / 100, LossBad: c.GE.LossBadPct / 100}
	}
	if err := ab.Validate(); err != nil {
		return ab, ba, fmt.Errorf("cell %s a→b: %w", c.Name, err)
	}
	if err := ba.Validate(); err != nil {
		return ab, ba, fmt.Errorf("cell %s b→a: %w", c.Name, err)
	}
	return ab, ba, nil
}

// Describe is a one-line summary of the link, e.g.
// "500 Mbit/s, RTT 100ms, loss 1%, queue 100ms".
func (c *Cell) Describe() string {
	s := fmt.Sprintf("%g Mbit/s, RTT %v, loss %g%%", c.RateMbit, c.RTT, c.LossPct)
	if c.ReverseLossPct > 0 {
		s += fmt.Sprintf(" (reverse %g%%)", c.ReverseLossPct)
	}
	if c.GE != nil {
		s += fmt.Sprintf(", GE p=%g%% r=%g%% bad=%g%%", c.GE.PPct, c.GE.RPct, c.GE.LossBadPct)
	}
	if c.Jitter.Duration > 0 {
		s += fmt.Sprintf(", jitter %v", c.Jitter)
	}
	return s + fmt.Sprintf(", queue %v", c.Queue)
}

// Select returns the cells whose names are in names (all when empty),
// failing on a name that matches no cell.
func (m *Matrix) Select(names []string) ([]Cell, error) {
	if len(names) == 0 {
		return m.Cells, nil
	}
	var out []Cell
	for _, n := range names {
		i := slices.IndexFunc(m.Cells, func(c Cell) bool { return c.Name == n })
		if i < 0 {
			return nil, fmt.Errorf("no cell named %q", n)
		}
		out = append(out, m.Cells[i])
	}
	return out, nil
}
