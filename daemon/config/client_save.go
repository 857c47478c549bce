package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// clientHeader opens every saved client configuration.
const clientHeader = `# JetStream client configuration: host profiles for jscp and the TUI.
# Rewritten by the TUI's location editor; comments added by hand are not kept.
# Keys: address, api-port, user, rate, min-rate, cipher (none, auth, aes128,
# aes256), policy (fixed, fair, low). Rates: a plain number is kbit/s, K, M, G
# and T suffixes are bit/s ("500M").
`

// Save validates c and writes it to path atomically (a temporary file in the
// same directory, fsynced, then renamed) with mode 0600, creating the
// directory with mode 0700 if needed. Profiles are written in name order, one
// [hosts.NAME] table each, without the fields that are not set.
func (c *Client) Save(path string) error {
	if path == "" {
		return errors.New("no client configuration path (the user configuration directory is unknown)")
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("not saving an invalid client configuration:\n%w", err)
	}
	return writeFileAtomic(path, c.encode(), 0o600)
}

// encode writes c as TOML.
func (c *Client) encode() []byte {
	var b strings.Builder
	b.WriteString(clientHeader)
	if c == nil {
		return []byte(b.String())
	}
	names := make([]string, 0, len(c.Hosts))
	for n := range c.Hosts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p := c.Hosts[n]
		b.WriteString("\n[hosts." + tomlKey(n) + "]\n")
		for _, f := range hostFields {
			if v := f.format(&p); v != "" {
				b.WriteString(f.name + " = " + v + "\n")
			}
		}
	}
	return []byte(b.String())
}

// writeFileAtomic replaces path with data so that readers see the old or the
// new content, never a mix, and the new content survives a crash once this
// returns.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	return nil
}
