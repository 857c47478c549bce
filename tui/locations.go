package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/tui/common"
)

// ConfigStore keeps locations as [hosts.NAME] profiles of the client
// config file (daemon/config LoadClient/Save).
type ConfigStore struct {
	File string // default config.DefaultClientPath()
}

var _ common.LocationStore = ConfigStore{}

// Path implements LocationStore.
func (s ConfigStore) Path() string {
	if s.File == "" {
		return config.DefaultClientPath()
	}
	return s.File
}

// Load implements LocationStore.
func (s ConfigStore) Load() ([]common.Location, error) {
	c, err := config.LoadClient(s.Path())
	if err != nil {
		return nil, err
	}
	out := make([]common.Location, 0, len(c.Hosts))
	for name, p := range c.Hosts {
		out = append(out, common.LocationOf(name, p))
	}
	slices.SortFunc(out, func(a, b common.Location) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Save implements LocationStore.
func (s ConfigStore) Save(locs []common.Location) error {
	// Start from the file as it is, so that settings other than the host
	// profiles survive, and a file that does not parse is not clobbered.
	c, err := config.LoadClient(s.Path())
	if err != nil {
		return fmt.Errorf("not saving locations over %s: %w", s.Path(), err)
	}
	c.Hosts = make(map[string]config.HostProfile, len(locs))
	for _, l := range locs {
		if _, dup := c.Hosts[l.Name]; dup {
			return fmt.Errorf("two locations are named %s", l.Name)
		}
		c.Hosts[l.Name] = l.Profile()
	}
	return c.Save(s.Path())
}
