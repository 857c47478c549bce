package main

import "github.com/jetstream-go/jetstream/daemon/config"

// defaultStateDir is the default --persistent-state-dir:
// /var/lib/jetstream/state as root, otherwise $XDG_STATE_HOME/jetstream or
// ~/.local/state/jetstream; "" when the home directory is unknown. It is the
// server's own default (daemon/config), so `jetstream user` and
// `jetstream server` always agree.
func defaultStateDir() string { return config.DefaultStateDir() }
