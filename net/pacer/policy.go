package pacer

import (
	"fmt"
	"strings"
)

// Policy selects how a Controller reacts to the network.
type Policy int

const (
	// Fair fills the path up to MaxRate, backs off when queueing delay rises
	// above a small target, ignores random loss, and shares a bottleneck
	// evenly with other Fair flows. It is the default.
	Fair Policy = iota
	// Fixed sends at MaxRate (or InitialRate when MaxRate is 0) whatever the
	// network says. Meant for tests and dedicated links.
	Fixed
	// Low is a scavenger: it uses bandwidth nobody else wants and yields
	// quickly and far (down to MinRate) when other traffic builds a queue.
	Low
)

var policyNames = [...]string{Fair: "fair", Fixed: "fixed", Low: "low"}

// String returns "fair", "fixed" or "low" ("Policy(n)" for unknown values).
func (p Policy) String() string {
	if p.valid() {
		return policyNames[p]
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

func (p Policy) valid() bool { return p >= 0 && int(p) < len(policyNames) }

// ParsePolicy parses a policy name ("fair", "fixed" or "low"; case and
// surrounding blanks are ignored).
func ParsePolicy(s string) (Policy, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for p, n := range policyNames {
		if n == name {
			return Policy(p), nil
		}
	}
	return 0, fmt.Errorf("pacer: unknown rate policy %q (want fair, fixed or low)", s)
}

// MarshalText implements encoding.TextMarshaler (used by TOML and JSON).
func (p Policy) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, fmt.Errorf("pacer: invalid rate policy %d", int(p))
	}
	return []byte(policyNames[p]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler (used by TOML and JSON).
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
