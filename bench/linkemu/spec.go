package linkemu

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// specKeys lists the keys ParseDirConfig accepts, in documentation order.
var specKeys = []string{"delay", "jitter", "reorder", "loss", "ge", "rate", "queue"}

// ParseDirConfig parses the compact form of a DirConfig: comma-separated
// key=value pairs, each key at most once, e.g.
//
//	delay=25ms,jitter=2ms,loss=1%,ge=0.01/0.3/50%,rate=500Mbit,queue=50ms
//
// Keys: delay, jitter, queue (Go durations); reorder (true/false); loss
// (a probability "0.01" or a percentage "1%"); ge (Gilbert–Elliott
// p/r/loss_bad[/loss_good], each a probability or percentage); rate
// (N[k|M|G]bit, decimal prefixes, or 0 / "unlimited"). An empty spec is the
// zero DirConfig. The result is validated.
func ParseDirConfig(spec string) (DirConfig, error) {
	var c DirConfig
	seen := map[string]bool{}
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return c, nil
	}
	for _, field := range strings.Split(spec, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(field), "=")
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		if !ok || key == "" || val == "" {
			return DirConfig{}, fmt.Errorf("link spec %q: field %q is not key=value", spec, field)
		}
		if seen[key] {
			return DirConfig{}, fmt.Errorf("link spec %q: key %q given twice", spec, key)
		}
		seen[key] = true
		var err error
		switch key {
		case "delay":
			c.Delay, err = parseDuration(val)
		case "jitter":
			c.Jitter, err = parseDuration(val)
		case "queue":
			c.QueueLimit, err = parseDuration(val)
		case "reorder":
			c.Reorder, err = strconv.ParseBool(val)
		case "loss":
			c.Loss, err = parseProbability(val)
		case "ge":
			c.GE, err = parseGE(val)
		case "rate":
			c.Rate, err = ParseRate(val)
		default:
			return DirConfig{}, fmt.Errorf("link spec %q: unknown key %q (known: %s)", spec, key, strings.Join(specKeys, ", "))
		}
		if err != nil {
			return DirConfig{}, fmt.Errorf("link spec %q: %s: %w", spec, key, err)
		}
	}
	if err := c.Validate(); err != nil {
		return DirConfig{}, fmt.Errorf("link spec %q: %w", spec, err)
	}
	return c, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q (want e.g. 25ms)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// parseProbability accepts "0.01" or "1%".
func parseProbability(s string) (float64, error) {
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("bad probability %q (want e.g. 0.01 or 1%%)", s)
	}
	if pct {
		f /= 100
	}
	if f < 0 || f > 1 {
		return 0, fmt.Errorf("probability %q outside [0, 1] (0%%..100%%)", s)
	}
	return f, nil
}

func parseGE(s string) (GilbertElliott, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 3 || len(parts) > 4 {
		return GilbertElliott{}, fmt.Errorf("%q is not p/r/loss_bad[/loss_good]", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := parseProbability(strings.TrimSpace(p))
		if err != nil {
			return GilbertElliott{}, err
		}
		v[i] = f
	}
	return GilbertElliott{P: v[0], R: v[1], LossBad: v[2], LossGood: v[3]}, nil
}

// ParseRate parses a bit rate such as "500Mbit", "2.5Gbit", "64kbit",
// "1000bit", "0" or "unlimited" (both 0). Prefixes are decimal and
// case-insensitive.
func ParseRate(s string) (int64, error) {
	ls := strings.ToLower(strings.TrimSpace(s))
	if ls == "0" || ls == "unlimited" {
		return 0, nil
	}
	num, ok := strings.CutSuffix(ls, "bit")
	if !ok {
		return 0, fmt.Errorf("bad rate %q (want N[k|M|G]bit, e.g. 500Mbit)", s)
	}
	mult := 1.0
	switch {
	case strings.HasSuffix(num, "k"):
		mult, num = 1e3, num[:len(num)-1]
	case strings.HasSuffix(num, "m"):
		mult, num = 1e6, num[:len(num)-1]
	case strings.HasSuffix(num, "g"):
		mult, num = 1e9, num[:len(num)-1]
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("bad rate %q (want N[k|M|G]bit, e.g. 500Mbit)", s)
	}
	bps := f * mult
	if bps < 0 || bps > MaxRate {
		return 0, fmt.Errorf("rate %q outside [0, %d bit/s]", s, int64(MaxRate))
	}
	return int64(math.Round(bps)), nil
}
