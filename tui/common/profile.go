package common

import (
	"fmt"

	"github.com/jetstream-go/jetstream/daemon/config"
)

// Profile converts a location to its config profile.
func (l Location) Profile() config.HostProfile {
	return config.HostProfile{
		Address: l.Address, APIPort: l.APIPort, User: l.User,
		Rate: l.Rate, MinRate: l.MinRate, Cipher: l.Cipher, Policy: l.Policy,
	}
}

// LocationOf converts a named config profile to a location.
func LocationOf(name string, p config.HostProfile) Location {
	return Location{
		Name: name, Address: p.Address, APIPort: p.APIPort, User: p.User,
		Rate: p.Rate, MinRate: p.MinRate, Cipher: p.Cipher, Policy: p.Policy,
	}
}

// Validate checks a location with the config's own rules, so that
// whatever the TUI saves, config.LoadClient reads back.
func (l Location) Validate() error {
	c := config.Client{Hosts: map[string]config.HostProfile{l.Name: l.Profile()}}
	return c.Validate()
}

// Dial returns the address and API port to connect to, with defaults
// applied (the name stands for the address when none is set).
func (l Location) Dial() (host string, port int) {
	p := l.Profile().WithDefaults(l.Name)
	return p.Address, p.APIPort
}

// TransferParams are a location's transfer settings in the API's units.
type TransferParams struct {
	RateKbps    float64 // 0 = not set
	MinRateKbps float64 // 0 = not set
	MinCipher   int     // -1 = not set
	Policy      string  // "" = not set
}

// TransferParams converts the location's rate, cipher and policy.
func (l Location) TransferParams() (TransferParams, error) {
	tp := TransferParams{MinCipher: -1, Policy: l.Policy}
	if l.Rate != "" {
		bps, err := config.ParseRate(l.Rate)
		if err != nil {
			return tp, fmt.Errorf("location %s: rate: %w", l.Label(), err)
		}
		tp.RateKbps = bps / 1000
	}
	if l.MinRate != "" {
		bps, err := config.ParseRate(l.MinRate)
		if err != nil {
			return tp, fmt.Errorf("location %s: min-rate: %w", l.Label(), err)
		}
		tp.MinRateKbps = bps / 1000
	}
	if l.Cipher != "" {
		lvl, ok := config.CipherLevel(l.Cipher)
		if !ok {
			return tp, fmt.Errorf("location %s: unknown cipher %q (want none, auth, aes128 or aes256)", l.Label(), l.Cipher)
		}
		tp.MinCipher = lvl
	}
	return tp, nil
}
