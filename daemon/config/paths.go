package config

import (
	"os"
	"path/filepath"
)

// DefaultConfigFile is the server configuration file read when --config is
// not given and the file exists.
const DefaultConfigFile = "/etc/jetstream/jetstream.toml"

// Directories used when the daemon runs as root.
const (
	rootStateDir   = "/var/lib/jetstream/state"
	rootTriggerDir = "/var/lib/jetstream/triggers"
)

// environment is what the defaults depend on, injected so they are testable.
type environment struct {
	root     bool   // effective user is root
	home     string // home directory, "" when unknown
	xdgState string // $XDG_STATE_HOME
}

// rootEnv is the environment of a daemon installed as a system service; the
// template documents its defaults.
var rootEnv = environment{root: true}

// currentEnv reads the environment of this process.
func currentEnv() environment {
	home, err := os.UserHomeDir()
	if err != nil {
		home = ""
	}
	return environment{root: os.Geteuid() == 0, home: home, xdgState: os.Getenv("XDG_STATE_HOME")}
}

// userStateBase is $XDG_STATE_HOME/jetstream, or ~/.local/state/jetstream
// when XDG_STATE_HOME is unset or relative (the XDG spec says to ignore
// relative values); "" when neither is known.
func (e environment) userStateBase() string {
	if e.xdgState != "" && filepath.IsAbs(e.xdgState) {
		return filepath.Join(e.xdgState, "jetstream")
	}
	if e.home != "" && filepath.IsAbs(e.home) {
		return filepath.Join(e.home, ".local", "state", "jetstream")
	}
	return ""
}

func (e environment) stateDir() string {
	if e.root {
		return rootStateDir
	}
	return e.userStateBase()
}

func (e environment) triggerDir() string {
	if e.root {
		return rootTriggerDir
	}
	if b := e.userStateBase(); b != "" {
		return filepath.Join(b, "triggers")
	}
	return ""
}

// DefaultStateDir is the default --persistent-state-dir:
// /var/lib/jetstream/state as root, otherwise $XDG_STATE_HOME/jetstream or
// ~/.local/state/jetstream. It is "" when the home directory is unknown.
func DefaultStateDir() string { return currentEnv().stateDir() }

// DefaultTriggerDir is the default --trigger-dir:
// /var/lib/jetstream/triggers as root, otherwise the triggers directory in the
// user's state directory (see DefaultStateDir).
func DefaultTriggerDir() string { return currentEnv().triggerDir() }

// DefaultClientPath is the client configuration file,
// <os.UserConfigDir>/jetstream/config.toml (~/.config/jetstream/config.toml
// on Linux), or "" when the configuration directory is unknown.
func DefaultClientPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "jetstream", "config.toml")
}
