package main

import (
	"fmt"
	"slices"

	"github.com/jetstream-go/jetstream/daemon/config"
)

// loadProfiles reads --config (default ~/.config/jetstream/config.toml) and
// checks --cipher and --policy, whose defaults a host profile may change.
func (c *cli) loadProfiles() error {
	if c.Cipher != "" && !slices.Contains([]string{"none", "auth", "aes128", "aes256"}, c.Cipher) {
		return fail(exitUsage, "usage", "--cipher %q: want none, auth, aes128 or aes256", c.Cipher)
	}
	if c.Policy != "" && !slices.Contains([]string{"fixed", "fair", "low"}, c.Policy) {
		return fail(exitUsage, "usage", "--policy %q: want fixed, fair or low", c.Policy)
	}
	path := c.Config
	if path == "" {
		path = config.DefaultClientPath()
		if path == "" {
			return nil
		}
	}
	cfg, err := config.LoadClient(path)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		return fail(exitUsage, "usage", "%s: %v", path, err)
	}
	c.profiles = cfg.Hosts
	return nil
}

// parseSpec parses arg and, when its host names a profile, fills in the
// profile's address, API port and user, and (once, for the first profile
// used) its rate, minimum rate, cipher and policy where the command line
// left them unset.
func (c *cli) parseSpec(arg string) (remoteSpec, bool, error) {
	s, remote, err := parseSpec(arg)
	if err != nil || !remote {
		return s, remote, err
	}
	prof, ok := c.profiles[s.Host]
	if !ok {
		return s, remote, nil
	}
	prof = prof.WithDefaults(s.Host)
	s.Host = prof.Address
	if s.Port == 0 && c.Port == 0 {
		s.Port = prof.APIPort
	}
	if s.User == "" && c.User == "" {
		s.User = prof.User
	}
	if !c.profileApplied {
		c.profileApplied = true
		c.Rate = orElse(c.Rate, prof.Rate)
		c.MinRate = orElse(c.MinRate, prof.MinRate)
		c.Cipher = orElse(c.Cipher, prof.Cipher)
		c.Policy = orElse(c.Policy, prof.Policy)
		if c.Verbose {
			fmt.Fprintf(c.stderr, "jscp: host %s from profile: %s:%d\n", arg, s.Host, s.Port)
		}
	}
	return s, remote, nil
}

// orElse returns a unless it is empty, else b.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
