package tui

import (
	"context"
	"os/user"
	"time"

	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/tui/common"
)

// DialConnector connects with daemon/client: TLS with certificate pinning
// (or a CA file), then auth with the location's user and the password.
type DialConnector struct {
	KnownHosts  string        // pin file (default client.DefaultKnownHostsPath())
	CAFile      string        // verify against these CAs instead of pinning
	DialTimeout time.Duration // default: daemon/client's
	// DefaultUser logs in to locations that name no user (default: the
	// current user).
	DefaultUser string
	// Wrap turns the authenticated connection into the TUI's Client; the
	// default is NewClientAdapter. cmd/jetstream uses it to add direct
	// uploads and downloads.
	Wrap func(c *client.Client, req common.ConnectRequest) common.Client
}

// Connect implements Connector.
func (d DialConnector) Connect(ctx context.Context, req common.ConnectRequest) (common.Client, error) {
	host, port := req.Location.Dial()
	c, err := client.Dial(ctx, client.Options{
		Host: host, Port: port, CAFile: d.CAFile, KnownHosts: d.KnownHosts,
		OnPin: req.OnPin, DialTimeout: d.DialTimeout,
	})
	if err != nil {
		return nil, err
	}
	name := req.Location.User
	if name == "" {
		name = d.DefaultUser
	}
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if err := c.Auth(ctx, name, req.Password); err != nil {
		c.Close()
		return nil, err
	}
	if d.Wrap != nil {
		return d.Wrap(c, req), nil
	}
	return NewClientAdapter(c), nil
}
