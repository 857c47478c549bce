// Package daemontest starts real JetStream daemons for tests: in-process, on
// 127.0.0.1 with port 0, with a temporary state directory.
package daemontest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jetstream-go/jetstream/daemon"
	"github.com/jetstream-go/jetstream/daemon/client"
	"github.com/jetstream-go/jetstream/daemon/config"
	"github.com/jetstream-go/jetstream/daemon/store"
)

// Daemon is a running test daemon.
type Daemon struct {
	t          testing.TB
	Srv        *daemon.Server
	Cfg        config.Server
	Port       int    // API port
	KnownHosts string // pin file the test clients use
	served     chan error
}

// Option changes the configuration before start.
type Option func(*config.Server)

// WithSandbox confines users below dir (%u allowed).
func WithSandbox(dir string) Option { return func(c *config.Server) { c.SandboxDir = dir } }

// Start starts a daemon that is stopped when the test ends.
func Start(t testing.TB, opts ...Option) *Daemon {
	t.Helper()
	store.UseMinimalCost() // test accounts: cheap hashes, fast logins under -race
	cfg := config.Default()
	dir := t.TempDir()
	cfg.PersistentStateDir = filepath.Join(dir, "state")
	cfg.TriggerDir = filepath.Join(dir, "triggers")
	cfg.APIHost = "127.0.0.1"
	cfg.APIPort = 0
	cfg.RecvPort = 0
	cfg.LogLevel = "warn"
	for _, o := range opts {
		o(&cfg)
	}
	d := &Daemon{t: t, Cfg: cfg, KnownHosts: filepath.Join(dir, "known_hosts")}
	d.start()
	t.Cleanup(d.Stop)
	return d
}

func (d *Daemon) start() {
	d.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{d.t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := daemon.New(daemon.Options{Config: d.Cfg, Logger: log, Version: "test", Revision: "test"})
	if err != nil {
		d.t.Fatalf("start daemon: %v", err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(d.Port)))
	if err != nil {
		srv.Close()
		d.t.Fatalf("listen: %v", err)
	}
	d.Port = l.Addr().(*net.TCPAddr).Port
	d.Srv = srv
	d.served = make(chan error, 1)
	go func() { d.served <- srv.Serve(l) }()
}

// Stop shuts the daemon down gracefully (idempotent).
func (d *Daemon) Stop() {
	if d.Srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Srv.Shutdown(ctx); err != nil && !errors.Is(err, daemon.ErrServerClosed) {
		d.t.Errorf("shutdown: %v", err)
	}
	<-d.served
	d.Srv = nil
}

// Restart stops and starts the daemon on the same state dir and API port.
func (d *Daemon) Restart() {
	d.t.Helper()
	d.Stop()
	d.start()
}

// AddUser creates a built-in account.
func (d *Daemon) AddUser(name, password string, superuser bool) {
	d.t.Helper()
	if err := store.AddAccount(d.Cfg.PersistentStateDir, name, password, superuser); err != nil {
		d.t.Fatalf("add account %s: %v", name, err)
	}
}

// Dial connects a client (not logged in) that is closed at the end of the test.
func (d *Daemon) Dial() *client.Client {
	d.t.Helper()
	c, err := client.Dial(context.Background(), client.Options{Host: "127.0.0.1", Port: d.Port, KnownHosts: d.KnownHosts})
	if err != nil {
		d.t.Fatalf("dial daemon: %v", err)
	}
	d.t.Cleanup(func() { c.Close() })
	return c
}

// Login dials and authenticates.
func (d *Daemon) Login(user, password string) *client.Client {
	d.t.Helper()
	c := d.Dial()
	if err := c.Auth(context.Background(), user, password); err != nil {
		d.t.Fatalf("auth %s: %v", user, err)
	}
	return c
}

// Superuser logs in and raises the session to superuser.
func (d *Daemon) Superuser(user, password string) *client.Client {
	d.t.Helper()
	c := d.Login(user, password)
	if err := c.Superuser(context.Background()); err != nil {
		d.t.Fatalf("superuser %s: %v", user, err)
	}
	return c
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
