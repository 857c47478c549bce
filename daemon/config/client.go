package config

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"unicode"
)

// DefaultAPIPort is the daemon's API port, used by host profiles that do not
// set one.
const DefaultAPIPort = 8886

// Client is the client-side configuration used by jscp and the TUI, kept in
// DefaultClientPath: named host profiles, written as [hosts.NAME] tables.
type Client struct {
	Hosts map[string]HostProfile `toml:"hosts"`
}

// HostProfile is one saved host. Empty fields mean "not set".
type HostProfile struct {
	Address string `toml:"address,omitempty"`  // host name or IP without port; default: the profile name
	APIPort int    `toml:"api-port,omitempty"` // default DefaultAPIPort
	User    string `toml:"user,omitempty"`     // login user
	Rate    string `toml:"rate,omitempty"`     // target rate, ParseRate syntax ("500M")
	MinRate string `toml:"min-rate,omitempty"` // minimum rate, ParseRate syntax
	Cipher  string `toml:"cipher,omitempty"`   // none, auth, aes128 or aes256
	Policy  string `toml:"policy,omitempty"`   // fixed, fair or low
}

// Cipher and policy names accepted in host profiles.
var (
	cipherNames = []string{"none", "auth", "aes128", "aes256"}
	policyNames = []string{"fixed", "fair", "low"}
)

// CipherLevel maps a profile cipher name to the API's minimum cipher level:
// none 0, auth 1 (authenticated, not encrypted), aes128 2, aes256 3.
func CipherLevel(name string) (level int, ok bool) {
	i := slices.Index(cipherNames, name)
	return i, i >= 0
}

// WithDefaults returns p with an empty Address replaced by name and a zero
// APIPort by DefaultAPIPort.
func (p HostProfile) WithDefaults(name string) HostProfile {
	if p.Address == "" {
		p.Address = name
	}
	if p.APIPort == 0 {
		p.APIPort = DefaultAPIPort
	}
	return p
}

// LoadClient reads the client configuration at path, as strictly as LoadFile
// reads the server's. A missing file is an empty configuration.
func LoadClient(path string) (*Client, error) {
	if path == "" {
		return nil, errors.New("no client configuration path (the user configuration directory is unknown)")
	}
	data, err := readLimited(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Client{Hosts: map[string]HostProfile{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseClient(path, data)
}

// Validate checks every profile; problems are reported one per line as
// "hosts.NAME.key: reason".
func (c *Client) Validate() error {
	if c == nil {
		return nil
	}
	names := make([]string, 0, len(c.Hosts))
	for n := range c.Hosts {
		names = append(names, n)
	}
	slices.Sort(names)
	var errs []error
	for _, n := range names {
		label := "hosts." + tomlKey(n)
		if err := checkProfileName(n); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", label, err))
		}
		p := c.Hosts[n]
		for _, hf := range hostFields {
			if err := hf.check(&p); err != nil {
				errs = append(errs, fmt.Errorf("%s.%s: %w", label, hf.name, err))
			}
		}
		if err := checkRateOrder(&p); err != nil {
			errs = append(errs, fmt.Errorf("%s.min-rate: %w", label, err))
		}
	}
	return errors.Join(errs...)
}

// checkProfileName accepts 1-64 letters, digits, '.', '_' and '-', so that a
// profile name can stand for a host in "name:path".
func checkProfileName(n string) error {
	ok := n != "" && len(n) <= 64
	for _, r := range n {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '_' || r == '-') {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("profile name %s must be 1 to 64 letters, digits, '.', '_' or '-'", quoteShort(n))
	}
	return nil
}

// checkRateOrder refuses a minimum rate above the target rate.
func checkRateOrder(p *HostProfile) error {
	if p.Rate == "" || p.MinRate == "" {
		return nil
	}
	r, err1 := ParseRate(p.Rate)
	m, err2 := ParseRate(p.MinRate)
	if err1 != nil || err2 != nil || r == 0 || m <= r {
		return nil
	}
	return fmt.Errorf("%s is above rate %s", quoteShort(p.MinRate), quoteShort(p.Rate))
}
