package tui

import (
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jetstream-go/jetstream/tui/common"
)

// DefaultRefreshInterval is how often the transfers list is polled.
const DefaultRefreshInterval = time.Second

// Options configure Run and New.
type Options struct {
	// Connector opens Clients for locations (required).
	Connector Connector
	// Target is "[user@]host[:port]" or a saved location's name to connect
	// to at start; "" starts at the locations screen.
	Target string
	// Password for Target; "" asks for it.
	Password string
	// ConfigPath is the client config holding the saved locations
	// (default: ~/.config/jetstream/config.toml).
	ConfigPath string
	// Locations replaces the config file store (tests).
	Locations LocationStore
	// LocalFS is the local pane's file system (default OSFS{}).
	LocalFS LocalFS

	// Input and Output default to the terminal.
	Input  io.Reader
	Output io.Writer
	// NoColor disables colours; NO_COLOR in the environment does too.
	NoColor bool
	// Inline runs without the alternate screen.
	Inline bool

	// Now and TZ are the clock and zone of displayed times (tests fix them).
	Now func() time.Time
	TZ  *time.Location
	// RefreshInterval is the transfers polling period (default 1 s;
	// negative disables polling, for tests that drive refreshes).
	RefreshInterval time.Duration
	// CallTimeout bounds each server call (default 30 s).
	CallTimeout time.Duration
}

// resolveTarget turns Options.Target into a location: a saved location of
// that name, else a parsed [user@]host[:port].
func resolveTarget(target string, saved []common.Location) (common.Location, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return common.Location{}, errors.New("no target")
	}
	for _, l := range saved {
		if l.Name == target {
			return l, nil
		}
	}
	return common.ParseTarget(target)
}

// noColorEnv reports the NO_COLOR convention (https://no-color.org): set
// and not empty.
func noColorEnv() bool { return os.Getenv("NO_COLOR") != "" }
